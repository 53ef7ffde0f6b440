//! String functions (format, formatlist and the regex functions have their own modules).
//!
//! "Characters" are grapheme clusters, as in Terraform; case mapping is Go's one-rune-to-one-
//! rune mapping.

use super::FnError;
use unicode_segmentation::UnicodeSegmentation;

use super::FnContext;
use super::args::{arg_err, check_count, check_len, integer, map, plain_unknown, seq, string};
use crate::terraform::value::{Kind, Unknown, Value};

pub fn graphemes(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.graphemes(true)
}

/// Number of grapheme clusters in `s`.
pub fn grapheme_count(s: &str) -> usize {
    graphemes(s).count()
}

/// A piece of a string being assembled from known text and unknown values.
pub enum Piece {
    Text(String),
    /// An unknown value; `verbatim` when it lands in the result unchanged, so that its own
    /// known prefix and suffix still hold.
    Hole {
        unknown: Value,
        verbatim: bool,
    },
}

/// Joins pieces into a string, or into an unknown that keeps the known leading and trailing
/// text as its `prefix`/`suffix`.
pub fn assemble(pieces: Vec<Piece>) -> Result<Value, FnError> {
    let first_hole = pieces.iter().position(|p| matches!(p, Piece::Hole { .. }));
    let Some(first) = first_hole else {
        let mut out = String::new();
        for p in &pieces {
            if let Piece::Text(t) = p {
                out.push_str(t);
            }
        }
        check_len(out.len())?;
        return Ok(Value::string(out));
    };
    let last = pieces.iter().rposition(|p| matches!(p, Piece::Hole { .. })).unwrap_or(first);
    let text = |range: &[Piece]| -> String {
        range.iter().filter_map(|p| if let Piece::Text(t) = p { Some(t.as_str()) } else { None }).collect()
    };
    let refinement = |p: &Piece, want_prefix: bool| -> String {
        match p {
            Piece::Hole { unknown, verbatim: true } => {
                let u = unknown.as_unknown();
                let part = u.and_then(|u| if want_prefix { u.prefix.clone() } else { u.suffix.clone() });
                part.unwrap_or_default()
            }
            _ => String::new(),
        }
    };
    let mut prefix = text(&pieces[..first]);
    prefix.push_str(&refinement(&pieces[first], true));
    let mut suffix = refinement(&pieces[last], false);
    suffix.push_str(&text(&pieces[last + 1..]));
    let Piece::Hole { unknown, .. } = &pieces[first] else {
        return Err("internal error assembling a string".into());
    };
    let base = plain_unknown(unknown);
    let Kind::Unknown(u) = &base.kind else {
        return Ok(base);
    };
    // Only a lone unknown put in as it is (`format("%s", x)`) is the value itself.
    let alone = matches!(pieces.as_slice(), [Piece::Hole { verbatim: true, .. }]);
    let refined = Unknown {
        prefix: (!prefix.is_empty()).then_some(prefix),
        suffix: (!suffix.is_empty()).then_some(suffix),
        template: None,
        derived: u.derived || !alone,
        ..(**u).clone()
    };
    Ok(Value::new(Kind::Unknown(std::sync::Arc::new(refined))))
}

/// Go's `unicode.ToUpper` / `ToLower`: a rune maps to one rune or stays.
fn simple_case(c: char, upper: bool) -> char {
    if !upper && c == '\u{130}' {
        return 'i';
    }
    let mut mapped: Box<dyn Iterator<Item = char>> =
        if upper { Box::new(c.to_uppercase()) } else { Box::new(c.to_lowercase()) };
    match (mapped.next(), mapped.next()) {
        (Some(m), None) => m,
        _ => c,
    }
}

pub fn upper(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    Ok(Value::string(s.chars().map(|c| simple_case(c, true)).collect::<String>()))
}

pub fn lower(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    Ok(Value::string(s.chars().map(|c| simple_case(c, false)).collect::<String>()))
}

/// Go's `strings.Title`: upper-cases letters that follow a separator.
pub fn title(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    let is_separator = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else {
            !(c.is_alphabetic() || c.is_numeric()) && c.is_whitespace()
        }
    };
    let mut prev = ' ';
    let out: String = s
        .chars()
        .map(|c| {
            let mapped = if is_separator(prev) { simple_case(c, true) } else { c };
            prev = c;
            mapped
        })
        .collect();
    Ok(Value::string(out))
}

