//! Expression evaluation: HCL's operators, templates, `for`, splats, indexing and function
//! calls over [`Value`]s. What names mean (`var.x`, `aws_kms_key.k`, `resource`) is up to the
//! [`Env`] the expression is evaluated in: a module instance, a rule, a template file.

use std::sync::Arc;

pub use super::access::{get_attr, index, iterate, key_string, to_bool, to_number};
use super::budget::Budget;
pub use super::error::{EResult, EvalError};
use crate::syntax::hcl::ast::*;
use crate::syntax::source::Span;
use crate::terraform::value::{Kind, Map, UnknownSource, Value};

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

    /// The budget of the evaluation this environment belongs to.
    fn budget(&self) -> &Budget;

    /// In rules, a missing attribute of a resource reads as null, as an unset attribute does
    /// in Terraform's schema-based values.
    fn lenient(&self) -> bool {
        false
    }

    /// An error in one element of an object or tuple: in a configuration it is reported and
    /// that element alone becomes unknown, so the rest (keys, lengths, other attributes) stays
    /// known; elsewhere (rules) it fails the whole expression.
    fn absorb_element(&self, e: EvalError) -> EResult<Value> {
        Err(e)
    }
}

pub struct FilePaths<'a> {
    pub module_dir: &'a std::path::Path,
    pub root_dir: &'a std::path::Path,
    pub sandbox: &'a [std::path::PathBuf],
}

/// The evaluation scope: the environment plus names bound by `for` expressions, dynamic
/// block iterators and splats.
pub struct Scope<'e> {
    pub(super) env: &'e dyn Env,
    pub(super) budget: &'e Budget,
    vars: Vec<(String, Value)>,
    splat: Vec<Value>,
    /// Inside `try`/`can` arguments, whose errors decide the result: not absorbed.
    pub(super) catching: u32,
}

impl<'e> Scope<'e> {
    pub fn new(env: &'e dyn Env) -> Scope<'e> {
        Scope { env, budget: env.budget(), vars: Vec::new(), splat: Vec::new(), catching: 0 }
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
        self.budget.spend(1, e.span)?;
        let v = self.eval_kind(e).map_err(|err| self.budget.record(err))?;
        self.budget.check_weight(&v, e.span)?;
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
                    let v = self.eval(i);
                    out.push(self.element(v)?);
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
                    return Ok(v.derived());
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
                ObjectKey::Ident(k, _) => k.to_string(),
                ObjectKey::Expr(ke) => {
                    let k = self.eval(ke)?;
                    if let Some(u) = k.first_unknown() {
                        return Ok(u.clone());
                    }
                    key_string(&k, ke.span)?
                }
            };
            let v = self.eval(&item.value);
            m.insert(key, self.element(v)?);
        }
        Ok(Value::map(m))
    }

    /// An element of an object or tuple constructor (see [`Env::absorb_element`]).
    fn element(&mut self, r: EResult<Value>) -> EResult<Value> {
        match r {
            Err(e) if self.catching == 0 && !e.is_limit() => self.env.absorb_element(e),
            r => r,
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
                return Ok(lv.derived());
            }
            if rv.is_unknown() {
                return Ok(rv.derived());
            }
            return Ok(Value::bool(!decisive).inherit_origin(&lv).inherit_origin(&rv));
        }
        let rv = self.eval(r)?;
        let result = match op {
            BinaryOp::Eq | BinaryOp::Ne => {
                match self.budget.spend(lv.weight().min(rv.weight()), span).map(|_| lv.equals(&rv))? {
                    Some(eq) => Value::bool(eq == (op == BinaryOp::Eq)),
                    None => return Ok(first_unknown_of(&lv, &rv)),
                }
            }
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
pub(super) fn bind_pair(s: &mut Scope, key_var: Option<&str>, value_var: &str, k: Value, v: Value) -> usize {
    let mut n = 1;
    if let Some(kv) = key_var {
        s.bind(kv, k);
        n += 1;
    }
    s.bind(value_var, v);
    n
}

fn first_unknown_of(a: &Value, b: &Value) -> Value {
    let u = a.first_unknown().or_else(|| b.first_unknown()).cloned().unwrap_or_else(|| Value::unknown_error("unknown"));
    match u.as_unknown() {
        Some(x) if x.prefix.is_some() || x.suffix.is_some() || x.template.is_some() => {
            let mut x = x.clone();
            x.prefix = None;
            x.suffix = None;
            x.template = None;
            Value::new(Kind::Unknown(Arc::new(x))).derived()
        }
        _ => u.derived(),
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
        pub budget: Budget,
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
                    Value::unknown(UnknownSource::Resource {
                        rtype: root.into(),
                        name: attrs[0].into(),
                        module: None,
                        span: None,
                    }),
                    1,
                )),
                _ => Err(EvalError::new(format!("unknown name {root}"), span)),
            }
        }
        fn paths(&self) -> FilePaths<'_> {
            static EMPTY: Vec<PathBuf> = Vec::new();
            FilePaths { module_dir: Path::new("."), root_dir: Path::new("."), sandbox: &EMPTY }
        }
        fn budget(&self) -> &Budget {
            &self.budget
        }
    }

    pub fn eval_with(src: &str, vars: &[(&str, Value)]) -> EResult<Value> {
        let env =
            TestEnv { vars: vars.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(), budget: Budget::default() };
        let e =
            parse_expression(src, crate::syntax::source::FileId(0)).unwrap_or_else(|e| panic!("{src}: {}", e.message));
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
    fn computed_unknowns_are_told_from_passed_on_ones() {
        // Joins take a passed-on value for a reference to its resource, not a computed one.
        let passed = |src: &str| ev(src).as_unknown().map(|u| u.is_passed_through());
        for src in [
            "aws_kms_key.k.arn",
            "\"${aws_kms_key.k.arn}\"",
            "try(aws_kms_key.k.arn, \"\")",
            "one([aws_kms_key.k.arn])",
        ] {
            assert_eq!(passed(src), Some(true), "{src}");
        }
        for src in [
            "upper(aws_kms_key.k.arn)",
            "\"${aws_kms_key.k.arn}-x\"",
            "aws_kms_key.k.arn == \"x\"",
            "!aws_kms_key.k.enabled",
            "aws_kms_key.k.enabled ? \"a\" : \"b\"",
            "upper(aws_kms_key.k.arn)[0]",
        ] {
            assert_eq!(passed(src), Some(false), "{src}");
        }
    }

    #[test]
    fn try_and_can() {
        assert_eq!(ev("try({ a = 1 }.b, \"d\")"), Value::string("d"));
        assert_eq!(ev("can({ a = 1 }.b)"), Value::bool(false));
        assert_eq!(ev("can({ a = 1 }.a)"), Value::bool(true));
        assert!(ev("try(aws_kms_key.k.arn, \"x\")").is_unknown());
    }
}
