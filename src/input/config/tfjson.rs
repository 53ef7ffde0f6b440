//! Terraform's JSON configuration syntax (`.tf.json`), read into the same [`Body`] as HCL.
//!
//! JSON cannot say whether an object is a nested block or a map, so this follows Terraform:
//! the top level and the meta-blocks are known, and inside resources `terraform::schema` names
//! the nested blocks. Strings are templates (`"${var.x}"`). Keys named `//` are comments.

use std::rc::Rc;

use crate::syntax::hcl::ast::*;
use crate::syntax::hcl::parser;
use crate::syntax::json::{self, Json, JsonKind};
use crate::syntax::source::{FileId, Span};
use crate::terraform::schema::Mode;

/// What a JSON object body stands for, which decides which of its members are blocks.
#[derive(Clone)]
enum Kind {
    /// A resource or data block of this type; the path of nested blocks so far.
    Resource(Mode, Rc<str>, Rc<str>),
    Variable,
    Output,
    /// Every member is an attribute (module calls, locals).
    Attributes,
    /// Anything else (provider, terraform, check...): objects are blocks.
    Generic,
}

pub fn parse_tf_json(src: &str, file: FileId) -> File {
    let mut errors = Vec::new();
    let root = match json::parse(src, file) {
        Ok(j) => j,
        Err(e) => {
            return File {
                body: Body::default(),
                comments: Vec::new(),
                errors: vec![SyntaxError { span: e.span, message: e.message }],
            };
        }
    };
    let mut body = Body::default();
    if !matches!(root.kind, JsonKind::Object(_)) {
        errors.push(SyntaxError { span: root.span, message: "a .tf.json file must hold a JSON object".into() });
        return File { body, comments: Vec::new(), errors };
    }
    let mut cx = Cx { errors: &mut errors };
    // Terraform's JSON syntax allows an array of objects wherever an object stands for block
    // types, labels or bodies: `{"resource": [{"aws_ecr_repository": [{"r": {...}}]}]}`.
    for m in root.members() {
        let (labels, kind) = match m.key.as_str() {
            "//" => continue,
            "resource" | "data" => (2, None),
            "variable" => (1, Some(Kind::Variable)),
            "output" => (1, Some(Kind::Output)),
            "module" => (1, Some(Kind::Attributes)),
            "provider" => (1, Some(Kind::Generic)),
            "locals" => (0, Some(Kind::Attributes)),
            _ => (0, Some(Kind::Generic)),
        };
        let mut found = Vec::new();
        cx.labeled(&m.value, labels, &mut Vec::new(), &mut found);
        for (labels, obj) in found {
            let kind = match &kind {
                Some(k) => k.clone(),
                // A resource's type is its first label.
                None => {
                    let mode = if m.key == "data" { Mode::Data } else { Mode::Resource };
                    Kind::Resource(mode, labels[0].0.as_str().into(), "".into())
                }
            };
            body.blocks.push(cx.block(&m.key, m.key_span, labels, obj, kind));
        }
    }
    File { body, comments: Vec::new(), errors }
}

struct Cx<'e> {
    errors: &'e mut Vec<SyntaxError>,
}

impl<'e> Cx<'e> {
    /// The bodies under `depth` levels of labels, each with its labels: at every level an
    /// object, or an array of objects.
    fn labeled<'j>(
        &mut self,
        j: &'j Json,
        depth: usize,
        labels: &mut Vec<(String, Span)>,
        out: &mut Vec<(Vec<(String, Span)>, &'j Json)>,
    ) {
        for obj in self.objects(j) {
            if depth == 0 {
                out.push((labels.clone(), obj));
                continue;
            }
            for m in obj.members().iter().filter(|m| m.key != "//") {
                labels.push((m.key.clone(), m.key_span));
                self.labeled(&m.value, depth - 1, labels, out);
                labels.pop();
            }
        }
    }

