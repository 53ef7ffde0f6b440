//! Human output: each finding with its source snippet (drawn by miette), then a summary.

use std::fmt::Write as _;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::{RenderOptions, group};
use crate::diag::Level;
use crate::eval::module::module_address;
use crate::finding::Finding;
use crate::rules::Severity;
use crate::scan::ScanResult;
use crate::source::{SourceMap, Span};

/// One report for miette: a message, a snippet with a label, optional help.
#[derive(Debug)]
struct Report {
    message: String,
    severity: miette::Severity,
    code: Option<String>,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    related: Vec<Report>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn std::fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() { None } else { Some(Box::new(self.labels.iter().cloned())) }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() { None } else { Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic))) }
    }
}

fn snippet(sources: &SourceMap, span: Span, label: String) -> (NamedSource<String>, LabeledSpan) {
    let f = sources.get(span.file);
    let src = NamedSource::new(f.display.clone(), f.text.to_string());
    // Point at the first line of multi-line spans: a whole block would drown the snippet.
    let start = span.start as usize;
    let line_end = f.text[start..].find('\n').map(|i| start + i).unwrap_or(f.text.len());
    let end = (span.end as usize).min(line_end).max(start);
    (src, LabeledSpan::new_primary_with_span(Some(label), SourceSpan::from(start..end)))
}

fn severity_of(s: Severity) -> miette::Severity {
    match s {
        Severity::Critical | Severity::High => miette::Severity::Error,
        Severity::Medium => miette::Severity::Warning,
        Severity::Low => miette::Severity::Advice,
    }
}

fn finding_report(sources: &SourceMap, g: &[&Finding]) -> Report {
    let f = g[0];
    let mut addresses: Vec<&str> = g.iter().map(|f| f.address.as_str()).collect();
    addresses.dedup();
    let label = if addresses.len() > 3 {
        format!("{}, {} and {} more", addresses[0], addresses[1], addresses.len() - 2)
    } else {
        addresses.join(", ")
    };
    let (src, lspan) = snippet(sources, f.span, label);
    let mut help = format!("{} (tfcheck explain {})", f.rule.title, f.rule.id);
    if !f.module_path.is_empty() {
        let chain: Vec<String> = f
            .module_path
            .iter()
            .enumerate()
            .map(|(i, step)| format!("{} at {}", module_address(&f.module_path[..=i]), sources.short(step.call_span)))
            .collect();
        let from = if f.root.ends_with(".json") || f.root == "<stdin>" { "plan" } else { "root module" };
        let _ = write!(help, "\nin {} ({from} {})", chain.join(" -> "), f.root);
    }
    if let Some(s) = &f.suppressed {
        let _ = write!(
            help,
            "\nsuppressed at {}{}",
            sources.short(s.span),
            s.reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()
        );
    }
    Report {
        message: f.message.clone(),
        severity: severity_of(f.rule.severity),
        code: Some(format!("{} ({})", f.rule.id, f.rule.severity)),
        source: Some(src),
        labels: vec![lspan],
        help: Some(help),
        related: Vec::new(),
    }
}

pub fn render(r: &ScanResult, opts: &RenderOptions) -> String {
    let theme = if opts.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // Wrap at spaces only: a path or an address cut at `/` or `-` cannot be copied.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_context_lines(1)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
    let mut out = String::new();
    for d in &r.diagnostics {
        let severity = if d.level == Level::Error { miette::Severity::Error } else { miette::Severity::Warning };
        let report = match d.span {
            Some(span) => {
                let (src, l) = snippet(&r.sources, span, "here".into());
                Report {
                    message: d.message.clone(),
                    severity,
                    code: None,
                    source: Some(src),
                    labels: vec![l],
                    help: None,
                    related: Vec::new(),
                }
            }
            None => Report {
                message: d.message.clone(),
                severity,
                code: None,
                source: None,
                labels: Vec::new(),
                help: None,
                related: Vec::new(),
            },
        };
        let _ = handler.render_report(&mut out, &report);
        out.push('\n');
    }
    let active: Vec<&Finding> = r.findings.iter().filter(|f| f.is_active()).collect();
    for g in group(&r.findings).iter().filter(|g| g[0].is_active()) {
        let _ = handler.render_report(&mut out, &finding_report(&r.sources, g));
        out.push('\n');
    }
    // Summary.
    let suppressed = r.findings.iter().filter(|f| f.suppressed.is_some()).count();
    let baselined = r.findings.iter().filter(|f| f.suppressed.is_none() && f.baselined).count();
    let by_sev: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| {
            let n = active.iter().filter(|f| f.rule.severity == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    let errors = r.diagnostics.iter().filter(|d| d.level == Level::Error).count();
    let warnings = r.diagnostics.len() - errors;
    let _ = write!(
        out,
        "Scanned {} files, {} modules ({} roots), {} resources: ",
        r.stats.files, r.stats.modules, r.stats.roots, r.stats.resources
    );
    if active.is_empty() {
        out.push_str("no findings");
    } else {
        let _ =
            write!(out, "{} finding{} ({})", active.len(), if active.len() == 1 { "" } else { "s" }, by_sev.join(", "));
    }
    if suppressed > 0 {
        let _ = write!(out, ", {suppressed} suppressed");
    }
    if baselined > 0 {
        let _ = write!(out, ", {baselined} in the baseline");
    }
    if errors > 0 {
        let _ = write!(out, ", {errors} error{}", if errors == 1 { "" } else { "s" });
    }
    if warnings > 0 {
        let _ = write!(out, ", {warnings} warning{}", if warnings == 1 { "" } else { "s" });
    }
    out.push_str(".\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_stop_at_the_end_of_the_first_line() {
        let sources = SourceMap::new();
        let id = sources.add("m.tf".into(), "resource \"a\" \"b\" {\n  x = 1\n}\n".into());
        let (_, l) = snippet(&sources, Span::new(id, 0, 30), "x".into());
        assert_eq!(l.inner().offset(), 0);
        assert_eq!(l.inner().len(), 18);
    }
}
