//! Terraform type constraints and the conversion of values to them.
//!
//! [`convert`] follows cty's "unsafe" conversion rules, which Terraform uses for variables
//! and function arguments: primitives convert through strings, tuples and lists convert to
//! lists and sets, objects and maps convert to each other, and `optional()` attributes get
//! their defaults (Terraform 1.3+). Values carry no static type, so a collection's element
//! type is inferred from its elements ([`type_of`]) and unified ([`unify`]) when the target
//! says `any`.

use std::fmt;

use crate::terraform::value::{Kind, Map, Value, format_number};

/// A type constraint as written in a `type =` argument or a conversion function.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// `any`: accepts every value unchanged (inside collections: one unified type).
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(Vec<ObjAttr>),
}

/// One attribute of an object type constraint.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjAttr {
    pub name: String,
    pub ty: Type,
    /// Declared with `optional(...)`.
    pub optional: bool,
    /// The second argument of `optional(type, default)`.
    pub default: Option<Value>,
}

impl ObjAttr {
    /// A required attribute.
    pub fn required(name: impl Into<String>, ty: Type) -> ObjAttr {
        ObjAttr { name: name.into(), ty, optional: false, default: None }
    }
    /// An `optional(ty, default)` attribute.
    #[cfg(test)]
    pub fn optional(name: impl Into<String>, ty: Type, default: Option<Value>) -> ObjAttr {
        ObjAttr { name: name.into(), ty, optional: true, default }
    }
}

impl Type {
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }
    pub fn set(t: Type) -> Type {
        Type::Set(Box::new(t))
    }
    pub fn map(t: Type) -> Type {
        Type::Map(Box::new(t))
    }

    /// Whether `any` appears anywhere in the type.
    pub fn has_any(&self) -> bool {
        match self {
            Type::Any => true,
            Type::String | Type::Number | Type::Bool => false,
            Type::List(t) | Type::Set(t) | Type::Map(t) => t.has_any(),
            Type::Tuple(ts) => ts.iter().any(Type::has_any),
            Type::Object(attrs) => attrs.iter().any(|a| a.ty.has_any()),
        }
    }
}

impl fmt::Display for Type {
    /// Terraform's "friendly" type names, as used in error messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Any => f.write_str("any"),
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Set(t) => write!(f, "set of {t}"),
            Type::Map(t) => write!(f, "map of {t}"),
            Type::Tuple(_) => f.write_str("tuple"),
            Type::Object(_) => f.write_str("object"),
        }
    }
}

/// Converts `v` to type `ty`. Null converts to null of any type; unknown values pass through
/// unchanged, wherever they are.
pub fn convert(v: Value, ty: &Type) -> Result<Value, String> {
    conv(&v, ty)
}

/// The type a value has on its own: lists are tuples, maps are objects, null and unknown are
/// `any` (they convert to every type).
pub fn type_of(v: &Value) -> Type {
    match &v.kind {
        Kind::Null | Kind::Unknown(_) => Type::Any,
        Kind::Bool(_) => Type::Bool,
        Kind::Number(_) => Type::Number,
        Kind::String(_) => Type::String,
        Kind::List(items) => Type::Tuple(items.iter().map(type_of).collect()),
        Kind::Set(items) => {
            let tys: Vec<Type> = items.iter().map(type_of).collect();
            Type::set(unify(&tys).unwrap_or(Type::Any))
        }
        Kind::Map(m) => Type::Object(m.iter().map(|(k, v)| ObjAttr::required(k.clone(), type_of(v))).collect()),
    }
}