pub fn chomp(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    Ok(Value::string(s.trim_end_matches(['\r', '\n'])))
}

pub fn trimspace(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    Ok(Value::string(string(&args[0], "str")?.trim()))
}

pub fn trim(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (s, cutset) = (string(&args[0], "str")?, string(&args[1], "cutset")?);
    Ok(Value::string(s.trim_matches(|c| cutset.contains(c))))
}

pub fn trimprefix(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (s, prefix) = (string(&args[0], "str")?, string(&args[1], "prefix")?);
    Ok(Value::string(s.strip_prefix(&*prefix).unwrap_or(&s)))
}

pub fn trimsuffix(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (s, suffix) = (string(&args[0], "str")?, string(&args[1], "suffix")?);
    Ok(Value::string(s.strip_suffix(&*suffix).unwrap_or(&s)))
}

pub fn startswith(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (s, prefix) = (string(&args[0], "str")?, string(&args[1], "prefix")?);
    Ok(Value::bool(s.starts_with(&*prefix)))
}

pub fn endswith(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (s, suffix) = (string(&args[0], "str")?, string(&args[1], "suffix")?);
    Ok(Value::bool(s.ends_with(&*suffix)))
}

pub fn strcontains(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (s, sub) = (string(&args[0], "str")?, string(&args[1], "substr")?);
    Ok(Value::bool(s.contains(&*sub)))
}

pub fn strrev(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    Ok(Value::string(graphemes(&s).rev().collect::<String>()))
}

pub fn indent(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let spaces = integer(&args[0], "spaces")?;
    let s = string(&args[1], "str")?;
    let spaces = usize::try_from(spaces).map_err(|_| arg_err("spaces", "must not be negative"))?;
    let lines = s.matches('\n').count();
    check_len(lines.saturating_mul(spaces).saturating_add(s.len()))?;
    Ok(Value::string(s.replace('\n', &format!("\n{}", " ".repeat(spaces)))))
}

pub fn split(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (sep, s) = (string(&args[0], "separator")?, string(&args[1], "str")?);
    check_count(if sep.is_empty() { s.len() } else { s.matches(&*sep).count() + 1 })?;
    let parts: Vec<Value> = if sep.is_empty() {
        s.chars().map(|c| Value::string(c.to_string())).collect()
    } else {
        s.split(&*sep).map(Value::string).collect()
    };
    Ok(Value::list(parts))
}

pub fn substr(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    let mut offset = integer(&args[1], "offset")?;
    let length = integer(&args[2], "length")?;
    if offset < 0 {
        offset = offset.saturating_add(grapheme_count(&s) as i64);
    } else if length == 0 {
        return Ok(Value::string(""));
    }
    let skip = usize::try_from(offset.max(0)).unwrap_or(usize::MAX);
    let rest = graphemes(&s).skip(skip);
    let out: String = match usize::try_from(length) {
        Ok(n) => rest.take(n).collect(),
        Err(_) => rest.collect(),
    };
    Ok(Value::string(out))
}

/// join(separator, lists...). Unknown elements make an unknown whose known leading and
/// trailing elements become its prefix and suffix.
pub fn join(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    if let Some(u) = args[0].first_unknown() {
        return Ok(plain_unknown(u));
    }
    let sep = string(&args[0], "separator")?;
    if args.len() < 2 {
        return Err(arg_err("lists", "at least one list is required"));
    }
    let mut pieces = Vec::new();
    let mut total = 0usize;
    let several = args.len() > 2;
    for (ai, list) in args[1..].iter().enumerate() {
        if list.is_unknown() {
            return Ok(plain_unknown(list));
        }
        for (ei, e) in seq(list, "lists")?.iter().enumerate() {
            if !pieces.is_empty() {
                total += sep.len();
                pieces.push(Piece::Text(sep.to_string()));
            }
            if e.is_unknown() {
                pieces.push(Piece::Hole { unknown: e.clone(), verbatim: true });
            } else if e.is_null() {
                let which = if several { format!("element {ei} of list {}", ai + 1) } else { format!("element {ei}") };
                return Err(arg_err("lists", format!("{which} is null; cannot concatenate null values")));
            } else {
                let text = string(e, "lists")?;
                total += text.len();
                check_len(total)?;
                pieces.push(Piece::Text(text.into_owned()));
            }
        }
    }
    assemble(pieces)
}

