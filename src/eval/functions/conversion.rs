//! Type conversion functions (through [`crate::eval::types::convert`]) and the sensitivity
//! functions, which tfcheck treats as identities.

use super::FnContext;
use super::FnError;
use super::args::arg_err;
use crate::eval::types::{Type, convert};
use crate::terraform::value::{Kind, Value};

/// Terraform's name for the type of a value, in conversion errors.
fn type_word(v: &Value) -> &'static str {
    match v.kind {
        Kind::List(_) => "tuple",
        _ => v.type_name(),
    }
}

fn to(v: &Value, ty: &Type, target: &str) -> Result<Value, FnError> {
    convert(v.clone(), ty).map_err(|_| {
        let detail = match (&v.kind, ty) {
            (Kind::String(s), Type::Number) => {
                format!("cannot convert {s:?} to number; given string must be a decimal representation of a number")
            }
            (Kind::String(s), Type::Bool) => {
                format!("cannot convert {s:?} to bool; only the strings \"true\" or \"false\" are allowed")
            }
            _ => format!("cannot convert {} to {target}", type_word(v)),
        };
        arg_err("v", detail)
    })
}

pub fn tostring(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    to(&args[0], &Type::String, "string")
}

pub fn tonumber(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    to(&args[0], &Type::Number, "number")
}

pub fn tobool(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    to(&args[0], &Type::Bool, "bool")
}

pub fn tolist(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    to(&args[0], &Type::list(Type::Any), "list of any single type")
}

pub fn toset(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    to(&args[0], &Type::set(Type::Any), "set of any single type")
}

pub fn tomap(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    to(&args[0], &Type::map(Type::Any), "map of any single type")
}

/// `sensitive`, `nonsensitive`, `ephemeralasnull`: the value is unchanged (the caller marks
/// or unmarks it as sensitive; ephemerality is not tracked).
pub fn identity(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(args[0].clone())
}

/// Whether the value is marked sensitive (by `sensitive()`, a sensitive variable, or a
/// function of one).
pub fn issensitive(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::bool(args[0].origin.as_ref().is_some_and(|o| o.sensitive)))
}

pub fn type_fn(_: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Err("the \"type\" function is only available in the Terraform console".into())
}

#[cfg(test)]
mod tests {
    use super::super::tests::call_fn;
    use crate::terraform::value::{Kind, Value};

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn n(x: f64) -> Value {
        Value::number(x)
    }

    #[test]
    fn primitive_conversions() {
        assert_eq!(call_fn("tostring", vec![n(1.0)]).unwrap(), s("1"));
        assert_eq!(call_fn("tostring", vec![Value::bool(true)]).unwrap(), s("true"));
        assert!(call_fn("tostring", vec![Value::null()]).unwrap().is_null());
        assert!(call_fn("tostring", vec![Value::list(vec![])]).unwrap_err().contains("cannot convert tuple to string"));
        assert_eq!(call_fn("tonumber", vec![s("1")]).unwrap(), n(1.0));
        assert!(call_fn("tonumber", vec![s("no")]).unwrap_err().contains("decimal representation"));
        assert_eq!(call_fn("tobool", vec![s("true")]).unwrap(), Value::bool(true));
        assert!(call_fn("tobool", vec![s("no")]).unwrap_err().contains("only the strings"));
        let u = Value::unknown_apply("x");
        assert_eq!(call_fn("tostring", vec![u.clone()]).unwrap(), u);
    }

    #[test]
    fn collection_conversions() {
        let got = call_fn("tolist", vec![Value::list(vec![s("a"), s("b"), n(3.0)])]).unwrap();
        assert_eq!(got, Value::list(vec![s("a"), s("b"), s("3")]));
        let got = call_fn("toset", vec![Value::list(vec![s("c"), s("b"), s("b")])]).unwrap();
        assert!(matches!(got.kind, Kind::Set(_)));
        assert_eq!(got.as_seq().unwrap(), &[s("b"), s("c")]);
        let m = Value::map([("a".to_string(), n(1.0)), ("b".to_string(), s("x"))].into_iter().collect());
        let got = call_fn("tomap", vec![m]).unwrap();
        assert_eq!(got.as_map().unwrap()["a"], s("1"));
        assert!(
            call_fn("tolist", vec![Value::list(vec![n(1.0), Value::bool(true)])])
                .unwrap_err()
                .contains("cannot convert tuple to list of any single type")
        );
        assert!(call_fn("tomap", vec![Value::list(vec![])]).is_err());
        // Unknown elements are kept: the structure stays known.
        let u = Value::unknown_apply("x");
        let got = call_fn("tolist", vec![Value::list(vec![s("a"), u.clone()])]).unwrap();
        assert_eq!(got, Value::list(vec![s("a"), u]));
    }

    #[test]
    fn sensitivity_functions() {
        assert_eq!(call_fn("sensitive", vec![s("x")]).unwrap(), s("x"));
        assert_eq!(call_fn("nonsensitive", vec![s("x")]).unwrap(), s("x"));
        assert_eq!(call_fn("ephemeralasnull", vec![s("x")]).unwrap(), s("x"));
        assert_eq!(call_fn("issensitive", vec![s("x")]).unwrap(), Value::bool(false));
        assert!(call_fn("issensitive", vec![Value::unknown_apply("x")]).unwrap().is_unknown());
    }
}
