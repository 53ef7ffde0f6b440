//! What operators and references do to values: attribute access, indexing, iteration, and
//! the conversions to bool and number that conditions and arithmetic need, with Terraform's
//! errors.

use std::sync::Arc;

use super::error::{EResult, EvalError};
use crate::syntax::source::Span;
use crate::terraform::value::{Kind, Value};

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