    /// A block (or a level of labels) is an object or an array of objects; anything else is
    /// an error, as in Terraform.
    fn objects<'j>(&mut self, j: &'j Json) -> Vec<&'j Json> {
        match &j.kind {
            JsonKind::Object(_) => vec![j],
            JsonKind::Array(items) => {
                let mut out = Vec::new();
                for i in items {
                    match i.kind {
                        JsonKind::Object(_) => out.push(i),
                        _ => self.not_an_object(i),
                    }
                }
                out
            }
            _ => {
                self.not_an_object(j);
                Vec::new()
            }
        }
    }

    fn not_an_object(&mut self, j: &Json) {
        self.errors.push(SyntaxError {
            span: j.span,
            message: "expected a JSON object (or an array of objects) for a block here".into(),
        });
    }

    fn block(&mut self, ty: &str, ty_span: Span, labels: Vec<(String, Span)>, obj: &Json, kind: Kind) -> Block {
        // The last label names the block (`"r": {`): several resources under one `"resource"`
        // key each point at their own name.
        let header_span = match labels.last() {
            Some((_, s)) => *s,
            None => ty_span,
        };
        let body = self.body(obj, kind);
        Block {
            ty: ty.to_string().into(),
            ty_span,
            label_spans: labels.iter().map(|l| l.1).collect(),
            labels: labels.into_iter().map(|l| l.0.into()).collect(),
            body: body.into(),
            span: ty_span.to(obj.span),
            header_span,
        }
    }

    fn body(&mut self, obj: &Json, kind: Kind) -> Body {
        let mut body = Body::default();
        for m in obj.members() {
            let key = m.key.as_str();
            if key == "//" {
                continue;
            }
            let is_block = match kind {
                Kind::Resource(mode, ref rtype, ref path) => {
                    matches!(key, "lifecycle" | "connection" | "dynamic" | "provisioner")
                        || crate::terraform::schema::is_block(mode, rtype, &join_path(path, key))
                }
                Kind::Variable => key == "validation",
                Kind::Output => key == "precondition",
                Kind::Attributes => false,
                Kind::Generic => matches!(m.value.kind, JsonKind::Object(_)) || is_object_list(&m.value),
            };
            if !is_block {
                let expr = match (&kind, key) {
                    (Kind::Variable, "type") => self.type_expr(&m.value),
                    // A default is a literal value: `"${x}"` is that text, not a template.
                    (Kind::Variable, "default") => literal(&m.value),
                    _ => self.expr(&m.value),
                };
                let span = m.key_span.to(m.value.span);
                body.attributes.push(Attribute { name: m.key.clone().into(), name_span: m.key_span, expr, span });
                continue;
            }
            match (key, &kind) {
                ("dynamic", Kind::Resource(mode, rtype, path)) => {
                    let labels: Vec<&json::Member> = self
                        .objects(&m.value)
                        .into_iter()
                        .flat_map(|o| o.members())
                        .filter(|d| d.key != "//")
                        .collect();
                    for d in labels {
                        for dobj in self.objects(&d.value) {
                            let inner = Kind::Resource(*mode, rtype.clone(), join_path(path, &d.key).into());
                            let mut b = self.block(
                                "dynamic",
                                m.key_span,
                                vec![(d.key.clone(), d.key_span)],
                                dobj,
                                Kind::Generic,
                            );
                            // `content` holds the generated block's body.
                            let mut dbody = Body::default();
                            for a in &b.body.attributes {
                                if a.name != "content" {
                                    dbody.attributes.push(a.clone());
                                }
                            }
                            if let Some(c) = dobj.get("content") {
                                let content_key = dobj
                                    .members()
                                    .iter()
                                    .find(|x| x.key == "content")
                                    .map(|x| x.key_span)
                                    .unwrap_or(d.key_span);
                                for cobj in self.objects(c) {
                                    dbody.blocks.push(self.block("content", content_key, vec![], cobj, inner.clone()));
                                }
                            }
                            b.body = dbody.into();
                            body.blocks.push(b);
                        }
                    }
                }
                ("provisioner", _) => {
                    let labels: Vec<&json::Member> = self
                        .objects(&m.value)
                        .into_iter()
                        .flat_map(|o| o.members())
                        .filter(|d| d.key != "//")
                        .collect();
                    for p in labels {
                        for pobj in self.objects(&p.value) {
                            body.blocks.push(self.block(
                                key,
                                m.key_span,
                                vec![(p.key.clone(), p.key_span)],
                                pobj,
                                Kind::Generic,
                            ));
                        }
                    }
                }
                _ => {
                    let inner = match &kind {
                        Kind::Resource(mode, rtype, path) => {
                            Kind::Resource(*mode, rtype.clone(), join_path(path, key).into())
                        }
                        other => other.clone(),
                    };
                    for bobj in self.objects(&m.value) {
                        body.blocks.push(self.block(key, m.key_span, vec![], bobj, inner.clone()));
                    }
                }
            }
        }
        body
    }

    /// Converts a JSON value into an expression: strings are templates.
    fn expr(&mut self, j: &Json) -> Expr {
        let kind = match &j.kind {
            JsonKind::Null => ExprKind::Null,
            JsonKind::Bool(b) => ExprKind::Bool(*b),
            JsonKind::Number(n) => ExprKind::Number(*n),
            JsonKind::String(s) => return self.template(s, j.span),
            JsonKind::Array(items) => ExprKind::Tuple(items.iter().map(|i| self.expr(i)).collect()),
            JsonKind::Object(members) => ExprKind::Object(
                members
                    .iter()
                    .filter(|m| m.key != "//")
                    .map(|m| {
                        let key = if m.key.contains("${") {
                            ObjectKey::Expr(self.template(&m.key, m.key_span))
                        } else {
                            ObjectKey::Ident(m.key.clone().into(), m.key_span)
                        };
                        ObjectItem { key, value: self.expr(&m.value) }
                    })
                    .collect(),
            ),
        };
        Expr::new(kind, j.span)
    }

    fn template(&mut self, s: &str, span: Span) -> Expr {
        if !s.contains("${") && !s.contains("%{") {
            return Expr::new(ExprKind::Str(s.into()), span);
        }
        match parser::parse_template(s, span.file) {
            Ok(mut e) => {
                respan(&mut e, span);
                e
            }
            Err(err) => {
                self.errors
                    .push(SyntaxError { span, message: format!("invalid template in JSON string: {}", err.message) });
                Expr::new(ExprKind::Null, span)
            }
        }
    }

    /// A variable's `type` is an expression written in a string (`"list(string)"`).
    fn type_expr(&mut self, j: &Json) -> Expr {
        match j.as_str() {
            Some(s) => match parser::parse_expression(s, j.span.file) {
                Ok(mut e) => {
                    respan(&mut e, j.span);
                    e
                }
                Err(err) => {
                    self.errors.push(SyntaxError {
                        span: j.span,
                        message: format!("invalid type expression: {}", err.message),
                    });
                    Expr::new(ExprKind::Variable("any".into()), j.span)
                }
            },
            None => self.expr(j),
        }
    }
}

