//! Function calls in expressions: `try` and `can` (which catch Terraform's errors but never
//! tfcheck's limits), functions the environment adds (a rule's), provider functions (unknown
//! here), and the built-in library with the file access and template rendering it needs.

use std::sync::Arc;

use super::error::{EResult, EvalError};
use super::expr::Scope;
use super::functions::{self, FnContext, FnError};
use super::template::render_template;
use crate::syntax::hcl::ast::*;
use crate::syntax::source::Span;
use crate::terraform::value::{Kind, Map, Value};

impl Scope<'_> {
    pub(super) fn call(&mut self, c: &Call, span: Span) -> EResult<Value> {
        match c.name.as_str() {
            "try" => {
                let mut last = None;
                for a in &c.args {
                    self.catching += 1;
                    let r = self.eval(a);
                    self.catching -= 1;
                    match r {
                        Ok(v) => return Ok(v),
                        // A limit says nothing about the expression: falling back would
                        // decide on a value Terraform would not use.
                        Err(e) if e.is_limit() => return Err(e),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(match last {
                    Some(e) => EvalError::new(
                        format!("no expression in try() succeeded; the last error was: {}", e.message),
                        span,
                    ),
                    None => EvalError::new("try() needs at least one argument", span),
                });
            }
            "can" => {
                let [a] = c.args.as_slice() else {
                    return Err(EvalError::new("can() takes exactly one argument", span));
                };
                self.catching += 1;
                let r = self.eval(a);
                self.catching -= 1;
                return Ok(match r {
                    Ok(v) if v.is_unknown() => v,
                    Ok(_) => Value::bool(true),
                    Err(e) if e.is_limit() => return Err(e),
                    Err(_) => Value::bool(false),
                });
            }
            _ => {}
        }
        let mut args = Vec::with_capacity(c.args.len());
        for a in &c.args {
            args.push(self.eval(a)?);
        }
        if c.expand_final {
            if let Some(last) = args.pop() {
                match &last.kind {
                    Kind::List(items) | Kind::Set(items) => args.extend(items.iter().cloned()),
                    Kind::Unknown(_) => return Ok(last),
                    _ => return Err(EvalError::new("the argument before `...` must be a list, tuple or set", span)),
                }
            }
        }
        // Functions may walk their arguments and build results as large: both are paid for.
        let walked = args.iter().fold(0u64, |n, a| n.saturating_add(a.weight()));
        self.budget.spend(walked, span)?;
        let mut origin = args.iter().find_map(|a| a.origin.clone());
        // Sensitivity follows a value through functions, as Terraform's marks do.
        let sensitive = match c.name.as_str() {
            "sensitive" => true,
            "nonsensitive" => false,
            _ => args.iter().any(|a| a.origin.as_ref().is_some_and(|o| o.sensitive)),
        };
        if origin.as_ref().map_or(sensitive, |o| o.sensitive != sensitive) {
            let mut o = origin.as_deref().cloned().unwrap_or_default();
            o.sensitive = sensitive;
            origin = Some(Arc::new(o));
        }
        if let Some(r) = self.env.call_extra(&c.name, &args, span) {
            let v = r?;
            self.budget.spend(v.weight(), span)?;
            return Ok(if v.origin.is_none() { v.with_origin(origin) } else { v });
        }
        if c.name.contains("::") {
            // Provider-defined functions need the provider: their results are unknown here.
            return Ok(Value::unknown_apply(format!("{}()", c.name)));
        }
        let paths = self.env.paths();
        let budget = self.budget;
        let render = |text: &str, name: &str, vars: &Map| render_template(text, name, vars, &paths, budget);
        let ctx = FnContext { root_dir: paths.root_dir, sandbox: paths.sandbox, render_template: &render };
        match functions::call(&c.name, args, &ctx) {
            Ok(v) => {
                self.budget.spend(v.weight(), span)?;
                Ok(if v.origin.is_none() { v.with_origin(origin) } else { v })
            }
            Err(FnError::Limit(m)) => Err(EvalError::limit(format!("in {}(): {m}", c.name), span)),
            Err(e) => Err(EvalError::new(format!("in {}(): {e}", c.name), span)),
        }
    }
}
