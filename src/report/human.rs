//! Human output: each finding with its source snippet (drawn by miette) and a one-line fix,
//! then a summary.
//!
//! Everything from the scanned tree is escaped (see [`super::escape`]): a newline in a
//! message or a file name would start a line the GitHub runner reads as a workflow command,
//! and an escape sequence would act on the terminal. Snippets keep their newlines (each
//! snippet line starts with miette's gutter) and tabs.

use std::fmt::Write as _;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode,
    SourceSpan, SpanContents,
};

use super::escape::{line, snippet as escape_snippet};
use super::{RenderOptions, group};
use crate::diag::Level;
use crate::finding::Finding;
use crate::rules::Severity;
use crate::scan::ScanResult;
use crate::syntax::source::{SourceMap, Span};
use crate::terraform::addr::module_address;

/// One report for miette: a message, a snippet with a label, optional help.
#[derive(Debug)]
struct Report {
    message: String,
    severity: miette::Severity,
    code: Option<String>,
    source: Option<Window>,
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

/// Lines of context miette shows around a span.
const CONTEXT_LINES: usize = 1;
/// Most bytes of a line shown on each side of a span: one line of a minified file must not
/// be copied whole for each of its diagnostics.
const MAX_LINE: usize = 240;

/// The few escaped lines around a span, all miette reads: not a copy of the whole file per
/// report, which made rendering quadratic.
#[derive(Debug)]
struct Window {
    /// `file:line:col`, escaped: miette prints it as the snippet's header.
    name: String,
    text: String,
    /// 0-based number of the window's first line in the file.
    first_line: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let c = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            *c.span(),
            c.line() + self.first_line,
            c.column(),
            c.line_count(),
        )))
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Byte range of a 1-based line without its line ending, and whether a `\n` follows it.
fn line_range(f: &crate::syntax::source::SourceFile, n: usize) -> (usize, usize, bool) {
    let start = f.line_start(n);
    let (mut end, newline) = if n < f.line_count() { (f.line_start(n + 1) - 1, true) } else { (f.text.len(), false) };
    if end > start && f.text.as_bytes()[end - 1] == b'\r' && newline {
        end -= 1;
    }
    (start, end, newline)
}

fn snippet(sources: &SourceMap, span: Span, label: String) -> (Window, LabeledSpan) {
    let f = sources.get(span.file);
    let text = &*f.text;
    let start = floor_char(text, (span.start as usize).min(text.len()));
    let at = f.line_col(start as u32);
    let first = at.line.saturating_sub(CONTEXT_LINES).max(1);
    let last = (at.line + CONTEXT_LINES).min(f.line_count());
    let mut out = String::new();
    let mut label_span = 0..0;
    for n in first..=last {
        let (ls, le, newline) = line_range(&f, n);
        if n == at.line {
            // Point at the first line of multi-line spans: a whole block would drown the snippet.
            // A span on a line ending is shown at the end of the line.
            let start = start.min(le);
            let end = ceil_char(text, (span.end as usize).clamp(start, le).min(start + MAX_LINE));
            let from = if start - ls > MAX_LINE { floor_char(text, start - MAX_LINE / 2) } else { ls };
            let to = if le - end > MAX_LINE { ceil_char(text, end + MAX_LINE / 2) } else { le };
            if from > ls {
                out.push('…');
            }
            let mut offsets = [start - from, end - from];
            let escaped = escape_snippet(&text[from..to], &mut offsets);
            label_span = out.len() + offsets[0]..out.len() + offsets[1];
            out.push_str(&escaped);
            if to < le {
                out.push('…');
            }
        } else {
            let to = if le - ls > 2 * MAX_LINE { floor_char(text, ls + 2 * MAX_LINE) } else { le };
            out.push_str(&escape_snippet(&text[ls..to], &mut []));
            if to < le {
                out.push('…');
            }
        }
        if newline {
            out.push('\n');
        }
    }
    let name = format!("{}:{}:{}", line(&f.display), at.line, at.col);
    let window = Window { name, text: out, first_line: first - 1 };
    (window, LabeledSpan::new_primary_with_span(Some(label), SourceSpan::from(label_span)))
}