/// A JSON value taken literally: strings are text, never templates.
fn literal(j: &Json) -> Expr {
    let kind = match &j.kind {
        JsonKind::Null => ExprKind::Null,
        JsonKind::Bool(b) => ExprKind::Bool(*b),
        JsonKind::Number(n) => ExprKind::Number(*n),
        JsonKind::String(s) => ExprKind::Str(s.as_str().into()),
        JsonKind::Array(items) => ExprKind::Tuple(items.iter().map(literal).collect()),
        JsonKind::Object(members) => ExprKind::Object(
            members
                .iter()
                .map(|m| ObjectItem {
                    key: ObjectKey::Expr(Expr::new(ExprKind::Str(m.key.as_str().into()), m.key_span)),
                    value: literal(&m.value),
                })
                .collect(),
        ),
    };
    Expr::new(kind, j.span)
}

fn is_object_list(j: &Json) -> bool {
    matches!(&j.kind, JsonKind::Array(items) if !items.is_empty() && items.iter().all(|i| matches!(i.kind, JsonKind::Object(_))))
}

fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Points every span of an expression parsed from a JSON string at the string itself.
fn respan(e: &mut Expr, span: Span) {
    e.span = span;
    match &mut e.kind {
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::Str(_)
        | ExprKind::Variable(_)
        | ExprKind::SplatItem => {}
        ExprKind::Template(parts) => respan_parts(parts, span),
        ExprKind::Tuple(items) => items.iter_mut().for_each(|i| respan(i, span)),
        ExprKind::Object(items) => {
            for i in items {
                match &mut i.key {
                    ObjectKey::Ident(_, s) => *s = span,
                    ObjectKey::Expr(k) => respan(k, span),
                }
                respan(&mut i.value, span);
            }
        }
        ExprKind::GetAttr(a, _) | ExprKind::Unary(_, a) | ExprKind::Parens(a) => respan(a, span),
        ExprKind::Index(a, b) | ExprKind::Splat(a, b) | ExprKind::Binary(_, a, b) => {
            respan(a, span);
            respan(b, span);
        }
        ExprKind::Call(c) => {
            c.name_span = span;
            c.args.iter_mut().for_each(|a| respan(a, span));
        }
        ExprKind::Conditional(a, b, c) => {
            respan(a, span);
            respan(b, span);
            respan(c, span);
        }
        ExprKind::For(f) => {
            respan(&mut f.collection, span);
            if let Some(k) = &mut f.key {
                respan(k, span);
            }
            respan(&mut f.value, span);
            if let Some(c) = &mut f.cond {
                respan(c, span);
            }
        }
    }
}