/// The single type all of `types` convert to, preferring the most general (cty's `unify`):
/// objects with different attributes unify to a map, tuples of different lengths to a list,
/// a mix of strings and numbers to string. `any` (null, unknown) is compatible with all.
pub fn unify(types: &[Type]) -> Option<Type> {
    let known: Vec<&Type> = types.iter().filter(|t| **t != Type::Any).collect();
    let Some(first) = known.first() else {
        return Some(Type::Any);
    };
    if known.iter().all(|t| t == first) {
        return Some((*first).clone());
    }
    let objects = known.iter().filter(|t| matches!(t, Type::Object(_))).count();
    let tuples = known.iter().filter(|t| matches!(t, Type::Tuple(_))).count();
    if objects > 0 && tuples > 0 {
        return None;
    }
    if objects == known.len() {
        return unify_objects(&known);
    }
    if tuples == known.len() {
        return unify_tuples(&known);
    }
    // Otherwise one of the given types must accept all the others.
    let mut candidates: Vec<&Type> = known.clone();
    // cty's preference: a set before a list before a tuple, a map before an object, a string
    // before other primitives; then the most general.
    let rank = |t: &Type| match t {
        Type::Set(_) => 2,
        Type::List(_) | Type::Map(_) => 1,
        _ => 0,
    };
    candidates.sort_by_key(|t| std::cmp::Reverse((rank(t), generality(t))));
    candidates.into_iter().find(|want| known.iter().all(|t| convertible(t, want))).cloned()
}

fn unify_objects(types: &[&Type]) -> Option<Type> {
    // Each object's attributes sorted by name, borrowed (types can be large).
    let attrs: Vec<Vec<(&str, &Type)>> = types
        .iter()
        .map(|t| {
            let mut a: Vec<(&str, &Type)> = match t {
                Type::Object(a) => a.iter().map(|x| (x.name.as_str(), &x.ty)).collect(),
                _ => Vec::new(),
            };
            a.sort_by(|x, y| x.0.cmp(y.0));
            a
        })
        .collect();
    let first = &attrs[0];
    let same_names = attrs.iter().all(|a| a.len() == first.len() && a.iter().zip(first).all(|(x, y)| x.0 == y.0));
    if same_names {
        let mut out = Vec::with_capacity(first.len());
        for (i, (name, _)) in first.iter().enumerate() {
            let across: Vec<Type> = attrs.iter().map(|a| a[i].1.clone()).collect();
            out.push(ObjAttr::required(*name, unify(&across)?));
        }
        return Some(Type::Object(out));
    }
    let all: Vec<Type> = attrs.iter().flat_map(|a| a.iter().map(|x| x.1.clone())).collect();
    Some(Type::map(unify(&all)?))
}

fn unify_tuples(types: &[&Type]) -> Option<Type> {
    let elems: Vec<&[Type]> = types
        .iter()
        .map(|t| match t {
            Type::Tuple(e) => e.as_slice(),
            _ => &[],
        })
        .collect();
    let first = elems[0];
    if elems.iter().all(|e| e.len() == first.len()) {
        let mut out = Vec::with_capacity(first.len());
        for i in 0..first.len() {
            let across: Vec<Type> = elems.iter().map(|e| e[i].clone()).collect();
            out.push(unify(&across)?);
        }
        return Some(Type::Tuple(out));
    }
    let all: Vec<Type> = elems.iter().flat_map(|e| e.iter().cloned()).collect();
    Some(Type::list(unify(&all)?))
}

/// How many string leaves a type has: strings accept numbers and bools, so the type with
/// more of them is the more general candidate.
fn generality(t: &Type) -> usize {
    match t {
        Type::Any => usize::MAX / 2,
        Type::String => 1,
        Type::Number | Type::Bool => 0,
        Type::List(e) | Type::Set(e) | Type::Map(e) => generality(e),
        // Saturating: `any` counts as "very general", and several of them must not overflow.
        Type::Tuple(ts) => ts.iter().map(generality).fold(0, usize::saturating_add),
        Type::Object(attrs) => attrs.iter().map(|a| generality(&a.ty)).fold(0, usize::saturating_add),
    }
}

