//! Temporary stand-in for the built-in functions while they are being written.
use std::path::Path;
use crate::value::{Map, Value, Kind};
pub struct FnContext<'a> {
    pub module_dir: &'a Path,
    pub root_dir: &'a Path,
    pub sandbox: &'a [std::path::PathBuf],
    pub render_template: &'a dyn Fn(&str, &str, &Map) -> Result<Value, String>,
}
pub fn call(name: &str, args: Vec<Value>, _ctx: &FnContext) -> Result<Value, String> {
    if let Some(u) = args.iter().find_map(|a| a.first_unknown()) { return Ok(u.clone()); }
    match name {
        "length" => Ok(Value::number(match &args[0].kind { Kind::List(l) | Kind::Set(l) => l.len(), Kind::Map(m) => m.len(), Kind::String(s) => s.len(), _ => return Err("bad".into()) } as f64)),
        "contains" => Ok(Value::bool(args[0].as_seq().unwrap_or(&[]).iter().any(|x| x.equals(&args[1]) == Some(true)))),
        "toset" => Ok(Value::set(args[0].as_seq().unwrap_or(&[]).to_vec())),
        _ => Err(format!("call to unknown function {name:?}")),
    }
}
pub fn exists(name: &str) -> bool { matches!(name, "length" | "contains" | "toset") }
