//! Recursive-descent parser for HCL native syntax (`.tf`, `.tfvars`, rule files).
//!
//! Written for tfcheck rather than taken from hcl-edit because real configurations that
//! Terraform accepts must load (hcl-edit 0.10 rejects some, e.g. a conditional whose `?`
//! starts a new line inside a `for` expression, or a repeated object key), because hostile
//! input (nesting 100,000 deep) must end in a diagnostic rather than a stack overflow, and
//! because a syntax error should not hide the rest of the file: parsing resumes at the next
//! top-level block.
//!
//! Newlines follow HCL's rules: they end attributes and object items, and are ignored inside
//! `(...)`, `[...]`, `${...}` and `for` expressions.

use std::sync::{Arc, OnceLock};

use super::ast::*;
use unicode_normalization::UnicodeNormalization;

use crate::syntax::source::{FileId, Span};

mod expr;
mod template;

/// Deepest nesting of blocks, brackets and operators accepted; beyond it is a syntax error.
pub const MAX_NESTING: usize = 200;

type PResult<T> = Result<T, SyntaxError>;

/// Parses a whole file. Never fails: errors are collected in [`File::errors`].
pub fn parse_file(src: &str, file: FileId) -> File {
    let mut p = Parser::new(src, file);
    let mut body = Body::default();
    let mut errors = Vec::new();
    loop {
        match p.parse_body_items(&mut body, true) {
            Ok(()) => break,
            Err(e) => {
                errors.push(e);
                if !p.recover_to_top_level() {
                    break;
                }
            }
        }
    }
    body.shrink();
    File { body, comments: std::mem::take(&mut p.comments), errors }
}

/// What a deferred body keeps readable without parsing it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Keep {
    /// These attributes, parsed.
    pub attributes: &'static [&'static str],
    /// The names and spans of all attributes.
    pub names: bool,
}

/// Defers the bodies of the file's top-level blocks (see [`BlockBody`]) for which `keep` says
/// what to keep, when the file parsed without an error.
pub fn defer_bodies(file: &mut File, text: &Arc<str>, keep: fn(&str) -> Option<Keep>) {
    if !file.errors.is_empty() {
        return;
    }
    for b in &mut file.body.blocks {
        let Some(keep) = keep(&b.ty) else { continue };
        let kept = b.body.attributes.iter().filter(|a| keep.attributes.contains(&a.name.as_str())).cloned().collect();
        let names = keep.names.then(|| b.body.attributes.iter().map(|a| (a.name.clone(), a.span)).collect());
        b.body = BlockBody::Deferred(Arc::new(Deferred {
            text: text.clone(),
            file: b.span.file,
            start: b.span.start,
            kept,
            names,
            reparse: reparse_block,
            parsed: OnceLock::new(),
        }));
    }
}

/// The body of the top-level block that starts at byte `start` of `src`, parsed again.
fn reparse_block(src: &str, file: FileId, start: usize) -> Option<Body> {
    let mut p = Parser::new(src, file);
    p.pos = start;
    let (name, name_span) = p.ident()?;
    p.skip_space(false);
    let block = p.parse_block(name, name_span, start).ok()?;
    Some(block.body.into_body())
}

/// Parses a standalone expression (a `--var` value, a rule's `at`).
pub fn parse_expression(src: &str, file: FileId) -> PResult<Expr> {
    let mut p = Parser::new(src, file);
    p.nl_significant = false;
    let e = p.parse_expr()?;
    p.ws();
    if p.pos < p.b.len() {
        return Err(p.err_here("unexpected text after the expression"));
    }
    Ok(e)
}

/// Parses a template file (for `templatefile`): the whole text is a template.
pub fn parse_template(src: &str, file: FileId) -> PResult<Expr> {
    let mut p = Parser::new(src, file);
    let start = p.pos;
    let parts = p.template_parts(TemplateMode::Raw { end: src.len() }, false)?;
    Ok(Expr::template(parts, p.span(start)))
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    file: FileId,
    comments: Vec<Comment>,
    depth: usize,
    nl_significant: bool,
}

