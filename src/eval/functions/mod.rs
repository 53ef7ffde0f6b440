//! Terraform's built-in functions, over [`Value`]s.
//!
//! The evaluator calls [`call`] with evaluated arguments. `try` and `can` are not here: they
//! need unevaluated arguments and live in the evaluator.
//!
//! Every function is one row of [`FUNCS`]: its arity, whether it deals with unknown
//! arguments itself, and its implementation. Functions that do not are never called with an
//! unknown anywhere in their arguments: [`call`] answers with that unknown instead.

mod args;
mod collection;
mod conversion;
mod datetime;
mod encoding;
mod filesystem;
mod format;
mod hash;
mod network;
mod numeric;
mod regexp;
mod string;
mod yaml;

use std::path::Path;

use crate::terraform::value::{Map, Value};

/// Why a function failed, as Terraform words it (or a limit of tfcheck's).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FnError {
    /// Terraform's "Invalid function argument": a value a parameter does not accept.
    #[error("Invalid function argument: {0}")]
    Argument(String),
    /// Anything else the function reports ("Call to function ... failed").
    #[error("{0}")]
    Failed(String),
    /// A limit of tfcheck's (not Terraform's): fails the run closed.
    #[error("{0}")]
    Limit(String),
}

impl From<String> for FnError {
    fn from(m: String) -> FnError {
        FnError::Failed(m)
    }
}

impl From<&str> for FnError {
    fn from(m: &str) -> FnError {
        FnError::Failed(m.to_string())
    }
}

impl FnError {
    /// The same kind of error, its message wrapped (`failed to glob {p}: {m}`): a limit stays a
    /// limit.
    pub fn wrap(self, f: impl FnOnce(&str) -> String) -> FnError {
        match self {
            FnError::Limit(m) => FnError::Limit(f(&m)),
            e => FnError::Failed(f(&e.to_string())),
        }
    }
}

/// A function's error for a limit of tfcheck's.
pub fn limit_message(m: impl std::fmt::Display) -> FnError {
    FnError::Limit(m.to_string())
}

/// What a function may need from the evaluator.
pub struct FnContext<'a> {
    /// Directory relative paths in `file()` etc. resolve against (Terraform's working
    /// directory: the root module's directory).
    pub root_dir: &'a Path,
    /// Functions that read files may only read inside one of these directories.
    pub sandbox: &'a [std::path::PathBuf],
    /// Parses `text` as a Terraform template and renders it with `vars`
    /// (for `templatefile` and `templatestring`). `name` names the template in errors.
    pub render_template: &'a dyn Fn(&str, &str, &Map) -> Result<Value, FnError>,
}

type Impl = fn(&[Value], &FnContext) -> Result<Value, FnError>;

/// One built-in function.
struct Func {
    name: &'static str,
    min_args: usize,
    /// `None` for variadic functions.
    max_args: Option<usize>,
    /// The implementation handles unknown arguments itself (it can sometimes give a known
    /// answer anyway).
    own_unknowns: bool,
    imp: Impl,
}

const fn fixed(name: &'static str, n: usize, imp: Impl) -> Func {
    Func { name, min_args: n, max_args: Some(n), own_unknowns: false, imp }
}
const fn between(name: &'static str, min: usize, max: usize, imp: Impl) -> Func {
    Func { name, min_args: min, max_args: Some(max), own_unknowns: false, imp }
}
const fn variadic(name: &'static str, min: usize, imp: Impl) -> Func {
    Func { name, min_args: min, max_args: None, own_unknowns: false, imp }
}

impl Func {
    const fn unknowns(mut self) -> Func {
        self.own_unknowns = true;
        self
    }
}

