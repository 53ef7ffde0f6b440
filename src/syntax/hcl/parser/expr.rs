//! Expressions: operators by precedence, conditionals, traversals and splats, calls,
//! tuples and objects, `for` expressions, numbers.

use super::*;

impl Parser<'_> {
    pub(super) fn parse_expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = self.parse_conditional();
        self.leave();
        r
    }

    pub(super) fn parse_conditional(&mut self) -> PResult<Expr> {
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

    /// The binary operator at the cursor, its length and its precedence level (0 `||`, 1 `&&`,
    /// 2 equality, 3 comparison, 4 `+ -`, 5 `* / %`).
    pub(super) fn peek_binary_op(&self) -> Option<(BinaryOp, usize, usize)> {
        let c = self.peek()?;
        let n = self.peek_at(1);
        let op = match (c, n) {
            (b'|', Some(b'|')) => (BinaryOp::Or, 2, 0),
            (b'&', Some(b'&')) => (BinaryOp::And, 2, 1),
            (b'=', Some(b'=')) => (BinaryOp::Eq, 2, 2),
            (b'!', Some(b'=')) => (BinaryOp::Ne, 2, 2),
            (b'<', Some(b'=')) => (BinaryOp::Le, 2, 3),
            (b'>', Some(b'=')) => (BinaryOp::Ge, 2, 3),
            (b'<', _) => (BinaryOp::Lt, 1, 3),
            (b'>', _) => (BinaryOp::Gt, 1, 3),
            (b'+', _) => (BinaryOp::Add, 1, 4),
            (b'-', _) => (BinaryOp::Sub, 1, 4),
            (b'*', _) => (BinaryOp::Mul, 1, 5),
            (b'/', Some(b'/' | b'*')) => return None,
            (b'/', _) => (BinaryOp::Div, 1, 5),
            (b'%', _) => (BinaryOp::Mod, 1, 5),
            _ => return None,
        };
        Some(op)
    }

    /// Operators of precedence `min_level` and above, left-associative, by precedence
    /// climbing: one look for an operator after each operand, not one per level.
    pub(super) fn parse_binary(&mut self, min_level: usize) -> PResult<Expr> {
        let mut left = self.parse_unary()?;
        // Operators seen here come in falling precedence (the right operand takes every
        // higher one), so each level's count is its chain, as one loop per level counted it.
        let mut chain = [0usize; 6];
        loop {
            self.ws();
            let Some((op, len, level)) = self.peek_binary_op().filter(|o| o.2 >= min_level) else { break };
            self.pos += len;
            chain[level] += 1;
            // Left-nested chains recurse in the evaluator: bound them like nesting.
            if chain[level] + self.depth > MAX_NESTING * 5 {
                return Err(self.err_at(self.pos - len, self.pos, "operator chain too long"));
            }
            self.ws();
            let right = self.parse_binary(level + 1)?;
            let span = left.span.to(right.span);
            left = Expr::new(ExprKind::Binary(op, Box::new(left), Box::new(right)), span);
        }
        Ok(left)
    }

    pub(super) fn parse_unary(&mut self) -> PResult<Expr> {
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

    pub(super) fn parse_postfix(&mut self) -> PResult<Expr> {
        let mut e = self.parse_primary()?;
        let mut steps = 0;
        loop {
            let save = self.mark();
            self.ws();
            steps += 1;
            if steps > MAX_NESTING * 5 {
                return Err(self.err_here("traversal too long"));
            }
            match self.peek() {
                Some(b'.') if self.peek_at(1) == Some(b'.') => {
                    // `...` expands an argument or groups a `for`: not a traversal.
                    self.rewind(save);
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
                    self.rewind(save);
                    return Ok(e);
                }
            }
        }
    }

    /// `.name` or the legacy `.0` index.
    pub(super) fn traversal_step_attr(&mut self, e: Expr) -> PResult<Expr> {
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
        Ok(Expr::new(ExprKind::GetAttr(Box::new(e), name.into()), span))
    }

    /// After `[*]` (full) or `.*` (attribute-only): the traversal applied to each element.
    pub(super) fn parse_splat(&mut self, source: Expr, full: bool) -> PResult<Expr> {
        let item_span = Span::new(self.file, self.pos, self.pos);
        let mut each = Expr::new(ExprKind::SplatItem, item_span);
        loop {
            let save = self.mark();
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
                    let span = each.span.to(self.span(save.pos));
                    each = Expr::new(ExprKind::Index(Box::new(each), Box::new(idx)), span);
                }
                _ => {
                    self.rewind(save);
                    break;
                }
            }
        }
        let span = source.span.to(Span::new(self.file, self.pos, self.pos));
        Ok(Expr::new(ExprKind::Splat(Box::new(source), Box::new(each)), span))
    }

    pub(super) fn parse_primary(&mut self) -> PResult<Expr> {
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
                let save = self.mark();
                let mut full = name.clone();
                while self.starts_with("::") {
                    self.pos += 2;
                    match self.ident() {
                        Some((part, _)) => {
                            full.push_str("::");
                            full.push_str(&part);
                        }
                        None => {
                            self.rewind(save);
                            break;
                        }
                    }
                }
                let after_name = self.pos;
                self.ws();
                if self.peek() == Some(b'(') {
                    return self.parse_call(full, Span::new(self.file, start, after_name), start);
                }
                self.rewind(save);
                Ok(Expr::new(ExprKind::Variable(name.into()), span))
            }
        }
    }

    pub(super) fn with_nesting(&mut self, f: impl FnOnce(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        self.enter()?;
        let saved = self.nl_significant;
        let r = f(self);
        self.nl_significant = saved;
        self.leave();
        r
    }

    pub(super) fn parse_number(&mut self) -> PResult<Expr> {
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
            let save = self.mark();
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                self.rewind(save);
            }
        }
        let text = &self.src[start..self.pos];
        let n: f64 = text.parse().map_err(|_| self.err_at(start, self.pos, format!("invalid number {text}")))?;
        Ok(Expr::new(ExprKind::Number(n), self.span(start)))
    }

    pub(super) fn parse_call(&mut self, name: String, name_span: Span, start: usize) -> PResult<Expr> {
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
            args.shrink_to_fit();
            Ok((args, expand_final))
        })();
        self.nl_significant = saved;
        self.leave();
        let (args, expand_final) = r?;
        Ok(Expr::new(ExprKind::Call(Box::new(Call { name, name_span, args, expand_final })), self.span(start)))
    }

    pub(super) fn at_keyword(&self, kw: &str) -> bool {
        self.starts_with(kw) && !self.src[self.pos + kw.len()..].chars().next().is_some_and(is_ident_continue)
    }

    pub(super) fn parse_tuple(&mut self) -> PResult<Expr> {
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
        items.shrink_to_fit();
        Ok(Expr::new(ExprKind::Tuple(items), self.span(start)))
    }

    pub(super) fn parse_object(&mut self) -> PResult<Expr> {
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
        items.shrink_to_fit();
        Ok(Expr::new(ExprKind::Object(items), self.span(start)))
    }

    pub(super) fn parse_object_key(&mut self) -> PResult<ObjectKey> {
        let save = self.mark();
        if let Some((name, span)) = self.ident() {
            let after = self.pos;
            self.skip_space(false);
            let next_is_sep = (self.peek() == Some(b'=') && self.peek_at(1) != Some(b'=')) || self.peek() == Some(b':');
            if next_is_sep && !matches!(name.as_str(), "true" | "false" | "null") {
                self.pos = after;
                return Ok(ObjectKey::Ident(name.into(), span));
            }
            self.rewind(save);
        }
        // Keys stop at `=`; parse without letting `?:` or `:` swallow the separator.
        let saved = self.nl_significant;
        self.nl_significant = true;
        let e = self.parse_binary(0);
        self.nl_significant = saved;
        Ok(ObjectKey::Expr(e?))
    }

    /// After `[` or `{` and the `for` keyword.
    pub(super) fn parse_for(&mut self, start: usize, object: bool) -> PResult<Expr> {
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
}