/// Renders `template` with the variables in `vars` (a map or object), for templatestring
/// and templatefile.
pub fn render(ctx: &FnContext, template: &str, name: &str, vars: &Value) -> Result<Value, FnError> {
    let vars = map(vars, "vars").map_err(|_| arg_err("vars", "invalid vars value: must be a map"))?;
    for key in vars.keys() {
        let mut chars = key.chars();
        let valid = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(arg_err(
                "vars",
                format!(
                    "invalid template variable name {key:?}: must start with a letter, followed by zero or more letters, digits, and underscores"
                ),
            ));
        }
    }
    (ctx.render_template)(template, name, vars)
}

pub fn templatestring(args: &[Value], ctx: &FnContext) -> Result<Value, FnError> {
    if args[0].is_unknown() {
        return Ok(plain_unknown(&args[0]));
    }
    if args[1].is_unknown() {
        return Ok(plain_unknown(&args[1]));
    }
    let template = string(&args[0], "template")?;
    render(ctx, &template, "templatestring", &args[1])
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
    fn strs(xs: &[&str]) -> Value {
        Value::list(xs.iter().map(|x| s(x)).collect())
    }
    fn call1(name: &str, arg: &str) -> String {
        call_fn(name, vec![s(arg)]).unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn case_functions() {
        assert_eq!(call1("upper", "hello"), "HELLO");
        assert_eq!(call1("upper", "алло!"), "АЛЛО!");
        assert_eq!(call1("upper", "straße"), "STRAßE");
        assert_eq!(call1("lower", "HELLO"), "hello");
        assert_eq!(call1("lower", "АЛЛО!"), "алло!");
        assert_eq!(call1("title", "hello world"), "Hello World");
        assert_eq!(call1("title", "hello_world-foo.bar"), "Hello_world-Foo.Bar");
        assert_eq!(call_fn("upper", vec![n(5.0)]).unwrap(), s("5"));
    }

    #[test]
    fn trimming() {
        assert_eq!(call1("chomp", "hello\n"), "hello");
        assert_eq!(call1("chomp", "hello\r\n"), "hello");
        assert_eq!(call1("chomp", "hello\n\n"), "hello");
        assert_eq!(call1("trimspace", "  hello\n\n"), "hello");
        assert_eq!(call_fn("trim", vec![s("?!hello?!"), s("!?")]).unwrap(), s("hello"));
        assert_eq!(call_fn("trim", vec![s("foobar"), s("far")]).unwrap(), s("oob"));
        assert_eq!(call_fn("trimprefix", vec![s("helloworld"), s("hello")]).unwrap(), s("world"));
        assert_eq!(call_fn("trimprefix", vec![s("helloworld"), s("cat")]).unwrap(), s("helloworld"));
        assert_eq!(call_fn("trimsuffix", vec![s("helloworld"), s("world")]).unwrap(), s("hello"));
    }

    #[test]
    fn predicates() {
        assert_eq!(call_fn("startswith", vec![s("hello world"), s("hello")]).unwrap(), Value::bool(true));
        assert_eq!(call_fn("startswith", vec![s("hello world"), s("world")]).unwrap(), Value::bool(false));
        assert_eq!(call_fn("endswith", vec![s("hello world"), s("world")]).unwrap(), Value::bool(true));
        assert_eq!(call_fn("strcontains", vec![s("hello world"), s("wor")]).unwrap(), Value::bool(true));
        assert_eq!(call_fn("strcontains", vec![s("hello world"), s("wod")]).unwrap(), Value::bool(false));
    }

    #[test]
    fn graphemes_count_as_characters() {
        assert_eq!(call1("strrev", "hello"), "olleh");
        assert_eq!(call1("strrev", "a☃"), "☃a");
        assert_eq!(call1("strrev", "e\u{301}x"), "xe\u{301}");
        assert_eq!(call_fn("substr", vec![s("hello world"), n(1.0), n(4.0)]).unwrap(), s("ello"));
        assert_eq!(call_fn("substr", vec![s("🤔🤷"), n(0.0), n(1.0)]).unwrap(), s("🤔"));
        assert_eq!(call_fn("substr", vec![s("hello world"), n(-5.0), n(3.0)]).unwrap(), s("wor"));
        assert_eq!(call_fn("substr", vec![s("hello world"), n(6.0), n(10.0)]).unwrap(), s("world"));
        assert_eq!(call_fn("substr", vec![s("hello"), n(2.0), n(-1.0)]).unwrap(), s("llo"));
        assert_eq!(call_fn("substr", vec![s("hello"), n(20.0), n(2.0)]).unwrap(), s(""));
        assert!(call_fn("substr", vec![s("hello"), n(1e300), n(1e300)]).unwrap_err().contains("whole number"));
    }

    #[test]
    fn split_and_join() {
        assert_eq!(call_fn("split", vec![s(","), s("foo,bar,baz")]).unwrap(), strs(&["foo", "bar", "baz"]));
        assert_eq!(call_fn("split", vec![s(","), s("foo")]).unwrap(), strs(&["foo"]));
        assert_eq!(call_fn("split", vec![s(","), s("")]).unwrap(), strs(&[""]));
        assert_eq!(call_fn("split", vec![s(""), s("ab")]).unwrap(), strs(&["a", "b"]));
        assert_eq!(call_fn("join", vec![s("-"), strs(&["foo", "bar", "baz"])]).unwrap(), s("foo-bar-baz"));
        assert_eq!(call_fn("join", vec![s(", "), strs(&["foo"])]).unwrap(), s("foo"));
        assert_eq!(call_fn("join", vec![s(","), strs(&["a"]), strs(&["b", "c"])]).unwrap(), s("a,b,c"));
        assert_eq!(call_fn("join", vec![s(","), Value::list(vec![n(1.0), Value::bool(true)])]).unwrap(), s("1,true"));
        assert!(call_fn("join", vec![s(",")]).unwrap_err().contains("at least one list"));
        assert!(call_fn("join", vec![s(","), Value::list(vec![Value::null()])]).unwrap_err().contains("null"));
    }

    #[test]
    fn join_keeps_known_ends_of_unknown_results() {
        let u = Value::unknown(UnknownSource::Variable { name: "acct".into(), span: None });
        let list = Value::list(vec![s("arn"), s("aws"), u.clone(), s("key")]);
        let got = call_fn("join", vec![s(":"), list]).unwrap();
        let unk = got.as_unknown().expect("unknown");
        assert_eq!(unk.prefix.as_deref(), Some("arn:aws:"));
        assert_eq!(unk.suffix.as_deref(), Some(":key"));
        assert_eq!(unk.source, u.as_unknown().unwrap().source);
        // A wholly unknown list gives a plain unknown.
        let got = call_fn("join", vec![s(":"), u.clone()]).unwrap();
        assert!(matches!(got.kind, Kind::Unknown(_)) && got.as_unknown().unwrap().prefix.is_none());
    }

    #[test]
    fn huge_results_are_refused() {
        let mb = s(&"x".repeat(1 << 20));
        let many = Value::list(vec![mb; 40]);
        assert!(call_fn("join", vec![s(""), many]).unwrap_err().contains("MiB"));
        let commas = s(&",".repeat(2_000_000));
        assert!(call_fn("split", vec![s(","), commas]).unwrap_err().contains("more than"));
    }

    #[test]
    fn indent_pads_all_but_the_first_line() {
        assert_eq!(call_fn("indent", vec![n(2.0), s("[\n  foo,\n]")]).unwrap(), s("[\n    foo,\n  ]"));
        assert!(call_fn("indent", vec![n(-1.0), s("a\nb")]).is_err());
        let many = "\n".repeat(1000);
        assert!(call_fn("indent", vec![n(1e8), s(&many)]).unwrap_err().contains("MiB"));
    }

    #[test]
    fn templatestring_renders_with_vars() {
        let vars = Value::map([("name".to_string(), s("world"))].into_iter().collect());
        assert_eq!(call_fn("templatestring", vec![s("hello ${name}"), vars]).unwrap(), s("hello world"));
        let bad = Value::map([("0x".to_string(), s("a"))].into_iter().collect());
        assert!(call_fn("templatestring", vec![s("x"), bad]).unwrap_err().contains("invalid template variable name"));
        assert!(call_fn("templatestring", vec![s("x"), s("y")]).unwrap_err().contains("must be a map"));
    }
}
