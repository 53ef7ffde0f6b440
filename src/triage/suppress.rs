//! Inline suppressions, tfcheck's own and those written for other tools, as their users
//! really write them:
//!
//! - `# tfcheck:ignore:<rule> [reason]`, `# tfsec:ignore:<id>`, `# trivy:ignore:<id>`, in the
//!   comments directly above the resource block or on the line at fault (several may share a
//!   comment: `#tfsec:ignore:AWS078 tfsec:ignore:aws-ecr-repository-customer-key`);
//! - `# checkov:skip=<id>:<reason>` anywhere inside the resource block, as Checkov expects.
//!
//! Ids match a rule's id or any of its aliases. Any of them may carry `:exp:YYYY-MM-DD`: after
//! that date it no longer suppresses, and says so.

use jiff::civil::Date;

use crate::diag::{Code, Diagnostic};
use crate::finding::{Suppression, Tool, parse_date};
use crate::syntax::hcl::ast::Comment;
use crate::syntax::source::{SourceFile, Span};

/// Today's date in UTC, which expiries are compared with.
pub fn today() -> Date {
    jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date()
}

/// One ignore found in a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignore {
    pub tool: Tool,
    pub rule: String,
    pub reason: Option<String>,
    pub expires: Option<Date>,
    /// What followed `:exp:` when it is not a date: such an ignore suppresses nothing.
    pub bad_expiry: Option<String>,
}

const MARKERS: &[(&str, Tool)] = &[
    ("tfcheck:ignore:", Tool::Tfcheck),
    ("tfsec:ignore:", Tool::Tfsec),
    ("trivy:ignore:", Tool::Trivy),
    ("checkov:skip=", Tool::Checkov),
];

/// Parses the ignores of one comment's text.
pub fn parse_ignores(text: &str) -> Vec<Ignore> {
    // Where each marker starts, in order.
    let mut starts: Vec<(usize, &str, Tool)> = Vec::new();
    for (marker, tool) in MARKERS {
        let mut from = 0;
        while let Some(i) = text[from..].find(marker) {
            starts.push((from + i, marker, *tool));
            from += i + marker.len();
        }
    }
    starts.sort_by_key(|s| s.0);
    let mut out = Vec::new();
    for (n, (at, marker, tool)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map(|s| s.0).unwrap_or(text.len());
        let body = text[at + marker.len()..end].trim_end().trim_end_matches("*/");
        let ignore = match tool {
            Tool::Checkov => parse_checkov(body),
            _ => parse_colon_form(body, *tool),
        };
        if let Some(i) = ignore.filter(|i| !i.rule.is_empty()) {
            out.push(i);
        }
    }
    out
}

/// `<rule>[:exp:YYYY-MM-DD] [reason]` (tfcheck, tfsec, trivy).
fn parse_colon_form(body: &str, tool: Tool) -> Option<Ignore> {
    let token_end = body.find(|c: char| c.is_whitespace() || c == ',').unwrap_or(body.len());
    let (token, rest) = body.split_at(token_end);
    let mut parts = token.splitn(2, ":exp:");
    let rule = parts.next()?.trim_end_matches(':').to_string();
    let (expires, bad_expiry) = expiry(parts.next().map(|d| d.trim_start_matches(':')));
    let reason = rest.trim().trim_start_matches([',', '-', ':']).trim();
    // Only tfcheck's own syntax defines a reason; other tools' trailing text is kept as one.
    Some(Ignore { tool, rule, reason: (!reason.is_empty()).then(|| reason.to_string()), expires, bad_expiry })
}

/// `<id>[:exp:YYYY-MM-DD][:<reason>]` (checkov).
fn parse_checkov(body: &str) -> Option<Ignore> {
    let body = body.trim();
    let (rule, mut rest) = match body.find(|c: char| c == ':' || c.is_whitespace()) {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, ""),
    };
    let (mut expires, mut bad_expiry) = (None, None);
    if let Some(r) = rest.strip_prefix(":exp:") {
        let end = r.char_indices().nth(10).map_or(r.len(), |(i, _)| i);
        (expires, bad_expiry) = expiry(Some(&r[..end]));
        rest = &r[end..];
    }
    let reason = rest.trim_start_matches(':').trim();
    Some(Ignore {
        tool: Tool::Checkov,
        rule: rule.to_string(),
        reason: (!reason.is_empty()).then(|| reason.to_string()),
        expires,
        bad_expiry,
    })
}

