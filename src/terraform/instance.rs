//! A resource instance as the rules see it, whether it came from HCL or from a plan: its
//! address, its value, and the source span of each attribute and block inside it.

use crate::syntax::hcl::ast::{Body, Expr, ExprKind, ObjectKey};
use crate::syntax::json::JsonKind;
use crate::syntax::source::{SourceMap, Span};
use crate::terraform::addr::ModuleStep;
use crate::terraform::value::Value;

pub struct ResourceInstance {
    pub rtype: String,
    pub address: String,
    pub module_path: Vec<ModuleStep>,
    pub value: Value,
    /// Attribute and block paths (`encryption_configuration[0].kms_key`) to their spans.
    pub spans: Vec<(String, Span)>,
    /// Where a finding on the instance as a whole points (the resource block header, or the
    /// instance's entry in a plan).
    pub header_span: Span,
    /// The whole resource block, when there is one in the source.
    pub block_span: Option<Span>,
    /// Added to the messages of findings on this instance (a plan replacing it).
    pub note: Option<String>,
    /// A plan's actions for the instance (`["delete", "create"]`); `None` for HCL.
    pub actions: Option<Vec<String>>,
    /// A limit of tfcheck's cut the reading of the instance short: findings on it may be
    /// missing, which the scan reports as an error. (HCL evaluation reports its own.)
    pub limit: Option<String>,
}

impl ResourceInstance {
    /// A plan only deletes it: most rules have nothing to say about it.
    pub fn only_deleted(&self) -> bool {
        self.actions.as_deref().is_some_and(|a| a.iter().all(|x| x == "delete"))
    }
}

impl ResourceInstance {
    /// The span of `path`, or of its nearest ancestor that exists (the header last).
    pub fn span_of(&self, path: &str) -> Span {
        let mut p = path.to_string();
        loop {
            if let Some((_, s)) = self.spans.iter().find(|(x, _)| *x == p) {
                return *s;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => return self.header_span,
            }
        }
    }
}

/// Spans of a block body read from its syntax alone (for plan findings mapped back to the
/// `.tf` source): attributes, and static nested blocks by index. A `dynamic` block stands for
/// all the blocks it generates.
pub fn syntactic_spans(body: &Body, path: &str, sources: &SourceMap, out: &mut Vec<(String, Span)>) {
    let join = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
    for a in &body.attributes {
        out.push((join(&a.name), a.span));
        document_spans(&join(&a.name), &a.expr, &sources.get(a.expr.span.file).text, out);
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for b in &body.blocks {
        if b.ty == "dynamic" {
            if let Some(label) = b.labels.first() {
                out.push((join(label), b.header_span));
            }
            continue;
        }
        let i = match counts.iter_mut().find(|(t, _)| b.ty == *t) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                counts.push((&b.ty, 1));
                0
            }
        };
        let p = format!("{}[{i}]", join(&b.ty));
        out.push((p.clone(), b.header_span));
        syntactic_spans(&b.body, &p, sources, out);
    }
}

/// Spans inside a JSON document written in an attribute (`policy = jsonencode({...})`, or a
/// JSON heredoc without interpolations), keyed as paths below the attribute
/// (`policy.Statement[1].Principal`), so that a finding about one statement points at it.
/// `text` is the source file the attribute is in.
pub fn document_spans(path: &str, e: &Expr, text: &str, out: &mut Vec<(String, Span)>) {
    match &e.kind {
        ExprKind::Call(c) if c.name == "jsonencode" && c.args.len() == 1 && !c.expand_final => {
            constructor_spans(path, &c.args[0], out);
        }
        ExprKind::Str(content) => {
            let src = text.get(e.span.start as usize..e.span.end as usize).unwrap_or("");
            // Content lines map to source lines: a heredoc's first on the line after `<<EOT`,
            // a one-line string's on its own. Escapes and indentation shift columns, so a
            // location is the whole source line.
            let first_line = if src.starts_with("<<") {
                1
            } else if src.starts_with('"') && !content.contains('\n') {
                0
            } else {
                return;
            };
            let Ok(doc) = crate::syntax::json::parse(content, e.span.file) else { return };
            let mut at = Vec::new();
            json_offsets(path, &doc, &mut at);
            let lines = line_ranges(src);
            for (p, offset) in at {
                let line = content.get(..offset).map_or(0, |c| c.matches('\n').count());
                if let Some(&(a, b)) = lines.get(first_line + line) {
                    out.push((p, Span::new(e.span.file, e.span.start as usize + a, e.span.start as usize + b)));
                }
            }
        }
        _ => {}
    }
}

/// Object items and tuple elements of an HCL constructor, as paths.
fn constructor_spans(path: &str, e: &Expr, out: &mut Vec<(String, Span)>) {
    match &e.kind {
        ExprKind::Object(items) => {
            for item in items {
                let key = match &item.key {
                    ObjectKey::Ident(k, _) => k.as_str(),
                    ObjectKey::Expr(k) => match &k.kind {
                        ExprKind::Str(s) => s,
                        _ => continue,
                    },
                };
                let p = format!("{path}.{key}");
                let key_span = match &item.key {
                    ObjectKey::Ident(_, s) => *s,
                    ObjectKey::Expr(k) => k.span,
                };
                out.push((p.clone(), key_span.to(item.value.span)));
                constructor_spans(&p, &item.value, out);
            }
        }
        ExprKind::Tuple(items) => {
            for (i, x) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                out.push((p.clone(), x.span));
                constructor_spans(&p, x, out);
            }
        }
        ExprKind::Parens(inner) => constructor_spans(path, inner, out),
        _ => {}
    }
}

/// Members and elements of a JSON document, as paths and byte offsets in it.
fn json_offsets(path: &str, j: &crate::syntax::json::Json, out: &mut Vec<(String, usize)>) {
    match &j.kind {
        JsonKind::Object(members) => {
            for m in members {
                let p = format!("{path}.{}", m.key);
                out.push((p.clone(), m.key_span.start as usize));
                json_offsets(&p, &m.value, out);
            }
        }
        JsonKind::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                out.push((p.clone(), x.span.start as usize));
                json_offsets(&p, x, out);
            }
        }
        _ => {}
    }
}

/// Byte ranges of the lines of `s`, without their indentation and line ending.
fn line_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in s.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        out.push((start + indent, start + body.len()));
        start += line.len();
    }
    out
}
