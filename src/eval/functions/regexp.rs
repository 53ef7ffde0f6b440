//! regex, regexall and replace, with Go's RE2 syntax run on Rust's `regex` crate (also RE2
//! semantics: linear time). Go's ASCII-only `\d \w \s \b` and literal `[` inside classes are
//! translated; compiled patterns are cached per thread.

use super::FnError;
use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Captures, Regex, RegexBuilder};

use super::FnContext;
use super::args::{MAX_STRING, arg_err, check_count, check_len, string};
use crate::terraform::value::{Map, Value};

const CACHE_SIZE: usize = 256;

thread_local! {
    static CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

/// Rewrites Go RE2 syntax into the equivalent for the `regex` crate.
fn translate(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    let class_escape = |c: char, in_class: bool| -> Option<&'static str> {
        Some(match (c, in_class) {
            ('d', false) => "[0-9]",
            ('D', _) => "[^0-9]",
            ('w', false) => "[0-9A-Za-z_]",
            ('W', _) => "[^0-9A-Za-z_]",
            ('s', false) => "[\\t\\n\\f\\r ]",
            ('S', _) => "[^\\t\\n\\f\\r ]",
            ('d', true) => "0-9",
            ('w', true) => "0-9A-Za-z_",
            ('s', true) => "\\t\\n\\f\\r ",
            _ => return None,
        })
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                let e = chars[i + 1];
                i += 2;
                if let Some(class) = class_escape(e, false) {
                    out.push_str(class);
                } else if e == 'b' || e == 'B' {
                    out.push_str(if e == 'b' { "(?-u:\\b)" } else { "(?-u:\\B)" });
                } else if e == 'Q' {
                    let rest: String = chars[i..].iter().collect();
                    let (lit, after) = rest.split_once("\\E").unwrap_or((&rest, ""));
                    out.push_str(&regex::escape(lit));
                    i = chars.len() - after.chars().count();
                } else {
                    out.push('\\');
                    out.push(e);
                }
                continue;
            }
            '[' => {
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
                while i < chars.len() && chars[i] != ']' {
                    let c = chars[i];
                    match c {
                        '[' if chars.get(i + 1) == Some(&':') => {
                            let rest: String = chars[i..].iter().collect();
                            let end = rest.find(":]").map_or(rest.len(), |e| e + 2);
                            out.push_str(&rest[..end]);
                            i += rest[..end].chars().count();
                            continue;
                        }
                        '\\' if i + 1 < chars.len() => {
                            let e = chars[i + 1];
                            match class_escape(e, true) {
                                Some(class) => out.push_str(class),
                                None => {
                                    out.push('\\');
                                    out.push(e);
                                }
                            }
                            i += 2;
                            continue;
                        }
                        '[' | '&' | '~' => {
                            out.push('\\');
                            out.push(c);
                        }
                        '-' if chars.get(i + 1) == Some(&'-') => out.push_str("\\-"),
                        _ => out.push(c),
                    }
                    i += 1;
                }
                if i < chars.len() {
                    out.push(']');
                    i += 1;
                }
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Compiles (or fetches from the cache) a Go-syntax pattern.
fn compile(pattern: &str) -> Result<Regex, FnError> {
    if let Some(re) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let re = RegexBuilder::new(&translate(pattern)).size_limit(4 << 20).dfa_size_limit(4 << 20).build().map_err(
        |e| match e {
            regex::Error::CompiledTooBig(_) => "pattern is too large".to_string(),
            e => e.to_string().lines().last().unwrap_or("invalid pattern").trim().to_string(),
        },
    )?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_SIZE {
            c.clear();
        }
        c.insert(pattern.to_string(), re.clone());
    });
    Ok(re)
}

/// Calls `f` for successive matches as Go finds them: an empty match right after a
/// match is skipped.
fn go_matches<'h>(
    re: &Regex,
    haystack: &'h str,
    mut f: impl FnMut(Captures<'h>) -> Result<(), FnError>,
) -> Result<(), FnError> {
    let mut prev_end: Option<usize> = None;
    for caps in re.captures_iter(haystack) {
        let Some(m) = caps.get(0) else { continue };
        if m.is_empty() && prev_end == Some(m.start()) {
            continue;
        }
        prev_end = Some(m.end());
        f(caps)?;
    }
    Ok(())
}

