//! Expression evaluation: HCL's operators, templates, `for`, splats, indexing and function
//! calls over [`Value`]s. What names mean (`var.x`, `aws_kms_key.k`, `resource`) is up to the
//! [`Env`] the expression is evaluated in: a module instance, a rule, a template file.

use std::sync::Arc;

use super::functions::{self, FnContext, FnError};
use crate::syntax::hcl::ast::*;
use crate::syntax::source::{FileId, Span};
use crate::terraform::value::{Kind, MAX_WEIGHT, Map, PLACEHOLDER, Unknown, UnknownSource, Value};

/// Why an evaluation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// What Terraform reports too: a type error, a failed function, an unknown name.
    Invalid,
    /// One of tfcheck's own limits stopped the evaluation: `try` and `can` do not catch it,
    /// and what it cuts short is reported as an error (the run fails closed).
    Limit,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    pub message: String,
    pub span: Span,
    pub cause: Cause,
    /// Already reported where it arose (a cycle, a failed local): whoever reads the stored
    /// result again does not report it again.
    pub reported: bool,
}

impl EvalError {
    pub fn new(message: impl Into<String>, span: Span) -> EvalError {
        EvalError { message: message.into(), span, cause: Cause::Invalid, reported: false }
    }

    /// A limit of tfcheck's was hit; `message` names it. Recorded in the thread's limit log
    /// (see [`limit_mark`]) even if something later drops the error.
    pub fn limit(message: impl Into<String>, span: Span) -> EvalError {
        let e = EvalError { message: message.into(), span, cause: Cause::Limit, reported: false };
        record_limit(&e);
        e
    }

    pub fn is_limit(&self) -> bool {
        self.cause == Cause::Limit
    }
}

pub type EResult<T> = Result<T, EvalError>;

/// What an expression's free names resolve to.
pub trait Env {
    /// Resolves a reference `root.attrs[0].attrs[1]...`. Returns the value and how many of
    /// `attrs` it used (the evaluator applies the rest as ordinary attribute access).
    fn lookup(&self, root: &str, attrs: &[&str], span: Span) -> EResult<(Value, usize)>;

    /// Functions the environment adds to the built-ins (a rule's engine functions).
    fn call_extra(&self, _name: &str, _args: &[Value], _span: Span) -> Option<EResult<Value>> {
        None
    }

    /// Paths for functions that read files.
    fn paths(&self) -> FilePaths<'_>;

    /// In rules, a missing attribute of a resource reads as null, as an unset attribute does
    /// in Terraform's schema-based values.
    fn lenient(&self) -> bool {
        false
    }
}

pub struct FilePaths<'a> {
    pub module_dir: &'a std::path::Path,
    pub root_dir: &'a std::path::Path,
    pub sandbox: &'a [std::path::PathBuf],
}

/// Most evaluation steps one argument may take, and one root module: nested `for`
/// expressions over large ranges must end in an error, not a hang, and one heavy argument
/// must not starve the others of the root's budget. A step is one expression evaluated, or
/// one unit of [`Value::weight`] a function, comparison or conversion walks or builds.
pub const ARGUMENT_BUDGET: u64 = 1_000_000;
pub const ROOT_BUDGET: u64 = 5_000_000;
/// Once the root's budget is spent, each argument still gets this many steps from a reserve
/// of [`GRACE_BUDGET`]: the simple arguments rules decide on (`kms_key = aws_kms_key.k.arn`)
/// are still evaluated after heavy ones used up the budget (which is reported as an error).
pub const GRACE_ARGUMENT_BUDGET: u64 = 1_000;
pub const GRACE_BUDGET: u64 = 1_000_000;

#[derive(Clone, Copy)]
struct Steps {
    argument: u64,
    root: u64,
}

