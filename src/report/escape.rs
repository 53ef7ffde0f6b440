//! Escaping for every report: whatever comes from the scanned tree (file names, comments,
//! values, keys) is attacker-written and must not act on a terminal, a CI log, Markdown,
//! XML or a URI.
//!
//! One visible form everywhere: a character that must not reach an output raw is written as
//! `\u{hex}` (a carriage return is `\u{d}`, ESC is `\u{1b}`, RLO is `\u{202e}`).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters no output may carry raw: C0 and C1 controls, DEL, bidirectional controls
/// ("Trojan Source"), and the Unicode line and paragraph separators.
pub fn is_hostile(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

fn push_visible(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

fn escape_with(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_hostile(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hostile(c) && !keep(c) { push_visible(&mut out, c) } else { out.push(c) }
    }
    Cow::Owned(out)
}

/// For single-line places (file names, addresses, keys, table cells): newline and tab too.
pub fn line(s: &str) -> Cow<'_, str> {
    escape_with(s, |_| false)
}

/// For text that may span lines: newline and tab stay.
pub fn text(s: &str) -> Cow<'_, str> {
    escape_with(s, |c| c == '\n' || c == '\t')
}

/// A source snippet, escaped like [`text`], with CRLF line endings as LF. `offsets` are byte
/// offsets into `s` (on char boundaries), rewritten to the same places in the result.
pub fn snippet(s: &str, offsets: &mut [usize]) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut next = 0; // offsets are mapped in one pass: sort order of their indices
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        while next < order.len() && offsets[order[next]] <= i {
            offsets[order[next]] = out.len();
            next += 1;
        }
        if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
            // A line ending, not content: the offset of the `\r` lands on the `\n`.
            continue;
        }
        if is_hostile(c) && c != '\n' && c != '\t' { push_visible(&mut out, c) } else { out.push(c) }
    }
    for &i in &order[next..] {
        offsets[i] = out.len();
    }
    out
}

/// Markdown and HTML for GitHub, for use inside `<code>` (which GitHub's mention, issue
/// and autolink filters skip): escaped like [`line`], then ASCII punctuation becomes numeric
/// character references, but for a few characters inert in the middle of a line. Nothing
/// can form a tag, an entity, a link, an autolink (`:` `.` `@`), emphasis, math (`$`), a
/// table cell or a code span, and the references render as the characters themselves (also
/// inside `<code>`, unlike a backtick span, where a backtick could close it).
pub fn markdown(s: &str) -> String {
    let s = line(s);
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c.is_ascii_punctuation()
            && !matches!(c, '"' | '\'' | ',' | '-' | '/' | '=' | '+' | ';' | '?' | '%' | '{' | '}')
        {
            let _ = write!(out, "&#{};", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// XML 1.0 text or attribute value. Characters XML 1.0 cannot carry (most C0 controls,
/// U+FFFE, U+FFFF) and the other hostile characters take the visible form; `multiline`
/// keeps newlines and tabs, as character references so attributes keep them too.
pub fn xml(s: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if multiline => out.push_str("&#10;"),
            '\t' if multiline => out.push_str("&#9;"),
            '\u{fffe}' | '\u{ffff}' => push_visible(&mut out, c),
            c if is_hostile(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A relative path as an RFC 3986 relative reference: `/` separates segments, unreserved
/// characters stay, every other byte of the UTF-8 form is percent-encoded (`:` too, or a
/// first segment such as `c:x` would read as a scheme).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A SARIF plain-text message: escaped like [`text`], and square brackets escaped with a
/// backslash so `[x](http://evil)` in a value is not an embedded link (SARIF 3.11.6).
pub fn sarif_text(s: &str) -> String {
    let s = text(s);
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            // A backslash before a bracket would otherwise pair with the escape after it.
            '\\' if matches!(chars.peek(), Some('[' | ']')) => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

/// A GitHub workflow command's message: `%`, CR and LF percent-encoded, so nothing in it
/// can end the command line and start another.
pub fn workflow_data(s: &str) -> String {
    text(s).replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: as [`workflow_data`], and `:` and `,` encoded.
pub fn workflow_property(s: &str) -> String {
    workflow_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_separators_are_visible() {
        assert_eq!(
            line("a\rb\x1b[2J\u{9b}\u{202e}\u{2066}\n\t\u{7f}\u{2028}"),
            "a\\u{d}b\\u{1b}[2J\\u{9b}\\u{202e}\\u{2066}\\u{a}\\u{9}\\u{7f}\\u{2028}"
        );
        assert_eq!(text("a\n\tb\rc"), "a\n\tb\\u{d}c");
        assert!(matches!(line("plain é ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn snippet_offsets_follow_the_escapes() {
        let src = "a\x1bb = \"x\"\r\nc\rd\n";
        let mut offs = [3, 9, 10, 11, src.len()];
        let out = snippet(src, &mut offs);
        assert_eq!(out, "a\\u{1b}b = \"x\"\nc\\u{d}d\n");
        // `b` moved right by the escape's extra bytes; the `\r` of CRLF lands on the `\n`.
        assert_eq!(&out[offs[0]..offs[0] + 1], " ");
        assert_eq!(offs[1], offs[2]);
        assert_eq!(&out[offs[1]..offs[1] + 1], "\n");
        assert_eq!(&out[offs[3]..offs[3] + 1], "c");
        assert_eq!(offs[4], out.len());
    }

    #[test]
    fn markdown_cannot_form_syntax() {
        let m = markdown("`x` | [a](http://e.vil) <img src=x> www.e.vil\n# h");
        for bad in ["`", "|", "[", "]", "(", "<", ">", "www.", "://", "\n", "\\"] {
            assert!(!m.contains(bad), "{bad} in {m}");
        }
        assert!(!m.replace("&#", "").contains('#'), "{m}");
        assert!(m.starts_with("&#96;x&#96; &#124; &#91;a&#93;"));
        assert_eq!(markdown("a[\"k-1\"]"), "a&#91;\"k-1\"&#93;");
    }

    #[test]
    fn xml_is_well_formed_for_any_char() {
        assert_eq!(xml("a<b & \"c\"\u{1}\u{ffff}\n", false), "a&lt;b &amp; &quot;c&quot;\\u{1}\\u{ffff}\\u{a}");
        assert_eq!(xml("a\n\tb\r", true), "a&#10;&#9;b\\u{d}");
    }

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("a b#c?d%41/main.tf"), "a%20b%23c%3Fd%2541/main.tf");
        assert_eq!(uri_path("é/\n:x/../m_1~.tf"), "%C3%A9/%0A%3Ax/../m_1~.tf");
    }

    #[test]
    fn sarif_text_has_no_embedded_links() {
        assert_eq!(sarif_text("[x](http://e) \\[y]"), "\\[x\\](http://e) \\\\\\[y\\]");
    }

    #[test]
    fn workflow_commands_stay_on_one_line() {
        assert_eq!(workflow_data("50%\r\n::error::x"), "50%25\\u{d}%0A::error::x");
        assert_eq!(workflow_property("a:b,c\nd"), "a%3Ab%2Cc%0Ad");
    }
}
