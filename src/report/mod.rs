//! Renderers: small functions from a [`ScanResult`] to text, one per output format.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::finding::Finding;
use crate::scan::ScanResult;
use crate::source::{LineCol, SourceMap, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
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

pub struct RenderOptions {
    pub color: bool,
    /// Terminal width for wrapping human output.
    pub width: usize,
}

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
/// `for_each` of ten instances is one finding at one line with ten addresses.
pub fn group(findings: &[Finding]) -> Vec<Vec<&Finding>> {
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    for f in findings {
        match groups.iter_mut().find(|g| {
            g[0].rule.id == f.rule.id
                && g[0].span == f.span
                && g[0].suppressed.is_some() == f.suppressed.is_some()
                && g[0].baselined == f.baselined
        }) {
            Some(g) => g.push(f),
            None => groups.push(vec![f]),
        }
    }
    groups
}