fn respan_parts(parts: &mut [TemplatePart], span: Span) {
    for p in parts {
        match p {
            TemplatePart::Literal(_) => {}
            TemplatePart::Interp(e) => respan(e, span),
            TemplatePart::If { cond, then, otherwise } => {
                respan(cond, span);
                respan_parts(then, span);
                respan_parts(otherwise, span);
            }
            TemplatePart::For { collection, body, .. } => {
                respan(collection, span);
                respan_parts(body, span);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_blocks_and_templates() {
        let src = r#"{
  "//": "generated",
  "resource": {
    "aws_ecr_repository": {
      "a": {
        "name": "a",
        "encryption_configuration": [{"encryption_type": "${var.t}"}],
        "tags": {"Name": "a"}
      },
      "b": {"encryption_configuration": {"encryption_type": "KMS"}}
    }
  },
  "variable": {"t": {"type": "string", "default": "AES256"}},
  "locals": {"x": 1}
}"#;
        let f = parse_tf_json(src, FileId(0));
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let res: Vec<_> = f.body.blocks.iter().filter(|b| b.ty == "resource").collect();
        assert_eq!(res.len(), 2);
        assert_eq!(res[0].body.blocks[0].ty, "encryption_configuration");
        assert!(res[0].body.attribute("tags").is_some());
        assert_eq!(res[1].body.blocks.len(), 1);
        let enc = &res[0].body.blocks[0].body.attributes[0].expr;
        // A lone interpolation is a template with one part; spans point at the JSON string.
        assert!(matches!(&enc.kind, ExprKind::Template(p) if p.len() == 1));
        assert_eq!(&src[enc.span.start as usize..enc.span.end as usize], "\"${var.t}\"");
        let var = f.body.blocks.iter().find(|b| b.ty == "variable").unwrap();
        assert!(matches!(var.body.attribute("type").unwrap().expr.kind, ExprKind::Variable(_)));
    }

    #[test]
    fn dynamic_blocks_in_json() {
        let src = r#"{"resource": {"aws_ecr_repository": {"r": {"dynamic": {"encryption_configuration": {"for_each": "${var.e}", "content": {"encryption_type": "KMS"}}}}}}}"#;
        let f = parse_tf_json(src, FileId(0));
        let d = &f.body.blocks[0].body.blocks[0];
        assert_eq!((d.ty.as_str(), d.labels[0].as_str()), ("dynamic", "encryption_configuration"));
        assert!(d.body.attribute("for_each").is_some());
        assert_eq!(d.body.blocks[0].ty, "content");
    }

    #[test]
    fn invalid_json_is_a_located_error() {
        let f = parse_tf_json("{\"resource\": [", FileId(0));
        assert_eq!(f.errors.len(), 1);
    }
}
