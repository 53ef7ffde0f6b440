//! Which rules run: the built-in rules and rule directories, each id defined once, then
//! `--rule` and `--skip-rule` (the configuration file's enable and disable come as those).

use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::{Code, Diagnostic, Diagnostics, Level};
use crate::rules::{Rule, load};
use crate::syntax::source::SourceMap;
use crate::workspace::Workspace;

/// The built-in rules, the user's `--rules`, and the rule directories a configuration file
/// names (read through `workspace` when the file is part of the scanned repository).
pub fn load_rules_from(
    sources: &SourceMap,
    builtin: bool,
    rule_dirs: &[PathBuf],
    settings_dirs: &[PathBuf],
    workspace: Option<&Workspace>,
) -> (Vec<Arc<Rule>>, Vec<Diagnostic>) {
    let (mut rules, mut errors) = if builtin { load::load_builtin(sources) } else { (Vec::new(), Vec::new()) };
    let dirs = settings_dirs.iter().map(|d| (d, workspace)).chain(rule_dirs.iter().map(|d| (d, None)));
    for (dir, ws) in dirs {
        let (r, e) = load::load_dir(sources, dir, ws);
        rules.extend(r);
        errors.extend(e);
    }
    // A rule id may be defined once.
    let mut seen: Vec<(String, crate::syntax::source::Span)> = Vec::new();
    let mut unique = Vec::new();
    for r in rules {
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == r.id) {
            errors.push(Diagnostic::error(
                Code::Rule,
                format!("rule {:?} is already defined at {}", r.id, sources.short(*first)),
                r.span,
            ));
            continue;
        }
        seen.push((r.id.clone(), r.span));
        unique.push(Arc::new(r));
    }
    // `--rule X` must mean one thing: an alias names one rule, a family is not a rule's id.
    for (i, r) in unique.iter().enumerate() {
        for alias in &r.aliases {
            if let Some(other) = unique[..i].iter().find(|o| o.is_named(alias)) {
                errors.push(Diagnostic::error(
                    Code::Rule,
                    format!(
                        "alias {alias:?} already names the rule {:?} defined at {}",
                        other.id,
                        sources.short(other.span)
                    ),
                    r.span,
                ));
            }
        }
    }
    // A family may not share a rule's id.
    for r in &unique {
        if let Some(other) = unique.iter().find(|o| o.id == r.family) {
            errors.push(Diagnostic::error(
                Code::Rule,
                format!("family {:?} has the name of the rule defined at {}", r.family, sources.short(other.span)),
                r.span,
            ));
        }
    }
    (unique, errors)
}

/// Applies `--rule` and `--skip-rule` (each an id, an alias or a family); a name that
/// matches no rule is an error.
/// `from_file`: names that came from the configuration file (checked there, with their
/// location).
pub fn select_rules(
    rules: Vec<Arc<Rule>>,
    select: &[String],
    skip: &[String],
    from_file: &dyn Fn(&str) -> bool,
    diags: &Diagnostics,
) -> Vec<Arc<Rule>> {
    for name in select.iter().chain(skip).filter(|n| !from_file(n.as_str())) {
        if !rules.iter().any(|r| r.selected_by(name)) {
            diags.push(Diagnostic::for_path(
                Code::Settings,
                Level::Error,
                format!("no rule or family named {name:?} (`tfcheck rules` lists them)"),
                "<command line>",
            ));
        }
    }
    rules
        .into_iter()
        .filter(|r| select.is_empty() || select.iter().any(|n| r.selected_by(n)))
        .filter(|r| !skip.iter().any(|n| r.selected_by(n)))
        .collect()
}