/// The shape of regex results: whole match, list of groups, or object of named groups.
enum Shape {
    Whole,
    Groups,
    Named(Vec<String>),
}

fn shape(re: &Regex) -> Result<Shape, FnError> {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let named = names.iter().filter(|n| n.is_some()).count();
    Ok(match (names.len(), named) {
        (0, _) => Shape::Whole,
        (n, 0) if n > 0 => Shape::Groups,
        (n, k) if n == k => Shape::Named(names.iter().flatten().map(|s| s.to_string()).collect()),
        _ => {
            return Err(arg_err("pattern", "invalid regexp pattern: cannot mix both named and unnamed capture groups"));
        }
    })
}

fn result(shape: &Shape, caps: &Captures) -> Value {
    let group = |i: usize| caps.get(i).map_or_else(Value::null, |m| Value::string(m.as_str()));
    match shape {
        Shape::Whole => group(0),
        Shape::Groups => Value::list((1..caps.len()).map(group).collect()),
        Shape::Named(names) => Value::map(
            names
                .iter()
                .map(|n| (n.clone(), caps.name(n).map_or_else(Value::null, |m| Value::string(m.as_str()))))
                .collect::<Map>(),
        ),
    }
}

fn pattern_arg(args: &[Value]) -> Result<(Regex, Shape), FnError> {
    let pattern = string(&args[0], "pattern")?;
    let re = compile(&pattern).map_err(|e| arg_err("pattern", format!("invalid regexp pattern: {e}")))?;
    let shape = shape(&re)?;
    Ok((re, shape))
}

pub fn regex(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (re, shape) = pattern_arg(args)?;
    let s = string(&args[1], "string")?;
    let caps = re.captures(&s).ok_or("pattern did not match any part of the given string")?;
    Ok(result(&shape, &caps))
}

pub fn regexall(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let (re, shape) = pattern_arg(args)?;
    let s = string(&args[1], "string")?;
    let mut out = Vec::new();
    go_matches(&re, &s, |caps| {
        check_count(out.len() + 1)?;
        out.push(result(&shape, &caps));
        Ok(())
    })?;
    Ok(Value::list(out))
}

/// replace(str, substr, replacement); a substring in slashes is a regex, and the
/// replacement may then use `$1` / `${name}`.
pub fn replace(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let s = string(&args[0], "str")?;
    let substr = string(&args[1], "substr")?;
    let replacement = string(&args[2], "replace")?;
    if substr.len() > 1 && substr.starts_with('/') && substr.ends_with('/') {
        let re = compile(&substr[1..substr.len() - 1])?;
        let mut out = String::new();
        let mut last = 0;
        go_matches(&re, &s, |caps| {
            if let Some(m) = caps.get(0) {
                out.push_str(&s[last..m.start()]);
                caps.expand(&replacement, &mut out);
                last = m.end();
            }
            check_len(out.len())
        })?;
        out.push_str(&s[last..]);
        check_len(out.len())?;
        return Ok(Value::string(out));
    }
    let count = if substr.is_empty() { s.chars().count() + 1 } else { s.matches(&*substr).count() };
    let growth = replacement.len().saturating_sub(substr.len());
    check_len(s.len().saturating_add(count.saturating_mul(growth)).min(MAX_STRING + 1))?;
    Ok(Value::string(s.replace(&*substr, &replacement)))
}

