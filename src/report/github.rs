//! GitHub Actions output: workflow commands that annotate pull requests (no GitHub Advanced
//! Security needed), and a Markdown job summary.
//!
//! GitHub shows at most 10 annotations of each level per step, so the most severe come first
//! and the rest are summed up in one notice.
//!
//! Input reaches both: workflow commands percent-encode CR and LF, so no value can end the
//! command line and start another; the summary writes input as character references only.

use std::fmt::Write as _;

use super::escape::{line, markdown, uri_path, workflow_data as escape_data, workflow_property as escape_property};
use super::{group, locate};
use crate::diag::Level;
use crate::finding::Finding;
use crate::rules::Severity;
use crate::scan::ScanResult;

/// Annotations GitHub shows per level and step.
pub const PER_LEVEL: usize = 10;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

struct Annotation {
    level: &'static str,
    rank: u8,
    file: Option<String>,
    lines: Option<(usize, usize, usize, usize)>,
    title: String,
    message: String,
}

pub fn render(r: &ScanResult) -> String {
    let mut annotations = Vec::new();
    for d in &r.diagnostics {
        let (file, lines) = match d.span {
            Some(s) => {
                let l = locate(&r.sources, s);
                (Some(l.file), Some((l.start.line, l.end.line, l.start.col, l.end.col)))
            }
            // A directory is no place for an annotation: it would not attach.
            None => (d.path.clone().filter(|p| !std::path::Path::new(p).is_dir()), None),
        };
        let (level, rank, title) = match d.level {
            Level::Error => ("error", 0, "tfcheck: error, findings may be missing"),
            Level::Warning => ("warning", 9, "tfcheck: warning"),
        };
        annotations.push(Annotation { level, rank, file, lines, title: title.to_string(), message: d.message.clone() });
    }
    let active: Vec<&Finding> = r.findings.iter().filter(|f| f.is_active()).collect();
    for g in group(&r.findings).into_iter().filter(|g| g[0].is_active()) {
        let f = g[0];
        let l = locate(&r.sources, f.span);
        let mut addresses: Vec<&str> = g.iter().map(|f| f.address.as_str()).collect();
        addresses.dedup();
        let rank = match f.rule.severity {
            Severity::Critical => 1,
            Severity::High => 2,
            Severity::Medium => 3,
            Severity::Low => 4,
        };
        annotations.push(Annotation {
            level: level(f.rule.severity),
            rank,
            file: Some(l.file),
            lines: Some((l.start.line, l.end.line, l.start.col, l.end.col)),
            title: format!("{} ({}): {}", line(&f.rule.id), f.rule.severity, line(&f.rule.title)),
            message: format!("{}\n{}", line(&f.message), line(&addresses.join(", "))),
        });
    }
    // Most severe first, then by place, so the 10 GitHub shows per level matter most.
    annotations.sort_by(|a, b| (a.rank, &a.file, a.lines).cmp(&(b.rank, &b.file, b.lines)));
    let mut out = String::new();
    let mut shown: Vec<(&str, usize)> = Vec::new();
    let mut hidden = 0;
    for a in &annotations {
        let n = match shown.iter_mut().find(|(l, _)| *l == a.level) {
            Some((_, n)) => n,
            None => {
                shown.push((a.level, 0));
                &mut shown.last_mut().expect("just pushed").1
            }
        };
        if *n >= PER_LEVEL {
            hidden += 1;
            continue;
        }
        *n += 1;
        let mut props = Vec::new();
        if let Some(f) = &a.file {
            props.push(format!("file={}", escape_property(f)));
        }
        if let Some((line, end_line, col, end_col)) = a.lines {
            props.push(format!("line={line}"));
            props.push(format!("endLine={end_line}"));
            if line == end_line {
                props.push(format!("col={col}"));
                props.push(format!("endColumn={end_col}"));
            }
        }
        props.push(format!("title={}", escape_property(&a.title)));
        let _ = writeln!(out, "::{} {}::{}", a.level, props.join(","), escape_data(&a.message));
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "::notice title=tfcheck::{}",
            escape_data(&format!(
                "{hidden} more annotations are not shown: GitHub shows {PER_LEVEL} of each level per step. The job summary and the SARIF report list every finding."
            ))
        );
    }
    let _ = writeln!(
        out,
        "tfcheck: {} finding{} ({} suppressed) in {} files.",
        active.len(),
        if active.len() == 1 { "" } else { "s" },
        r.findings.iter().filter(|f| f.suppressed.is_some()).count(),
        r.stats.files
    );
    out
}

