//! Text edits that leave every other byte as it was, and the alignment `terraform fmt` gives
//! the lines they touch (its `=` and trailing-comment columns), so that a file `terraform fmt`
//! accepted before a fix still passes `terraform fmt -check` after it.

/// Replace `start..end` of a text with `text` (an insertion when the range is empty).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Edit {
    pub fn replace(start: usize, end: usize, text: impl Into<String>) -> Edit {
        Edit { start, end, text: text.into() }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit { start: at, end: at, text: text.into() }
    }

    pub fn overlaps(&self, other: &Edit) -> bool {
        self.start < other.end && other.start < self.end
            || (self.start == other.start && (self.start == self.end || other.start == other.end))
    }
}

/// Applies edits that do not overlap, then aligns the lines they touched as `terraform fmt`
/// would. Returns `None` when two edits overlap.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    for w in sorted.windows(2) {
        if w[0].end > w[1].start || (w[0].start, w[0].end) == (w[1].start, w[1].end) {
            return None;
        }
    }
    let mut out = String::with_capacity(text.len() + sorted.iter().map(|e| e.text.len()).sum::<usize>());
    let mut touched = Vec::new();
    let mut at = 0;
    for e in sorted {
        let (start, end) = (e.start.min(text.len()), e.end.min(text.len()));
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) || start < at {
            return None;
        }
        out.push_str(&text[at..start]);
        touched.push((out.len(), out.len() + e.text.len()));
        out.push_str(&e.text);
        at = end;
    }
    out.push_str(&text[at..]);
    Some(align(&out, &touched))
}

/// The `=` and trailing-comment columns `terraform fmt` gives the runs of lines that hold a
/// byte of `touched` (ranges of `text`); every other run is left as it is.
pub fn align(text: &str, touched: &[(usize, usize)]) -> String {
    let once = align_cells(text, touched, Cell::Assign);
    // Comment columns follow from where the `=` cells now end.
    align_cells(&once, touched, Cell::Comment)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Assign,
    Comment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Equal,
    Open,
    Close,
    /// A comment that ends its line (`#`, `//`).
    LineComment,
    /// `/* ... */`.
    BlockComment,
    Newline,
    Other,
}

/// A line as `terraform fmt` sees it (a heredoc or a block comment can make one span
/// several lines of text): where its cells start.
struct FormatLine {
    /// Byte range of the line, from its first to its last byte.
    start: usize,
    end: usize,
    /// End of the last token before the `=`, and the `=`'s offset.
    assign: Option<(usize, usize)>,
    /// End of the last token before the comment, and the comment's offset.
    comment: Option<(usize, usize)>,
    /// Offset of the line's first token: columns count from the start of its text line.
    line_start: usize,
}

fn align_cells(text: &str, touched: &[(usize, usize)], cell: Cell) -> String {
    let lines = format_lines(text);
    let is_touched = |l: &FormatLine| touched.iter().any(|&(s, e)| s < l.end && l.start < e);
    let columns = |from: usize, to: usize| text[from..to].chars().count();
    let cell_of = |l: &FormatLine| match cell {
        Cell::Assign => l.assign,
        Cell::Comment => l.comment,
    };
    // (whitespace range to replace, spaces wanted)
    let mut changes: Vec<(usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if cell_of(&lines[i]).is_none() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < lines.len() && cell_of(&lines[j]).is_some() {
            j += 1;
        }
        let chain = &lines[i..j];
        if chain.iter().any(is_touched) {
            let width = chain
                .iter()
                .filter_map(|l| cell_of(l).map(|(lead_end, _)| columns(l.line_start, lead_end)))
                .max()
                .unwrap_or(0);
            for l in chain {
                if let Some((lead_end, at)) = cell_of(l) {
                    changes.push((lead_end, at, width - columns(l.line_start, lead_end) + 1));
                }
            }
        }
        i = j;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (from, to, spaces) in changes {
        out.push_str(&text[at..from]);
        out.extend(std::iter::repeat_n(' ', spaces));
        at = to;
    }
    out.push_str(&text[at..]);
    out
}

/// Splits a text into `terraform fmt`'s lines and finds their cells.
fn format_lines(text: &str) -> Vec<FormatLine> {
    let toks = tokens(text);
    let mut lines = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let first = i;
        while i < toks.len() && !matches!(toks[i].0, Tok::Newline | Tok::LineComment) {
            i += 1;
        }
        // A line comment ends its line and belongs to it.
        let last = if i < toks.len() && toks[i].0 == Tok::LineComment { i + 1 } else { i };
        let line: &[(Tok, usize, usize)] = &toks[first..last];
        i = if i < toks.len() { i + 1 } else { i };
        let Some(&(_, start, _)) = line.first() else {
            // A blank line: no cell, so it ends every run.
            lines.push(FormatLine { start: 0, end: 0, assign: None, comment: None, line_start: 0 });
            continue;
        };
        let end = line.last().map_or(start, |t| t.2);
        let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
        let mut lead = line;
        let mut comment = None;
        if line.len() > 1 && matches!(line[line.len() - 1].0, Tok::LineComment | Tok::BlockComment) {
            comment = Some((line[line.len() - 2].2, line[line.len() - 1].1));
            lead = &line[..line.len() - 1];
        }
        let mut assign = None;
        if let Some(eq) = lead.iter().skip(1).position(|t| t.0 == Tok::Equal).map(|p| p + 1) {
            let net: i32 = lead[eq..]
                .iter()
                .map(|t| match t.0 {
                    Tok::Open => 1,
                    Tok::Close => -1,
                    _ => 0,
                })
                .sum();
            if net == 0 {
                assign = Some((lead[eq - 1].2, lead[eq].1));
            }
        }
        lines.push(FormatLine { start, end, assign, comment, line_start });
    }
    lines
}

