//! Where each element of a value written out literally (a tfvars entry, a variable default)
//! was written, so that a finding decided by `scratch.mutable = true` points at that line and
//! not at the start of the map that holds it.

use std::sync::Arc;

use crate::syntax::hcl::ast::{Expr, ExprKind, ObjectKey};
use crate::syntax::json::{Json, JsonKind};
use crate::syntax::source::Span;
use crate::terraform::value::{Kind, Origin, Value};

/// The spans of a literal's elements: map keys and list indices to where each was written.
#[derive(Debug)]
pub struct ElementSpans {
    span: Span,
    children: Vec<(Step, ElementSpans)>,
}

#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

impl ElementSpans {
    /// The elements of an object or tuple constructor; `None` for anything else (a `for`, a
    /// function call: their elements were not written one by one).
    pub fn from_expr(e: &Expr) -> Option<ElementSpans> {
        Self::expr_tree(e, e.span)
    }

    fn expr_tree(e: &Expr, span: Span) -> Option<ElementSpans> {
        let children = match &e.kind {
            ExprKind::Tuple(items) => items
                .iter()
                .enumerate()
                .map(|(i, x)| (Step::Index(i), Self::expr_tree(x, x.span).unwrap_or_else(|| leaf(x.span))))
                .collect(),
            ExprKind::Object(items) => items
                .iter()
                .filter_map(|item| {
                    let (key, key_span) = match &item.key {
                        ObjectKey::Ident(k, s) => (k.to_string(), *s),
                        ObjectKey::Expr(k) => match &k.kind {
                            ExprKind::Str(s) => (s.to_string(), k.span),
                            _ => return None,
                        },
                    };
                    // `mutable = true`: the key and its value.
                    let at = key_span.to(item.value.span);
                    Some((Step::Key(key), Self::expr_tree(&item.value, at).unwrap_or_else(|| leaf(at))))
                })
                .collect(),
            _ => return None,
        };
        Some(ElementSpans { span, children })
    }

    /// The elements of a JSON value (a `.tfvars.json` entry).
    pub fn from_json(j: &Json) -> Option<ElementSpans> {
        Self::json_tree(j, j.span)
    }

    fn json_tree(j: &Json, span: Span) -> Option<ElementSpans> {
        let children = match &j.kind {
            JsonKind::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, x)| (Step::Index(i), Self::json_tree(x, x.span).unwrap_or_else(|| leaf(x.span))))
                .collect(),
            JsonKind::Object(members) => members
                .iter()
                .map(|m| {
                    let at = m.key_span.to(m.value.span);
                    (Step::Key(m.key.clone()), Self::json_tree(&m.value, at).unwrap_or_else(|| leaf(at)))
                })
                .collect(),
            _ => return None,
        };
        Some(ElementSpans { span, children })
    }

    /// Where the element a type conversion error names was written: the error's leading
    /// `element "k": attribute "a": ` steps, followed as far as the literal goes.
    pub fn locate(&self, message: &str) -> Span {
        let mut here = self;
        let mut rest = message;
        loop {
            let (step, tail) = if let Some(t) = rest.strip_prefix("element ") {
                match parse_step(t) {
                    Some(x) => x,
                    None => break,
                }
            } else if let Some(t) = rest.strip_prefix("attribute ") {
                match parse_step(t) {
                    Some((Step::Key(k), tail)) => (Step::Key(k), tail),
                    _ => break,
                }
            } else {
                break;
            };
            match here.children.iter().find(|(s, _)| *s == step) {
                Some((_, sub)) => here = sub,
                None => break,
            }
            rest = tail;
        }
        here.span
    }

    /// `v` with `origin` on itself and, on each element written in the literal, the same
    /// origin at the element's span. Sets are left whole: conversion reorders them.
    pub fn stamp(&self, v: Value, origin: &Arc<Origin>) -> Value {
        let at = |s: &ElementSpans| Arc::new(Origin { span: Some(s.span), ..(**origin).clone() });
        let kind = match &v.kind {
            Kind::Map(m) if !self.children.is_empty() => {
                let mut m = (**m).clone();
                for (step, sub) in &self.children {
                    if let Step::Key(k) = step {
                        if let Some(x) = m.remove(k) {
                            m.insert(k.clone(), sub.stamp(x, &at(sub)));
                        }
                    }
                }
                Some(Value::map(m))
            }
            Kind::List(items) if !self.children.is_empty() => {
                let mut items = (**items).clone();
                for (step, sub) in &self.children {
                    if let Step::Index(i) = step {
                        if let Some(x) = items.get_mut(*i) {
                            *x = sub.stamp(x.clone(), &at(sub));
                        }
                    }
                }
                Some(Value::list(items))
            }
            _ => None,
        };
        kind.unwrap_or(v).with_origin(Some(origin.clone()))
    }
}

