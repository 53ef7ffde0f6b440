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

use std::sync::Arc;

use super::ast::*;
use unicode_normalization::UnicodeNormalization;

use crate::syntax::source::{FileId, Span};

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
    File { body, comments: std::mem::take(&mut p.comments), errors }
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
        Ok(Attribute { name, name_span, expr, span: self.span(item_start) })
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
                    labels.push(s.to_string());
                    label_spans.push(e.span);
                }
                Some(b'{') => break,
                _ => {
                    if let Some((l, s)) = self.ident() {
                        labels.push(l);
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
        Ok(Block { ty, ty_span, labels, label_spans, body: Arc::new(body), span: self.span(start), header_span })
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

    fn parse_expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = self.parse_conditional();
        self.leave();
        r
    }

    fn parse_conditional(&mut self) -> PResult<Expr> {
        let cond = self.parse_binary(0)?;
        self.ws();
        if self.peek() != Some(b'?') {
            return Ok(cond);
        }
        self.pos += 1;
        self.ws();
        let then = self.parse_expr()?;
        self.ws();
        self.expect(b':', "`:` in the conditional expression")?;
        self.ws();
        let otherwise = self.parse_expr()?;
        let span = cond.span.to(otherwise.span);
        Ok(Expr::new(ExprKind::Conditional(Box::new(cond), Box::new(then), Box::new(otherwise)), span))
    }

    fn peek_binary_op(&self, level: usize) -> Option<(BinaryOp, usize)> {
        let c = self.peek()?;
        let n = self.peek_at(1);
        let op = match (level, c, n) {
            (0, b'|', Some(b'|')) => (BinaryOp::Or, 2),
            (1, b'&', Some(b'&')) => (BinaryOp::And, 2),
            (2, b'=', Some(b'=')) => (BinaryOp::Eq, 2),
            (2, b'!', Some(b'=')) => (BinaryOp::Ne, 2),
            (3, b'<', Some(b'=')) => (BinaryOp::Le, 2),
            (3, b'>', Some(b'=')) => (BinaryOp::Ge, 2),
            (3, b'<', _) => (BinaryOp::Lt, 1),
            (3, b'>', _) => (BinaryOp::Gt, 1),
            (4, b'+', _) => (BinaryOp::Add, 1),
            (4, b'-', _) => (BinaryOp::Sub, 1),
            (5, b'*', _) => (BinaryOp::Mul, 1),
            (5, b'/', Some(b'/' | b'*')) => return None,
            (5, b'/', _) => (BinaryOp::Div, 1),
            (5, b'%', _) => (BinaryOp::Mod, 1),
            _ => return None,
        };
        Some(op)
    }

    fn parse_binary(&mut self, level: usize) -> PResult<Expr> {
        if level == 6 {
            return self.parse_unary();
        }
        let mut left = self.parse_binary(level + 1)?;
        let mut chain = 0;
        loop {
            self.ws();
            let Some((op, len)) = self.peek_binary_op(level) else { break };
            self.pos += len;
            chain += 1;
            // Left-nested chains recurse in the evaluator: bound them like nesting.
            if chain + self.depth > MAX_NESTING * 5 {
                return Err(self.err_at(self.pos - len, self.pos, "operator chain too long"));
            }
            self.ws();
            let right = self.parse_binary(level + 1)?;
            let span = left.span.to(right.span);
            left = Expr::new(ExprKind::Binary(op, Box::new(left), Box::new(right)), span);
        }
        Ok(left)
    }

    fn parse_unary(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let op = match self.peek() {
            Some(b'!') => UnaryOp::Not,
            Some(b'-') if !self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => UnaryOp::Neg,
            _ => return self.parse_postfix(),
        };
        self.pos += 1;
        self.ws();
        self.enter()?;
        let inner = self.parse_unary();
        self.leave();
        let inner = inner?;
        let span = self.span(start);
        Ok(Expr::new(ExprKind::Unary(op, Box::new(inner)), span))
    }

    fn parse_postfix(&mut self) -> PResult<Expr> {
        let mut e = self.parse_primary()?;
        let mut steps = 0;
        loop {
            let save = self.pos;
            self.ws();
            steps += 1;
            if steps > MAX_NESTING * 5 {
                return Err(self.err_here("traversal too long"));
            }
            match self.peek() {
                Some(b'.') if self.peek_at(1) == Some(b'.') => {
                    // `...` expands an argument or groups a `for`: not a traversal.
                    self.pos = save;
                    return Ok(e);
                }
                Some(b'.') if self.peek_at(1) == Some(b'*') => {
                    self.pos += 2;
                    e = self.parse_splat(e, false)?;
                }
                Some(b'.') => {
                    self.pos += 1;
                    self.ws();
                    e = self.traversal_step_attr(e)?;
                }
                Some(b'[') => {
                    let open = self.pos;
                    self.pos += 1;
                    let saved = self.nl_significant;
                    self.nl_significant = false;
                    self.ws();
                    if self.peek() == Some(b'*') {
                        self.pos += 1;
                        self.ws();
                        let r = self.expect(b']', "`]` after `[*`");
                        self.nl_significant = saved;
                        r?;
                        e = self.parse_splat(e, true)?;
                        continue;
                    }
                    let idx = self.parse_expr();
                    let idx = idx.and_then(|idx| {
                        self.ws();
                        self.expect(b']', "`]` to close the index")?;
                        Ok(idx)
                    });
                    self.nl_significant = saved;
                    let idx = idx?;
                    let span = e.span.to(self.span(open));
                    e = Expr::new(ExprKind::Index(Box::new(e), Box::new(idx)), span);
                }
                _ => {
                    self.pos = save;
                    return Ok(e);
                }
            }
        }
    }

    /// `.name` or the legacy `.0` index.
    fn traversal_step_attr(&mut self, e: Expr) -> PResult<Expr> {
        let start = self.pos;
        if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
            let n: f64 = self.src[start..self.pos].parse().unwrap_or(0.0);
            let idx = Expr::new(ExprKind::Number(n), self.span(start));
            let span = e.span.to(idx.span);
            return Ok(Expr::new(ExprKind::Index(Box::new(e), Box::new(idx)), span));
        }
        let Some((name, nspan)) = self.ident() else {
            return Err(self.err_here("expected an attribute name after `.`"));
        };
        let span = e.span.to(nspan);
        Ok(Expr::new(ExprKind::GetAttr(Box::new(e), name), span))
    }

    /// After `[*]` (full) or `.*` (attribute-only): the traversal applied to each element.
    fn parse_splat(&mut self, source: Expr, full: bool) -> PResult<Expr> {
        let item_span = Span::new(self.file, self.pos, self.pos);
        let mut each = Expr::new(ExprKind::SplatItem, item_span);
        loop {
            let save = self.pos;
            self.ws();
            match self.peek() {
                Some(b'.') if !matches!(self.peek_at(1), Some(b'*' | b'.')) => {
                    self.pos += 1;
                    self.ws();
                    each = self.traversal_step_attr(each)?;
                }
                Some(b'[') if full && self.peek_at(1) != Some(b'*') => {
                    self.pos += 1;
                    let saved = self.nl_significant;
                    self.nl_significant = false;
                    self.ws();
                    let idx = self.parse_expr().and_then(|i| {
                        self.ws();
                        self.expect(b']', "`]` to close the index")?;
                        Ok(i)
                    });
                    self.nl_significant = saved;
                    let idx = idx?;
                    let span = each.span.to(self.span(save));
                    each = Expr::new(ExprKind::Index(Box::new(each), Box::new(idx)), span);
                }
                _ => {
                    self.pos = save;
                    break;
                }
            }
        }
        let span = source.span.to(Span::new(self.file, self.pos, self.pos));
        Ok(Expr::new(ExprKind::Splat(Box::new(source), Box::new(each)), span))
    }

    fn parse_primary(&mut self) -> PResult<Expr> {
        let start = self.pos;
        match self.peek() {
            None => Err(self.err_here("expected an expression")),
            Some(b'"') => self.parse_quoted(),
            Some(b'<') if self.peek_at(1) == Some(b'<') => self.parse_heredoc(),
            Some(b'(') => {
                self.pos += 1;
                let saved = self.nl_significant;
                self.nl_significant = false;
                self.ws();
                let inner = self.parse_expr().and_then(|e| {
                    self.ws();
                    self.expect(b')', "`)`")?;
                    Ok(e)
                });
                self.nl_significant = saved;
                let inner = inner?;
                Ok(Expr::new(ExprKind::Parens(Box::new(inner)), self.span(start)))
            }
            Some(b'[') => self.with_nesting(|p| p.parse_tuple()),
            Some(b'{') => self.with_nesting(|p| p.parse_object()),
            Some(c) if c.is_ascii_digit() || c == b'-' => self.parse_number(),
            _ => {
                let Some((name, span)) = self.ident() else {
                    return Err(self.err_here("expected an expression"));
                };
                match name.as_str() {
                    "true" => return Ok(Expr::new(ExprKind::Bool(true), span)),
                    "false" => return Ok(Expr::new(ExprKind::Bool(false), span)),
                    "null" => return Ok(Expr::new(ExprKind::Null, span)),
                    _ => {}
                }
                // Function call, possibly namespaced (`provider::aws::arn_parse`).
                let save = self.pos;
                let mut full = name.clone();
                while self.starts_with("::") {
                    self.pos += 2;
                    match self.ident() {
                        Some((part, _)) => {
                            full.push_str("::");
                            full.push_str(&part);
                        }
                        None => {
                            self.pos = save;
                            break;
                        }
                    }
                }
                let after_name = self.pos;
                self.ws();
                if self.peek() == Some(b'(') {
                    return self.parse_call(full, Span::new(self.file, start, after_name), start);
                }
                self.pos = save;
                Ok(Expr::new(ExprKind::Variable(name), span))
            }
        }
    }

    fn with_nesting(&mut self, f: impl FnOnce(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        self.enter()?;
        let saved = self.nl_significant;
        let r = f(self);
        self.nl_significant = saved;
        self.leave();
        r
    }

    fn parse_number(&mut self) -> PResult<Expr> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos > s
        };
        if !digits(self) {
            return Err(self.err_here("expected a number"));
        }
        if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            digits(self);
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                self.pos = save;
            }
        }
        let text = &self.src[start..self.pos];
        let n: f64 = text.parse().map_err(|_| self.err_at(start, self.pos, format!("invalid number {text}")))?;
        Ok(Expr::new(ExprKind::Number(n), self.span(start)))
    }

    fn parse_call(&mut self, name: String, name_span: Span, start: usize) -> PResult<Expr> {
        self.pos += 1; // '('
        self.enter()?;
        let saved = self.nl_significant;
        self.nl_significant = false;
        let r = (|| {
            let mut args = Vec::new();
            let mut expand_final = false;
            loop {
                self.ws();
                if self.eat(b')') {
                    break;
                }
                if expand_final {
                    return Err(self.err_here("expected `)` after the expanded argument `...`"));
                }
                args.push(self.parse_expr()?);
                self.ws();
                if self.starts_with("...") {
                    self.pos += 3;
                    expand_final = true;
                    self.ws();
                }
                if self.eat(b',') {
                    continue;
                }
                self.ws();
                self.expect(b')', "`,` or `)` in the function arguments")?;
                break;
            }
            Ok((args, expand_final))
        })();
        self.nl_significant = saved;
        self.leave();
        let (args, expand_final) = r?;
        Ok(Expr::new(ExprKind::Call(Box::new(Call { name, name_span, args, expand_final })), self.span(start)))
    }

    fn at_keyword(&self, kw: &str) -> bool {
        self.starts_with(kw) && !self.src[self.pos + kw.len()..].chars().next().is_some_and(is_ident_continue)
    }

    fn parse_tuple(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.pos += 1;
        self.nl_significant = false;
        self.ws();
        if self.at_keyword("for") {
            return self.parse_for(start, false);
        }
        let mut items = Vec::new();
        loop {
            self.ws();
            if self.eat(b']') {
                break;
            }
            items.push(self.parse_expr()?);
            self.ws();
            if self.eat(b',') {
                continue;
            }
            self.expect(b']', "`,` or `]` in the list")?;
            break;
        }
        Ok(Expr::new(ExprKind::Tuple(items), self.span(start)))
    }

    fn parse_object(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.pos += 1;
        self.nl_significant = true;
        self.ws_nl();
        if self.at_keyword("for") {
            self.nl_significant = false;
            return self.parse_for(start, true);
        }
        let mut items = Vec::new();
        loop {
            self.ws_nl();
            if self.eat(b'}') {
                break;
            }
            let key = self.parse_object_key()?;
            self.ws();
            if !(self.peek() == Some(b'=') && self.peek_at(1) != Some(b'=') || self.peek() == Some(b':')) {
                return Err(self.err_here("expected `=` or `:` after the object key"));
            }
            self.pos += 1;
            self.ws();
            let value = self.parse_expr()?;
            items.push(ObjectItem { key, value });
            self.skip_space(false);
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'\n') => {}
                Some(b'}') => {}
                _ => return Err(self.err_here("expected a newline, `,` or `}` after the object item")),
            }
        }
        Ok(Expr::new(ExprKind::Object(items), self.span(start)))
    }

    fn parse_object_key(&mut self) -> PResult<ObjectKey> {
        let save = self.pos;
        if let Some((name, span)) = self.ident() {
            let after = self.pos;
            self.skip_space(false);
            let next_is_sep = (self.peek() == Some(b'=') && self.peek_at(1) != Some(b'=')) || self.peek() == Some(b':');
            if next_is_sep && !matches!(name.as_str(), "true" | "false" | "null") {
                self.pos = after;
                return Ok(ObjectKey::Ident(name, span));
            }
            self.pos = save;
        }
        // Keys stop at `=`; parse without letting `?:` or `:` swallow the separator.
        let saved = self.nl_significant;
        self.nl_significant = true;
        let e = self.parse_binary(0);
        self.nl_significant = saved;
        Ok(ObjectKey::Expr(e?))
    }

    /// After `[` or `{` and the `for` keyword.
    fn parse_for(&mut self, start: usize, object: bool) -> PResult<Expr> {
        self.pos += 3;
        self.ws();
        let Some((first, _)) = self.ident() else {
            return Err(self.err_here("expected a variable name after `for`"));
        };
        self.ws();
        let (key_var, value_var) = if self.eat(b',') {
            self.ws();
            let Some((second, _)) = self.ident() else {
                return Err(self.err_here("expected a second variable name"));
            };
            (Some(first), second)
        } else {
            (None, first)
        };
        self.ws();
        if !self.at_keyword("in") {
            return Err(self.err_here("expected `in`"));
        }
        self.pos += 2;
        self.ws();
        let collection = self.parse_expr()?;
        self.ws();
        self.expect(b':', "`:` after the `for` collection")?;
        self.ws();
        let first_expr = self.parse_expr()?;
        self.ws();
        let (key, value) = if object {
            if !self.starts_with("=>") {
                return Err(self.err_here("expected `=>` in the object `for` expression"));
            }
            self.pos += 2;
            self.ws();
            let v = self.parse_expr()?;
            (Some(first_expr), v)
        } else {
            (None, first_expr)
        };
        self.ws();
        let mut grouping = false;
        if object && self.starts_with("...") {
            self.pos += 3;
            grouping = true;
            self.ws();
        }
        let cond = if self.at_keyword("if") {
            self.pos += 2;
            self.ws();
            let c = self.parse_expr()?;
            self.ws();
            Some(c)
        } else {
            None
        };
        let close = if object { b'}' } else { b']' };
        self.expect(
            close,
            if object { "`}` to close the `for` expression" } else { "`]` to close the `for` expression" },
        )?;
        let fe = ForExpr { key_var, value_var, collection, key, value, cond, grouping };
        Ok(Expr::new(ExprKind::For(Box::new(fe)), self.span(start)))
    }

    // ---- templates -----------------------------------------------------------------------

    fn parse_quoted(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.pos += 1;
        let parts = self.template_parts(TemplateMode::Quoted, false)?;
        Ok(Expr::template(parts, self.span(start)))
    }

    fn parse_heredoc(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.pos += 2;
        let flush = self.eat(b'-');
        let Some((marker, _)) = self.ident() else {
            return Err(self.err_here("expected a heredoc marker after `<<`"));
        };
        self.eat(b'\r');
        if !self.eat(b'\n') {
            return Err(self.err_here("expected a newline after the heredoc marker"));
        }
        let content_start = self.pos;
        // The body ends at the first line that holds only the marker (indentation allowed).
        let mut line_start = content_start;
        let close = loop {
            if line_start >= self.b.len() {
                return Err(self.err_at(
                    start,
                    content_start.saturating_sub(1),
                    format!("unterminated heredoc: no line `{marker}` closes it"),
                ));
            }
            let line_end = self.src[line_start..].find('\n').map(|i| line_start + i).unwrap_or(self.b.len());
            let line = self.src[line_start..line_end].trim_end_matches('\r');
            if line.trim_matches([' ', '\t']) == marker {
                break (line_start, line_start + line.len());
            }
            line_start = line_end + 1;
        };
        self.pos = content_start;
        let parts = self.template_parts(TemplateMode::Raw { end: close.0 }, flush)?;
        self.pos = close.1;
        Ok(Expr::template(parts, self.span(start)))
    }

    /// Parses a template into parts the way HCL does: first a flat sequence of tokens (a raw
    /// template's literal text is one token per line), where a `~` strips the whitespace of
    /// the one literal token beside it; then, for `<<-` heredocs, the shared indentation of
    /// the lines that still start with a literal is removed; then directives are nested.
    fn template_parts(&mut self, mode: TemplateMode, flush: bool) -> PResult<Vec<TemplatePart>> {
        let mut toks = self.template_tokens(mode)?;
        if flush {
            dedent(&mut toks);
        }
        let mut it = toks.into_iter();
        let (parts, stop) = nest(&mut it)?;
        match stop {
            Some((word, span)) => Err(SyntaxError { span, message: format!("unexpected `{word}` directive") }),
            None => Ok(parts),
        }
    }

    fn template_tokens(&mut self, mode: TemplateMode) -> PResult<Vec<Tok>> {
        let mut toks: Vec<Tok> = Vec::new();
        let mut lit = String::new();
        // A `~}` strips the leading whitespace of the next literal token.
        let mut strip_next = false;
        // Open `%{if}`/`%{for}` directives, for the nesting limit.
        let mut open = 0usize;
        let end = match mode {
            TemplateMode::Quoted => self.b.len(),
            TemplateMode::Raw { end } => end,
        };
        let flush_lit = |toks: &mut Vec<Tok>, lit: &mut String, strip_next: &mut bool| {
            if lit.is_empty() {
                return;
            }
            if std::mem::take(strip_next) {
                let t = lit.trim_start().len();
                lit.drain(..lit.len() - t);
            }
            // HCL normalizes literal text to NFC (escapes included): "an\u0303os" is "años".
            if !lit.is_ascii() {
                *lit = lit.nfc().collect();
            }
            toks.push(Tok::Lit(std::mem::take(lit)));
        };
        let result = loop {
            if self.pos >= end {
                if let TemplateMode::Quoted = mode {
                    break Err(self.err_here("unterminated string: expected `\"`"));
                }
                flush_lit(&mut toks, &mut lit, &mut strip_next);
                break Ok(());
            }
            let c = self.b[self.pos];
            match c {
                b'"' if matches!(mode, TemplateMode::Quoted) => {
                    self.pos += 1;
                    flush_lit(&mut toks, &mut lit, &mut strip_next);
                    break Ok(());
                }
                b'\n' if matches!(mode, TemplateMode::Quoted) => {
                    break Err(self.err_here("unterminated string: a quoted string cannot span lines"));
                }
                b'\n' => {
                    // Each line of a raw template is its own literal token.
                    lit.push('\n');
                    self.pos += 1;
                    flush_lit(&mut toks, &mut lit, &mut strip_next);
                }
                b'\\' if matches!(mode, TemplateMode::Quoted) => {
                    self.pos += 1;
                    if let Err(e) = self.escape(&mut lit) {
                        break Err(e);
                    }
                }
                b'$' | b'%' if self.peek_at(1) == Some(b'{') => {
                    let directive = c == b'%';
                    let start = self.pos;
                    self.pos += 2;
                    let had_lit = !lit.is_empty();
                    flush_lit(&mut toks, &mut lit, &mut strip_next);
                    // `${~` strips the trailing whitespace of the literal just before it.
                    if self.eat(b'~') && had_lit {
                        if let Some(Tok::Lit(prev)) = toks.last_mut() {
                            let t = prev.trim_end().len();
                            prev.truncate(t);
                        }
                    }
                    let tok = if directive { self.directive(start) } else { self.interp_body().map(Tok::Interp) };
                    let tok = match tok.and_then(|t| self.close_interp().map(|strip| (t, strip))) {
                        Ok((t, strip)) => {
                            strip_next = strip;
                            t
                        }
                        Err(e) => break Err(e),
                    };
                    match &tok {
                        Tok::If { .. } | Tok::For { .. } => {
                            open += 1;
                            if let Err(e) = self.enter() {
                                break Err(e);
                            }
                        }
                        Tok::EndIf(_) | Tok::EndFor(_) if open > 0 => {
                            open -= 1;
                            self.leave();
                        }
                        _ => {}
                    }
                    toks.push(tok);
                }
                b'$' | b'%' if self.peek_at(1) == Some(c) && self.peek_at(2) == Some(b'{') => {
                    // `$${` and `%%{` are literal `${` and `%{`.
                    lit.push(c as char);
                    lit.push('{');
                    self.pos += 3;
                }
                _ => {
                    let ch = self.peek_char().unwrap_or('\u{fffd}');
                    lit.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        };
        for _ in 0..open {
            self.leave();
        }
        result.map(|()| toks)
    }

    fn escape(&mut self, lit: &mut String) -> PResult<()> {
        let start = self.pos - 1;
        let Some(c) = self.peek_char() else {
            return Err(self.err_here("unterminated string"));
        };
        // The whole character: a position inside one cannot be sliced from (`\é`).
        self.pos += c.len_utf8();
        match c {
            'n' => lit.push('\n'),
            't' => lit.push('\t'),
            'r' => lit.push('\r'),
            '"' => lit.push('"'),
            '\\' => lit.push('\\'),
            'u' | 'U' => {
                let n = if c == 'u' { 4 } else { 8 };
                let hex = self.src.get(self.pos..self.pos + n).unwrap_or("");
                let code = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                match code {
                    Some(ch) if hex.len() == n => {
                        lit.push(ch);
                        self.pos += n;
                    }
                    _ => return Err(self.err_at(start, self.pos, "invalid unicode escape")),
                }
            }
            _ => {
                return Err(self.err_at(start, self.pos, format!("invalid escape sequence `\\{c}`")));
            }
        }
        Ok(())
    }

    fn interp_body(&mut self) -> PResult<Expr> {
        let saved = self.nl_significant;
        self.nl_significant = false;
        self.ws();
        let e = self.parse_expr();
        self.ws();
        self.nl_significant = saved;
        e
    }

    /// `}` or `~}` closing an interpolation or directive; returns whether `~` was present.
    fn close_interp(&mut self) -> PResult<bool> {
        self.ws_nl();
        let strip = self.eat(b'~');
        self.expect(b'}', "`}` to close the interpolation")?;
        Ok(strip)
    }

    /// The directive after `%{` (and its `~`), up to its closing `}`.
    fn directive(&mut self, start: usize) -> PResult<Tok> {
        self.ws_nl();
        let Some((word, _)) = self.ident() else {
            return Err(self.err_here("expected `if`, `for`, `else`, `endif` or `endfor`"));
        };
        let span = self.span(start);
        match word.as_str() {
            "if" => Ok(Tok::If { cond: self.interp_body()?, span }),
            "for" => {
                self.ws_nl();
                let Some((first, _)) = self.ident() else {
                    return Err(self.err_here("expected a variable name"));
                };
                self.ws_nl();
                let (key_var, value_var) = if self.eat(b',') {
                    self.ws_nl();
                    let Some((second, _)) = self.ident() else {
                        return Err(self.err_here("expected a variable name"));
                    };
                    (Some(first), second)
                } else {
                    (None, first)
                };
                self.ws_nl();
                if !self.at_keyword("in") {
                    return Err(self.err_here("expected `in`"));
                }
                self.pos += 2;
                Ok(Tok::For { key_var, value_var, collection: self.interp_body()?, span })
            }
            "else" => Ok(Tok::Else(span)),
            "endif" => Ok(Tok::EndIf(span)),
            "endfor" => Ok(Tok::EndFor(span)),
            other => Err(self.err_at(start, self.pos, format!("unknown template directive `{other}`"))),
        }
    }
}

/// A template token: literal text (one line at most in raw templates), an interpolation,
/// or a directive with the span of its opening `%{` and keyword.
enum Tok {
    Lit(String),
    Interp(Expr),
    If { cond: Expr, span: Span },
    Else(Span),
    EndIf(Span),
    For { key_var: Option<String>, value_var: String, collection: Expr, span: Span },
    EndFor(Span),
}

/// A directive that ends a nested sequence (`else`, `endif`, `endfor`) and where it is.
type EndOf = (&'static str, Span);

/// Nests directives: the parts up to the first `else`/`endif`/`endfor` not opened here,
/// which is returned with its span for the caller to match.
fn nest(toks: &mut std::vec::IntoIter<Tok>) -> PResult<(Vec<TemplatePart>, Option<EndOf>)> {
    let mut parts: Vec<TemplatePart> = Vec::new();
    while let Some(tok) = toks.next() {
        match tok {
            Tok::Lit(s) => match parts.last_mut() {
                Some(TemplatePart::Literal(prev)) => prev.push_str(&s),
                _ if s.is_empty() => {}
                _ => parts.push(TemplatePart::Literal(s)),
            },
            Tok::Interp(e) => parts.push(TemplatePart::Interp(e)),
            Tok::If { cond, span } => {
                let (then, stop) = nest(toks)?;
                let (otherwise, stop) = match stop {
                    Some(("else", _)) => nest(toks)?,
                    other => (Vec::new(), other),
                };
                match stop {
                    Some(("endif", _)) => parts.push(TemplatePart::If { cond: Box::new(cond), then, otherwise }),
                    _ => return Err(SyntaxError { span, message: "this `%{if}` has no matching `%{endif}`".into() }),
                }
            }
            Tok::For { key_var, value_var, collection, span } => match nest(toks)? {
                (body, Some(("endfor", _))) => {
                    parts.push(TemplatePart::For { key_var, value_var, collection: Box::new(collection), body })
                }
                _ => return Err(SyntaxError { span, message: "this `%{for}` has no matching `%{endfor}`".into() }),
            },
            Tok::Else(span) => return Ok((parts, Some(("else", span)))),
            Tok::EndIf(span) => return Ok((parts, Some(("endif", span)))),
            Tok::EndFor(span) => return Ok((parts, Some(("endfor", span)))),
        }
    }
    Ok((parts, None))
}

/// `<<-` heredocs, as HCL does it on the tokens after stripping: the literal tokens that
/// start a line lose the smallest indentation among them. A line whose first token is an
/// interpolation or directive has no indentation; whitespace-only lines do not count.
fn dedent(toks: &mut [Tok]) {
    // Indentation is counted in characters (an em space is one, as a space is).
    let leading = |s: &str| s.chars().take_while(|c| c.is_whitespace() && *c != '\n').count();
    let mut min = usize::MAX;
    let mut at_line_start = true;
    let mut starts = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        if at_line_start {
            at_line_start = false;
            match tok {
                Tok::Lit(s) => {
                    if !(s.trim_start().is_empty() && s.ends_with('\n')) {
                        min = min.min(leading(s));
                    }
                    starts.push(i);
                }
                _ => min = 0,
            }
        }
        if let Tok::Lit(s) = tok {
            at_line_start = s.ends_with('\n');
        }
    }
    if min == 0 || min == usize::MAX {
        return;
    }
    for i in starts {
        if let Tok::Lit(s) = &mut toks[i] {
            let n = leading(s).min(min);
            let cut = s.char_indices().nth(n).map_or(s.len(), |(at, _)| at);
            s.drain(..cut);
        }
    }
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
        assert!(f.body.blocks.iter().any(|b| b.labels.get(1).map(String::as_str) == Some("z")));
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
}
