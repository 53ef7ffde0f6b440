//! Collection functions over lists, tuples, sets, maps and objects.

use super::FnError;
use std::cmp::Ordering;

use super::FnContext;
use super::args::{self, arg_err, boolean, check_count, integer, number, plain_unknown, seq, string, strings};
use super::string::grapheme_count;
use crate::eval::types::{Type, convert, type_of, unify};
use crate::terraform::value::{Kind, Map, Value};

/// Terraform's `range` refuses to build more than this many numbers.
const MAX_RANGE: usize = 1024;

fn same(a: &Value, b: &Value) -> bool {
    a.equals(b) == Some(true)
}

/// `alltrue` and `anytrue`: a known element equal to `decisive` decides, as in Terraform
/// (`anytrue([true, unknown])` is true); otherwise an unknown element makes the result unknown.
fn any_is(list: &Value, decisive: bool) -> Result<Value, FnError> {
    if list.is_unknown() {
        return Ok(plain_unknown(list));
    }
    let items = seq(list, "list")?;
    // Terraform converts the list to list(bool) first: every known element must convert.
    let mut known = Vec::with_capacity(items.len());
    let mut unknown = None;
    for v in items {
        if !v.is_wholly_known() {
            unknown.get_or_insert_with(|| plain_unknown(v.first_unknown().unwrap_or(v)));
        } else if !v.is_null() {
            known.push(boolean(v, "list")?);
        }
    }
    if known.contains(&decisive) {
        return Ok(Value::bool(decisive));
    }
    Ok(unknown.unwrap_or_else(|| Value::bool(!decisive)))
}

pub fn alltrue(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    // Null elements count as false, as in Terraform.
    if let Ok(items) = seq(&args[0], "list")
        && items.iter().any(Value::is_null)
    {
        return Ok(Value::bool(false));
    }
    any_is(&args[0], false)
}

pub fn anytrue(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    any_is(&args[0], true)
}

pub fn chunklist(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let items = seq(&args[0], "list")?;
    let size = integer(&args[1], "size")?;
    let size = usize::try_from(size).map_err(|_| arg_err("size", "the size argument must be positive"))?;
    if items.is_empty() {
        return Ok(Value::list(Vec::new()));
    }
    // The argument is a list: its elements take one type (`[1, "a"]` -> strings) or fail.
    let ty = unify(&items.iter().map(type_of).collect::<Vec<_>>())
        .ok_or_else(|| arg_err("list", "all list elements must have the same type"))?;
    let converted: Vec<Value> = items.iter().map(|v| convert(v.clone(), &ty)).collect::<Result<_, _>>()?;
    let items = converted.as_slice();
    if size == 0 {
        return Ok(Value::list(vec![Value::list(items.to_vec())]));
    }
    Ok(Value::list(items.chunks(size).map(|c| Value::list(c.to_vec())).collect()))
}

/// The first argument that is neither null nor (for strings) empty.
pub fn coalesce(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let types: Vec<Type> = args.iter().filter(|a| !a.is_unknown()).map(type_of).collect();
    // With a null among the arguments (of no type) and no type in common, cty gives up on
    // one type and returns the first value as it is: `coalesce(1, null, [])` is 1.
    let ty = match unify(&types) {
        Some(t) => t,
        None if args.iter().any(Value::is_null) => Type::Any,
        None => return Err(arg_err("vals", "all arguments must have the same type")),
    };
    // An unknown argument could have another type and so change the result's type; only
    // strings are safe, as every primitive converts to them.
    if let Some(u) = args.iter().find(|a| a.is_unknown())
        && ty != Type::String
        && ty != Type::Any
    {
        return Ok(plain_unknown(u));
    }
    for arg in args {
        if arg.is_unknown() {
            return Ok(plain_unknown(arg));
        }
        if arg.is_null() {
            continue;
        }
        let v = convert(arg.clone(), &ty)?;
        if v.as_str() == Some("") {
            continue;
        }
        return Ok(v);
    }
    Err("no non-null, non-empty-string arguments".into())
}

pub fn coalescelist(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    // Every argument is type-checked, also those after the first non-empty list.
    if args.iter().any(|a| !matches!(a.kind, Kind::List(_) | Kind::Null | Kind::Unknown(_))) {
        return Err(arg_err("vals", "coalescelist arguments must be lists or tuples"));
    }
    for arg in args {
        if arg.is_unknown() {
            return Ok(plain_unknown(arg));
        }
        if arg.is_null() {
            continue;
        }
        // Lists and tuples only: Terraform refuses a set here.
        let Kind::List(items) = &arg.kind else {
            return Err(arg_err("vals", "coalescelist arguments must be lists or tuples"));
        };
        if !items.is_empty() {
            return Ok(arg.clone());
        }
    }
    Err("no non-null arguments".into())
}

pub fn compact(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let items = seq(&args[0], "list")?;
    let mut out = Vec::new();
    for item in items.iter().filter(|v| !v.is_null()) {
        let s = string(item, "list")?;
        if !s.is_empty() {
            out.push(Value::string(s.into_owned()));
        }
    }
    Ok(Value::list(out))
}