fn severity_of(s: Severity) -> miette::Severity {
    match s {
        Severity::Critical | Severity::High => miette::Severity::Error,
        Severity::Medium => miette::Severity::Warning,
        Severity::Low => miette::Severity::Advice,
    }
}

/// The first sentence of a rule's remediation, shown as `fix:` under each finding. None when
/// the remediation opens with code: the prose after it qualifies the code, it is not the fix.
fn fix_line(remediation: &str) -> Option<String> {
    let mut lines = remediation.lines().map(str::trim).skip_while(|l| l.is_empty()).peekable();
    if lines.peek()?.starts_with("```") {
        return None;
    }
    let paragraph: Vec<&str> = lines.take_while(|l| !l.is_empty() && !l.starts_with("```")).collect();
    let text = paragraph.join(" ");
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    // "Create a key and name it in `kms_key`:" introduces code the fix line does not show.
    let sentence = text[..end].trim_end().trim_end_matches(':').trim_end();
    (!sentence.is_empty()).then(|| sentence.to_string())
}

fn finding_report(sources: &SourceMap, g: &[&Finding]) -> Report {
    let f = g[0];
    let mut addresses: Vec<&str> = g.iter().map(|f| f.address.as_str()).collect();
    addresses.dedup();
    let label = if addresses.len() > 3 {
        format!("{}, {} and {} more", line(addresses[0]), line(addresses[1]), addresses.len() - 2)
    } else {
        line(&addresses.join(", ")).into_owned()
    };
    let (src, lspan) = snippet(sources, f.span, label);
    // Rules may come from a rule directory in the scanned tree: their texts are input too.
    let mut help = format!("{} (tfcheck explain {})", line(&f.rule.title), line(&f.rule.id));
    if let Some(fix) = fix_line(&f.rule.remediation) {
        let _ = write!(help, "\nfix: {}", line(&fix));
    }
    if !f.module_path.is_empty() {
        let chain: Vec<String> = f
            .module_path
            .iter()
            .enumerate()
            .map(|(i, step)| {
                format!("{} at {}", line(&module_address(&f.module_path[..=i])), line(&sources.short(step.call_span)))
            })
            .collect();
        let from = if f.root.ends_with(".json") || f.root == "<stdin>" { "plan" } else { "root module" };
        let _ = write!(help, "\nin {} ({from} {})", chain.join(" -> "), line(&f.root));
    }
    if let Some(s) = &f.suppressed {
        let _ = write!(
            help,
            "\nsuppressed at {}{}",
            line(&sources.short(s.span)),
            s.reason.as_ref().map(|r| format!(": {}", line(r))).unwrap_or_default()
        );
    }
    Report {
        message: line(&f.message).into_owned(),
        severity: severity_of(f.rule.severity),
        code: Some(format!("{} ({})", line(&f.rule.id), f.rule.severity)),
        source: Some(src),
        labels: vec![lspan],
        help: Some(help),
        related: Vec::new(),
    }
}

/// The whole human report: diagnostics, findings, then the summary line.
pub fn render(r: &ScanResult, opts: &RenderOptions) -> String {
    let mut out = body(r, opts, true);
    out.push_str(&summary(r));
    out
}

/// `--quiet`: the findings and the errors only (no warnings, no summary line).
pub fn render_quiet(r: &ScanResult, opts: &RenderOptions) -> String {
    body(r, opts, false)
}