/// A rule id as a code span: rules::load allows only letters, digits, `_` and `-`, which no
/// backtick span can be broken by; anything else is written as character references.
fn rule_id(id: &str) -> String {
    if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        format!("`{id}`")
    } else {
        format!("<code>{}</code>", markdown(id))
    }
}

/// Most findings listed in the job summary; the rest are counted.
const SUMMARY_ROWS: usize = 200;

/// The Markdown job summary: totals, then a table of findings linking to the rules' pages.
pub fn step_summary(r: &ScanResult) -> String {
    let active: Vec<&Finding> = r.findings.iter().filter(|f| f.is_active()).collect();
    let mut md = String::from("## tfcheck\n\n");
    if active.is_empty() {
        let _ = writeln!(md, "No findings in {} files ({} resources checked).", r.stats.files, r.stats.resources);
    } else {
        let counts: Vec<String> = Severity::ALL
            .iter()
            .filter_map(|s| {
                let n = active.iter().filter(|f| f.rule.severity == *s).count();
                (n > 0).then(|| format!("{n} {s}"))
            })
            .collect();
        let _ = writeln!(
            md,
            "**{} findings** ({}) in {} files, {} resources checked.\n",
            active.len(),
            counts.join(", "),
            r.stats.files,
            r.stats.resources
        );
        md.push_str("| Severity | Rule | Resource | Location | Finding |\n|---|---|---|---|---|\n");
        let mut sorted = active.clone();
        sorted.sort_by_key(|f| std::cmp::Reverse(f.rule.severity));
        for f in sorted.iter().take(SUMMARY_ROWS) {
            let l = locate(&r.sources, f.span);
            // Input only as character references inside `<code>`: a backtick span could be
            // closed by a backtick in a key, and raw HTML would render.
            let _ = writeln!(
                md,
                "| {} | [{}]({}/blob/main/docs/rules/{}.md) | <code>{}</code> | <code>{}:{}</code> | <code>{}</code> |",
                f.rule.severity,
                rule_id(&f.rule.id),
                super::sarif::INFORMATION_URI,
                uri_path(&f.rule.id),
                markdown(&f.address),
                markdown(&l.file),
                l.start.line,
                markdown(&f.message)
            );
        }
        if sorted.len() > SUMMARY_ROWS {
            let _ = writeln!(md, "\n{} more findings are in the SARIF report.", sorted.len() - SUMMARY_ROWS);
        }
    }
    let suppressed = r.findings.iter().filter(|f| f.suppressed.is_some()).count();
    let baselined = r.findings.iter().filter(|f| f.suppressed.is_none() && f.baselined).count();
    if suppressed + baselined > 0 {
        let _ = writeln!(md, "\n{suppressed} suppressed, {baselined} in the baseline.");
    }
    let errors = r.diagnostics.iter().filter(|d| d.level == Level::Error).count();
    if errors > 0 {
        let _ = writeln!(
            md,
            "\n:x: {errors} errors (input that could not be read or parsed, a read tfcheck refused, or one of its limits): findings may be missing; see the annotations."
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn rule_ids_outside_the_allowed_set_are_escaped() {
        assert_eq!(rule_id("ecr_nocmk"), "`ecr_nocmk`");
        assert_eq!(rule_id("a`b"), "<code>a&#96;b</code>");
    }

    #[test]
    fn summary_cells_carry_no_markup() {
        let r = crate::scan::scan_in_memory(
            &[(
                "m.tf",
                "resource \"aws_ecr_repository\" \"r\" {\n  for_each = toset([\"`|[x](http://e)<img src=x>\"])\n  name = each.key\n}\n",
            )],
            &crate::rules::load::load_builtin(&crate::syntax::source::SourceMap::new())
                .0
                .into_iter()
                .map(std::sync::Arc::new)
                .collect::<Vec<_>>(),
            &Default::default(),
        );
        let md = step_summary(&r);
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| medium |")).collect();
        assert!(!rows.is_empty(), "{md}");
        for row in rows {
            assert_eq!(row.matches('|').count(), 6, "{row}");
            assert!(!row.contains("<img") && !row.contains("](http://e") && row.matches('`').count() == 2, "{row}");
        }
    }
}