/// Known lists concatenate even when some elements are unknown.
pub fn concat(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let mut out = Vec::new();
    for arg in args {
        if arg.is_unknown() {
            return Ok(plain_unknown(arg));
        }
        match &arg.kind {
            Kind::List(items) => {
                check_count(out.len() + items.len())?;
                out.extend(items.iter().cloned());
            }
            _ => {
                return Err(arg_err("seqs", format!("all arguments must be lists or tuples; got {}", arg.type_name())));
            }
        }
    }
    Ok(Value::list(out))
}

pub fn contains(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if args[0].is_unknown() {
        return Ok(plain_unknown(&args[0]));
    }
    let items = seq(&args[0], "list").map_err(|_| arg_err("list", "argument must be list, tuple, or set"))?;
    if args[1].is_null() {
        return Err(arg_err("value", "argument must not be null"));
    }
    // An element equal to the value decides; one that may be equal leaves it unknown.
    let mut maybe = None;
    for v in items.iter() {
        match v.equals(&args[1]) {
            Some(true) => return Ok(Value::bool(true)),
            Some(false) => {}
            None => maybe = maybe.or_else(|| v.first_unknown().or_else(|| args[1].first_unknown()).cloned()),
        }
    }
    Ok(maybe.map_or_else(|| Value::bool(false), |u| plain_unknown(&u)))
}

/// Indices of the first occurrence of each distinct value, in order.
fn first_occurrences(items: &[Value]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[a].total_cmp(&items[b]).then(a.cmp(&b)));
    let mut keep: Vec<usize> = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        let dup = k > 0 && {
            let prev = &items[order[k - 1]];
            prev.total_cmp(&items[i]) == Ordering::Equal && prev.type_name() == items[i].type_name()
        };
        if !dup {
            keep.push(i);
        }
    }
    keep.sort_unstable();
    keep
}

pub fn distinct(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    // The argument is a list: its elements first take one type (`[1, "1"]` is two "1"s).
    let list = match &args[0].kind {
        Kind::List(_) => convert(args[0].clone(), &Type::list(Type::Any))
            .map_err(|e| FnError::Argument(format!("all elements must have the same type: {e}")))?,
        _ => args[0].clone(),
    };
    let items = seq(&list, "list")?;
    Ok(Value::list(first_occurrences(items).into_iter().map(|i| items[i].clone()).collect()))
}

pub fn element(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    for a in args {
        if a.is_unknown() {
            return Ok(plain_unknown(a));
        }
    }
    let Kind::List(items) = &args[0].kind else {
        return Err(arg_err("list", "cannot read elements from a value that is neither a list nor a tuple"));
    };
    let index = integer(&args[1], "index")?;
    if items.is_empty() {
        return Err(arg_err("list", "cannot use element function with an empty list"));
    }
    // A negative index counts from the end, wrapping as a positive one does: Terraform does
    // so for lists (`element(split("/", arn), -1)`); for a tuple literal it panics instead,
    // and tfcheck, which cannot tell the two apart, answers as for a list.
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    Ok(items[usize::try_from(index.rem_euclid(len)).unwrap_or(0)].clone())
}

/// Some(element) when an element is unknown: it may be a list, so the result is unknown
/// (an object holding an unknown value is flattened as it is, as Terraform does).
fn flatten_into(items: &[Value], out: &mut Vec<Value>) -> Result<Option<Value>, FnError> {
    for item in items {
        match &item.kind {
            Kind::Unknown(_) => return Ok(Some(plain_unknown(item))),
            Kind::List(inner) | Kind::Set(inner) => {
                if let Some(u) = flatten_into(inner, out)? {
                    return Ok(Some(u));
                }
            }
            _ => {
                check_count(out.len() + 1)?;
                out.push(item.clone());
            }
        }
    }
    Ok(None)
}

pub fn flatten(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if args[0].is_unknown() {
        return Ok(plain_unknown(&args[0]));
    }
    let items = seq(&args[0], "list").map_err(|_| arg_err("list", "can only flatten lists, sets and tuples"))?;
    let mut out = Vec::new();
    match flatten_into(items, &mut out)? {
        Some(unknown) => Ok(unknown),
        None => Ok(Value::list(out)),
    }
}

pub fn index(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let Kind::List(items) = &args[0].kind else {
        return Err(arg_err("list", "argument must be a list or tuple"));
    };
    if items.is_empty() {
        return Err("cannot search an empty list".into());
    }
    match items.iter().position(|v| same(v, &args[1])) {
        Some(i) => Ok(Value::number(i as f64)),
        None => Err("item not found".into()),
    }
}

pub fn keys(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if args[0].is_unknown() {
        return Ok(plain_unknown(&args[0]));
    }
    let m = args::map(&args[0], "inputMap").map_err(|_| arg_err("inputMap", "must have map or object type"))?;
    Ok(Value::list(m.keys().map(|k| Value::string(k.as_str())).collect()))
}