/// The tokens that decide `terraform fmt`'s cells: brackets, `=`, comments and newlines;
/// everything else is `Other` (strings and heredocs whole).
fn tokens(text: &str) -> Vec<(Tok, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let tok = match b[i] {
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'\n' => {
                i += 1;
                Tok::Newline
            }
            b'#' => {
                i = line_end(b, i);
                Tok::LineComment
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i);
                Tok::LineComment
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find(b, i + 2, b"*/").map_or(b.len(), |e| e + 2);
                Tok::BlockComment
            }
            b'"' => {
                i = string_end(b, i + 1);
                Tok::Other
            }
            b'<' if b.get(i + 1) == Some(&b'<') && heredoc_marker(b, i).is_some() => {
                i = heredoc_end(b, i);
                Tok::Other
            }
            b'=' | b'!' | b'<' | b'>' if b.get(i + 1) == Some(&b'=') => {
                i += 2;
                Tok::Other
            }
            b'=' if b.get(i + 1) == Some(&b'>') => {
                i += 2;
                Tok::Other
            }
            b'=' => {
                i += 1;
                Tok::Equal
            }
            b'{' | b'[' | b'(' => {
                i += 1;
                Tok::Open
            }
            b'}' | b']' | b')' => {
                i += 1;
                Tok::Close
            }
            _ => {
                i += 1;
                while i < b.len() && !b" \t\r\n#\"=!<>{}[]()/,:?".contains(&b[i]) {
                    i += 1;
                }
                Tok::Other
            }
        };
        out.push((tok, start, i));
    }
    out
}

/// Where a line comment ends: after its newline (as in HCL's scanner).
fn line_end(b: &[u8], from: usize) -> usize {
    b[from..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| from + n + 1)
}

fn find(b: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(what.len()).position(|w| w == what).map(|n| from + n)
}

/// The end of a quoted string that starts before `from` (its interpolations may hold strings).
fn string_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            b'$' | b'%' if b.get(i + 1) == Some(&b[i]) && b.get(i + 2) == Some(&b'{') => i += 3,
            b'$' | b'%' if b.get(i + 1) == Some(&b'{') => i = interp_end(b, i + 2),
            _ => i += 1,
        }
    }
    b.len()
}

/// The end of `${ ... }` whose body starts at `i`.
fn interp_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 1;
    while i < b.len() {
        match b[i] {
            b'"' => i = string_end(b, i + 1),
            b'{' => {
                depth += 1;
                i += 1
            }
            b'}' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return i;
                }
            }
            b'\n' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

/// `<<EOT` or `<<-EOT` followed by a newline: the marker.
fn heredoc_marker(b: &[u8], at: usize) -> Option<&[u8]> {
    let mut i = at + 2;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let s = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-') {
        i += 1;
    }
    let r = if b.get(i) == Some(&b'\r') { i + 1 } else { i };
    (i > s && b.get(r) == Some(&b'\n')).then(|| &b[s..i])
}

/// The end of a heredoc: after its closing marker (the newline after it is the line's end).
fn heredoc_end(b: &[u8], at: usize) -> usize {
    let Some(marker) = heredoc_marker(b, at) else { return at + 2 };
    let mut i = line_end(b, at);
    while i < b.len() {
        let e = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| i + n);
        let line = &b[i..e];
        let trimmed = line.trim_ascii();
        if trimmed == marker {
            return i + (line.len() - line.trim_ascii_start().len()) + marker.len();
        }
        i = e + 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert_after(text: &str, after: &str, line: &str) -> String {
        let at = text.find(after).unwrap() + after.len();
        apply(text, &[Edit::insert(at, line)]).unwrap()
    }

    #[test]
    fn an_inserted_attribute_realigns_its_run_and_nothing_else() {
        let before = "resource \"a\" \"b\" {\n  name = \"x\"\n  tags = {}\n\n  other = 1\n}\n";
        let after = insert_after(before, "tags = {}\n", "  encryption_type = \"KMS\"\n");
        assert_eq!(
            after,
            "resource \"a\" \"b\" {\n  name            = \"x\"\n  tags            = {}\n  encryption_type = \"KMS\"\n\n  other = 1\n}\n"
        );
    }

    #[test]
    fn a_shorter_value_moves_the_comments_of_its_run() {
        let text = "a   = \"AES256\" # one\nbcd = 1        # two\n";
        let start = text.find("\"AES256\"").unwrap();
        let out = apply(text, &[Edit::replace(start, start + 8, "\"KMS\"")]).unwrap();
        assert_eq!(out, "a   = \"KMS\" # one\nbcd = 1     # two\n");
    }

    #[test]
    fn heredocs_strings_and_brackets_are_read_as_terraform_fmt_reads_them() {
        let text = "a = 1\nbcd = <<EOT\nx = 1\nEOT\ne = \"=\"\nyy = [1,\n2]\nk = { a = 1 }\n";
        let lines = format_lines(text);
        let assigns: Vec<bool> = lines.iter().map(|l| l.assign.is_some()).collect();
        // a, bcd (with its heredoc), e, yy (opens a bracket), 2] , k
        assert_eq!(assigns, [true, true, true, false, false, true]);
    }

    #[test]
    fn overlapping_edits_are_refused() {
        assert!(apply("abcdef", &[Edit::replace(1, 3, "x"), Edit::replace(2, 4, "y")]).is_none());
        assert!(apply("abcdef", &[Edit::insert(2, "x"), Edit::insert(2, "y")]).is_none());
        assert_eq!(apply("abcdef", &[Edit::replace(1, 2, "X"), Edit::insert(4, "Y")]).unwrap(), "aXcdYef");
    }
}