thread_local! {
    static STEPS: std::cell::Cell<Steps> = const { std::cell::Cell::new(Steps { argument: 0, root: 0 }) };
    /// Limits hit on this thread since the last [`reset_budget`].
    static LIMITS: std::cell::RefCell<Vec<EvalError>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Starts a new budget for a root module (on the thread evaluating it).
pub fn reset_budget() {
    STEPS.with(|s| s.set(Steps { argument: 0, root: 0 }));
    LIMITS.with(|l| l.borrow_mut().clear());
}

/// Starts a new budget for one argument, within the root's.
pub fn argument_budget() {
    STEPS.with(|s| s.set(Steps { argument: 0, root: s.get().root }));
}

/// Starts the budget of one rule on one instance: rules run after the evaluation and get
/// their own [`ARGUMENT_BUDGET`], whatever the evaluation left.
pub fn rule_budget() {
    STEPS.with(|s| s.set(Steps { argument: 0, root: 0 }));
}

/// Spends one step.
fn spend(span: Span) -> EResult<()> {
    spend_n(1, span)
}

/// Spends `n` steps; fails with a limit error when the argument's or the root's budget is
/// spent.
pub fn spend_n(n: u64, span: Span) -> EResult<()> {
    let s = STEPS.with(|s| {
        let old = s.get();
        let new = Steps { argument: old.argument.saturating_add(n), root: old.root.saturating_add(n) };
        s.set(new);
        new
    });
    let message = if s.root > ROOT_BUDGET + GRACE_BUDGET {
        format!(
            "tfcheck's evaluation budget for a root module ({ROOT_BUDGET} steps, then {GRACE_BUDGET} in reserve) is spent"
        )
    } else if s.root > ROOT_BUDGET && s.argument > GRACE_ARGUMENT_BUDGET {
        format!(
            "tfcheck's evaluation budget for a root module ({ROOT_BUDGET} steps) is spent, and this argument took more than the {GRACE_ARGUMENT_BUDGET} steps left to each argument"
        )
    } else if s.argument > ARGUMENT_BUDGET {
        format!("tfcheck's evaluation budget of {ARGUMENT_BUDGET} steps for one argument is spent")
    } else {
        return Ok(());
    };
    // Steps refused are not taken: a failing argument does not eat the reserve of the others.
    STEPS.with(|st| {
        let cur = st.get();
        st.set(Steps { argument: cur.argument.saturating_sub(n), root: cur.root.saturating_sub(n) })
    });
    Err(EvalError::limit(message, span))
}

/// Records a limit hit (done by [`EvalError::limit`]; also for a stored limit error read
/// again, so each evaluation it cuts short notices).
pub fn record_limit(e: &EvalError) {
    LIMITS.with(|l| {
        let mut l = l.borrow_mut();
        // Repeats of the last one add nothing (and the log stays small).
        if l.last().is_none_or(|x| x.message != e.message || x.span != e.span) {
            l.push(e.clone());
        }
    });
}

/// A position in the thread's limit log, to ask later whether a limit was hit since.
pub fn limit_mark() -> usize {
    LIMITS.with(|l| l.borrow().len())
}

/// The first limit hit since `mark`, if any.
pub fn limit_since(mark: usize) -> Option<EvalError> {
    LIMITS.with(|l| {
        let l = l.borrow();
        // A reset in between (another root) leaves the log shorter than the mark.
        l.get(mark.min(l.len())..).and_then(|rest| rest.first().cloned())
    })
}

/// Fails when a value is heavier than tfcheck walks ([`MAX_WEIGHT`]).
pub fn check_weight(v: &Value, span: Span) -> EResult<()> {
    if v.weight() > MAX_WEIGHT {
        Err(EvalError::limit(
            format!(
                "the value is larger than tfcheck's limit of {MAX_WEIGHT} elements (shared parts counted each time they appear, strings by 16 bytes)"
            ),
            span,
        ))
    } else {
        Ok(())
    }
}

/// Template files rendered by `templatefile` get this file id: their errors become messages
/// at the call site, so these spans never reach a renderer.
const TEMPLATE_FILE: FileId = FileId(u32::MAX);

/// The evaluation scope: the environment plus names bound by `for` expressions, dynamic
/// block iterators and splats.
pub struct Scope<'e> {
    env: &'e dyn Env,
    vars: Vec<(String, Value)>,
    splat: Vec<Value>,
}