/// All built-in functions, sorted by name (looked up by binary search).
static FUNCS: &[Func] = &[
    fixed("abs", 1, numeric::abs),
    fixed("abspath", 1, filesystem::abspath),
    fixed("alltrue", 1, collection::alltrue).unknowns(),
    fixed("anytrue", 1, collection::anytrue).unknowns(),
    fixed("base64decode", 1, encoding::base64decode),
    fixed("base64encode", 1, encoding::base64encode),
    fixed("base64gzip", 1, encoding::base64gzip),
    fixed("base64sha256", 1, hash::base64sha256),
    fixed("base64sha512", 1, hash::base64sha512),
    fixed("basename", 1, filesystem::basename),
    between("bcrypt", 1, 2, hash::bcrypt),
    fixed("ceil", 1, numeric::ceil),
    fixed("chomp", 1, string::chomp),
    fixed("chunklist", 2, collection::chunklist),
    fixed("cidrhost", 2, network::cidrhost),
    fixed("cidrnetmask", 1, network::cidrnetmask),
    fixed("cidrsubnet", 3, network::cidrsubnet),
    variadic("cidrsubnets", 1, network::cidrsubnets),
    variadic("coalesce", 0, collection::coalesce).unknowns(),
    variadic("coalescelist", 0, collection::coalescelist).unknowns(),
    fixed("compact", 1, collection::compact),
    variadic("concat", 0, collection::concat).unknowns(),
    fixed("contains", 2, collection::contains).unknowns(),
    fixed("csvdecode", 1, encoding::csvdecode),
    fixed("dirname", 1, filesystem::dirname),
    fixed("distinct", 1, collection::distinct),
    fixed("element", 2, collection::element).unknowns(),
    fixed("endswith", 2, string::endswith),
    fixed("ephemeralasnull", 1, conversion::identity).unknowns(),
    fixed("file", 1, filesystem::file),
    fixed("filebase64", 1, filesystem::filebase64),
    fixed("filebase64sha256", 1, hash::filebase64sha256),
    fixed("filebase64sha512", 1, hash::filebase64sha512),
    fixed("fileexists", 1, filesystem::fileexists),
    fixed("filemd5", 1, hash::filemd5),
    fixed("fileset", 2, filesystem::fileset),
    fixed("filesha1", 1, hash::filesha1),
    fixed("filesha256", 1, hash::filesha256),
    fixed("filesha512", 1, hash::filesha512),
    fixed("flatten", 1, collection::flatten).unknowns(),
    fixed("floor", 1, numeric::floor),
    variadic("format", 1, format::format).unknowns(),
    fixed("formatdate", 2, datetime::formatdate),
    variadic("formatlist", 1, format::formatlist).unknowns(),
    fixed("indent", 2, string::indent),
    fixed("index", 2, collection::index),
    fixed("issensitive", 1, conversion::issensitive),
    variadic("join", 1, string::join).unknowns(),
    fixed("jsondecode", 1, encoding::jsondecode),
    fixed("jsonencode", 1, encoding::jsonencode).unknowns(),
    fixed("keys", 1, collection::keys).unknowns(),
    fixed("length", 1, collection::length).unknowns(),
    variadic("list", 0, collection::list).unknowns(),
    fixed("log", 2, numeric::log),
    between("lookup", 2, 3, collection::lookup).unknowns(),
    fixed("lower", 1, string::lower),
    variadic("map", 0, collection::map).unknowns(),
    fixed("matchkeys", 3, collection::matchkeys),
    variadic("max", 0, numeric::max),
    fixed("md5", 1, hash::md5),
    variadic("merge", 0, collection::merge).unknowns(),
    variadic("min", 0, numeric::min),
    fixed("nonsensitive", 1, conversion::identity).unknowns(),
    fixed("one", 1, collection::one).unknowns(),
    fixed("parseint", 2, numeric::parseint),
    fixed("pathexpand", 1, filesystem::pathexpand),
    fixed("plantimestamp", 0, datetime::plantimestamp),
    fixed("pow", 2, numeric::pow),
    between("range", 1, 3, collection::range),
    fixed("regex", 2, regexp::regex),
    fixed("regexall", 2, regexp::regexall),
    fixed("replace", 3, regexp::replace),
    fixed("reverse", 1, collection::reverse).unknowns(),
    fixed("rsadecrypt", 2, hash::rsadecrypt),
    fixed("sensitive", 1, conversion::identity).unknowns(),
    variadic("setintersection", 1, collection::setintersection),
    variadic("setproduct", 0, collection::setproduct),
    fixed("setsubtract", 2, collection::setsubtract),
    variadic("setunion", 1, collection::setunion),
    fixed("sha1", 1, hash::sha1),
    fixed("sha256", 1, hash::sha256),
    fixed("sha512", 1, hash::sha512),
    fixed("signum", 1, numeric::signum),
    fixed("slice", 3, collection::slice).unknowns(),
    fixed("sort", 1, collection::sort),
    fixed("split", 2, string::split),
    fixed("startswith", 2, string::startswith),
    fixed("strcontains", 2, string::strcontains),
    fixed("strrev", 1, string::strrev),
    fixed("substr", 3, string::substr),
    fixed("sum", 1, numeric::sum),
    fixed("templatefile", 2, filesystem::templatefile).unknowns(),
    fixed("templatestring", 2, string::templatestring).unknowns(),
    fixed("textdecodebase64", 2, encoding::textdecodebase64),
    fixed("textencodebase64", 2, encoding::textencodebase64),
    fixed("timeadd", 2, datetime::timeadd),
    fixed("timecmp", 2, datetime::timecmp),
    fixed("timestamp", 0, datetime::timestamp),
    fixed("title", 1, string::title),
    fixed("tobool", 1, conversion::tobool).unknowns(),
    fixed("tolist", 1, conversion::tolist).unknowns(),
    fixed("tomap", 1, conversion::tomap).unknowns(),
    fixed("tonumber", 1, conversion::tonumber).unknowns(),
    fixed("toset", 1, conversion::toset).unknowns(),
    fixed("tostring", 1, conversion::tostring).unknowns(),
    fixed("transpose", 1, collection::transpose),
    fixed("trim", 2, string::trim),
    fixed("trimprefix", 2, string::trimprefix),
    fixed("trimspace", 1, string::trimspace),
    fixed("trimsuffix", 2, string::trimsuffix),
    fixed("type", 1, conversion::type_fn).unknowns(),
    fixed("upper", 1, string::upper),
    fixed("urlencode", 1, encoding::urlencode),
    fixed("uuid", 0, hash::uuid),
    fixed("uuidv5", 2, hash::uuidv5),
    fixed("values", 1, collection::values).unknowns(),
    fixed("yamldecode", 1, yaml::yamldecode),
    fixed("yamlencode", 1, yaml::yamlencode),
    fixed("zipmap", 2, collection::zipmap).unknowns(),
];

