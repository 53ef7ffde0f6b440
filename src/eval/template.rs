//! Templates: string templates with interpolations and `%{if}`/`%{for}` directives rendered
//! to strings (unknown parts kept as prefix and suffix), and template files for
//! `templatefile`, which see only the variables they are given.

use std::sync::Arc;

use super::access::{iterate, to_bool};
use super::budget::Budget;
use super::error::{EResult, EvalError};
use super::expr::{Env, FilePaths, Scope, bind_pair};
use super::functions::FnError;
use crate::syntax::hcl::ast::*;
use crate::syntax::source::{FileId, Span};
use crate::terraform::value::{Kind, Map, PLACEHOLDER, Unknown, UnknownSource, Value};

/// Template files rendered by `templatefile` get this file id: their errors become messages
/// at the call site, so these spans never reach a renderer.
const TEMPLATE_FILE: FileId = FileId(u32::MAX);

/// Largest string a template may render.
pub const MAX_STRING: usize = 16 << 20;

impl Scope<'_> {
    pub(super) fn template(&mut self, parts: &[TemplatePart], span: Span) -> EResult<Value> {
        if let [TemplatePart::Interp(e)] = parts {
            return self.eval(e);
        }
        let mut out = Rendered::default();
        self.render(parts, span, &mut out)?;
        let v = out.finish();
        // The text built is paid for: templates that copy long strings are not free.
        self.budget.spend(v.weight(), span)?;
        Ok(v)
    }

    fn render(&mut self, parts: &[TemplatePart], span: Span, out: &mut Rendered) -> EResult<()> {
        for p in parts {
            match p {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Interp(e) => {
                    let v = self.eval(e)?;
                    out.push_value(&v, e.span)?;
                }
                TemplatePart::If { cond, then, otherwise } => {
                    let c = self.eval(cond)?;
                    if c.is_unknown() {
                        out.push_unknown(&c);
                        continue;
                    }
                    let branch = if to_bool(&c, cond.span)? { then } else { otherwise };
                    out.note_origin(&c);
                    self.render(branch, span, out)?;
                }
                TemplatePart::For { key_var, value_var, collection, body } => {
                    let c = self.eval(collection)?;
                    let pairs = match iterate(&c, collection.span)? {
                        Some(p) => p,
                        None => {
                            out.push_unknown(&c);
                            continue;
                        }
                    };
                    for (k, v) in pairs {
                        let n = bind_pair(self, key_var.as_deref(), value_var, k, v);
                        let r = self.render(body, span, out);
                        for _ in 0..n {
                            self.unbind();
                        }
                        r?;
                    }
                }
            }
            if out.text.len() > MAX_STRING {
                return Err(EvalError::limit(
                    format!("the template's result is longer than tfcheck's limit of {} MiB", MAX_STRING >> 20),
                    span,
                ));
            }
        }
        Ok(())
    }
}

/// A template being rendered: its text, with [`PLACEHOLDER`] for each unknown part.
#[derive(Default)]
struct Rendered {
    text: String,
    unknown: Option<Unknown>,
    origin: Option<Arc<crate::terraform::value::Origin>>,
}

impl Rendered {
    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn note_origin(&mut self, v: &Value) {
        if self.origin.is_none() {
            self.origin = v.origin.clone();
        }
    }

    /// An unknown part: its own template when it has one, else what is known of its ends.
    fn push_unknown(&mut self, v: &Value) {
        let u = v.first_unknown().and_then(Value::as_unknown);
        if self.unknown.is_none() {
            self.unknown = Some(u.cloned().unwrap_or(Unknown {
                source: UnknownSource::Error { message: "unknown".into() },
                path: String::new(),
                prefix: None,
                suffix: None,
                template: None,
                derived: false,
            }));
        }
        match v.as_unknown() {
            Some(Unknown { template: Some(t), .. }) => self.text.push_str(t),
            Some(Unknown { prefix, suffix, .. }) => {
                self.text.push_str(prefix.as_deref().unwrap_or(""));
                self.text.push(PLACEHOLDER);
                self.text.push_str(suffix.as_deref().unwrap_or(""));
            }
            None => self.text.push(PLACEHOLDER),
        }
    }

    fn push_value(&mut self, v: &Value, span: Span) -> EResult<()> {
        self.note_origin(v);
        if v.is_unknown() {
            self.push_unknown(v);
            return Ok(());
        }
        match v.to_template_string() {
            Ok(s) => {
                self.text.push_str(&s);
                Ok(())
            }
            Err(m) => Err(EvalError::new(format!("invalid template interpolation value: {m}"), span)),
        }
    }

    fn finish(self) -> Value {
        match self.unknown {
            None => Value::string(self.text).with_origin(self.origin),
            Some(mut u) => {
                let first = self.text.find(PLACEHOLDER).unwrap_or(self.text.len());
                let last = self.text.rfind(PLACEHOLDER).map(|i| i + PLACEHOLDER.len_utf8()).unwrap_or(first);
                u.prefix = Some(self.text[..first].to_string()).filter(|p| !p.is_empty());
                u.suffix = Some(self.text[last..].to_string()).filter(|s| !s.is_empty());
                u.template = Some(self.text.into());
                Value::new(Kind::Unknown(Arc::new(u))).with_origin(self.origin)
            }
        }
    }
}

/// Renders a template text with `vars` (for `templatefile` and `templatestring`).
pub(super) fn render_template(
    text: &str,
    name: &str,
    vars: &Map,
    paths: &FilePaths,
    budget: &Budget,
) -> Result<Value, FnError> {
    let line = |span: Span| text[..(span.start as usize).min(text.len())].matches('\n').count() + 1;
    let expr = crate::syntax::hcl::parser::parse_template(text, TEMPLATE_FILE)
        .map_err(|e| FnError::Failed(format!("{name}:{}: {}", line(e.span), e.message)))?;
    let env = TemplateEnv { vars, paths, budget };
    let mut scope = Scope::new(&env);
    scope.eval(&expr).map_err(|e| {
        let m = format!("{name}:{}: {}", line(e.span), e.message);
        if e.is_limit() { FnError::Limit(m) } else { FnError::Failed(m) }
    })
}

/// A template file sees only the variables it was given.
struct TemplateEnv<'a> {
    vars: &'a Map,
    paths: &'a FilePaths<'a>,
    /// The caller's: a template's steps count against the argument that renders it.
    budget: &'a Budget,
}

impl Env for TemplateEnv<'_> {
    fn lookup(&self, root: &str, _attrs: &[&str], span: Span) -> EResult<(Value, usize)> {
        match self.vars.get(root) {
            Some(v) => Ok((v.clone(), 0)),
            None => {
                Err(EvalError::new(format!("the template refers to {root:?}, which is not in its variables"), span))
            }
        }
    }

    fn budget(&self) -> &Budget {
        self.budget
    }

    fn paths(&self) -> FilePaths<'_> {
        FilePaths { module_dir: self.paths.module_dir, root_dir: self.paths.root_dir, sandbox: self.paths.sandbox }
    }
}