impl<'e> Scope<'e> {
    pub fn new(env: &'e dyn Env) -> Scope<'e> {
        Scope { env, vars: Vec::new(), splat: Vec::new() }
    }

    /// Binds a name for the rest of this scope's life (iterators, `count`-like names).
    pub fn bind(&mut self, name: impl Into<String>, value: Value) {
        self.vars.push((name.into(), value));
    }

    pub fn unbind(&mut self) {
        self.vars.pop();
    }

    fn bound(&self, name: &str) -> Option<&Value> {
        self.vars.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Evaluates `e`; no value heavier than [`MAX_WEIGHT`] comes out.
    pub fn eval(&mut self, e: &Expr) -> EResult<Value> {
        spend(e.span)?;
        let v = self.eval_kind(e)?;
        check_weight(&v, e.span)?;
        Ok(v)
    }

    fn eval_kind(&mut self, e: &Expr) -> EResult<Value> {
        match &e.kind {
            ExprKind::Null => Ok(Value::null()),
            ExprKind::Bool(b) => Ok(Value::bool(*b)),
            ExprKind::Number(n) => Ok(Value::number(*n)),
            ExprKind::Str(s) => Ok(Value::new(Kind::String(s.clone()))),
            ExprKind::Template(parts) => self.template(parts, e.span),
            ExprKind::Variable(name) => {
                if let Some(v) = self.bound(name) {
                    return Ok(v.clone());
                }
                let (v, _) = self.env.lookup(name, &[], e.span)?;
                Ok(v)
            }
            ExprKind::Tuple(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                Ok(Value::list(out))
            }
            ExprKind::Object(items) => self.object(items),
            ExprKind::GetAttr(inner, name) => self.get_attr_expr(e, inner, name),
            ExprKind::Index(c, k) => {
                let c = self.eval(c)?;
                let k = self.eval(k)?;
                index(&c, &k, e.span, self.env.lenient())
            }
            ExprKind::Splat(src, each) => {
                let v = self.eval(src)?;
                let items: Vec<Value> = match &v.kind {
                    Kind::Unknown(_) => return Ok(v),
                    Kind::Null => return Ok(Value::list(Vec::new())),
                    Kind::List(items) | Kind::Set(items) => items.to_vec(),
                    _ => vec![v.clone()],
                };
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    self.splat.push(item);
                    let r = self.eval(each);
                    self.splat.pop();
                    out.push(r?);
                }
                Ok(Value::list(out).inherit_origin(&v))
            }
            ExprKind::SplatItem => {
                self.splat.last().cloned().ok_or_else(|| EvalError::new("splat item outside a splat", e.span))
            }
            ExprKind::Call(c) => self.call(c, e.span),
            ExprKind::Unary(op, inner) => {
                let v = self.eval(inner)?;
                if v.is_unknown() {
                    return Ok(v);
                }
                let r = match op {
                    UnaryOp::Not => Value::bool(!to_bool(&v, inner.span)?),
                    UnaryOp::Neg => Value::number(-to_number(&v, inner.span)?),
                };
                Ok(r.inherit_origin(&v))
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e.span),
            ExprKind::Conditional(c, t, f) => self.conditional(c, t, f),
            ExprKind::For(fe) => self.for_expr(fe, e.span),
            ExprKind::Parens(inner) => self.eval(inner),
        }
    }

    fn get_attr_expr(&mut self, e: &Expr, inner: &Expr, name: &str) -> EResult<Value> {
        // Collect a static traversal `root.a.b.c` and let the environment resolve its head.
        let mut attrs = vec![name];
        let mut cur = inner;
        while let ExprKind::GetAttr(i, n) = &cur.kind {
            attrs.push(n);
            cur = i;
        }
        if let ExprKind::Variable(root) = &cur.kind {
            if self.bound(root).is_none() {
                attrs.reverse();
                let (mut v, used) = self.env.lookup(root, &attrs, e.span)?;
                for a in &attrs[used..] {
                    v = get_attr(&v, a, e.span, self.env.lenient())?;
                }
                return Ok(v);
            }
        }
        let v = self.eval(inner)?;
        get_attr(&v, name, e.span, self.env.lenient())
    }

    fn object(&mut self, items: &[ObjectItem]) -> EResult<Value> {
        let mut m = Map::new();
        for item in items {
            let key = match &item.key {
                ObjectKey::Ident(k, _) => k.clone(),
                ObjectKey::Expr(ke) => {
                    let k = self.eval(ke)?;
                    if let Some(u) = k.first_unknown() {
                        return Ok(u.clone());
                    }
                    key_string(&k, ke.span)?
                }
            };
            let v = self.eval(&item.value)?;
            m.insert(key, v);
        }
        Ok(Value::map(m))
    }

    fn template(&mut self, parts: &[TemplatePart], span: Span) -> EResult<Value> {
        if let [TemplatePart::Interp(e)] = parts {
            return self.eval(e);
        }
        let mut out = Rendered::default();
        self.render(parts, span, &mut out)?;
        let v = out.finish();
        // The text built is paid for: templates that copy long strings are not free.
        spend_n(v.weight(), span)?;
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

    fn call(&mut self, c: &Call, span: Span) -> EResult<Value> {
        match c.name.as_str() {
            "try" => {
                let mut last = None;
                for a in &c.args {
                    match self.eval(a) {
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
                return Ok(match self.eval(a) {
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
        spend_n(walked, span)?;
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
            spend_n(v.weight(), span)?;
            return Ok(if v.origin.is_none() { v.with_origin(origin) } else { v });
        }
        if c.name.contains("::") {
            // Provider-defined functions need the provider: their results are unknown here.
            return Ok(Value::unknown_apply(format!("{}()", c.name)));
        }
        let paths = self.env.paths();
        let render = |text: &str, name: &str, vars: &Map| render_template(text, name, vars, &paths);
        let ctx = FnContext { root_dir: paths.root_dir, sandbox: paths.sandbox, render_template: &render };
        match functions::call(&c.name, args, &ctx) {
            Ok(v) => {
                spend_n(v.weight(), span)?;
                Ok(if v.origin.is_none() { v.with_origin(origin) } else { v })
            }
            Err(FnError::Limit(m)) => Err(EvalError::limit(format!("in {}(): {m}", c.name), span)),
            Err(e) => Err(EvalError::new(format!("in {}(): {e}", c.name), span)),
        }
    }

    fn binary(&mut self, op: BinaryOp, l: &Expr, r: &Expr, span: Span) -> EResult<Value> {
        let lv = self.eval(l)?;
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            // Terraform evaluates and type-checks both sides (`true || 1` is an error); a
            // known side that decides the result decides it even when the other is unknown.
            let rv = self.eval(r)?;
            let decisive = op == BinaryOp::Or;
            let lb = if lv.is_known() { Some(to_bool(&lv, l.span)?) } else { None };
            let rb = if rv.is_known() { Some(to_bool(&rv, r.span)?) } else { None };
            if lb == Some(decisive) {
                return Ok(Value::bool(decisive).inherit_origin(&lv));
            }
            if rb == Some(decisive) {
                return Ok(Value::bool(decisive).inherit_origin(&rv));
            }
            if lv.is_unknown() {
                return Ok(lv);
            }
            if rv.is_unknown() {
                return Ok(rv);
            }
            return Ok(Value::bool(!decisive).inherit_origin(&lv).inherit_origin(&rv));
        }
        let rv = self.eval(r)?;
        let result = match op {
            BinaryOp::Eq | BinaryOp::Ne => match spend_n(lv.weight().min(rv.weight()), span).map(|_| lv.equals(&rv))? {
                Some(eq) => Value::bool(eq == (op == BinaryOp::Eq)),
                None => return Ok(first_unknown_of(&lv, &rv)),
            },
            _ => {
                if lv.is_unknown() || rv.is_unknown() {
                    // The known side must still be a number (`[] > unknown` is an error).
                    for (v, e) in [(&lv, l), (&rv, r)] {
                        if v.is_known() {
                            to_number(v, e.span)?;
                        }
                    }
                    return Ok(first_unknown_of(&lv, &rv));
                }
                let a = to_number(&lv, l.span)?;
                let b = to_number(&rv, r.span)?;
                match op {
                    BinaryOp::Lt => Value::bool(a < b),
                    BinaryOp::Le => Value::bool(a <= b),
                    BinaryOp::Gt => Value::bool(a > b),
                    BinaryOp::Ge => Value::bool(a >= b),
                    BinaryOp::Add => Value::number(a + b),
                    BinaryOp::Sub => Value::number(a - b),
                    BinaryOp::Mul => Value::number(a * b),
                    // cty: `a % 0` is a, `a / 0` an infinity (which no attribute can hold:
                    // Terraform fails such a plan), `0 / 0` an error.
                    BinaryOp::Mod if b == 0.0 => Value::number(a),
                    BinaryOp::Mod if a.is_infinite() || b.is_infinite() => {
                        return Err(EvalError::new("the remainder of an infinity has no value", span));
                    }
                    BinaryOp::Div if a == 0.0 && b == 0.0 => {
                        return Err(EvalError::new("zero divided by zero has no value", span));
                    }
                    BinaryOp::Div => Value::number(a / b),
                    // Terraform's % keeps the sign of the dividend, like Rust's.
                    BinaryOp::Mod => Value::number(a % b),
                    _ => unreachable!("logical and equality operators are handled above"),
                }
            }
        };
        // Infinities in, no number out (`1/0 - 1/0`): an error in cty too.
        if matches!(result.kind, Kind::Number(n) if n.is_nan()) {
            return Err(EvalError::new("the operation has no numeric result", span));
        }
        Ok(result.inherit_origin(&lv).inherit_origin(&rv))
    }

    fn conditional(&mut self, c: &Expr, t: &Expr, f: &Expr) -> EResult<Value> {
        let cv = self.eval(c)?;
        let span = c.span.to(f.span);
        if cv.is_unknown() {
            // Both branches equal and known: the condition does not matter.
            match (self.eval(t), self.eval(f)) {
                (Ok(a), Ok(b)) => {
                    spend_n(a.weight().min(b.weight()), c.span)?;
                    unify_results(a.clone(), &b, span)?;
                    if a.equals(&b) == Some(true) && a.is_wholly_known() {
                        return Ok(a);
                    }
                }
                // A branch cut short by a limit cannot be compared: report it.
                (Err(e), _) | (_, Err(e)) if e.is_limit() => return Err(e),
                _ => {}
            }
            return Ok(cv);
        }
        let (branch, other) = if to_bool(&cv, c.span)? { (t, f) } else { (f, t) };
        let v = self.eval(branch)?;
        // Terraform evaluates both results and gives them one type: `true ? 1 : "2"` is the
        // string "1", `true ? 1 : []` an error. The other result's own errors do not matter.
        let v = match self.eval(other) {
            Ok(o) => unify_results(v, &o, span)?,
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

    fn for_expr(&mut self, fe: &ForExpr, span: Span) -> EResult<Value> {
        let coll = self.eval(&fe.collection)?;
        let Some(pairs) = iterate(&coll, fe.collection.span)? else {
            return Ok(coll);
        };
        if pairs.is_empty() {
            if let Some(c) = &fe.cond {
                // Terraform still evaluates the condition once, with unknown names, so its
                // errors show on an empty collection too (`[for x in [] : x if 1]`).
                let unknown =
                    Value::unknown(UnknownSource::Expansion { what: "an element of an empty collection".into() });
                let n = bind_pair(self, fe.key_var.as_deref(), &fe.value_var, unknown.clone(), unknown);
                let r = self.eval(c);
                for _ in 0..n {
                    self.unbind();
                }
                let r = r?;
                if r.is_known() {
                    to_bool(&r, c.span)?;
                }
            }
        }
        let mut list = Vec::new();
        let mut map = Map::new();
        let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
        for (k, v) in pairs {
            let n = bind_pair(self, fe.key_var.as_deref(), &fe.value_var, k, v);
            let r = self.for_item(fe);
            for _ in 0..n {
                self.unbind();
            }
            match r? {
                ForItem::Skip => {}
                ForItem::Unknown(u) => return Ok(u),
                ForItem::Value(None, v) => list.push(v),
                ForItem::Value(Some(k), v) => {
                    if fe.grouping {
                        match groups.iter_mut().find(|(g, _)| *g == k) {
                            Some((_, vs)) => vs.push(v),
                            None => groups.push((k, vec![v])),
                        }
                    } else {
                        match map.entry(k) {
                            std::collections::btree_map::Entry::Occupied(e) => {
                                return Err(EvalError::new(
                                    format!(
                                        "duplicate object key {:?} in the for expression; add `...` after the value to group them",
                                        e.key()
                                    ),
                                    span,
                                ));
                            }
                            std::collections::btree_map::Entry::Vacant(e) => {
                                e.insert(v);
                            }
                        }
                    }
                }
            }
        }
        if fe.key.is_none() {
            return Ok(Value::list(list));
        }
        if fe.grouping {
            for (k, vs) in groups {
                map.insert(k, Value::list(vs));
            }
        }
        Ok(Value::map(map))
    }

    fn for_item(&mut self, fe: &ForExpr) -> EResult<ForItem> {
        if let Some(c) = &fe.cond {
            let cv = self.eval(c)?;
            if cv.is_unknown() {
                return Ok(ForItem::Unknown(cv));
            }
            if !to_bool(&cv, c.span)? {
                return Ok(ForItem::Skip);
            }
        }
        let key = match &fe.key {
            Some(ke) => {
                let k = self.eval(ke)?;
                if k.is_unknown() {
                    return Ok(ForItem::Unknown(k));
                }
                Some(key_string(&k, ke.span)?)
            }
            None => None,
        };
        Ok(ForItem::Value(key, self.eval(&fe.value)?))
    }
}

enum ForItem {
    Skip,
    Unknown(Value),
    Value(Option<String>, Value),
}

/// Binds the key and value names of a `for`; returns how many names were bound.
fn bind_pair(s: &mut Scope, key_var: Option<&str>, value_var: &str, k: Value, v: Value) -> usize {
    let mut n = 1;
    if let Some(kv) = key_var {
        s.bind(kv, k);
        n += 1;
    }
    s.bind(value_var, v);
    n
}

/// The (key, value) pairs a `for` or `for_each` walks: list index, set value, or map key.
/// `None` when the collection is unknown.
pub fn iterate(c: &Value, span: Span) -> EResult<Option<Vec<(Value, Value)>>> {
    Ok(Some(match &c.kind {
        Kind::Unknown(_) => return Ok(None),
        Kind::List(items) => {
            items.iter().enumerate().map(|(i, v)| (Value::number(i as f64), v.clone().inherit_origin(c))).collect()
        }
        Kind::Set(items) => items.iter().map(|v| (v.clone(), v.clone().inherit_origin(c))).collect(),
        Kind::Map(m) => m.iter().map(|(k, v)| (Value::string(k.as_str()), v.clone().inherit_origin(c))).collect(),
        Kind::Null => {
            return Err(EvalError::new("a null value cannot be used as the collection in a for expression", span));
        }
        _ => return Err(EvalError::new(format!("a {} value cannot be iterated over", c.type_name()), span)),
    }))
}

pub const MAX_STRING: usize = 16 << 20;

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

fn first_unknown_of(a: &Value, b: &Value) -> Value {
    let u = a.first_unknown().or_else(|| b.first_unknown()).cloned().unwrap_or_else(|| Value::unknown_error("unknown"));
    match u.as_unknown() {
        Some(x) if x.prefix.is_some() || x.suffix.is_some() || x.template.is_some() => {
            let mut x = x.clone();
            x.prefix = None;
            x.suffix = None;
            x.template = None;
            Value::new(Kind::Unknown(Arc::new(x)))
        }
        _ => u,
    }
}

/// `v.name`.
pub fn get_attr(v: &Value, name: &str, span: Span, lenient: bool) -> EResult<Value> {
    match &v.kind {
        Kind::Map(m) => match m.get(name) {
            Some(x) => Ok(x.clone().inherit_origin(v)),
            None if lenient => Ok(Value::null()),
            None => Err(EvalError::new(format!("this object does not have an attribute named {name:?}"), span)),
        },
        Kind::Unknown(u) => Ok(Value::new(Kind::Unknown(Arc::new(u.descend(name)))).inherit_origin(v)),
        Kind::Null if lenient => Ok(Value::null()),
        Kind::Null => Err(EvalError::new(format!("attempt to get attribute {name:?} from a null value"), span)),
        Kind::List(_) | Kind::Set(_) => Err(EvalError::new(
            format!("cannot access attribute {name:?} on a list; use an index (x[0].{name}) or a splat (x[*].{name})"),
            span,
        )),
        _ => Err(EvalError::new(format!("cannot access attribute {name:?} on a {} value", v.type_name()), span)),
    }
}

/// `c[k]`.
pub fn index(c: &Value, k: &Value, span: Span, lenient: bool) -> EResult<Value> {
    if let Kind::Unknown(u) = &c.kind {
        let step = match (&k.kind, k.to_template_string()) {
            (Kind::String(s), _) => format!("[{s:?}]"),
            (_, Ok(s)) => format!("[{s}]"),
            _ => "[?]".to_string(),
        };
        return Ok(Value::new(Kind::Unknown(Arc::new(u.descend(&step)))).inherit_origin(c));
    }
    if k.is_unknown() {
        return Ok(k.clone());
    }
    match &c.kind {
        Kind::List(items) => {
            let n = to_number(k, span)?;
            if n.fract() != 0.0 || n < 0.0 || n >= items.len() as f64 {
                return Err(EvalError::new(
                    format!(
                        "index {} is out of range for a list of {} elements",
                        crate::terraform::value::format_number(n),
                        items.len()
                    ),
                    span,
                ));
            }
            Ok(items[n as usize].clone().inherit_origin(c))
        }
        Kind::Map(m) => {
            let key = key_string(k, span)?;
            match m.get(&key) {
                Some(v) => Ok(v.clone().inherit_origin(c)),
                None if lenient => Ok(Value::null()),
                None => Err(EvalError::new(format!("the map has no element with key {key:?}"), span)),
            }
        }
        Kind::Set(_) => {
            Err(EvalError::new("elements of a set cannot be indexed: they are identified only by their value", span))
        }
        Kind::Null if lenient => Ok(Value::null()),
        Kind::Null => Err(EvalError::new("attempt to index a null value", span)),
        _ => Err(EvalError::new(format!("a {} value cannot be indexed", c.type_name()), span)),
    }
}

/// A value used as a map key: strings, and numbers and bools as Terraform converts them.
pub fn key_string(k: &Value, span: Span) -> EResult<String> {
    match &k.kind {
        Kind::String(s) => Ok(s.to_string()),
        Kind::Number(_) | Kind::Bool(_) => Ok(k.to_template_string().unwrap_or_default()),
        _ => Err(EvalError::new(format!("a {} value cannot be used as a key", k.type_name()), span)),
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
fn unify_results(v: Value, other: &Value, span: Span) -> EResult<Value> {
    let plain = |x: &Value| matches!(x.kind, Kind::Null | Kind::Unknown(_));
    let primitive = |x: &Value| matches!(x.kind, Kind::Bool(_) | Kind::Number(_) | Kind::String(_));
    let same_primitive = primitive(&v) && std::mem::discriminant(&v.kind) == std::mem::discriminant(&other.kind);
    if plain(&v) || plain(other) || same_primitive {
        return Ok(v);
    }
    spend_n(v.weight().saturating_add(other.weight()), span)?;
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

pub fn to_bool(v: &Value, span: Span) -> EResult<bool> {
    match &v.kind {
        Kind::Bool(b) => Ok(*b),
        // cty's string-to-bool conversion also takes "1" and "0".
        Kind::String(s) if &**s == "true" || &**s == "1" => Ok(true),
        Kind::String(s) if &**s == "false" || &**s == "0" => Ok(false),
        Kind::Null => Err(EvalError::new("a null value cannot be used as a condition", span)),
        _ => Err(EvalError::new(format!("a bool is required, not a {}", v.type_name()), span)),
    }
}

pub fn to_number(v: &Value, span: Span) -> EResult<f64> {
    match &v.kind {
        Kind::Number(n) => Ok(*n),
        Kind::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| EvalError::new(format!("a number is required, not the string {s:?}"), span)),
        Kind::Null => Err(EvalError::new("a number is required, not null", span)),
        _ => Err(EvalError::new(format!("a number is required, not a {}", v.type_name()), span)),
    }
}

/// Renders a template text with `vars` (for `templatefile` and `templatestring`).
fn render_template(text: &str, name: &str, vars: &Map, paths: &FilePaths) -> Result<Value, FnError> {
    let line = |span: Span| text[..(span.start as usize).min(text.len())].matches('\n').count() + 1;
    let expr = crate::syntax::hcl::parser::parse_template(text, TEMPLATE_FILE)
        .map_err(|e| FnError::Failed(format!("{name}:{}: {}", line(e.span), e.message)))?;
    let env = TemplateEnv { vars, paths };
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

    fn paths(&self) -> FilePaths<'_> {
        FilePaths { module_dir: self.paths.module_dir, root_dir: self.paths.root_dir, sandbox: self.paths.sandbox }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::syntax::hcl::parser::parse_expression;
    use std::path::{Path, PathBuf};

    /// An environment with a few variables, for evaluator tests.
    pub struct TestEnv {
        pub vars: Map,
    }

    impl Env for TestEnv {
        fn lookup(&self, root: &str, attrs: &[&str], span: Span) -> EResult<(Value, usize)> {
            match root {
                "var" => {
                    let name = attrs.first().ok_or_else(|| EvalError::new("var needs a name", span))?;
                    self.vars
                        .get(*name)
                        .cloned()
                        .map(|v| (v, 1))
                        .ok_or_else(|| EvalError::new(format!("no variable {name}"), span))
                }
                "aws_kms_key" => Ok((
                    Value::unknown(UnknownSource::Resource { rtype: root.into(), name: attrs[0].into(), span: None }),
                    1,
                )),
                _ => Err(EvalError::new(format!("unknown name {root}"), span)),
            }
        }
        fn paths(&self) -> FilePaths<'_> {
            static EMPTY: Vec<PathBuf> = Vec::new();
            FilePaths { module_dir: Path::new("."), root_dir: Path::new("."), sandbox: &EMPTY }
        }
    }

    pub fn eval_with(src: &str, vars: &[(&str, Value)]) -> EResult<Value> {
        let env = TestEnv { vars: vars.iter().map(|(k, v)| (k.to_string(), v.clone())).collect() };
        let e = parse_expression(src, FileId(0)).unwrap_or_else(|e| panic!("{src}: {}", e.message));
        Scope::new(&env).eval(&e)
    }

    fn ev(src: &str) -> Value {
        eval_with(src, &[]).unwrap_or_else(|e| panic!("{src}: {}", e.message))
    }

    #[test]
    fn arithmetic_and_logic() {
        assert_eq!(ev("1 + 2 * 3"), Value::number(7.0));
        assert_eq!(ev("\"2\" + 1"), Value::number(3.0));
        assert_eq!(ev("7 % 3 == 1 && !false"), Value::bool(true));
        assert_eq!(ev("1 == \"1\""), Value::bool(false));
        assert_eq!(ev("1 / 0"), Value::number(f64::INFINITY));
        assert_eq!(ev("\"x${-1 / 0}\""), Value::string("x-Inf"));
        assert!(eval_with("0 / 0", &[]).is_err());
        assert!(eval_with("1 / 0 - 1 / 0", &[]).is_err());
        assert_eq!(ev("1 % 0"), Value::number(1.0));
        // Terraform evaluates and checks both sides (no short-circuit for errors or types)...
        assert!(eval_with("true || [][0]", &[]).is_err());
        assert!(eval_with("false && [][0]", &[]).is_err());
        assert!(eval_with("true || 1", &[]).is_err());
        // ...but a known side that decides the result decides it when the other is unknown.
        assert_eq!(ev("true || aws_kms_key.k.enabled"), Value::bool(true));
        assert_eq!(ev("aws_kms_key.k.enabled && false"), Value::bool(false));
    }

    #[test]
    fn templates_render_and_unwrap() {
        assert_eq!(ev("\"a-${1 + 1}-${true}\""), Value::string("a-2-true"));
        assert_eq!(ev("\"${[1, 2]}\""), Value::list(vec![Value::number(1.0), Value::number(2.0)]));
        assert_eq!(ev("\"%{ for x in [1, 2] }<${x}>%{ endfor }\""), Value::string("<1><2>"));
        assert_eq!(ev("\"%{ if 1 > 2 }yes%{ else }no%{ endif }\""), Value::string("no"));
        assert!(eval_with("\"x${null}\"", &[]).is_err());
        assert_eq!(ev("\"${null}\""), Value::null());
    }

    #[test]
    fn unknown_parts_leave_prefix_and_suffix() {
        let v = ev("\"arn:aws:kms:${aws_kms_key.x.region}:${aws_kms_key.y.account}:alias/aws/ecr\"");
        let u = v.as_unknown().expect("unknown");
        assert_eq!(u.prefix.as_deref(), Some("arn:aws:kms:"));
        assert_eq!(u.suffix.as_deref(), Some(":alias/aws/ecr"));
        assert!(matches!(&u.source, UnknownSource::Resource { name, .. } if name == "x"));
    }

    #[test]
    fn for_expressions_and_splats() {
        assert_eq!(
            ev("[for i, v in [\"a\", \"b\"] : \"${i}${v}\" if v != \"c\"]"),
            Value::list(vec![Value::string("0a"), Value::string("1b")])
        );
        let m = ev("{ for k, v in { a = 1, b = 2 } : v => k }");
        assert_eq!(m.as_map().unwrap().get("2"), Some(&Value::string("b")));
        let g = ev("{ for s in [\"x\", \"y\", \"x\"] : s => s... }");
        assert_eq!(g.as_map().unwrap().get("x").unwrap().as_seq().unwrap().len(), 2);
        assert!(eval_with("{ for s in [\"x\", \"x\"] : s => s }", &[]).is_err());
        assert_eq!(ev("[{ a = 1 }, { a = 2 }][*].a"), Value::list(vec![Value::number(1.0), Value::number(2.0)]));
        assert_eq!(ev("null[*].a"), Value::list(vec![]));
        assert_eq!(ev("{ a = 1 }[*].a"), Value::list(vec![Value::number(1.0)]));
    }

    #[test]
    fn indexing_and_attributes() {
        assert_eq!(ev("{ a = [1, 2] }.a[1]"), Value::number(2.0));
        assert_eq!(ev("{ a = [1, 2] }[\"a\"][0]"), Value::number(1.0));
        assert!(eval_with("[1][1]", &[]).is_err());
        assert!(eval_with("{ a = 1 }.b", &[]).is_err());
        let u = ev("aws_kms_key.k[0].arn");
        assert_eq!(u.as_unknown().unwrap().describe(), "aws_kms_key.k[0].arn");
    }

    #[test]
    fn conditionals_and_origins() {
        let origin = Arc::new(crate::terraform::value::Origin::new("variable \"x\", default", None));
        let x = Value::bool(false).with_origin(Some(origin.clone()));
        let v = eval_with("var.x ? \"KMS\" : \"AES256\"", &[("x", x)]).unwrap();
        assert_eq!(v, Value::string("AES256"));
        assert_eq!(v.origin.as_deref(), Some(&*origin));
        // Unknown condition, equal branches: the result is known.
        assert_eq!(ev("aws_kms_key.k.enabled ? \"a\" : \"a\""), Value::string("a"));
        assert!(ev("aws_kms_key.k.enabled ? \"a\" : \"b\"").is_unknown());
    }

    #[test]
    fn limits_are_not_caught_by_try_or_can() {
        let mut big = Value::string("x");
        for _ in 0..25 {
            big = Value::list(vec![big.clone(), big]);
        }
        for src in ["try(var.big, \"fallback\")", "can(var.big)", "length(var.big)", "var.big == var.big"] {
            let e = eval_with(src, &[("big", big.clone())]).expect_err(src);
            assert!(e.is_limit() && e.message.contains("limit of 1000000"), "{src}: {}", e.message);
        }
        // Under the limit, the same expressions evaluate.
        let mut small = Value::string("x");
        for _ in 0..10 {
            small = Value::list(vec![small.clone(), small]);
        }
        assert_eq!(eval_with("length(flatten(var.s))", &[("s", small)]).unwrap(), Value::number(1024.0));
    }

    #[test]
    fn try_and_can() {
        assert_eq!(ev("try({ a = 1 }.b, \"d\")"), Value::string("d"));
        assert_eq!(ev("can({ a = 1 }.b)"), Value::bool(false));
        assert_eq!(ev("can({ a = 1 }.a)"), Value::bool(true));
        assert!(ev("try(aws_kms_key.k.arn, \"x\")").is_unknown());
    }
}