fn lookup(name: &str) -> Option<&'static Func> {
    FUNCS.binary_search_by(|f| f.name.cmp(name)).ok().map(|i| &FUNCS[i])
}

/// Calls the built-in function `name`. `Err` carries a message for the user; an unknown
/// function name is an `Err` too ("Call to unknown function").
pub fn call(name: &str, args: Vec<Value>, ctx: &FnContext) -> Result<Value, FnError> {
    let Some(func) = lookup(name) else {
        return Err(format!("Call to unknown function: there is no function named {name:?}.").into());
    };
    if args.len() < func.min_args {
        return Err(format!(
            "Not enough function arguments: function {name:?} expects at least {} argument(s), got {}.",
            func.min_args,
            args.len()
        )
        .into());
    }
    if let Some(max) = func.max_args.filter(|&max| args.len() > max) {
        return Err(format!("Too many function arguments: function {name:?} expects only {max} argument(s).").into());
    }
    if !func.own_unknowns
        && let Some(u) = args::first_unknown(&args)
    {
        return Ok(u.derived());
    }
    (func.imp)(&args, ctx).map(|v| v.with_origin(None)).map_err(|e| match e {
        FnError::Argument(_) => e,
        FnError::Failed(m) => FnError::Failed(format!("Call to function {name:?} failed: {m}.")),
        FnError::Limit(m) => FnError::Limit(format!("Call to function {name:?} failed: {m}.")),
    })
}

/// The names of the built-in functions, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCS.iter().map(|f| f.name)
}

