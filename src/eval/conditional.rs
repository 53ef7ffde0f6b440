//! Conditionals as Terraform evaluates them: both results are evaluated and unified to one
//! type (`true ? 1 : "2"` is `"1"`), also when the condition is unknown; a failed result is
//! typed by its kind of expression.

use super::access::{iterate, to_bool};
use super::budget::Budget;
use super::error::{EResult, EvalError};
use super::expr::Scope;
use crate::syntax::hcl::ast::*;
use crate::syntax::source::Span;
use crate::terraform::value::{Kind, Value};

impl Scope<'_> {
    pub(super) fn conditional(&mut self, c: &Expr, t: &Expr, f: &Expr) -> EResult<Value> {
        let cv = self.eval(c)?;
        let span = c.span.to(f.span);
        if cv.is_unknown() {
            // Both branches equal and known: the condition does not matter.
            match (self.eval(t), self.eval(f)) {
                (Ok(a), Ok(b)) => {
                    self.budget.spend(a.weight().min(b.weight()), c.span)?;
                    unify_results(a.clone(), &b, span, self.budget)?;
                    if a.equals(&b) == Some(true) && a.is_wholly_known() {
                        return Ok(a);
                    }
                }
                // A branch cut short by a limit cannot be compared: report it.
                (Err(e), _) | (_, Err(e)) if e.is_limit() => return Err(e),
                _ => {}
            }
            return Ok(cv.derived());
        }
        let (branch, other) = if to_bool(&cv, c.span)? { (t, f) } else { (f, t) };
        let v = self.eval(branch)?;
        // Terraform evaluates both results and gives them one type: `true ? 1 : "2"` is the
        // string "1", `true ? 1 : []` an error. The other result's own errors do not matter.
        let v = match self.eval(other) {
            Ok(o) => unify_results(v, &o, span, self.budget)?,
            Err(e) if e.is_limit() => return Err(e),
            // A failed result still has the type its kind of expression gives (`1 + x` is a
            // number): Terraform unifies with that.
            Err(_) => {
                let ty = failed_type(other, &mut |e| self.eval(e).ok());
                unify_with_type(v, ty, span)?
            }
        };
        Ok(v.inherit_origin(&cv))
    }
}

/// The type HCL gives an expression whose evaluation failed: what its kind of expression
/// always yields (`any` when that depends on values). `eval` evaluates a part again: a `for`
/// whose collection fails has no type, one whose body fails is an object or tuple.
fn failed_type(e: &Expr, eval: &mut dyn FnMut(&Expr) -> Option<Value>) -> super::types::Type {
    use super::types::{ObjAttr, Type, type_of, unify};
    match &e.kind {
        ExprKind::Bool(_) => Type::Bool,
        ExprKind::Number(_) => Type::Number,
        ExprKind::Str(_) => Type::String,
        // A failed conditional has its results' common type; none, or a result of no type,
        // leaves it without one.
        ExprKind::Conditional(_, t, f) => {
            // A `null` literal takes the other result's type.
            let is_null = |e: &Expr| matches!(e.kind, ExprKind::Null);
            let mut branch = |e: &Expr| match eval(e) {
                Some(v) if !matches!(v.kind, Kind::Null | Kind::Unknown(_)) => super::types::type_of(&v),
                Some(_) => Type::Any,
                None => failed_type(e, eval),
            };
            match (is_null(t), is_null(f)) {
                (true, false) => branch(f),
                (false, true) => branch(t),
                _ => {
                    let (a, b) = (branch(t), branch(f));
                    if a == Type::Any || b == Type::Any { Type::Any } else { unify(&[a, b]).unwrap_or(Type::Any) }
                }
            }
        }
        // A `for` whose collection or condition fails has no type; one whose body fails does.
        ExprKind::For(f)
            if f.cond.is_some() || eval(&f.collection).is_none_or(|c| iterate(&c, f.collection.span).is_err()) =>
        {
            Type::Any
        }
        ExprKind::Binary(op, ..) => match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => Type::Number,
            _ => Type::Bool,
        },
        ExprKind::Unary(UnaryOp::Not, _) => Type::Bool,
        ExprKind::Unary(UnaryOp::Neg, _) => Type::Number,
        ExprKind::Template(parts) if parts.iter().any(|p| !matches!(p, TemplatePart::Interp(_))) => Type::String,
        // Each element has its value's type, or the type its own failure has.
        ExprKind::Tuple(items) => {
            Type::Tuple(items.iter().map(|i| eval(i).map_or_else(|| failed_type(i, eval), |v| type_of(&v))).collect())
        }
        ExprKind::Object(items) => Type::Object(
            items
                .iter()
                .filter_map(|i| match &i.key {
                    ObjectKey::Ident(k, _) => {
                        let ty = eval(&i.value).map_or_else(|| failed_type(&i.value, eval), |v| type_of(&v));
                        Some(ObjAttr::required(k.clone(), ty))
                    }
                    ObjectKey::Expr(_) => None,
                })
                .collect(),
        ),
        ExprKind::For(f) if f.key.is_some() => Type::Object(Vec::new()),
        ExprKind::For(_) => Type::Tuple(Vec::new()),
        ExprKind::Parens(inner) => failed_type(inner, eval),
        _ => Type::Any,
    }
}

/// `v` as the result of a conditional whose other result is `other`: both take one type.
fn unify_results(v: Value, other: &Value, span: Span, budget: &Budget) -> EResult<Value> {
    let plain = |x: &Value| matches!(x.kind, Kind::Null | Kind::Unknown(_));
    let primitive = |x: &Value| matches!(x.kind, Kind::Bool(_) | Kind::Number(_) | Kind::String(_));
    let same_primitive = primitive(&v) && std::mem::discriminant(&v.kind) == std::mem::discriminant(&other.kind);
    if plain(&v) || plain(other) || same_primitive {
        return Ok(v);
    }
    budget.spend(v.weight().saturating_add(other.weight()), span)?;
    unify_with_type(v, super::types::type_of(other), span)
}

/// `v` converted to the type it shares with the other result's type `to`.
fn unify_with_type(v: Value, to: super::types::Type, span: Span) -> EResult<Value> {
    use super::types::{Type, convert, type_of, unify};
    if to == Type::Any || matches!(v.kind, Kind::Null | Kind::Unknown(_)) {
        return Ok(v);
    }
    let tv = type_of(&v);
    if tv == to {
        return Ok(v);
    }
    match unify(&[tv.clone(), to.clone()]) {
        None => Err(EvalError::new(
            format!(
                "the true and false results of a conditional must have one type; {tv} and {to} have none in common"
            ),
            span,
        )),
        Some(t) if t == tv => Ok(v),
        Some(t) => match convert(v.clone(), &t) {
            Ok(c) => Ok(c.inherit_origin(&v)),
            Err(e) => Err(EvalError::new(e, span)),
        },
    }
}
