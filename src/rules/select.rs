//! Which rules run: the built-in rules and rule directories, each id defined once, then
//! `--rule`, `--skip-rule` and the configuration file's enable, disable and severity.

use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::{Code, Diagnostic, Diagnostics, Level};
use crate::rules::{Rule, load};
use crate::settings::Settings;
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
    (unique, errors)
}

pub fn named(r: &Rule, name: &str) -> bool {
    r.is_named(name)
}

/// Rule names in the configuration file must name loaded rules: located errors otherwise.
pub fn check_settings_names(rules: &[Arc<Rule>], s: &Settings, diags: &Diagnostics) {
    let names =
        s.enable.iter().chain(&s.disable).map(|(n, sp)| (n, *sp)).chain(s.severity.iter().map(|(n, _, sp)| (n, *sp)));
    for (name, span) in names {
        if !rules.iter().any(|r| named(r, name)) {
            diags.push(Diagnostic::error(
                Code::Settings,
                format!("no rule named {name:?} (`tfcheck rules` lists them)"),
                span,
            ));
        }
    }
}

/// Severity overrides from the configuration file.
pub fn settings_severities(rules: Vec<Arc<Rule>>, s: &Settings) -> Vec<Arc<Rule>> {
    rules
        .into_iter()
        .map(|r| match s.severity.iter().find(|(n, _, _)| named(&r, n)) {
            Some((_, sev, _)) if *sev != r.severity => {
                let mut changed = (*r).clone();
                changed.severity = *sev;
                Arc::new(changed)
            }
            _ => r,
        })
        .collect()
}

/// Applies `--rule` and `--skip-rule`; a name that matches no rule is an error.
pub fn select_rules(
    rules: Vec<Arc<Rule>>,
    select: &[String],
    skip: &[String],
    settings: &Settings,
    diags: &Diagnostics,
) -> Vec<Arc<Rule>> {
    // Names from the configuration file are checked (with their location) by settings_rules.
    let from_file = |n: &String| settings.enable.iter().chain(&settings.disable).any(|(x, _)| x == n);
    for name in select.iter().chain(skip).filter(|n| !from_file(n)) {
        if !rules.iter().any(|r| named(r, name)) {
            diags.push(Diagnostic::for_path(
                Code::Settings,
                Level::Error,
                format!("no rule named {name:?} (`tfcheck rules` lists them)"),
                "<command line>",
            ));
        }
    }
    rules
        .into_iter()
        .filter(|r| select.is_empty() || select.iter().any(|n| named(r, n)))
        .filter(|r| !skip.iter().any(|n| named(r, n)))
        .collect()
}