/// Whether a value of type `from` can convert to `to`.
fn convertible(from: &Type, to: &Type) -> bool {
    use Type::*;
    match (from, to) {
        (_, Any) | (Any, _) => true,
        (String | Number | Bool, String) => true,
        (String | Number, Number) => true,
        (String | Bool, Bool) => true,
        (List(a) | Set(a), List(b) | Set(b)) => convertible(a, b),
        (Tuple(es), List(b) | Set(b)) => es.iter().all(|e| convertible(e, b)),
        (List(a) | Set(a), Tuple(bs)) => bs.iter().all(|b| convertible(a, b)),
        (Tuple(es), Tuple(bs)) => es.len() == bs.len() && es.iter().zip(bs).all(|(e, b)| convertible(e, b)),
        (Map(a), Map(b)) => convertible(a, b),
        (Object(attrs), Map(b)) => attrs.iter().all(|a| convertible(&a.ty, b)),
        (Map(a), Object(bs)) => bs.iter().all(|b| convertible(a, &b.ty)),
        (Object(from), Object(to)) => to.iter().all(|b| match from.iter().find(|a| a.name == b.name) {
            Some(a) => convertible(&a.ty, &b.ty),
            None => b.optional,
        }),
        _ => false,
    }
}

/// Parses a string as a number the way cty does (decimal only, optional sign and exponent).
pub fn parse_number(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body == "Inf" || body == "inf" {
        return Some(if s.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !digits(e) {
            return None;
        }
    }
    s.parse::<f64>().ok()
}

fn conv(v: &Value, ty: &Type) -> Result<Value, String> {
    if v.is_null() || v.is_unknown() || *ty == Type::Any {
        return Ok(v.clone());
    }
    let out = match ty {
        Type::Any => v.clone(),
        Type::String => match &v.kind {
            Kind::String(_) => v.clone(),
            Kind::Number(n) if n.is_infinite() => Value::string(if *n > 0.0 { "+Inf" } else { "-Inf" }),
            Kind::Number(n) => Value::string(format_number(*n)),
            Kind::Bool(b) => Value::string(if *b { "true" } else { "false" }),
            _ => return Err(mismatch(v, ty)),
        },
        Type::Number => match &v.kind {
            Kind::Number(_) => v.clone(),
            Kind::String(s) => Value::number(parse_number(s).ok_or("a number is required")?),
            _ => return Err(mismatch(v, ty)),
        },
        Type::Bool => match &v.kind {
            Kind::Bool(_) => v.clone(),
            Kind::String(s) => match &**s {
                "true" | "1" => Value::bool(true),
                "false" | "0" => Value::bool(false),
                _ => return Err("a bool is required".into()),
            },
            _ => return Err(mismatch(v, ty)),
        },
        Type::List(ety) | Type::Set(ety) => {
            let Some(items) = v.as_seq() else {
                return Err(mismatch(v, ty));
            };
            let items = convert_all(items, ety, "list", |i| format!("element {i}"))?;
            if matches!(ty, Type::Set(_)) { Value::set(items) } else { Value::list(items) }
        }
        Type::Map(ety) => {
            let Some(m) = v.as_map() else {
                return Err(mismatch(v, ty));
            };
            let keys: Vec<&String> = m.keys().collect();
            let vals: Vec<Value> = m.values().cloned().collect();
            let vals = convert_all(&vals, ety, "map", |i| format!("element {:?}", keys[i]))?;
            Value::map(keys.into_iter().cloned().zip(vals).collect())
        }
        Type::Tuple(etys) => {
            let Some(items) = v.as_seq() else {
                return Err(mismatch(v, ty));
            };
            if items.len() != etys.len() {
                return Err(format!("a tuple of {} elements is required", etys.len()));
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (item, ety)) in items.iter().zip(etys).enumerate() {
                out.push(conv(item, ety).map_err(|e| format!("element {i}: {e}"))?);
            }
            Value::list(out)
        }
        Type::Object(attrs) => {
            let Some(m) = v.as_map() else {
                return Err(mismatch(v, ty));
            };
            let mut out = Map::new();
            for attr in attrs {
                let given = m.get(&attr.name).filter(|v| !v.is_null());
                let val = match (given, attr.optional, &attr.default) {
                    (Some(g), _, _) => conv(g, &attr.ty),
                    (None, true, Some(d)) => conv(d, &attr.ty),
                    (None, true, None) => Ok(Value::null()),
                    (None, false, _) if m.contains_key(&attr.name) => Ok(Value::null()),
                    (None, false, _) => {
                        return Err(format!("attribute {:?} is required", attr.name));
                    }
                };
                out.insert(attr.name.clone(), val.map_err(|e| format!("attribute {:?}: {e}", attr.name))?);
            }
            Value::map(out)
        }
    };
    Ok(out.with_origin(v.origin.clone()))
}

/// Converts each element to `ety`; when `ety` leaves room (`any`), the results must then
/// share one type, as elements of a Terraform collection do.
fn convert_all(items: &[Value], ety: &Type, what: &str, label: impl Fn(usize) -> String) -> Result<Vec<Value>, String> {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(conv(item, ety).map_err(|e| format!("{}: {e}", label(i)))?);
    }
    if ety.has_any() && out.len() > 1 {
        let tys: Vec<Type> = out.iter().map(type_of).collect();
        let Some(common) = unify(&tys) else {
            return Err(format!("all {what} elements must have the same type"));
        };
        if common != Type::Any {
            out = out.iter().map(|v| conv(v, &common)).collect::<Result<_, _>>()?;
        }
    }
    Ok(out)
}