/// Whether `name` is a built-in function.
pub fn exists(name: &str) -> bool {
    lookup(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::value::{Kind, UnknownSource};

    /// Calls a function with a context rooted at the current directory and a template
    /// renderer that substitutes `${name}` only.
    pub(super) fn call_in(dir: &Path, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let render = |text: &str, _name: &str, vars: &Map| -> Result<Value, FnError> {
            let mut out = text.to_string();
            for (k, v) in vars {
                out = out.replace(&format!("${{{k}}}"), &v.to_template_string()?);
            }
            Ok(Value::string(out))
        };
        let sandbox = [dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())];
        let ctx = FnContext { root_dir: dir, sandbox: &sandbox, render_template: &render };
        call(name, args, &ctx).map_err(|e| e.to_string())
    }

    pub(super) fn call_fn(name: &str, args: Vec<Value>) -> Result<Value, String> {
        call_in(Path::new("/nonexistent-tfcheck-root"), name, args)
    }

    #[test]
    fn table_is_sorted_and_unique() {
        for pair in FUNCS.windows(2) {
            assert!(pair[0].name < pair[1].name, "{} before {}", pair[0].name, pair[1].name);
        }
        assert!(exists("cidrsubnet"));
        assert!(!exists("try"));
        assert!(!exists("nosuchfn"));
    }

    #[test]
    fn arity_is_checked() {
        assert!(call_fn("abs", vec![]).unwrap_err().starts_with("Not enough function arguments"));
        let err = call_fn("abs", vec![Value::number(1.0), Value::number(2.0)]).unwrap_err();
        assert!(err.starts_with("Too many function arguments"), "{err}");
        assert!(call_fn("nosuchfn", vec![]).unwrap_err().contains("no function named"));
    }

    #[test]
    fn unknown_arguments_give_their_unknown() {
        let u = Value::unknown(UnknownSource::Variable { name: "region".into(), span: None });
        // The same unknown, marked as computed from it.
        let got = call_fn("upper", vec![u.clone()]).unwrap();
        assert_eq!(got, u.clone().derived());
        assert!(!got.as_unknown().unwrap().is_passed_through());
        let nested = Value::list(vec![Value::string("a"), u.clone()]);
        assert_eq!(call_fn("distinct", vec![nested]).unwrap(), u.clone().derived());
        // Prefix and suffix describe the argument, not the result: they are dropped.
        let mut refined = u.clone();
        if let Kind::Unknown(inner) = &mut refined.kind {
            let inner = std::sync::Arc::make_mut(inner);
            inner.prefix = Some("arn:".into());
        }
        let got = call_fn("lower", vec![refined]).unwrap();
        assert_eq!(got.as_unknown().unwrap().prefix, None);
    }

    #[test]
    fn errors_read_like_terraform() {
        let err = call_fn("regex", vec![Value::string("x"), Value::string("y")]).unwrap_err();
        assert_eq!(err, "Call to function \"regex\" failed: pattern did not match any part of the given string.");
        let err = call_fn("upper", vec![Value::list(vec![])]).unwrap_err();
        assert_eq!(err, "Invalid function argument: Invalid value for \"str\" parameter: string required.");
    }

    /// Every function, with every combination of awkward arguments, returns rather than
    /// panicking or hanging.
    #[test]
    fn no_function_panics_on_odd_arguments() {
        let s = Value::string;
        let n = Value::number;
        let samples = vec![
            Value::null(),
            Value::unknown_apply("x"),
            s(""),
            n(-1.0),
            n(1e300),
            n(f64::INFINITY),
            Value::bool(true),
            Value::list(vec![s("a"), n(1.0), Value::null()]),
            Value::map([("a".to_string(), Value::list(vec![Value::null()]))].into_iter().collect()),
            Value::set(vec![s("x"), s("y")]),
            s("a,b"),
            s("%[1]d %"),
            s("10.0.0.0/8"),
            s("::/0"),
            n(0.5),
            n(0.0),
            Value::list(vec![]),
            s("2018-01-02T23:12:01Z"),
            s("[(*"),
            s("é\u{301}\n~/x"),
        ];
        let mut calls = 0;
        for f in FUNCS {
            let max = f.max_args.unwrap_or(3).min(3).max(f.min_args);
            for arity in f.min_args..=max {
                let pool = if arity >= 3 { &samples[..10] } else { &samples[..] };
                let combos = pool.len().pow(arity as u32);
                for mut k in 0..combos {
                    let mut args = Vec::with_capacity(arity);
                    for _ in 0..arity {
                        args.push(pool[k % pool.len()].clone());
                        k /= pool.len();
                    }
                    let _ = call_fn(f.name, args);
                    calls += 1;
                }
            }
        }
        assert!(calls > 20_000, "{calls}");
    }

    #[test]
    fn removed_functions_explain_the_replacement() {
        let err = call_fn("list", vec![Value::string("a")]).unwrap_err();
        assert!(err.contains("tolist([ ... ])"), "{err}");
        let err = call_fn("map", vec![]).unwrap_err();
        assert!(err.contains("tomap({ ... })"), "{err}");
        let err = call_fn("type", vec![Value::null()]).unwrap_err();
        assert!(err.contains("console"), "{err}");
    }
}