pub fn values(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if args[0].is_unknown() {
        return Ok(plain_unknown(&args[0]));
    }
    let m = args::map(&args[0], "mapping")
        .map_err(|_| arg_err("mapping", "values() requires a map as the first argument"))?;
    Ok(Value::list(m.values().cloned().collect()))
}

/// Lengths of lists and maps are known even when their elements are not; a set's is not
/// (unknown elements may turn out equal).
pub fn length(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let v = &args[0];
    let n = match &v.kind {
        Kind::Unknown(_) => return Ok(plain_unknown(v)),
        Kind::Null => return Err(arg_err("value", "argument must not be null")),
        Kind::String(s) => grapheme_count(s),
        Kind::List(items) => items.len(),
        Kind::Set(items) => match v.first_unknown() {
            Some(u) => return Ok(plain_unknown(u)),
            None => items.len(),
        },
        Kind::Map(m) => m.len(),
        Kind::Number(_) | Kind::Bool(_) => {
            return Err(arg_err("value", "argument must be a string, a collection type, or a structural type"));
        }
    };
    Ok(Value::number(n as f64))
}

pub fn list(_: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Err("the \"list\" function was deprecated in Terraform v0.12 and is no longer available; use tolist([ ... ]) syntax to write a literal list".into())
}

pub fn map(_: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Err("the \"map\" function was deprecated in Terraform v0.12 and is no longer available; use tomap({ ... }) syntax to write a literal map".into())
}

pub fn lookup(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    for a in &args[..2] {
        if a.is_unknown() {
            return Ok(plain_unknown(a));
        }
    }
    let m = args[0].as_map().ok_or_else(|| arg_err("inputMap", "lookup() requires a map as the first argument"))?;
    let key = string(&args[1], "key")?;
    match (m.get(&*key), args.get(2)) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(format!("lookup failed to find key {key:?}").into()),
    }
}

pub fn matchkeys(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let values = seq(&args[0], "values")?;
    let keys = seq(&args[1], "keys")?;
    let search = seq(&args[2], "searchset")?;
    if values.len() != keys.len() {
        return Err("length of keys and values should be equal".into());
    }
    // `values` is a list: its elements must have one type.
    if unify(&values.iter().map(type_of).collect::<Vec<_>>()).is_none() {
        return Err(arg_err("values", "all list elements must have the same type"));
    }
    let types: Vec<Type> = keys.iter().chain(search).map(type_of).collect();
    let ty = unify(&types).ok_or_else(|| arg_err("keys", "keys and searchset must be of the same type"))?;
    let conv = |vs: &[Value]| -> Result<Vec<Value>, FnError> {
        vs.iter().map(|v| convert(v.clone(), &ty).map_err(FnError::from)).collect()
    };
    let (keys, mut search) = (conv(keys)?, conv(search)?);
    search.sort_by(Value::total_cmp);
    let found = |k: &Value| search.binary_search_by(|s| s.total_cmp(k)).is_ok();
    let out = values.iter().zip(&keys).filter(|(_, k)| found(k)).map(|(v, _)| v.clone());
    Ok(Value::list(out.collect()))
}

