//! JUnit XML, for GitLab and Jenkins test reports: one test suite per rule, one test case per
//! resource instance it checked (failed, skipped when suppressed or in the baseline, passed).

use std::fmt::Write as _;

use super::{escape, locate};
use crate::diag::Level;
use crate::scan::ScanResult;

/// An attribute value or a one-line text: valid XML 1.0 whatever the input.
fn xml(s: &str) -> String {
    escape::xml(s, false)
}

pub fn render(r: &ScanResult) -> String {
    let mut suites = String::new();
    let (mut total_tests, mut total_failures, mut total_errors) = (0, 0, 0);
    for rule in &r.rules {
        let findings: Vec<_> = r.findings.iter().filter(|f| f.rule.id == rule.id).collect();
        let passes: Vec<_> = r.passes.iter().filter(|p| p.rule == rule.id).collect();
        let failures = findings.iter().filter(|f| f.is_active()).count();
        let skipped = findings.len() - failures;
        let tests = findings.len() + passes.len();
        total_tests += tests;
        total_failures += failures;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
            xml(&rule.id)
        );
        for f in &findings {
            let l = locate(&r.sources, f.span);
            let _ = write!(
                suites,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">",
                xml(&f.address),
                xml(&rule.id),
                xml(&l.file),
                l.start.line
            );
            if let Some(s) = &f.suppressed {
                let _ = write!(
                    suites,
                    "<skipped message=\"suppressed ({}){}\"/>",
                    s.tool.name(),
                    s.reason.as_ref().map(|r| format!(": {}", xml(r))).unwrap_or_default()
                );
            } else if f.baselined {
                suites.push_str("<skipped message=\"in the baseline\"/>");
            } else {
                let _ = write!(
                    suites,
                    "<failure message=\"{}\" type=\"{}\">{}:{}:{}: {} [{}]</failure>",
                    xml(&f.message),
                    rule.severity,
                    xml(&l.file),
                    l.start.line,
                    l.start.col,
                    escape::xml(&f.message, true),
                    xml(&rule.title)
                );
            }
            suites.push_str("</testcase>\n");
        }
        for p in &passes {
            let l = locate(&r.sources, p.span);
            let _ = writeln!(
                suites,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"/>",
                xml(&p.address),
                xml(&rule.id),
                xml(&l.file),
                l.start.line
            );
        }
        suites.push_str("  </testsuite>\n");
    }
    // Errors (unreadable input, refused reads, tfcheck's limits) are a suite of their own.
    let errors: Vec<_> = r.diagnostics.iter().filter(|d| d.level == Level::Error).collect();
    if !errors.is_empty() {
        total_tests += errors.len();
        total_errors += errors.len();
        let _ = writeln!(
            suites,
            "  <testsuite name=\"inputs\" tests=\"{0}\" failures=\"0\" errors=\"{0}\" skipped=\"0\">",
            errors.len()
        );
        for d in errors {
            let file = d.span.map(|s| locate(&r.sources, s).file).or(d.path.clone()).unwrap_or_default();
            let line = d.span.map(|s| locate(&r.sources, s).start.line).unwrap_or(0);
            let _ = writeln!(
                suites,
                "    <testcase name=\"{}\" classname=\"inputs\" file=\"{}\" line=\"{line}\"><error message=\"{}\"/></testcase>",
                xml(&file),
                xml(&file),
                xml(&d.message)
            );
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tfcheck\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"{total_errors}\">\n{suites}</testsuites>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(xml("a<b & \"c\"\u{1}\u{ffff}"), "a&lt;b &amp; &quot;c&quot;\\u{1}\\u{ffff}");
    }
}
