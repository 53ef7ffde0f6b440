//! Applying ignores to findings: `tfcheck:ignore` comments (and other tools' ignore comments
//! tfcheck honours) and the configuration file's reviewed ignores, with their expiry dates.

use std::collections::{HashMap, HashSet};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::finding::{Finding, Suppression, Tool};
use crate::settings::Settings;
use crate::syntax::hcl::ast::Comment;
use crate::syntax::source::{FileId, SourceMap};
use crate::triage::suppress;

/// The configuration file's reviewed ignores, for findings no comment suppressed.
pub fn apply_settings_ignores(s: &Settings, findings: &mut [Finding], diags: &Diagnostics) {
    let today = suppress::today();
    for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
        let hit = s.ignores.iter().find(|i| {
            let rule_ok =
                i.rule == "*" || i.rule == f.rule.id || f.rule.aliases.iter().any(|a| a.eq_ignore_ascii_case(&i.rule));
            rule_ok && crate::rules::policy::wildcard_match(&i.address, &f.address)
        });
        let Some(i) = hit else { continue };
        match i.expires.filter(|e| *e < today) {
            Some(exp) => diags.push(Diagnostic::warning(
                Code::Ignore,
                format!("this ignore for {} expired on {exp}: its findings are reported again", i.rule),
                i.span,
            )),
            None => {
                f.suppressed = Some(Suppression {
                    span: i.span,
                    reason: Some(i.reason.clone()),
                    tool: Tool::Config,
                    expires: i.expires,
                })
            }
        }
    }
}

/// A `tfcheck:ignore:` comment naming no rule tfcheck knows is a mistake (a typo suppresses
/// nothing): a warning at the comment. Other tools' ignores name their own rules.
pub fn check_ignore_names(comments: &HashMap<FileId, Vec<Comment>>, known: &HashSet<String>, diags: &Diagnostics) {
    let mut files: Vec<_> = comments.iter().collect();
    files.sort_by_key(|(id, _)| **id);
    for (_, list) in files {
        for c in list {
            for i in suppress::parse_ignores(&c.text) {
                if i.tool == Tool::Tfcheck && i.rule != "*" && !known.contains(&i.rule.to_ascii_lowercase()) {
                    diags.push(Diagnostic::warning(
                        Code::Ignore,
                        format!(
                            "tfcheck:ignore names rule {:?}, which tfcheck does not have; it suppresses nothing",
                            i.rule
                        ),
                        c.span,
                    ));
                }
            }
        }
    }
}

pub fn apply_suppressions(
    sources: &SourceMap,
    comments: &HashMap<FileId, Vec<Comment>>,
    findings: &mut [Finding],
    diags: &Diagnostics,
) {
    let today = suppress::today();
    for f in findings.iter_mut() {
        let Some(comments) = comments.get(&f.span.file) else { continue };
        let file = sources.get(f.span.file);
        let line = file.line_col(f.span.start).line;
        let same_file = f.resource_span.file == f.span.file;
        let lookup = suppress::Lookup {
            file: &file,
            comments,
            rule: &f.rule.id,
            aliases: &f.rule.aliases,
            line,
            block_line: if same_file { file.line_col(f.resource_span.start).line } else { line },
            block_span: f.block_span.filter(|b| b.file == f.span.file),
            today,
        };
        let (suppression, expired) = lookup.find();
        f.suppressed = suppression;
        for d in expired {
            diags.push(d);
        }
    }
}
