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

/// What kind of problem a diagnostic reports: stable names for filtering and for tools
/// reading the JSON output (docs/json-output.md lists them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A scanned Terraform or variables file is not valid HCL or JSON.
    Syntax,
    /// A file or directory could not be read, or reading it was refused (outside the scanned
    /// repository, a special file, too large, not UTF-8).
    Read,
    /// One of tfcheck's limits cut evaluation short: findings may be missing.
    Limit,
    /// Configuration Terraform rejects: duplicate blocks, undeclared or invalid variables,
    /// cycles, `count`/`for_each` of the wrong type.
    Invalid,
    /// An expression Terraform would reject when it evaluates it (a failed function, a type
    /// error); what depends on it is unknown.
    Eval,
    /// A module call that cannot be followed, or a `modules.json` that does not match.
    Module,
    /// A plan or state that cannot be read as one.
    Plan,
    /// A rule file that does not load, or a rule that could not be evaluated.
    Rule,
    /// The configuration file, or an option or rule name on the command line.
    Settings,
    /// An ignore comment or entry that expired, names no rule, or has an unreadable expiry.
    Ignore,
    /// The baseline file cannot be read.
    Baseline,
    /// Nothing to scan was found.
    NoInput,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::Read => "read",
            Code::Limit => "limit",
            Code::Invalid => "invalid",
            Code::Eval => "eval",
            Code::Module => "module",
            Code::Plan => "plan",
            Code::Rule => "rule",
            Code::Settings => "settings",
            Code::Ignore => "ignore",
            Code::Baseline => "baseline",
            Code::NoInput => "no-input",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub level: Level,
    pub code: Code,
    pub message: String,
    pub span: Option<Span>,
    /// For problems without a span (an unreadable file, a directory loop).
    pub path: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic { level: Level::Error, code, message: message.into(), span: Some(span), path: None }
    }

    pub fn warning(code: Code, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic { level: Level::Warning, code, message: message.into(), span: Some(span), path: None }
    }

    pub fn for_path(code: Code, level: Level, message: impl Into<String>, path: impl Into<String>) -> Diagnostic {
        Diagnostic { level, code, message: message.into(), span: None, path: Some(path.into()) }
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