fn body(r: &ScanResult, opts: &RenderOptions, warnings: bool) -> String {
    let theme = if opts.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // Wrap at spaces only: a path or an address cut at `/` or `-` cannot be copied.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_context_lines(CONTEXT_LINES)
        // The window's name carries `file:line:col`, counted in the file, not the window.
        .without_primary_span_start()
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
    let mut out = String::new();
    for d in r.diagnostics.iter().filter(|d| warnings || d.level == Level::Error) {
        let severity = if d.level == Level::Error { miette::Severity::Error } else { miette::Severity::Warning };
        let report = match d.span {
            Some(span) => {
                let (src, l) = snippet(&r.sources, span, "here".into());
                Report {
                    message: line(&d.message).into_owned(),
                    severity,
                    code: None,
                    source: Some(src),
                    labels: vec![l],
                    help: None,
                    related: Vec::new(),
                }
            }
            None => Report {
                message: line(&d.message).into_owned(),
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
    for g in group(&r.findings).iter().filter(|g| g[0].is_active()) {
        let _ = handler.render_report(&mut out, &finding_report(&r.sources, g));
        out.push('\n');
    }
    out
}

/// `n thing` or `n things`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line summary ("Scanned 2 files, ...: 2 findings (2 medium)."), escaped, with its
/// newline; also printed on stderr when the report goes to a file.
pub fn summary(r: &ScanResult) -> String {
    let mut out = String::new();
    let active: Vec<&Finding> = r.findings.iter().filter(|f| f.is_active()).collect();
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
    // Which settings applied: one configuration file per scan.
    let config =
        r.config.as_deref().map(|c| format!(" (configuration: {})", super::escape::line(c))).unwrap_or_default();
    let _ = write!(
        out,
        "Scanned {}, {} ({}), {}{config}: ",
        count(r.stats.files, "file", "files"),
        count(r.stats.modules, "module", "modules"),
        count(r.stats.roots, "root", "roots"),
        count(r.stats.resources, "resource", "resources")
    );
    if active.is_empty() {
        out.push_str("no findings");
    } else {
        let _ = write!(out, "{} ({})", count(active.len(), "finding", "findings"), by_sev.join(", "));
    }
    if suppressed > 0 {
        let _ = write!(out, ", {suppressed} suppressed");
    }
    if baselined > 0 {
        let _ = write!(out, ", {baselined} in the baseline");
    }
    if errors > 0 {
        let _ = write!(out, ", {}", count(errors, "error", "errors"));
    }
    if warnings > 0 {
        let _ = write!(out, ", {}", count(warnings, "warning", "warnings"));
    }
    out.push_str(".\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fix_line_is_the_first_sentence_of_prose() {
        assert_eq!(
            fix_line("Create a key and name it in `kms_key`:\n\n```hcl\nx = 1\n```\n").as_deref(),
            Some("Create a key and name it in `kms_key`")
        );
        assert_eq!(
            fix_line("Leave `force_delete` out, or set it\nfrom a variable. Then apply.").as_deref(),
            Some("Leave `force_delete` out, or set it from a variable.")
        );
        assert_eq!(fix_line("```hcl\nx = 1\n```\n\nIf a workflow needs it, do this:"), None);
        assert_eq!(fix_line("  \n"), None);
    }

    #[test]
    fn snippets_stop_at_the_end_of_the_first_line() {
        let sources = SourceMap::new();
        let id = sources.add("m.tf".into(), "resource \"a\" \"b\" {\n  x = 1\n}\n".into());
        let (_, l) = snippet(&sources, Span::new(id, 0, 30), "x".into());
        assert_eq!(l.inner().offset(), 0);
        assert_eq!(l.inner().len(), 18);
    }

    #[test]
    fn windows_hold_the_lines_around_the_span_escaped() {
        let sources = SourceMap::new();
        let long = format!("x = \"{}\x1b\" # {}", "a".repeat(1000), "b".repeat(1000));
        let text = format!("one\r\ntwo\n{long}\nfour\nfive\n");
        let id = sources.add("m.tf".into(), text.as_str().into());
        let start = text.find('\x1b').unwrap();
        let (w, l) = snippet(&sources, Span::new(id, start, start + 2), "x".into());
        // Lines 2 to 4 only, the long one cut around the span; the label still on the span.
        assert_eq!(w.first_line, 1);
        assert!(w.text.starts_with("two\n…a") && w.text.ends_with("b…\nfour\n"), "{}", w.text);
        assert!(w.text.len() < 600);
        let at = l.inner().offset();
        assert_eq!(&w.text[at..at + l.inner().len()], "\\u{1b}\"");
        assert_eq!(w.name, format!("m.tf:3:{}", long.find('\x1b').unwrap() + 1));
    }
}
