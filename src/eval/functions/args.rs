//! Argument checking shared by all function families: type checks with Terraform's
//! messages, and the limits that keep untrusted input from exhausting memory.

use std::borrow::Cow;
use std::fmt::Display;
use std::sync::Arc;

use super::{FnError, limit_message};
use crate::eval::types::parse_number;
use crate::terraform::value::{Kind, Map, Value, format_number};

/// Largest string a function may produce.
pub const MAX_STRING: usize = 16 << 20;
/// Largest collection a function may produce.
pub const MAX_ELEMENTS: usize = 1_000_000;

/// An error about one argument, worded as Terraform words it.
pub fn arg_err(param: &str, msg: impl Display) -> FnError {
    FnError::Argument(format!("Invalid value for {param:?} parameter: {msg}."))
}

/// The first unknown inside any argument, without the refinements that describe it.
pub fn first_unknown(args: &[Value]) -> Option<Value> {
    args.iter().find_map(|a| a.first_unknown()).map(plain_unknown)
}

/// `v`'s first unknown with `prefix`/`suffix` dropped (they describe `v`, not a result); a
/// string built around an unknown stays marked as computed.
pub fn plain_unknown(v: &Value) -> Value {
    match &v.kind {
        Kind::Unknown(u) if u.prefix.is_some() || u.suffix.is_some() || u.template.is_some() => {
            let mut u = (**u).clone();
            u.prefix = None;
            u.suffix = None;
            u.template = None;
            u.derived = true;
            Value::new(Kind::Unknown(Arc::new(u)))
        }
        _ => v.clone().with_origin(None),
    }
}

fn not_null<'a>(v: &'a Value, param: &str) -> Result<&'a Value, FnError> {
    if v.is_null() { Err(arg_err(param, "argument must not be null")) } else { Ok(v) }
}

/// A string argument; numbers and bools convert as Terraform converts them.
pub fn string<'a>(v: &'a Value, param: &str) -> Result<Cow<'a, str>, FnError> {
    match &not_null(v, param)?.kind {
        Kind::String(s) => Ok(Cow::Borrowed(s)),
        Kind::Number(n) => Ok(Cow::Owned(format_number(*n))),
        Kind::Bool(b) => Ok(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => Err(arg_err(param, "string required")),
    }
}

/// A number argument; numeric strings convert.
pub fn number(v: &Value, param: &str) -> Result<f64, FnError> {
    match &not_null(v, param)?.kind {
        Kind::Number(n) => Ok(*n),
        Kind::String(s) => parse_number(s).ok_or_else(|| arg_err(param, "a number is required")),
        _ => Err(arg_err(param, "number required")),
    }
}

/// A whole-number argument that fits an `i64`.
pub fn integer(v: &Value, param: &str) -> Result<i64, FnError> {
    let n = number(v, param)?;
    if n.fract() != 0.0 || !n.is_finite() || n.abs() >= 9.223_372_036_854_776e18 {
        return Err(arg_err(
            param,
            "value must be a whole number, between -9223372036854775808 and 9223372036854775807",
        ));
    }
    Ok(n as i64)
}

/// A bool argument; "true"/"false" strings convert.
pub fn boolean(v: &Value, param: &str) -> Result<bool, FnError> {
    match &not_null(v, param)?.kind {
        Kind::Bool(b) => Ok(*b),
        Kind::String(s) if &**s == "true" || &**s == "1" => Ok(true),
        Kind::String(s) if &**s == "false" || &**s == "0" => Ok(false),
        Kind::String(_) => Err(arg_err(param, "a bool is required")),
        _ => Err(arg_err(param, "bool required")),
    }
}

/// The elements of a list, tuple or set argument.
pub fn seq<'a>(v: &'a Value, param: &str) -> Result<&'a [Value], FnError> {
    not_null(v, param)?.as_seq().ok_or_else(|| arg_err(param, "list, set, or tuple required"))
}

/// The entries of a map or object argument.
pub fn map<'a>(v: &'a Value, param: &str) -> Result<&'a Map, FnError> {
    not_null(v, param)?.as_map().ok_or_else(|| arg_err(param, "map or object required"))
}

/// A `list(string)` argument.
pub fn strings<'a>(v: &'a Value, param: &str) -> Result<Vec<Cow<'a, str>>, FnError> {
    seq(v, param)?
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if e.is_null() {
                return Err(arg_err(param, format!("element {i} is null")));
            }
            string(e, param).map_err(|_| arg_err(param, "list of string required"))
        })
        .collect()
}

/// Fails when a produced string would be too large.
pub fn check_len(len: usize) -> Result<(), FnError> {
    if len > MAX_STRING {
        Err(limit_message(format_args!("the result would be longer than tfcheck's limit of {} MiB", MAX_STRING >> 20)))
    } else {
        Ok(())
    }
}

/// Fails when a produced collection would be too large.
pub fn check_count(n: usize) -> Result<(), FnError> {
    if n > MAX_ELEMENTS {
        Err(limit_message(format_args!("the result would have more than tfcheck's limit of {MAX_ELEMENTS} elements")))
    } else {
        Ok(())
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}
