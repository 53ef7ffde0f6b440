//! Templates: quoted strings and heredocs, scanned into tokens (literal text per line,
//! interpolations, directives), strip markers and heredoc indentation applied to the tokens,
//! then nested into `%{if}` and `%{for}` parts.

use super::*;

impl Parser<'_> {
    pub(super) fn parse_quoted(&mut self) -> PResult<Expr> {
        let start = self.pos;
        self.pos += 1;
        let parts = self.template_parts(TemplateMode::Quoted, false)?;
        Ok(Expr::template(parts, self.span(start)))
    }

    pub(super) fn parse_heredoc(&mut self) -> PResult<Expr> {
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
    pub(super) fn template_parts(&mut self, mode: TemplateMode, flush: bool) -> PResult<Vec<TemplatePart>> {
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

    pub(super) fn template_tokens(&mut self, mode: TemplateMode) -> PResult<Vec<Tok>> {
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
                    // Plain text up to the next byte that may mean something, at once (those
                    // bytes are ASCII, so the run ends on a character boundary).
                    let rest = &self.b[self.pos..end];
                    let run = rest.iter().position(|b| matches!(b, b'"' | b'\n' | b'\\' | b'$' | b'%'));
                    let stop = self.pos + run.unwrap_or(rest.len());
                    if stop == self.pos {
                        lit.push(c as char);
                        self.pos += 1;
                    } else {
                        lit.push_str(&self.src[self.pos..stop]);
                        self.pos = stop;
                    }
                }
            }
        };
        for _ in 0..open {
            self.leave();
        }
        result.map(|()| toks)
    }

    pub(super) fn escape(&mut self, lit: &mut String) -> PResult<()> {
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

    pub(super) fn interp_body(&mut self) -> PResult<Expr> {
        let saved = self.nl_significant;
        self.nl_significant = false;
        self.ws();
        let e = self.parse_expr();
        self.ws();
        self.nl_significant = saved;
        e
    }

    /// `}` or `~}` closing an interpolation or directive; returns whether `~` was present.
    pub(super) fn close_interp(&mut self) -> PResult<bool> {
        self.ws_nl();
        let strip = self.eat(b'~');
        self.expect(b'}', "`}` to close the interpolation")?;
        Ok(strip)
    }

    /// The directive after `%{` (and its `~`), up to its closing `}`.
    pub(super) fn directive(&mut self, start: usize) -> PResult<Tok> {
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
pub(super) enum Tok {
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
pub(super) fn nest(toks: &mut std::vec::IntoIter<Tok>) -> PResult<(Vec<TemplatePart>, Option<EndOf>)> {
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
pub(super) fn dedent(toks: &mut [Tok]) {
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