/// Later arguments win; values may be unknown, the arguments themselves may not.
pub fn merge(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let mut out = Map::new();
    for arg in args {
        if arg.is_unknown() {
            return Ok(plain_unknown(arg));
        }
        if arg.is_null() {
            continue;
        }
        let m = arg
            .as_map()
            .ok_or_else(|| arg_err("maps", format!("arguments must be maps or objects, got {}", arg.type_name())))?;
        out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    Ok(Value::map(out))
}

pub fn one(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let v = &args[0];
    if v.is_unknown() {
        return Ok(plain_unknown(v));
    }
    let items = seq(v, "list")?;
    match items.len() {
        0 => Ok(Value::null()),
        1 => Ok(items[0].clone()),
        _ if matches!(v.kind, Kind::Set(_)) && !v.is_wholly_known() => {
            Ok(plain_unknown(v.first_unknown().unwrap_or(v)))
        }
        _ => Err(arg_err("list", "must be a list, set, or tuple value with either zero or one elements")),
    }
}

/// Number of decimal places in the shortest form of `n`.
fn decimals(n: f64) -> u32 {
    let s = format!("{n}");
    s.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

pub fn range(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let nums: Vec<f64> = args.iter().map(|a| number(a, "params")).collect::<Result<_, _>>()?;
    let (start, end, step) = match nums[..] {
        [end] => (0.0, end, if end < 0.0 { -1.0 } else { 1.0 }),
        [start, end] => (start, end, if end < start { -1.0 } else { 1.0 }),
        [start, end, step] => (start, end, step),
        _ => return Err("must have one, two, or three arguments".into()),
    };
    if step == 0.0 {
        return Err(arg_err("step", "step must not be zero"));
    }
    if step < 0.0 && end > start {
        return Err(arg_err("end", "end must be less than start when step is negative"));
    }
    if step > 0.0 && end < start {
        return Err(arg_err("end", "end must be greater than start when step is positive"));
    }
    // Count in decimal units so that range(0, 1, 0.1) yields 0.3, not 0.30000000000000004.
    let places = decimals(start).max(decimals(step)).min(15);
    let scale = 10f64.powi(places as i32);
    let exact = |x: f64| (x * scale).round().abs() < 9e15;
    let mut out = Vec::new();
    for i in 0.. {
        let v = if i == 0 {
            start
        } else if exact(start) && exact(step) {
            ((start * scale).round() + i as f64 * (step * scale).round()) / scale
        } else {
            start + i as f64 * step
        };
        if (step > 0.0 && v >= end) || (step < 0.0 && v <= end) {
            break;
        }
        if out.len() >= MAX_RANGE {
            return Err(format!(
                "more than {MAX_RANGE} values were generated; either decrease the difference between start and end or use a smaller step"
            ).into());
        }
        out.push(Value::number(v));
    }
    Ok(Value::list(out))
}

pub fn reverse(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if args[0].is_unknown() {
        return Ok(plain_unknown(&args[0]));
    }
    let items = seq(&args[0], "list").map_err(|_| arg_err("list", "can only reverse list or tuple values"))?;
    Ok(Value::list(items.iter().rev().cloned().collect()))
}

pub fn slice(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    for a in args {
        if a.is_unknown() {
            return Ok(plain_unknown(a));
        }
    }
    let Kind::List(items) = &args[0].kind else {
        return Err(arg_err("list", "must be a list or tuple value"));
    };
    let (start, end) = (integer(&args[1], "start_index")?, integer(&args[2], "end_index")?);
    if start < 0 {
        return Err(arg_err("start_index", "start index must not be less than zero"));
    }
    if end > items.len() as i64 {
        return Err(arg_err("end_index", "end index must not be greater than the length of the list"));
    }
    if start > end {
        return Err(arg_err("start_index", "start index must not be greater than end index"));
    }
    Ok(Value::list(items[start as usize..end as usize].to_vec()))
}

pub fn sort(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let items = seq(&args[0], "list")?;
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        if v.is_null() {
            return Err(format!("given list element {i} is null; a null string cannot be sorted").into());
        }
        out.push(string(v, "list")?.into_owned());
    }
    out.sort();
    Ok(Value::list(out.into_iter().map(Value::string).collect()))
}

/// All set arguments with their elements converted to one common type.
fn set_args(args: &[Value]) -> Result<Vec<Vec<Value>>, FnError> {
    let lists: Vec<&[Value]> = args.iter().map(|a| seq(a, "sets")).collect::<Result<_, _>>()?;
    let types: Vec<Type> = lists.iter().flat_map(|l| l.iter().map(type_of)).collect();
    let ty = unify(&types).ok_or_else(|| arg_err("sets", "given sets must all have compatible element types"))?;
    lists
        .iter()
        .map(|l| {
            let vals: Vec<Value> = l.iter().map(|v| convert(v.clone(), &ty)).collect::<Result<_, _>>()?;
            // Deduplicated, and in total order for `in_set` (a set of collections iterates in
            // cty's hash order instead).
            let mut set = Value::set(vals).as_seq().map(<[Value]>::to_vec).unwrap_or_default();
            set.sort_by(Value::total_cmp);
            Ok(set)
        })
        .collect()
}

fn in_set(set: &[Value], v: &Value) -> bool {
    set.binary_search_by(|x| x.total_cmp(v)).is_ok()
}

pub fn setunion(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let sets = set_args(args)?;
    check_count(sets.iter().map(Vec::len).sum())?;
    Ok(Value::set(sets.into_iter().flatten().collect()))
}

pub fn setintersection(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let sets = set_args(args)?;
    let (first, rest) = sets.split_first().ok_or("at least one argument is required")?;
    Ok(Value::set(first.iter().filter(|v| rest.iter().all(|s| in_set(s, v))).cloned().collect()))
}

pub fn setsubtract(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let sets = set_args(args)?;
    Ok(Value::set(sets[0].iter().filter(|v| !in_set(&sets[1], v)).cloned().collect()))
}

pub fn setproduct(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if args.len() < 2 {
        return Err(arg_err("sets", "at least two arguments are required"));
    }
    let lists: Vec<&[Value]> = args.iter().map(|a| seq(a, "sets")).collect::<Result<_, _>>()?;
    let total = lists.iter().try_fold(1usize, |acc, l| acc.checked_mul(l.len())).unwrap_or(usize::MAX);
    check_count(total.saturating_mul(args.len()))?;
    let mut combos: Vec<Vec<Value>> = vec![Vec::new()];
    for l in &lists {
        combos = combos
            .iter()
            .flat_map(|prefix| l.iter().map(move |v| [prefix.clone(), vec![v.clone()]].concat()))
            .collect();
    }
    let combos: Vec<Value> = combos.into_iter().map(Value::list).collect();
    // A set as soon as one argument is a set (duplicates go).
    let any_set = args.iter().any(|a| matches!(a.kind, Kind::Set(_)));
    Ok(if any_set { Value::set(combos) } else { Value::list(combos) })
}

pub fn transpose(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let m = args::map(&args[0], "values")?;
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (k, list) in m {
        for v in strings(list, "values").map_err(|_| "input must be a map of lists of strings".to_string())? {
            out.entry(v.into_owned()).or_default().push(k.clone());
        }
    }
    Ok(Value::map(
        out.into_iter()
            .map(|(k, mut vs)| {
                vs.sort();
                (k, Value::list(vs.into_iter().map(Value::string).collect()))
            })
            .collect(),
    ))
}

pub fn zipmap(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if let Some(u) = args[0].first_unknown() {
        return Ok(plain_unknown(u));
    }
    if args[1].is_unknown() {
        return Ok(plain_unknown(&args[1]));
    }
    let keys = strings(&args[0], "keys")?;
    // Keys may be a set (it converts to a list of strings); values must be a list or tuple.
    let Kind::List(values) = &args[1].kind else {
        return Err(arg_err("values", "values argument must be a list or tuple value"));
    };
    if keys.len() != values.len() {
        return Err(
            format!("number of keys ({}) does not match number of values ({})", keys.len(), values.len()).into()
        );
    }
    Ok(Value::map(keys.into_iter().map(|k| k.into_owned()).zip(values.iter().cloned()).collect()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::call_fn;
    use crate::terraform::value::{Kind, UnknownSource, Value};

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn n(x: f64) -> Value {
        Value::number(x)
    }
    fn l(xs: Vec<Value>) -> Value {
        Value::list(xs)
    }
    fn strs(xs: &[&str]) -> Value {
        l(xs.iter().map(|x| s(x)).collect())
    }
    fn nums(xs: &[f64]) -> Value {
        l(xs.iter().map(|x| n(*x)).collect())
    }
    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }
    fn unk(name: &str) -> Value {
        Value::unknown(UnknownSource::Variable { name: name.into(), span: None })
    }
    fn b(x: bool) -> Value {
        Value::bool(x)
    }

    #[test]
    fn boolean_reductions() {
        assert_eq!(call_fn("alltrue", vec![strs(&["true", "true"])]).unwrap(), b(true));
        assert_eq!(call_fn("alltrue", vec![l(vec![b(true), b(false)])]).unwrap(), b(false));
        assert_eq!(call_fn("alltrue", vec![l(vec![])]).unwrap(), b(true));
        assert_eq!(call_fn("anytrue", vec![strs(&["true", "false"])]).unwrap(), b(true));
        assert_eq!(call_fn("anytrue", vec![l(vec![])]).unwrap(), b(false));
    }

    #[test]
    fn chunks_and_slices() {
        let got = call_fn("chunklist", vec![strs(&["a", "b", "c", "d", "e"]), n(2.0)]).unwrap();
        assert_eq!(got, l(vec![strs(&["a", "b"]), strs(&["c", "d"]), strs(&["e"])]));
        assert_eq!(call_fn("chunklist", vec![strs(&["a"]), n(0.0)]).unwrap(), l(vec![strs(&["a"])]));
        assert!(call_fn("chunklist", vec![strs(&["a"]), n(-1.0)]).is_err());
        assert_eq!(call_fn("slice", vec![strs(&["a", "b", "c", "d"]), n(1.0), n(3.0)]).unwrap(), strs(&["b", "c"]));
        assert!(call_fn("slice", vec![strs(&["a"]), n(0.0), n(2.0)]).is_err());
        assert!(call_fn("slice", vec![strs(&["a"]), n(1.0), n(0.0)]).is_err());
        assert_eq!(call_fn("reverse", vec![nums(&[1.0, 2.0, 3.0])]).unwrap(), nums(&[3.0, 2.0, 1.0]));
    }

    #[test]
    fn coalescing() {
        assert_eq!(call_fn("coalesce", vec![s("a"), s("b")]).unwrap(), s("a"));
        assert_eq!(call_fn("coalesce", vec![s(""), s("b")]).unwrap(), s("b"));
        assert_eq!(call_fn("coalesce", vec![n(1.0), n(2.0)]).unwrap(), n(1.0));
        assert_eq!(call_fn("coalesce", vec![Value::null(), s(""), n(5.0)]).unwrap(), s("5"));
        assert!(call_fn("coalesce", vec![Value::null(), s("")]).unwrap_err().contains("no non-null, non-empty-string"));
        assert!(call_fn("coalesce", vec![n(1.0), strs(&["a"])]).unwrap_err().contains("same type"));
        assert_eq!(call_fn("coalesce", vec![s("a"), unk("x")]).unwrap(), s("a"));
        assert!(call_fn("coalesce", vec![s(""), unk("x"), s("b")]).unwrap().is_unknown());
        assert!(call_fn("coalesce", vec![n(1.0), unk("x")]).unwrap().is_unknown());
        let got = call_fn("coalescelist", vec![strs(&[]), strs(&["c", "d"])]).unwrap();
        assert_eq!(got, strs(&["c", "d"]));
        assert!(call_fn("coalescelist", vec![strs(&[]), unk("x"), strs(&["a"])]).unwrap().is_unknown());
        assert_eq!(call_fn("compact", vec![l(vec![s("a"), s(""), Value::null(), s("b")])]).unwrap(), strs(&["a", "b"]));
    }

    #[test]
    fn concat_and_flatten() {
        let got = call_fn("concat", vec![strs(&["a", ""]), strs(&["b", "c"])]).unwrap();
        assert_eq!(got, strs(&["a", "", "b", "c"]));
        let got = call_fn("concat", vec![strs(&["a"]), l(vec![unk("x")])]).unwrap();
        assert_eq!(got.as_seq().unwrap().len(), 2);
        assert!(call_fn("concat", vec![strs(&["a"]), unk("x")]).unwrap().is_unknown());
        assert!(call_fn("concat", vec![s("a")]).is_err());
        let nested = l(vec![strs(&["a", "b"]), strs(&[]), l(vec![s("c")])]);
        assert_eq!(call_fn("flatten", vec![nested]).unwrap(), strs(&["a", "b", "c"]));
        let deep = l(vec![l(vec![s("a"), l(vec![s("b"), s("c")])]), s("d")]);
        assert_eq!(call_fn("flatten", vec![deep]).unwrap(), strs(&["a", "b", "c", "d"]));
        assert!(call_fn("flatten", vec![l(vec![l(vec![unk("x")])])]).unwrap().is_unknown());
    }

    /// What Terraform 1.11 plans for these with an unknown (`terraform_data.x.id`) inside:
    /// a known part that decides the result decides it.
    #[test]
    fn known_parts_decide_as_in_terraform() {
        let obj_with_unknown = obj(&[("a", s("k")), ("u", unk("x"))]);
        // flatten([[{a = "k", u = unknown}], [{a = "z"}]]) is a known list of two objects.
        let got = call_fn("flatten", vec![l(vec![l(vec![obj_with_unknown.clone()]), l(vec![obj(&[("a", s("z"))])])])]);
        assert_eq!(got.unwrap().as_seq().map(|x| x.len()), Some(2));
        assert!(call_fn("flatten", vec![l(vec![strs(&["a"]), unk("x")])]).unwrap().is_unknown());
        assert_eq!(call_fn("anytrue", vec![l(vec![b(true), unk("x")])]).unwrap(), b(true));
        assert!(call_fn("anytrue", vec![l(vec![b(false), unk("x")])]).unwrap().is_unknown());
        assert_eq!(call_fn("alltrue", vec![l(vec![b(false), unk("x")])]).unwrap(), b(false));
        assert!(call_fn("alltrue", vec![l(vec![b(true), unk("x")])]).unwrap().is_unknown());
        assert_eq!(call_fn("alltrue", vec![l(vec![Value::null(), b(true)])]).unwrap(), b(false));
        assert_eq!(call_fn("contains", vec![l(vec![s("a"), unk("x")]), s("a")]).unwrap(), b(true));
        assert!(call_fn("contains", vec![l(vec![s("b"), unk("x")]), s("a")]).unwrap().is_unknown());
        // Objects that differ in a known attribute are not equal, whatever the unknown is.
        let other = obj(&[("a", s("z")), ("u", s("x"))]);
        assert_eq!(call_fn("contains", vec![l(vec![obj_with_unknown]), other]).unwrap(), b(false));
        assert!(call_fn("contains", vec![unk("x"), s("a")]).unwrap().is_unknown());
    }

    #[test]
    fn searching() {
        assert_eq!(call_fn("contains", vec![strs(&["a", "b", "c"]), s("a")]).unwrap(), b(true));
        assert_eq!(call_fn("contains", vec![strs(&["a", "b", "c"]), s("d")]).unwrap(), b(false));
        assert_eq!(call_fn("contains", vec![strs(&["1"]), n(1.0)]).unwrap(), b(false));
        assert_eq!(call_fn("index", vec![strs(&["a", "b", "c"]), s("b")]).unwrap(), n(1.0));
        assert!(call_fn("index", vec![strs(&["a"]), s("z")]).unwrap_err().contains("item not found"));
        assert_eq!(call_fn("element", vec![strs(&["a", "b", "c"]), n(1.0)]).unwrap(), s("b"));
        assert_eq!(call_fn("element", vec![strs(&["a", "b", "c"]), n(3.0)]).unwrap(), s("a"));
        // Negative indexes count from the end and wrap.
        assert_eq!(call_fn("element", vec![strs(&["a", "b", "c"]), n(-1.0)]).unwrap(), s("c"));
        assert_eq!(call_fn("element", vec![strs(&["a", "b", "c"]), n(-4.0)]).unwrap(), s("c"));
        assert!(call_fn("element", vec![strs(&[]), n(0.0)]).is_err());
        let u = unk("x");
        assert_eq!(call_fn("element", vec![l(vec![s("a"), u.clone()]), n(0.0)]).unwrap(), s("a"));
        assert_eq!(call_fn("element", vec![l(vec![s("a"), u.clone()]), n(1.0)]).unwrap(), u);
        assert_eq!(
            call_fn("distinct", vec![strs(&["a", "b", "a", "c", "d", "b"])]).unwrap(),
            strs(&["a", "b", "c", "d"])
        );
        // As Terraform: the elements first take one type, so 1 and "1" are one "1".
        assert_eq!(call_fn("distinct", vec![l(vec![n(1.0), s("1"), n(1.0)])]).unwrap(), l(vec![s("1")]));
    }

    #[test]
    fn maps() {
        let m = obj(&[("a", s("ay")), ("c", s("ci")), ("b", unk("x"))]);
        assert_eq!(call_fn("keys", vec![m.clone()]).unwrap(), strs(&["a", "b", "c"]));
        assert_eq!(call_fn("values", vec![m.clone()]).unwrap().as_seq().unwrap()[0], s("ay"));
        assert_eq!(call_fn("length", vec![m.clone()]).unwrap(), n(3.0));
        assert_eq!(call_fn("lookup", vec![m.clone(), s("a"), s("what?")]).unwrap(), s("ay"));
        assert_eq!(call_fn("lookup", vec![m.clone(), s("z"), s("what?")]).unwrap(), s("what?"));
        assert!(call_fn("lookup", vec![m.clone(), s("b")]).unwrap().is_unknown());
        assert!(call_fn("lookup", vec![m.clone(), s("z")]).unwrap_err().contains("lookup failed to find key \"z\""));
        assert!(call_fn("lookup", vec![m.clone(), unk("k")]).unwrap().is_unknown());
        let merged =
            call_fn("merge", vec![obj(&[("a", s("b")), ("c", s("d"))]), obj(&[("e", s("f")), ("c", s("z"))])]).unwrap();
        assert_eq!(merged, obj(&[("a", s("b")), ("c", s("z")), ("e", s("f"))]));
        assert_eq!(call_fn("merge", vec![Value::null(), m.clone()]).unwrap(), m);
        assert!(call_fn("merge", vec![m.clone(), unk("x")]).unwrap().is_unknown());
        assert!(call_fn("keys", vec![unk("x")]).unwrap().is_unknown());
        let zipped = call_fn("zipmap", vec![strs(&["a", "b"]), l(vec![n(1.0), unk("x")])]).unwrap();
        assert_eq!(zipped.as_map().unwrap()["a"], n(1.0));
        assert!(call_fn("zipmap", vec![strs(&["a"]), strs(&[])]).unwrap_err().contains("does not match"));
        assert!(call_fn("zipmap", vec![l(vec![unk("k")]), strs(&["a"])]).unwrap().is_unknown());
    }

    #[test]
    fn lengths() {
        assert_eq!(call_fn("length", vec![strs(&[])]).unwrap(), n(0.0));
        assert_eq!(call_fn("length", vec![strs(&["a", "b"])]).unwrap(), n(2.0));
        assert_eq!(call_fn("length", vec![s("hello")]).unwrap(), n(5.0));
        assert_eq!(call_fn("length", vec![s("👾🕹️")]).unwrap(), n(2.0));
        assert_eq!(call_fn("length", vec![l(vec![unk("a"), unk("b")])]).unwrap(), n(2.0));
        let set = Value::set(vec![s("a"), unk("b")]);
        assert!(call_fn("length", vec![set]).unwrap().is_unknown());
        assert!(call_fn("length", vec![unk("x")]).unwrap().is_unknown());
        assert!(call_fn("length", vec![n(1.0)]).is_err());
        assert!(call_fn("length", vec![Value::null()]).is_err());
    }

    #[test]
    fn one_and_matchkeys() {
        assert!(call_fn("one", vec![strs(&[])]).unwrap().is_null());
        assert_eq!(call_fn("one", vec![strs(&["hello"])]).unwrap(), s("hello"));
        assert!(call_fn("one", vec![strs(&["a", "b"])]).is_err());
        assert_eq!(call_fn("one", vec![l(vec![unk("x")])]).unwrap(), unk("x"));
        let got = call_fn(
            "matchkeys",
            vec![strs(&["i-123", "i-abc", "i-def"]), strs(&["us-west", "us-east", "us-east"]), strs(&["us-east"])],
        );
        assert_eq!(got.unwrap(), strs(&["i-abc", "i-def"]));
        let got = call_fn("matchkeys", vec![strs(&["a", "b"]), strs(&["1", "2"]), nums(&[2.0])]);
        assert_eq!(got.unwrap(), strs(&["b"]));
        assert!(call_fn("matchkeys", vec![strs(&["a"]), strs(&[]), strs(&[])]).is_err());
    }

    #[test]
    fn ranges() {
        assert_eq!(call_fn("range", vec![n(3.0)]).unwrap(), nums(&[0.0, 1.0, 2.0]));
        assert_eq!(call_fn("range", vec![n(1.0), n(4.0)]).unwrap(), nums(&[1.0, 2.0, 3.0]));
        assert_eq!(call_fn("range", vec![n(1.0), n(8.0), n(2.0)]).unwrap(), nums(&[1.0, 3.0, 5.0, 7.0]));
        assert_eq!(call_fn("range", vec![n(1.0), n(4.0), n(0.5)]).unwrap(), nums(&[1.0, 1.5, 2.0, 2.5, 3.0, 3.5]));
        assert_eq!(call_fn("range", vec![n(4.0), n(1.0)]).unwrap(), nums(&[4.0, 3.0, 2.0]));
        assert_eq!(call_fn("range", vec![n(10.0), n(5.0), n(-2.0)]).unwrap(), nums(&[10.0, 8.0, 6.0]));
        assert_eq!(call_fn("range", vec![n(-3.0)]).unwrap(), nums(&[0.0, -1.0, -2.0]));
        assert_eq!(call_fn("range", vec![n(0.0), n(0.5), n(0.1)]).unwrap(), nums(&[0.0, 0.1, 0.2, 0.3, 0.4]));
        assert_eq!(call_fn("range", vec![n(1024.0)]).unwrap().as_seq().unwrap().len(), 1024);
        assert!(call_fn("range", vec![n(1025.0)]).unwrap_err().contains("more than 1024 values"));
        assert!(call_fn("range", vec![n(0.0), n(1e300), n(1e-300)]).unwrap_err().contains("more than 1024"));
        assert!(call_fn("range", vec![n(1.0), n(2.0), n(0.0)]).unwrap_err().contains("step must not be zero"));
        assert!(call_fn("range", vec![n(1.0), n(2.0), n(-1.0)]).is_err());
        assert_eq!(call_fn("range", vec![n(0.0), n(1.0), n(f64::INFINITY)]).unwrap(), nums(&[0.0]));
        assert!(call_fn("range", vec![n(f64::NEG_INFINITY), n(0.0)]).is_err());
    }

    #[test]
    fn sets() {
        let got = call_fn("setintersection", vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["b", "d"])]).unwrap();
        assert_eq!(got.as_seq().unwrap(), &[s("b")]);
        assert!(matches!(got.kind, Kind::Set(_)));
        let got = call_fn("setsubtract", vec![strs(&["a", "b", "c"]), strs(&["a", "c"])]).unwrap();
        assert_eq!(got.as_seq().unwrap(), &[s("b")]);
        let got = call_fn("setunion", vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["d"])]).unwrap();
        assert_eq!(got.as_seq().unwrap(), &[s("a"), s("b"), s("c"), s("d")]);
        let got = call_fn("setunion", vec![strs(&["a"]), nums(&[1.0])]).unwrap();
        assert_eq!(got.as_seq().unwrap(), &[s("1"), s("a")]);
        let got = call_fn("setproduct", vec![strs(&["development", "staging", "production"]), strs(&["app1", "app2"])])
            .unwrap();
        assert_eq!(got.as_seq().unwrap().len(), 6);
        assert_eq!(got.as_seq().unwrap()[0], strs(&["development", "app1"]));
        assert_eq!(got.as_seq().unwrap()[1], strs(&["development", "app2"]));
        assert_eq!(got.as_seq().unwrap()[5], strs(&["production", "app2"]));
        assert_eq!(call_fn("setproduct", vec![strs(&["a"]), strs(&[])]).unwrap(), l(vec![]));
        assert!(call_fn("setproduct", vec![strs(&["a"])]).is_err());
        let big = nums(&(0..1000).map(f64::from).collect::<Vec<_>>());
        let err = call_fn("setproduct", vec![big.clone(), big.clone(), big]).unwrap_err();
        assert!(err.contains("more than"), "{err}");
    }

    #[test]
    fn sort_and_transpose() {
        assert_eq!(call_fn("sort", vec![strs(&["e", "d", "a", "x"])]).unwrap(), strs(&["a", "d", "e", "x"]));
        assert_eq!(call_fn("sort", vec![nums(&[3.0, 10.0, 1.0])]).unwrap(), strs(&["1", "10", "3"]));
        let m = obj(&[("a", strs(&["1", "2"])), ("b", strs(&["2", "3"]))]);
        let got = call_fn("transpose", vec![m]).unwrap();
        assert_eq!(got, obj(&[("1", strs(&["a"])), ("2", strs(&["a", "b"])), ("3", strs(&["b"]))]));
    }

    #[test]
    fn removed_functions() {
        assert!(call_fn("list", vec![]).unwrap_err().contains("deprecated in Terraform v0.12"));
    }
}