/// cty's message for a value of the wrong kind.
fn mismatch(v: &Value, want: &Type) -> String {
    match want {
        Type::String | Type::Number | Type::Bool => format!("{want} required"),
        Type::List(_) | Type::Set(_) | Type::Map(_) => format!("{want} required"),
        Type::Tuple(_) => "tuple required".into(),
        Type::Object(_) => "object required".into(),
        Type::Any => format!("cannot use {}", v.type_name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn n(x: f64) -> Value {
        Value::number(x)
    }
    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn unify_prefers_sets_and_does_not_overflow_on_nulls() {
        // A tuple of two nulls counts as very general twice: this overflowed (a panic in
        // debug builds) before generality saturated. cty prefers the set.
        let nulls = Type::Tuple(vec![Type::Any, Type::Any]);
        assert_eq!(unify(&[nulls.clone(), Type::set(Type::String)]), Some(Type::set(Type::String)));
        assert_eq!(unify(&[Type::set(Type::String), nulls]), Some(Type::set(Type::String)));
        assert_eq!(unify(&[Type::Number, Type::Bool]), None);
        assert_eq!(unify(&[Type::Number, Type::String]), Some(Type::String));
    }

    #[test]
    fn primitives_convert_like_terraform() {
        assert_eq!(convert(n(42.0), &Type::String).unwrap(), s("42"));
        assert_eq!(convert(n(1.5), &Type::String).unwrap(), s("1.5"));
        assert_eq!(convert(Value::bool(true), &Type::String).unwrap(), s("true"));
        assert_eq!(convert(s("12"), &Type::Number).unwrap(), n(12.0));
        assert_eq!(convert(s("1e3"), &Type::Number).unwrap(), n(1000.0));
        assert_eq!(convert(s("true"), &Type::Bool).unwrap(), Value::bool(true));
        assert_eq!(convert(s("0"), &Type::Bool).unwrap(), Value::bool(false));
        assert_eq!(convert(s("yes"), &Type::Bool).unwrap_err(), "a bool is required");
        assert_eq!(convert(s("0x10"), &Type::Number).unwrap_err(), "a number is required");
        assert_eq!(convert(n(1.0), &Type::Bool).unwrap_err(), "bool required");
        assert!(convert(Value::list(vec![]), &Type::String).is_err());
    }

    #[test]
    fn null_and_unknown_pass_through() {
        assert!(convert(Value::null(), &Type::list(Type::String)).unwrap().is_null());
        let u = Value::unknown_apply("x");
        assert_eq!(convert(u.clone(), &Type::Number).unwrap(), u);
        let l = convert(Value::list(vec![n(1.0), u.clone()]), &Type::list(Type::String)).unwrap();
        assert_eq!(l, Value::list(vec![s("1"), u]));
    }

    #[test]
    fn tuples_unify_for_any() {
        let v = Value::list(vec![n(1.0), s("a")]);
        assert_eq!(convert(v, &Type::list(Type::Any)).unwrap(), Value::list(vec![s("1"), s("a")]));
        let v = Value::list(vec![n(1.0), Value::bool(true)]);
        assert_eq!(convert(v, &Type::list(Type::Any)).unwrap_err(), "all list elements must have the same type");
        // Objects with different attributes unify to maps.
        let v = Value::list(vec![obj(&[("a", n(1.0))]), obj(&[("b", s("x"))])]);
        let got = convert(v, &Type::list(Type::Any)).unwrap();
        assert_eq!(got, Value::list(vec![obj(&[("a", s("1"))]), obj(&[("b", s("x"))])]));
    }

    #[test]
    fn lists_become_sets_without_duplicates() {
        let v = Value::list(vec![s("b"), s("a"), s("b")]);
        let got = convert(v, &Type::set(Type::String)).unwrap();
        assert!(matches!(got.kind, Kind::Set(_)));
        assert_eq!(got.as_seq().unwrap(), &[s("a"), s("b")]);
    }

    #[test]
    fn objects_and_maps() {
        let v = obj(&[("a", n(1.0)), ("b", s("x"))]);
        assert_eq!(convert(v.clone(), &Type::map(Type::String)).unwrap(), obj(&[("a", s("1")), ("b", s("x"))]));
        let ty = Type::Object(vec![ObjAttr::required("a", Type::String)]);
        assert_eq!(convert(v, &ty).unwrap(), obj(&[("a", s("1"))]));
        let missing = convert(obj(&[("b", n(1.0))]), &ty).unwrap_err();
        assert_eq!(missing, "attribute \"a\" is required");
        assert!(convert(Value::list(vec![]), &ty).is_err());
    }

    #[test]
    fn optional_attributes_get_defaults_recursively() {
        let inner = Type::Object(vec![
            ObjAttr::required("name", Type::String),
            ObjAttr::optional("encrypted", Type::Bool, Some(Value::bool(true))),
            ObjAttr::optional("kms", Type::String, None),
        ]);
        let ty = Type::Object(vec![
            ObjAttr::optional("items", Type::list(inner.clone()), Some(Value::list(vec![]))),
            ObjAttr::optional("one", inner, Some(obj(&[("name", s("d"))]))),
        ]);
        let given = obj(&[(
            "items",
            Value::list(vec![obj(&[("name", s("a"))]), obj(&[("name", s("b")), ("encrypted", s("false"))])]),
        )]);
        let got = convert(given, &ty).unwrap();
        let m = got.as_map().unwrap();
        let items = m["items"].as_seq().unwrap();
        assert_eq!(items[0], obj(&[("encrypted", Value::bool(true)), ("kms", Value::null()), ("name", s("a"))]));
        assert_eq!(items[1].as_map().unwrap()["encrypted"], Value::bool(false));
        // The default object itself gets its nested defaults.
        assert_eq!(m["one"], obj(&[("encrypted", Value::bool(true)), ("kms", Value::null()), ("name", s("d"))]));
        // Null given for an optional attribute takes the default too.
        let got = convert(obj(&[("one", Value::null())]), &ty).unwrap();
        assert_eq!(got.as_map().unwrap()["items"], Value::list(vec![]));
    }

    #[test]
    fn errors_name_the_path() {
        let ty = Type::list(Type::Object(vec![ObjAttr::required("a", Type::Number)]));
        let v = Value::list(vec![obj(&[("a", s("x"))])]);
        assert_eq!(convert(v, &ty).unwrap_err(), "element 0: attribute \"a\": a number is required");
    }

    #[test]
    fn numbers_parse_strictly() {
        assert_eq!(parse_number("-1.5e2"), Some(-150.0));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("5."), Some(5.0));
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number(" 1"), None);
        assert_eq!(parse_number("nan"), None);
        assert_eq!(parse_number("1_000"), None);
    }
}