/// The date after `:exp:`, or the text that should have been one (at most 40 characters of
/// it: it ends up in a message).
fn expiry(text: Option<&str>) -> (Option<Date>, Option<String>) {
    match text {
        None => (None, None),
        Some(t) => match parse_date(t) {
            Some(d) => (Some(d), None),
            None => (None, Some(t.chars().take(40).collect())),
        },
    }
}

/// What the comments say about one finding.
pub struct Lookup<'a> {
    pub file: &'a SourceFile,
    pub comments: &'a [Comment],
    pub rule: &'a str,
    pub aliases: &'a [String],
    /// Line of the finding.
    pub line: usize,
    /// The resource block: its header line, and its whole span (for `checkov:skip`).
    pub block_line: usize,
    pub block_span: Option<Span>,
    pub today: Date,
}

impl Lookup<'_> {
    fn matches(&self, i: &Ignore) -> bool {
        i.rule == "*" && i.tool == Tool::Tfcheck
            || i.rule.eq_ignore_ascii_case(self.rule)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(&i.rule))
    }

    /// The suppression that applies, and warnings for ignores that would have applied but
    /// have expired.
    pub fn find(&self) -> (Option<Suppression>, Vec<Diagnostic>) {
        let mut expired = Vec::new();
        let mut consider = |c: &Comment, placed_ok: &dyn Fn(Tool) -> bool| -> Option<Suppression> {
            for i in parse_ignores(&c.text) {
                if !placed_ok(i.tool) || !self.matches(&i) {
                    continue;
                }
                if let Some(text) = &i.bad_expiry {
                    // Fail closed: an expiry nobody can read must not suppress forever.
                    expired.push(Diagnostic::warning(Code::Ignore,
                        format!(
                            "this {} ignore for {} has an expiry that is not a date ({text:?}; expected YYYY-MM-DD): it suppresses nothing",
                            i.tool.name(),
                            i.rule
                        ),
                        c.span,
                    ));
                    continue;
                }
                if let Some(exp) = i.expires.filter(|e| *e < self.today) {
                    expired.push(Diagnostic::warning(
                        Code::Ignore,
                        format!(
                            "this {} ignore for {} expired on {exp}: the finding is reported again",
                            i.tool.name(),
                            i.rule
                        ),
                        c.span,
                    ));
                    continue;
                }
                return Some(Suppression { span: c.span, reason: i.reason, tool: i.tool, expires: i.expires });
            }
            None
        };
        let line_of = |c: &Comment| self.file.line_col(c.span.start).line;
        let not_checkov = |t: Tool| t != Tool::Checkov;
        // On the line at fault, or the resource's header line.
        for c in self.comments.iter().filter(|c| matches!(line_of(c), l if l == self.line || l == self.block_line)) {
            if let Some(s) = consider(c, &not_checkov) {
                return (Some(s), expired);
            }
        }
        // In the run of comment lines directly above the block.
        let mut l = self.block_line;
        while l > 1 {
            l -= 1;
            let text = self.file.line_text(l).trim();
            let is_comment =
                text.starts_with('#') || text.starts_with("//") || text.starts_with("/*") || text.ends_with("*/");
            if !is_comment {
                break;
            }
            for c in self.comments.iter().filter(|c| line_of(c) <= l && self.file.line_col(c.span.end).line >= l) {
                if let Some(s) = consider(c, &not_checkov) {
                    return (Some(s), expired);
                }
            }
        }
        // checkov:skip anywhere inside the block.
        if let Some(block) = self.block_span {
            for c in self.comments.iter().filter(|c| c.span.start >= block.start && c.span.end <= block.end) {
                if let Some(s) = consider(c, &|t| t == Tool::Checkov) {
                    return (Some(s), expired);
                }
            }
        }
        (None, expired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ig(tool: Tool, rule: &str, reason: Option<&str>, expires: Option<&str>) -> Ignore {
        let (expires, bad_expiry) = expiry(expires);
        Ignore { tool, rule: rule.into(), reason: reason.map(String::from), expires, bad_expiry }
    }

    #[test]
    fn parses_every_syntax() {
        assert_eq!(
            parse_ignores(" tfcheck:ignore:ecr_nocmk legacy repo, migrating in Q3"),
            vec![ig(Tool::Tfcheck, "ecr_nocmk", Some("legacy repo, migrating in Q3"), None)]
        );
        assert_eq!(
            parse_ignores("tfsec:ignore:AWS078 tfsec:ignore:aws-ecr-repository-customer-key"),
            vec![ig(Tool::Tfsec, "AWS078", None, None), ig(Tool::Tfsec, "aws-ecr-repository-customer-key", None, None)]
        );
        assert_eq!(
            parse_ignores("trivy:ignore:AVD-AWS-0033:exp:2025-03-01"),
            vec![ig(Tool::Trivy, "AVD-AWS-0033", None, Some("2025-03-01"))]
        );
        assert_eq!(
            parse_ignores(" checkov:skip=CKV_AWS_136:The images are public anyway"),
            vec![ig(Tool::Checkov, "CKV_AWS_136", Some("The images are public anyway"), None)]
        );
        assert_eq!(
            parse_ignores("checkov:skip=CKV_AWS_51:exp:2030-01-31:tags move"),
            vec![ig(Tool::Checkov, "CKV_AWS_51", Some("tags move"), Some("2030-01-31"))]
        );
        assert_eq!(
            parse_ignores(" tfcheck:ignore:ecr_nocmk:exp:2024-12-31 */"),
            vec![ig(Tool::Tfcheck, "ecr_nocmk", None, Some("2024-12-31"))]
        );
        assert!(parse_ignores("nothing here").is_empty());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-01-01").map(|d| d.to_string()).as_deref(), Some("2024-01-01"));
        assert_eq!(parse_date("2000-02-29:reason").map(|d| d.to_string()).as_deref(), Some("2000-02-29"));
        assert!(parse_date("2024-13-01").is_none());
        // Not a calendar date: such an ignore suppresses nothing (it used to suppress forever).
        assert!(parse_date("2024-02-30").is_none());
        assert!(parse_date("soon").is_none());
        assert!(today().year() >= 2025);
    }

    fn lookup_in(
        src: &str,
        rule: &str,
        aliases: &[&str],
        line: usize,
        block_line: usize,
    ) -> (Option<Suppression>, usize) {
        let f = crate::syntax::hcl::parser::parse_file(src, crate::syntax::source::FileId(0));
        let file = SourceFile::new("m.tf".into(), "m.tf".into(), src.into());
        let block = f.body.blocks.first().map(|b| b.span);
        let aliases: Vec<String> = aliases.iter().map(|a| a.to_string()).collect();
        let today = jiff::civil::date(2026, 6, 1);
        let l = Lookup {
            file: &file,
            comments: &f.comments,
            rule,
            aliases: &aliases,
            line,
            block_line,
            block_span: block,
            today,
        };
        let (s, expired) = l.find();
        (s, expired.len())
    }

    #[test]
    fn placement_and_expiry() {
        let src = "# keep\n# tfcheck:ignore:ecr_nocmk reason\nresource \"a\" \"b\" {\n  kms_key = \"x\" // tfsec:ignore:AVD-AWS-0033\n  # checkov:skip=CKV_AWS_51:tags\n}\n";
        assert_eq!(lookup_in(src, "ecr_nocmk", &[], 3, 3).0.unwrap().reason.as_deref(), Some("reason"));
        // The tfsec ignore is on the line at fault, matched through an alias.
        assert!(lookup_in(src, "other", &["AVD-AWS-0033"], 4, 3).0.is_some());
        assert!(lookup_in(src, "other", &["AVD-AWS-0033"], 3, 3).0.is_none());
        // checkov:skip works anywhere inside the block, for its alias.
        assert_eq!(lookup_in(src, "ecr_mutable_tags", &["CKV_AWS_51"], 3, 3).0.unwrap().tool, Tool::Checkov);
        let expired = "# trivy:ignore:AVD-AWS-0033:exp:2026-05-31\nresource \"a\" \"b\" {\n}\n";
        assert_eq!(lookup_in(expired, "x", &["AVD-AWS-0033"], 2, 2), (None, 1));
        let valid = "# trivy:ignore:AVD-AWS-0033:exp:2026-06-01\nresource \"a\" \"b\" {\n}\n";
        assert!(lookup_in(valid, "x", &["AVD-AWS-0033"], 2, 2).0.is_some());
        // An expiry that is not a calendar date suppresses nothing, and says so (it used to
        // suppress forever).
        for bad in ["2026-02-30", "someday", "2026-6-1x"] {
            let src = format!("# tfcheck:ignore:x:exp:{bad}\nresource \"a\" \"b\" {{\n}}\n");
            assert_eq!(lookup_in(&src, "x", &[], 2, 2), (None, 1), "{bad}");
            let src = format!("resource \"a\" \"b\" {{\n  # checkov:skip=CKV_X:exp:{bad}:why\n}}\n");
            assert_eq!(lookup_in(&src, "x", &["CKV_X"], 1, 1), (None, 1), "{bad}");
        }
        // A blank line breaks "directly above".
        let apart = "# tfcheck:ignore:x\n\nresource \"a\" \"b\" {\n}\n";
        assert!(lookup_in(apart, "x", &[], 3, 3).0.is_none());
    }
}