/// `"key": rest` or `3: rest`, as type conversion errors name elements.
fn parse_step(s: &str) -> Option<(Step, &str)> {
    if let Some(quoted) = s.strip_prefix('"') {
        // The key is printed with `{:?}`: read up to the closing quote, undoing escapes.
        let mut key = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => key.push(chars.next()?.1),
                '"' => return Some((Step::Key(key), s[i + 2..].strip_prefix(": ")?)),
                c => key.push(c),
            }
        }
        return None;
    }
    let (n, tail) = s.split_once(": ")?;
    Some((Step::Index(n.parse().ok()?), tail))
}

fn leaf(span: Span) -> ElementSpans {
    ElementSpans { span, children: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::source::FileId;

    fn span_line(v: &Value, src: &str) -> usize {
        let s = v.origin.as_ref().and_then(|o| o.span).expect("an origin with a span");
        src[..s.start as usize].matches('\n').count() + 1
    }

    #[test]
    fn elements_point_at_their_own_lines() {
        let src = "{\n  a = {\n    k = 1\n  }\n  \"b\" = [\n    true,\n    { m = 2 },\n  ]\n}\n";
        let expr = &crate::syntax::hcl::parser::parse_expression(src, FileId(0)).expect("parses");
        let spans = ElementSpans::from_expr(expr).expect("an object");
        let v = Value::from_json(&serde_json::json!({"a": {"k": 1}, "b": [true, {"m": 2}]}));
        let origin = Arc::new(Origin { sensitive: true, ..Origin::new("variable \"x\", set in t", Some(expr.span)) });
        let v = spans.stamp(v, &origin);
        let m = v.as_map().unwrap();
        assert_eq!(span_line(&v, src), 1);
        let a = &m["a"];
        assert_eq!(span_line(a, src), 2);
        assert_eq!(span_line(&a.as_map().unwrap()["k"], src), 3);
        let Kind::List(b) = &m["b"].kind else { panic!("a list") };
        assert_eq!(span_line(&m["b"], src), 5);
        assert_eq!(span_line(&b[0], src), 6);
        assert_eq!(span_line(&b[1].as_map().unwrap()["m"], src), 7);
        // Every element keeps the label and the sensitivity of the whole.
        let inner = b[1].as_map().unwrap()["m"].origin.clone().unwrap();
        assert!(inner.sensitive);
        assert_eq!(inner.label, "variable \"x\", set in t");
    }

    #[test]
    fn conversion_errors_are_located_at_the_element() {
        let src = "{\n  a = {\n    k = 1\n  }\n  \"b c\" = [\n    true,\n    { m = 2 },\n  ]\n}\n";
        let expr = &crate::syntax::hcl::parser::parse_expression(src, FileId(0)).expect("parses");
        let spans = ElementSpans::from_expr(expr).expect("an object");
        let line = |m: &str| src[..spans.locate(m).start as usize].matches('\n').count() + 1;
        assert_eq!(line("element \"a\": attribute \"k\": a bool is required"), 3);
        assert_eq!(line("element \"b c\": element 1: attribute \"m\": a bool is required"), 7);
        assert_eq!(line("element \"b c\": element 9: a bool is required"), 5);
        assert_eq!(line("element \"zz\": a bool is required"), 1);
        assert_eq!(line("a map is required"), 1);
    }

    #[test]
    fn computed_values_are_not_split() {
        let src = "[for i in [1, 2] : i]";
        let expr = crate::syntax::hcl::parser::parse_expression(src, FileId(0)).expect("parses");
        assert!(ElementSpans::from_expr(&expr).is_none());
    }
}
