//! Diagnostics: problems with the input (unreadable files, syntax errors, evaluation errors)
//! as opposed to findings, which are problems with the infrastructure.

use std::sync::Mutex;

use crate::syntax::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The input could not be read or parsed, a read was refused, or one of tfcheck's limits
    /// cut evaluation short: findings may be missing, exit code 2.
    Error,
    /// Something Terraform would reject or tfcheck could not evaluate; findings may be missing.
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub level: Level,
    pub message: String,
    pub span: Option<Span>,
    /// For problems without a span (an unreadable file, a directory loop).
    pub path: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic { level: Level::Error, message: message.into(), span: Some(span), path: None }
    }

    pub fn warning(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic { level: Level::Warning, message: message.into(), span: Some(span), path: None }
    }

    pub fn for_path(level: Level, message: impl Into<String>, path: impl Into<String>) -> Diagnostic {
        Diagnostic { level, message: message.into(), span: None, path: Some(path.into()) }
    }
}

/// A shared, append-only list of diagnostics.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn push(&self, d: Diagnostic) {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }

    /// All diagnostics, duplicates removed (a module evaluated from several roots reports an
    /// error once), in a stable order.
    pub fn take_sorted(&self) -> Vec<Diagnostic> {
        let mut items = std::mem::take(&mut *self.items.lock().unwrap_or_else(|e| e.into_inner()));
        items.sort_by(|a, b| (a.span, &a.path, a.level, &a.message).cmp(&(b.span, &b.path, b.level, &b.message)));
        items.dedup();
        items
    }
}
