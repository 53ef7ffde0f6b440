//! Inline suppressions: `# tfcheck:ignore:<rule> [reason]` (also `//` and `/* */`) in the
//! comments directly above a resource block, or on the line of the attribute at fault.

use crate::finding::Suppression;
use crate::hcl::ast::Comment;
use crate::source::SourceFile;

/// One `tfcheck:ignore` found in a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignore {
    pub rule: String,
    pub reason: Option<String>,
}

/// Parses the ignores of one comment text (several may share a comment).
pub fn parse_ignores(text: &str) -> Vec<Ignore> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("tfcheck:ignore:") {
        rest = &rest[i + "tfcheck:ignore:".len()..];
        let end = rest.find(|c: char| c.is_whitespace() || c == ',').unwrap_or(rest.len());
        let rule = rest[..end].to_string();
        rest = &rest[end..];
        // The reason runs to the next ignore or the end of the comment.
        let reason_end = rest.find("tfcheck:ignore:").unwrap_or(rest.len());
        let reason = rest[..reason_end].trim().trim_start_matches([',', '-', ':']).trim().trim_end_matches("*/").trim();
        out.push(Ignore { rule, reason: (!reason.is_empty()).then(|| reason.to_string()) });
        rest = &rest[reason_end..];
    }
    out.retain(|i| !i.rule.is_empty());
    out
}

/// Finds a suppression for `rule` at a finding on `line`, in a resource whose header is on
/// `block_line`. `comments` are the file's comments in order.
pub fn find(
    file: &SourceFile,
    comments: &[Comment],
    rule: &str,
    aliases: &[String],
    line: usize,
    block_line: usize,
) -> Option<Suppression> {
    let matches = |c: &Comment| -> Option<Suppression> {
        parse_ignores(&c.text)
            .into_iter()
            .find(|i| i.rule == rule || i.rule == "*" || aliases.iter().any(|a| a == &i.rule))
            .map(|i| Suppression { span: c.span, reason: i.reason })
    };
    let line_of = |c: &Comment| file.line_col(c.span.start).line;
    // On the line at fault (or the resource's own header line).
    for c in comments {
        let l = line_of(c);
        if l == line || l == block_line {
            if let Some(s) = matches(c) {
                return Some(s);
            }
        }
    }
    // In the run of comment lines directly above the block.
    let mut l = block_line;
    while l > 1 {
        l -= 1;
        let text = file.line_text(l).trim();
        let is_comment =
            text.starts_with('#') || text.starts_with("//") || text.starts_with("/*") || text.ends_with("*/");
        if !is_comment {
            break;
        }
        for c in comments.iter().filter(|c| line_of(c) <= l && file.line_col(c.span.end).line >= l) {
            if let Some(s) = matches(c) {
                return Some(s);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rule_and_reason() {
        assert_eq!(
            parse_ignores(" tfcheck:ignore:ecr_nocmk legacy repo, migrating in Q3"),
            vec![Ignore { rule: "ecr_nocmk".into(), reason: Some("legacy repo, migrating in Q3".into()) }]
        );
        assert_eq!(
            parse_ignores(" tfcheck:ignore:ecr_nocmk "),
            vec![Ignore { rule: "ecr_nocmk".into(), reason: None }]
        );
        let two = parse_ignores(" tfcheck:ignore:a tfcheck:ignore:b because");
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].reason.as_deref(), Some("because"));
        assert!(parse_ignores("nothing here").is_empty());
    }

    #[test]
    fn finds_comments_above_and_on_the_line() {
        let src = "# keep\n# tfcheck:ignore:ecr_nocmk reason\nresource \"a\" \"b\" {\n  kms_key = \"x\" // tfcheck:ignore:other\n}\n";
        let f = crate::hcl::parser::parse_file(src, crate::source::FileId(0));
        let file = SourceFile::new("m.tf".into(), "m.tf".into(), src.into());
        let s = find(&file, &f.comments, "ecr_nocmk", &[], 3, 3).unwrap();
        assert_eq!(s.reason.as_deref(), Some("reason"));
        assert!(find(&file, &f.comments, "other", &[], 4, 3).is_some());
        assert!(find(&file, &f.comments, "other", &[], 3, 3).is_none());
        assert!(find(&file, &f.comments, "third", &[], 4, 3).is_none());
    }
}