#[cfg(test)]
mod tests {
    use super::super::tests::call_fn;
    use super::*;

    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn strs(xs: &[&str]) -> Value {
        Value::list(xs.iter().map(|x| s(x)).collect())
    }
    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn regex_documented_examples() {
        let re = |p: &str, x: &str| call_fn("regex", vec![s(p), s(x)]);
        assert_eq!(re("[a-z]+", "53453453.345345aaabbbccc23454").unwrap(), s("aaabbbccc"));
        assert_eq!(re("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01").unwrap(), strs(&["2019", "02", "01"]));
        let got = re("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/").unwrap();
        assert_eq!(got, obj(&[("authority", s("terraform.io")), ("scheme", s("https"))]));
        assert_eq!(re("(a)|(b)", "b").unwrap(), Value::list(vec![Value::null(), s("b")]));
        assert!(re("[a-z]+", "1234").unwrap_err().contains("pattern did not match any part of the given string"));
        assert!(re("(?P<x>a)(b)", "ab").unwrap_err().contains("cannot mix both named and unnamed"));
        assert!(re("(", "x").unwrap_err().contains("invalid regexp pattern"));
    }

    #[test]
    fn regexall_finds_all_matches() {
        let all = |p: &str, x: &str| call_fn("regexall", vec![s(p), s(x)]).unwrap();
        assert_eq!(all("[a-z]+", "1234abcd5678efgh9"), strs(&["abcd", "efgh"]));
        assert_eq!(all("[a-z]+", "123456789"), strs(&[]));
        assert_eq!(all("a*", "baaac"), strs(&["", "aaa", ""]));
    }

    #[test]
    fn go_syntax_is_honoured() {
        // \d and \w are ASCII-only in Go.
        assert_eq!(call_fn("regexall", vec![s("\\d"), s("1٣2")]).unwrap(), strs(&["1", "2"]));
        assert_eq!(call_fn("regexall", vec![s("[\\w-]+"), s("a-b é")]).unwrap(), strs(&["a-b"]));
        assert_eq!(call_fn("regexall", vec![s("[[]+"), s("a[[b")]).unwrap(), strs(&["[["]));
        assert_eq!(call_fn("regexall", vec![s("[[:digit:]]+"), s("ab12")]).unwrap(), strs(&["12"]));
        assert_eq!(call_fn("regexall", vec![s("\\Q.*\\E"), s("a.*b")]).unwrap(), strs(&[".*"]));
        assert_eq!(call_fn("regexall", vec![s("[a&&b]"), s("&")]).unwrap(), strs(&["&"]));
    }

    #[test]
    fn replace_examples() {
        let rep = |a: &str, b: &str, c: &str| call_fn("replace", vec![s(a), s(b), s(c)]).unwrap();
        assert_eq!(rep("1 + 2 + 3", "+", "-"), s("1 - 2 - 3"));
        assert_eq!(rep("hello world", "/w.*d/", "everybody"), s("hello everybody"));
        assert_eq!(rep("hello world", "/(h)(e)/", "$2$1"), s("ehllo world"));
        assert_eq!(rep("hello world", "/(?P<first>h)/", "${first}H"), s("hHello world"));
        assert_eq!(rep("baaac", "/a*/", "X"), s("XbXcX"));
        assert_eq!(rep("abc", "", "-"), s("-a-b-c-"));
        assert_eq!(rep("a/b", "/", "_"), s("a_b"));
        assert!(call_fn("replace", vec![s("x"), s("/(/"), s("y")]).is_err());
    }

    #[test]
    fn hostile_inputs_are_bounded() {
        let big = "a".repeat(100_000);
        let err = call_fn("replace", vec![s(&big), s("//"), s(&big)]).unwrap_err();
        assert!(err.contains("MiB"), "{err}");
        let err = call_fn("replace", vec![s(&big), s(""), s(&big)]).unwrap_err();
        assert!(err.contains("MiB"), "{err}");
        let err = call_fn("regex", vec![s("(((a{100}){100}){100}){100}"), s("a")]).unwrap_err();
        assert!(err.contains("invalid regexp pattern"), "{err}");
        // Catastrophic-backtracking patterns run in linear time.
        let got = call_fn("regexall", vec![s("(a+)+$"), s(&format!("{}b", "a".repeat(5000)))]).unwrap();
        assert_eq!(got, strs(&[]));
    }
}
