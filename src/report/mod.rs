//! Renderers: small functions from a [`ScanResult`] to text, one per output format, and the
//! rule catalogue as text (`tfcheck rules`, `explain`, the documentation pages).
//!
//! Everything from the scanned tree is escaped for the format it goes into (see `escape`).

mod escape;
mod fix;
mod migrate;
pub use fix::{fix_diff, fix_errors, fix_summary};
pub use migrate::{migration_runbook, migration_script};
mod github;
mod human;
mod json;
mod junit;
mod rules;
mod sarif;

pub use github::step_summary;
pub use human::{render_quiet, summary};
pub use rules::{rule_list, rule_page, rule_pages};

use std::collections::HashMap;

use crate::finding::Finding;
use crate::scan::ScanResult;
use crate::syntax::source::{LineCol, SourceMap, Span};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Readable diagnostics with source snippets.
    Human,
    /// tfcheck's JSON schema (see docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: pull request annotations (and a job summary).
    Github,
    /// JUnit XML, for GitLab and Jenkins test reports.
    Junit,
}

/// How human output looks.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    pub color: bool,
    /// Terminal width for wrapping human output.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { color: false, width: 120 }
    }
}

/// The report in `format`.
pub fn render(result: &ScanResult, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Human => human::render(result, opts),
        Format::Json => json::render(result),
        Format::Sarif => sarif::render(result),
        Format::Github => github::render(result),
        Format::Junit => junit::render(result),
    }
}

/// File, start and end of a span, as renderers print them.
pub struct Location {
    pub file: String,
    pub start: LineCol,
    pub end: LineCol,
}

pub fn locate(sources: &SourceMap, span: Span) -> Location {
    let f = sources.get(span.file);
    let start = f.line_col(span.start);
    let mut end = f.line_col(span.end);
    if end < start {
        end = start;
    }
    Location { file: f.display.clone(), start, end }
}

/// Findings that point at the same place with the same rule and message, grouped: a
/// `for_each` of ten instances is one finding at one line with ten addresses. Groups keep
/// the order of their first finding; one hash lookup per finding, not a scan of all groups.
pub fn group(findings: &[Finding]) -> Vec<Vec<&Finding>> {
    let mut index: HashMap<(&str, Span, bool, bool), usize> = HashMap::with_capacity(findings.len());
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    for f in findings {
        let key = (f.rule.id.as_str(), f.span, f.suppressed.is_some(), f.baselined);
        match index.get(&key) {
            Some(&i) => groups[i].push(f),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![f]);
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::source::FileId;

    #[test]
    fn group_keeps_first_appearance_order() {
        let rules = crate::rules::load::load_builtin(&SourceMap::new()).0;
        let finding = |rule: usize, start: usize, address: &str| Finding {
            rule: std::sync::Arc::new(rules[rule].clone()),
            check: 0,
            fault: None,
            address: address.to_string(),
            span: Span::new(FileId(0), start, start + 1),
            resource_span: Span::new(FileId(0), 0, 1),
            block_span: None,
            message: String::new(),
            origin: None,
            module_path: Vec::new(),
            root: String::new(),
            suppressed: None,
            baselined: false,
        };
        let mut baselined = finding(0, 5, "e");
        baselined.baselined = true;
        let fs = [finding(0, 5, "a"), finding(1, 5, "b"), finding(0, 9, "c"), finding(0, 5, "d"), baselined];
        let addresses: Vec<Vec<&str>> =
            group(&fs).iter().map(|g| g.iter().map(|f| f.address.as_str()).collect()).collect();
        assert_eq!(addresses, [vec!["a", "d"], vec!["b"], vec!["c"], vec!["e"]]);
    }
}
