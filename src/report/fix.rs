//! What `tfcheck fix` prints: each change with its rule and applicability, the findings it
//! left and why, and with `--diff` the unified diff of every file it changes.

use std::fmt::Write as _;

use super::escape;
use crate::fix::FixResult;

/// The changes, grouped by place (one change can serve several instances), then what is left.
pub fn fix_summary(r: &FixResult, wrote: bool) -> String {
    let mut out = String::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for c in &r.changes {
        if seen.contains(&(c.at.as_str(), c.what.as_str())) {
            continue;
        }
        seen.push((&c.at, &c.what));
        let mut served: Vec<&str> = Vec::new();
        for d in r.changes.iter().filter(|d| d.at == c.at && d.what == c.what) {
            // The same address under two root modules is one name to read.
            if !served.contains(&d.address.as_str()) {
                served.push(&d.address);
            }
        }
        let _ = writeln!(out, "{}: {}", escape::line(&c.at), escape::line(&c.what));
        let _ = writeln!(
            out,
            "  fixes {} for {} ({})",
            c.rule,
            served.iter().map(|a| escape::line(a)).collect::<Vec<_>>().join(", "),
            c.applicability.as_str()
        );
        if !c.note.is_empty() {
            let _ = writeln!(out, "  {}", escape::line(&c.note));
        }
    }
    let files = r.files.len();
    let verb = if wrote { "Fixed" } else { "Would fix" };
    let _ = writeln!(
        out,
        "{}{verb} {} finding{} in {files} file{}.",
        if out.is_empty() { "" } else { "\n" },
        r.fixed,
        if r.fixed == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" }
    );
    if !r.left.is_empty() {
        let _ = writeln!(out, "\nLeft as they are ({}):", r.left.len());
        for l in &r.left {
            let _ = writeln!(
                out,
                "{}: {} {}: {}",
                escape::line(&l.at),
                l.rule,
                escape::line(&l.address),
                escape::line(&l.why)
            );
        }
    }
    out
}

/// The scan's errors after the repairs, one per line (`file:line: message`).
pub fn fix_errors(r: &FixResult) -> String {
    let mut out = String::new();
    for d in r.after.diagnostics.iter().filter(|d| d.level == crate::diag::Level::Error) {
        let at = match (d.span, &d.path) {
            (Some(s), _) => r.after.sources.short(s),
            (None, Some(p)) => p.clone(),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "error: {}: {}", escape::line(&at), escape::line(&d.message));
    }
    out
}

/// A unified diff of every changed file (`a/` and `b/` prefixes, as `git apply` reads).
pub fn fix_diff(r: &FixResult) -> String {
    let mut out = String::new();
    for f in &r.files {
        let name = escape::line(&f.display);
        let diff = similar::TextDiff::from_lines(&*f.before, &*f.after);
        let text = diff.unified_diff().context_radius(3).header(&format!("a/{name}"), &format!("b/{name}")).to_string();
        out.push_str(&escape::text(&text));
    }
    out
}