#[derive(Clone, Copy)]
struct Mark {
    pos: usize,
    comments: usize,
}

#[derive(Clone, Copy)]
enum TemplateMode {
    Quoted,
    /// A heredoc body or template file, ending at byte `end`.
    Raw {
        end: usize,
    },
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, file: FileId) -> Parser<'a> {
        let mut pos = 0;
        if src.starts_with('\u{feff}') {
            pos = 3;
        }
        Parser { src, b: src.as_bytes(), pos, file, comments: Vec::new(), depth: 0, nl_significant: true }
    }

    fn span(&self, start: usize) -> Span {
        Span::new(self.file, start, self.pos)
    }

    fn err_at(&self, start: usize, end: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError { span: Span::new(self.file, start, end.max(start)), message: message.into() }
    }

    fn err_here(&self, message: impl Into<String>) -> SyntaxError {
        let end = self.src[self.pos..].chars().next().map(|c| self.pos + c.len_utf8()).unwrap_or(self.pos);
        let found = match self.peek_char() {
            None => "end of file".to_string(),
            Some('\n') => "newline".to_string(),
            Some(c) => format!("`{c}`"),
        };
        self.err_at(self.pos, end, format!("{}, found {found}", message.into()))
    }

    /// Where the parser is, to come back to after looking ahead.
    fn mark(&self) -> Mark {
        Mark { pos: self.pos, comments: self.comments.len() }
    }

    /// Back to `m`, forgetting the comments skipped since (they are read again).
    fn rewind(&mut self, m: Mark) {
        self.pos = m.pos;
        self.comments.truncate(m.comments);
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.err_at(self.pos, self.pos + 1, format!("nesting deeper than {MAX_NESTING} levels")));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.b.get(self.pos + n).copied()
    }

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.b[self.pos..].starts_with(s.as_bytes())
    }

    /// Skips blanks and comments, and newlines unless they are significant here.
    fn ws(&mut self) {
        self.skip_space(!self.nl_significant);
    }

    /// Skips blanks, comments and newlines.
    fn ws_nl(&mut self) {
        self.skip_space(true);
    }

    fn skip_space(&mut self, newlines: bool) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' if newlines => self.pos += 1,
                b'#' => self.line_comment(1),
                b'/' if self.peek_at(1) == Some(b'/') => self.line_comment(2),
                b'/' if self.peek_at(1) == Some(b'*') => {
                    let start = self.pos;
                    let body = start + 2;
                    // An unclosed comment runs to the end of the file (whose last two bytes
                    // may be inside a character, so the text is not cut at `end - 2`).
                    let (text_end, end) = match self.src[body..].find("*/") {
                        Some(i) => (body + i, body + i + 2),
                        None => (self.b.len(), self.b.len()),
                    };
                    self.keep_comment(start, end, &self.src[body..text_end]);
                    self.pos = end;
                }
                _ => break,
            }
        }
    }

    fn line_comment(&mut self, marker: usize) {
        let start = self.pos;
        let end = self.src[self.pos..].find('\n').map(|i| self.pos + i).unwrap_or(self.b.len());
        self.keep_comment(start, end, &self.src[start + marker..end]);
        self.pos = end;
    }

    /// Keeps the comments that may suppress findings; the others only cost memory.
    fn keep_comment(&mut self, start: usize, end: usize, text: &str) {
        if text.contains(":ignore:") || text.contains("checkov:skip") {
            self.comments.push(Comment { span: Span::new(self.file, start, end), text: text.to_string() });
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> PResult<()> {
        if self.eat(c) { Ok(()) } else { Err(self.err_here(format!("expected {what}"))) }
    }

    fn ident(&mut self) -> Option<(String, Span)> {
        let start = self.pos;
        let mut chars = self.src[self.pos..].char_indices();
        match chars.next() {
            Some((_, c)) if is_ident_start(c) => {}
            _ => return None,
        }
        let mut end = self.b.len();
        for (i, c) in chars {
            if !is_ident_continue(c) {
                end = start + i;
                break;
            }
        }
        self.pos = end;
        Some((self.src[start..end].to_string(), Span::new(self.file, start, end)))
    }

    // ---- bodies --------------------------------------------------------------------------

    /// Parses attributes and blocks until `}` (nested) or end of file (top level).
    fn parse_body_items(&mut self, body: &mut Body, top: bool) -> PResult<()> {
        loop {
            self.ws_nl();
            match self.peek() {
                None if top => return Ok(()),
                None => return Err(self.err_here("expected `}` to close the block")),
                Some(b'}') if !top => return Ok(()),
                _ => {}
            }
            let item_start = self.pos;
            let Some((name, name_span)) = self.ident() else {
                return Err(self.err_here("expected an attribute or block name"));
            };
            self.skip_space(false);
            if self.at_assignment() {
                body.attributes.push(self.attribute_value(name, name_span, item_start)?);
                self.end_of_item(top)?;
            } else {
                let block = self.parse_block(name, name_span, item_start)?;
                body.blocks.push(block);
                self.end_of_item(top)?;
            }
        }
    }

    /// At the `=` of an attribute (not `==`).
    fn at_assignment(&self) -> bool {
        self.peek() == Some(b'=') && self.peek_at(1) != Some(b'=')
    }

    /// The rest of an attribute after its name, from the `=`.
    fn attribute_value(&mut self, name: String, name_span: Span, item_start: usize) -> PResult<Attribute> {
        self.pos += 1;
        self.nl_significant = true;
        self.ws();
        let expr = self.parse_expr()?;
        Ok(Attribute { name: name.into(), name_span, expr, span: self.span(item_start) })
    }

    /// After an attribute or block: a newline or the end of the file. (`}` on the same line
    /// is only for a block written on one line, which [`Self::single_line_body`] reads.)
    fn end_of_item(&mut self, _top: bool) -> PResult<()> {
        self.skip_space(false);
        match self.peek() {
            Some(b'\n' | b'\r') | None => Ok(()),
            _ => Err(self.err_here("expected a newline after the attribute or block")),
        }
    }

    /// A block opened and given its argument on one line, `name { key = value }`: HCL allows
    /// one argument, no nested block, and the `}` on the same line.
    fn single_line_body(&mut self, body: &mut Body) -> PResult<()> {
        let item_start = self.pos;
        let Some((name, name_span)) = self.ident() else {
            return Err(self.err_here("expected an argument name or `}`"));
        };
        self.skip_space(false);
        if !self.at_assignment() {
            return Err(SyntaxError {
                span: name_span,
                message: "a block written on one line can hold one argument, not a nested block: put the nested block on a line of its own".into(),
            });
        }
        body.attributes.push(self.attribute_value(name, name_span, item_start)?);
        self.skip_space(false);
        match self.peek() {
            Some(b'}') => Ok(()),
            Some(b',') => Err(self.err_here("a block written on one line can hold only one argument")),
            Some(b'\n' | b'\r') => {
                Err(self
                    .err_here("a block given an argument on the line that opens it must be closed on that line too"))
            }
            _ => Err(self.err_here("expected `}` to close the block on this line")),
        }
    }

    fn parse_block(&mut self, ty: String, ty_span: Span, start: usize) -> PResult<Block> {
        let mut labels = Vec::new();
        let mut label_spans = Vec::new();
        loop {
            self.skip_space(false);
            match self.peek() {
                Some(b'"') => {
                    let lstart = self.pos;
                    let e = self.parse_quoted()?;
                    let Some(s) = e.as_literal_str() else {
                        return Err(self.err_at(lstart, self.pos, "block labels cannot contain interpolations"));
                    };
                    labels.push(s.to_string().into());
                    label_spans.push(e.span);
                }
                Some(b'{') => break,
                _ => {
                    if let Some((l, s)) = self.ident() {
                        labels.push(l.into());
                        label_spans.push(s);
                    } else {
                        return Err(self.err_here("expected `=`, a block label or `{`"));
                    }
                }
            }
        }
        let open = self.pos;
        self.pos += 1;
        let header_span = Span::new(self.file, start, self.pos);
        self.enter()?;
        let mut body = Body::default();
        let saved = self.nl_significant;
        self.skip_space(false);
        let one_line = !matches!(self.peek(), Some(b'\n' | b'\r' | b'}') | None);
        let r = if one_line { self.single_line_body(&mut body) } else { self.parse_body_items(&mut body, false) };
        self.nl_significant = saved;
        self.leave();
        if let Err(e) = r {
            if self.pos >= self.b.len() {
                return Err(self.err_at(
                    open,
                    open + 1,
                    format!("unclosed `{{`: this block is never closed ({})", e.message),
                ));
            }
            return Err(e);
        }
        self.pos += 1; // '}'
        body.shrink();
        Ok(Block {
            ty: ty.into(),
            ty_span,
            labels,
            label_spans,
            body: body.into(),
            span: self.span(start),
            header_span,
        })
    }

    /// After an error: skips to the next line that starts a top-level item (an identifier in
    /// column 1). Returns false at end of file.
    fn recover_to_top_level(&mut self) -> bool {
        loop {
            match self.src[self.pos..].find('\n') {
                None => {
                    self.pos = self.b.len();
                    return false;
                }
                Some(i) => self.pos += i + 1,
            }
            if self.peek_char().is_some_and(is_ident_start) {
                self.depth = 0;
                self.nl_significant = true;
                return true;
            }
        }
    }

    // ---- expressions ---------------------------------------------------------------------
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> File {
        let f = parse_file(src, FileId(0));
        assert!(f.errors.is_empty(), "unexpected errors: {:?}", f.errors);
        f
    }

    fn expr(src: &str) -> Expr {
        parse_expression(src, FileId(0)).unwrap_or_else(|e| panic!("{src}: {}", e.message))
    }

    /// The literal text of a string, or of a template's literal parts.
    fn text(e: &ExprKind) -> String {
        match e {
            ExprKind::Str(s) => s.to_string(),
            ExprKind::Template(p) => lit(p),
            other => panic!("not a string: {other:?}"),
        }
    }

    fn lit(parts: &[TemplatePart]) -> String {
        parts
            .iter()
            .map(|p| match p {
                TemplatePart::Literal(s) => s.clone(),
                _ => "<x>".into(),
            })
            .collect()
    }

    #[test]
    fn attributes_and_blocks() {
        let f = parse(
            "a = 1\nresource \"aws_ecr_repository\" \"r\" {\n  name = \"x\"\n  encryption_configuration {\n    encryption_type = \"KMS\"\n  }\n}\n",
        );
        assert_eq!(f.body.attributes.len(), 1);
        let b = &f.body.blocks[0];
        assert_eq!(b.labels, vec!["aws_ecr_repository", "r"]);
        assert_eq!(b.body.blocks[0].ty, "encryption_configuration");
        assert_eq!(b.body.attribute("name").unwrap().expr.as_literal_str(), Some("x"));
    }

    #[test]
    fn single_line_block_and_empty_block() {
        let f = parse("a { b = 1 }\nc {}\nd \"x\" {\n}\n");
        assert_eq!(f.body.blocks.len(), 3);
    }

    #[test]
    fn conditional_on_new_line_inside_for() {
        // hcl-edit 0.10 rejects this; Terraform accepts it.
        let src =
            "users = {\n  for k, v in var.users : k =>\n  local.is_mysql\n  ? { name = k }\n  : { name = v }\n}\n";
        let f = parse(src);
        assert!(matches!(f.body.attributes[0].expr.kind, ExprKind::For(_)));
    }

    #[test]
    fn repeated_object_keys_parse() {
        parse("tags = {\n  a = 1\n  a = 2\n}\n");
    }

    #[test]
    fn newline_ends_object_item_but_not_inside_parens() {
        parse("x = {\n  a = (true\n  ? 1\n  : 2)\n  b = [\n    1,\n    2\n  ]\n}\n");
        let f = parse_file("x = {\n  a = true\n  ? 1 : 2\n}\n", FileId(0));
        assert!(!f.errors.is_empty());
    }

    #[test]
    fn operators_have_hcl_precedence() {
        let e = expr("1 + 2 * 3 == 7 && !false || a");
        let ExprKind::Binary(BinaryOp::Or, l, _) = &e.kind else { panic!("{e:?}") };
        let ExprKind::Binary(BinaryOp::And, l, _) = &l.kind else { panic!() };
        let ExprKind::Binary(BinaryOp::Eq, l, _) = &l.kind else { panic!() };
        assert!(matches!(&l.kind, ExprKind::Binary(BinaryOp::Add, _, _)));
    }

    /// An expression of variables and binary operators, with its grouping made explicit.
    fn grouped(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Variable(v) => v.as_str().to_string(),
            ExprKind::Binary(op, l, r) => format!("({} {op:?} {})", grouped(l), grouped(r)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn operators_group_by_precedence_then_from_the_left() {
        for (src, want) in [
            ("a - b - c", "((a Sub b) Sub c)"),
            ("a * b + c * d", "((a Mul b) Add (c Mul d))"),
            ("a / b % c * d", "(((a Div b) Mod c) Mul d)"),
            ("a || b && c || d", "((a Or (b And c)) Or d)"),
            ("a < b == c >= d", "((a Lt b) Eq (c Ge d))"),
            ("a + b < c * d - e", "((a Add b) Lt ((c Mul d) Sub e))"),
            ("a == b != c", "((a Eq b) Ne c)"),
            ("a * b * c + d", "(((a Mul b) Mul c) Add d)"),
        ] {
            assert_eq!(grouped(&expr(src)), want, "{src}");
        }
    }

    #[test]
    fn an_operator_chain_is_bounded_per_precedence_level() {
        let limit = MAX_NESTING * 5;
        let chain = |n: usize, op: &str| vec!["a"; n + 1].join(op);
        assert!(parse_file(&format!("x = {}\n", chain(limit - 10, " + ")), FileId(0)).errors.is_empty());
        let f = parse_file(&format!("x = {}\n", chain(limit + 1, " + ")), FileId(0));
        assert!(f.errors.iter().any(|e| e.message == "operator chain too long"), "{:?}", f.errors);
        // Levels count apart: as many `+` and `*` as the limit allows each.
        let mixed = vec![chain(3, " * "); limit / 2].join(" + ");
        assert!(parse_file(&format!("x = {mixed}\n"), FileId(0)).errors.is_empty());
    }

    #[test]
    fn traversals_splats_and_calls() {
        assert!(matches!(expr("aws_kms_key.k[0].arn").kind, ExprKind::GetAttr(_, _)));
        assert!(matches!(expr("var.list[*].id").kind, ExprKind::Splat(_, _)));
        assert!(matches!(expr("var.list.*.id").kind, ExprKind::Splat(_, _)));
        assert!(matches!(expr("a.0.b").kind, ExprKind::GetAttr(_, _)));
        let ExprKind::Call(c) = expr("provider::aws::arn_parse(x)").kind else { panic!() };
        assert_eq!(c.name, "provider::aws::arn_parse");
        let ExprKind::Call(c) = expr("concat(a, b...)").kind else { panic!() };
        assert!(c.expand_final);
        assert!(matches!(expr("-1").kind, ExprKind::Number(n) if n == -1.0));
        assert!(matches!(expr("- a").kind, ExprKind::Unary(UnaryOp::Neg, _)));
        assert!(matches!(expr("1.5e3").kind, ExprKind::Number(n) if n == 1500.0));
    }

    #[test]
    fn for_expressions() {
        let ExprKind::For(f) = expr("{ for k, v in var.m : k => v... if v != null }").kind else { panic!() };
        assert!(f.grouping && f.cond.is_some() && f.key.is_some());
        let ExprKind::For(f) = expr("[for s in var.l : upper(s)]").kind else { panic!() };
        assert!(f.key.is_none() && f.key_var.is_none());
    }

    #[test]
    fn plain_text_runs_keep_every_character() {
        assert_eq!(text(&expr(r#""a$b%c é ñ $${x} 100%""#).kind), "a$b%c é ñ ${x} 100%");
        let f = parse("x = <<EOT\nsay \"hi\" \\ $ % é\nEOT\n");
        let a = &f.body.attributes[0];
        assert_eq!(text(&a.expr.kind), "say \"hi\" \\ $ % é\n");
    }

    #[test]
    fn templates_escapes_and_directives() {
        assert_eq!(text(&expr(r#""a\"b\n$${x}%%{y}""#).kind), "a\"b\n${x}%{y}");
        let ExprKind::Template(p) = expr(r#""x ${~ a ~} y""#).kind else { panic!() };
        assert_eq!(lit(&p), "x<x>y");
        let ExprKind::Template(p) = expr(r#""%{ if a }yes%{ else }no%{ endif }""#).kind else { panic!() };
        assert!(
            matches!(&p[0], TemplatePart::If { then, otherwise, .. } if lit(then) == "yes" && lit(otherwise) == "no")
        );
        let ExprKind::Template(p) = expr(r#""%{ for k, v in m }${k}=${v},%{ endfor }""#).kind else { panic!() };
        assert!(matches!(&p[0], TemplatePart::For { key_var: Some(_), .. }));
        assert!(parse_expression(r#""%{ if a }x""#, FileId(0)).is_err());
    }

    #[test]
    fn heredocs() {
        let f = parse("a = <<EOT\n  hello ${x}\n  world\nEOT\nb = <<-EOT\n    one\n      two\n    EOT\n");
        let ExprKind::Template(p) = &f.body.attributes[0].expr.kind else { panic!() };
        assert_eq!(lit(p), "  hello <x>\n  world\n");
        assert_eq!(text(&f.body.attributes[1].expr.kind), "one\n  two\n");
        assert_eq!(f.body.attributes.len(), 2);
    }

    #[test]
    fn flush_heredocs_count_indentation_in_characters() {
        // Two spaces and an em space (three characters, five bytes) against four spaces:
        // Terraform removes three characters from each line. Counting bytes cut the em space
        // in two (a panic).
        let f = parse("a = <<-EOT\n  \u{2003}x\n    y\nEOT\n");
        assert_eq!(text(&f.body.attributes[0].expr.kind), "x\n y\n");
        // As in HCL's specification suite: four spaces and two em spaces against four spaces.
        let f = parse("a = <<-EOT\n    \u{2003}\u{2003}Foo\n    Bar\n  EOT\n");
        assert_eq!(text(&f.body.attributes[0].expr.kind), "\u{2003}\u{2003}Foo\nBar\n");
    }

    #[test]
    fn heredoc_marker_may_have_surrounding_blanks() {
        // Terraform accepts `POLICY  ` (trailing blanks) as the closing marker.
        let f = parse("a = <<POLICY\n{}\n  POLICY  \nb = 1\n");
        assert_eq!(f.body.attributes.len(), 2);
    }

    #[test]
    fn heredoc_marker_must_stand_alone() {
        // `EOF"` does not close the heredoc: only a line holding just the marker does.
        let f = parse("a = <<EOF\nx << EOF\nEOF\"\nEOF\nb = 1\n");
        assert_eq!(text(&f.body.attributes[0].expr.kind), "x << EOF\nEOF\"\n");
    }

    #[test]
    fn errors_are_located_and_parsing_recovers() {
        let f =
            parse_file("a = \nresource \"x\" \"y\" {\n  b = [1,\n}\nresource \"x\" \"z\" {\n  c = 1\n}\n", FileId(0));
        assert!(!f.errors.is_empty());
        assert!(f.body.blocks.iter().any(|b| b.labels.get(1).map(|l| l.as_str()) == Some("z")));
    }

    #[test]
    fn unclosed_block_points_at_its_brace() {
        let src = "resource \"x\" \"y\" {\n  a = 1\n";
        let f = parse_file(src, FileId(0));
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].span.start as usize, src.find('{').unwrap());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("a = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let f = parse_file(&src, FileId(0));
        assert!(f.errors[0].message.contains("nesting"));
        let src = format!("a = {}true\n", "!".repeat(100_000));
        assert!(!parse_file(&src, FileId(0)).errors.is_empty());
        let src = format!("a = 1{}\n", " + 1".repeat(100_000));
        assert!(!parse_file(&src, FileId(0)).errors.is_empty());
        let src = format!("{}\n", "a {\n".repeat(100_000));
        assert!(!parse_file(&src, FileId(0)).errors.is_empty());
    }

    #[test]
    fn suppression_comments_are_kept() {
        let f = parse(
            "# tfcheck:ignore:ecr_nocmk\n# plain\nresource \"a\" \"b\" { // tfsec:ignore:x\n  /* checkov:skip=CKV_1 */ x = 1\n}\n",
        );
        let texts: Vec<_> = f.comments.iter().map(|c| c.text.trim().to_string()).collect();
        assert_eq!(texts, vec!["tfcheck:ignore:ecr_nocmk", "tfsec:ignore:x", "checkov:skip=CKV_1"]);
    }

    #[test]
    fn identifiers_may_contain_dashes() {
        let f = parse("tags = {\n  source-code = \"x\"\n}\n");
        let ExprKind::Object(items) = &f.body.attributes[0].expr.kind else { panic!() };
        assert!(matches!(&items[0].key, ObjectKey::Ident(k, _) if k == "source-code"));
    }

    #[test]
    fn deferred_bodies_keep_what_was_asked_and_parse_on_first_use() {
        let text: Arc<str> = "\u{feff}resource \"a\" \"b\" {\n  count = 2\n  x = <<-EOT\n    y\n  EOT\n  n {\n    z = 1 # tfcheck:ignore:r\n  }\n}\nlocals {\n  l = 1\n}\nmodule \"m\" { source = \"./m\" }\n".into();
        let mut file = parse_file(&text, FileId(3));
        let plain = format!("{:?}", file.body);
        defer_bodies(&mut file, &text, |ty| {
            (ty != "locals").then_some(Keep { attributes: &["count", "source"], names: false })
        });
        let [res, locals, module] = &file.body.blocks[..] else { panic!("{:?}", file.body) };
        assert!(!res.body.is_parsed() && locals.body.is_parsed() && !module.body.is_parsed());
        assert_eq!(res.body.kept("count").map(|a| a.span), Some(Span::new(FileId(3), 24, 33)));
        assert!(res.body.kept("x").is_none(), "not kept: unknown until parsed");
        assert_eq!(module.body.kept("source").and_then(|a| a.expr.as_literal_str()), Some("./m"));
        assert!(!res.body.is_parsed(), "reading kept attributes parses nothing");
        assert_eq!(res.body.attribute("x").and_then(|a| a.expr.as_literal_str()), Some("y\n"));
        assert!(res.body.is_parsed() && !module.body.is_parsed());
        assert_eq!(format!("{:?}", file.body), plain, "the same tree, deferred or not");
        assert_eq!(file.comments.len(), 1, "comments are collected once: {:?}", file.comments);
        let mut changed = file.body.blocks[2].clone();
        changed.body.make_mut().attributes.clear();
        assert!(changed.body.attributes.is_empty() && file.body.blocks[2].body.attributes.len() == 1);
    }

    #[test]
    fn a_file_with_an_error_defers_nothing() {
        let text: Arc<str> = "resource \"a\" \"b\" {\n  x = 1\n}\nbroken {\n".into();
        let mut file = parse_file(&text, FileId(0));
        assert_eq!(file.errors.len(), 1);
        defer_bodies(&mut file, &text, |_| Some(Keep::default()));
        assert!(file.body.blocks[0].body.is_parsed());
    }
}
