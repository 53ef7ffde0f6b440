//! yamldecode and yamlencode, matching Terraform's go-cty-yaml.
//!
//! Decoding uses `saphyr-parser` (a YAML 1.2 event parser) and applies cty-yaml's own tag
//! resolution (YAML 1.1 booleans such as `yes`/`on`, timestamps as RFC 3339 strings, `<<`
//! merge keys). Encoding reproduces go-yaml's block-style emitter: double-quoted strings
//! wrapped after column 80, literal blocks for multi-line strings.

use super::FnError;
use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::FnContext;
use super::args::{MAX_ELEMENTS, check_len, string};
use super::encoding::base64_decode;
use crate::eval::types::parse_number;
use crate::terraform::value::{Kind, Map, Value, format_number};

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 512;
/// Most nodes that aliases may expand to (guards consumers against "billion laughs").
const MAX_EXPANDED: usize = 10_000_000;

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// A mapping key in progress: a string, or the `<<` merge key.
enum Key {
    Str(String),
    Merge,
}

enum Frame {
    Seq { items: Vec<Value>, anchor: usize },
    Map { map: Map, merges: Vec<Value>, key: Option<Key>, anchor: usize },
}

struct Decoder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    pending: Vec<usize>,
    root: Option<Value>,
    expanded: usize,
    nodes: usize,
}

fn node_count(v: &Value) -> usize {
    match &v.kind {
        Kind::List(items) | Kind::Set(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        Kind::Map(m) => 1 + m.values().map(node_count).sum::<usize>(),
        _ => 1,
    }
}

fn full_tag(tag: &Option<Cow<'_, Tag>>) -> String {
    tag.as_ref().map_or_else(String::new, |t| format!("{}{}", t.handle, t.suffix))
}

/// Reads up to `max_len` digits at `*i`.
fn digits_at(s: &str, i: &mut usize, max_len: usize) -> Option<i64> {
    let b = s.as_bytes();
    let start = *i;
    while *i < b.len() && *i - start < max_len && b[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i == start { None } else { s[start..*i].parse().ok() }
}

fn expect_at(s: &str, i: &mut usize, c: u8) -> Option<()> {
    (s.as_bytes().get(*i) == Some(&c)).then(|| *i += 1)
}

/// Go `time.Parse` with cty-yaml's timestamp layouts; the result in RFC 3339.
fn yaml_timestamp(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    let year: i64 = s[..4].parse().ok()?;
    let mut i = 5;
    let month = digits_at(s, &mut i, 2)?;
    expect_at(s, &mut i, b'-')?;
    let day = digits_at(s, &mut i, 2)?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day < 1 || day > days[(month - 1) as usize] {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if i == b.len() {
        return Some(format!("{date}T00:00:00Z"));
    }
    let zoned = matches!(b[i], b'T' | b't');
    if !zoned && b[i] != b' ' {
        return None;
    }
    i += 1;
    let hour = digits_at(s, &mut i, 2)?;
    expect_at(s, &mut i, b':')?;
    let min = digits_at(s, &mut i, 2)?;
    expect_at(s, &mut i, b':')?;
    let sec = digits_at(s, &mut i, 2)?;
    if hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    let time = format!("{date}T{hour:02}:{min:02}:{sec:02}");
    let rest = &s[i..];
    if !zoned {
        return rest.is_empty().then(|| format!("{time}Z"));
    }
    if rest == "Z" {
        return Some(format!("{time}Z"));
    }
    let r = rest.as_bytes();
    let ok = r.len() == 6
        && matches!(r[0], b'+' | b'-')
        && r[3] == b':'
        && [1, 2, 4, 5].iter().all(|&k| r[k].is_ascii_digit());
    if !ok {
        return None;
    }
    // Go prints a zero offset as "Z".
    if &rest[1..] == "00:00" { Some(format!("{time}Z")) } else { Some(format!("{time}{rest}")) }
}

/// Go's `strconv.ParseInt(s, 0, 64)` (then `ParseUint`) for hex, octal and binary forms.
fn parse_go_int(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    let v = u64::from_str_radix(digits, radix).ok()?;
    if neg { (v <= 1 << 63).then(|| -(v as f64)) } else { Some(v as f64) }
}

fn is_yaml_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let all = |d: &str, f: fn(&u8) -> bool| !d.is_empty() && d.bytes().all(|b| b == b'_' || f(&b));
    if let Some(d) = body.strip_prefix("0o") {
        return all(d, |b| (b'0'..=b'7').contains(b));
    }
    if let Some(d) = body.strip_prefix("0x") {
        return all(d, u8::is_ascii_hexdigit);
    }
    all(body, u8::is_ascii_digit)
}

fn is_yaml_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let mant_ok = match mant.split_once('.') {
        Some(("", f)) => !f.is_empty() && digits(f),
        Some((i, f)) => digits(i) && digits(f),
        None => !mant.is_empty() && digits(mant),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mant_ok && exp_ok
}

enum Scalar {
    Value(Value),
    Merge,
}

/// cty-yaml's `resolveScalar`.
fn resolve(tag: &str, src: &str, style: ScalarStyle) -> Result<Scalar, FnError> {
    let short = tag.strip_prefix(TAG_PREFIX);
    let known = ["str", "bool", "int", "float", "null", "timestamp", "binary"];
    if !tag.is_empty() && !short.is_some_and(|t| known.contains(&t)) {
        return Err(format!("unsupported tag {tag:?}").into());
    }
    let mut kind = short.unwrap_or("");
    let hint = match src.bytes().next() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    let special = |s: &str| -> Option<Value> {
        Some(match s {
            "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Value::bool(true),
            "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Value::bool(false),
            "" | "~" | "null" | "Null" | "NULL" => Value::null(),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::number(f64::INFINITY),
            "-.inf" | "-.Inf" | "-.INF" => Value::number(f64::NEG_INFINITY),
            _ => return None,
        })
    };
    if hint != 0 && kind != "str" && kind != "binary" {
        if matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) {
            return Ok(Scalar::Value(Value::string(src)));
        }
        if let Some(v) = special(src) {
            return Ok(Scalar::Value(v));
        }
        if kind.is_empty() && matches!(src, ".nan" | ".NaN" | ".NAN") {
            return Err("floating point NaN is not supported".into());
        }
        match hint {
            b'.' => {
                if let Some(n) = parse_number(src) {
                    return Ok(Scalar::Value(Value::number(n)));
                }
            }
            b'D' | b'S' => {
                if (kind.is_empty() || kind == "timestamp")
                    && let Some(t) = yaml_timestamp(src)
                {
                    return Ok(Scalar::Value(Value::string(t)));
                }
                if is_yaml_int(src) {
                    kind = "int";
                } else if is_yaml_float(src) {
                    kind = "float";
                }
            }
            _ => {}
        }
    }
    if tag.is_empty() && src == "<<" {
        return Ok(Scalar::Merge);
    }
    let cannot = || format!("cannot parse {src:?} as {tag}");
    let v = match kind {
        "str" => Value::string(src),
        "binary" => {
            base64_decode(src).map_err(|_| format!("cannot parse {src:?} as {tag}: not valid base64"))?;
            Value::string(src)
        }
        "bool" => special(src).filter(|v| v.as_bool().is_some()).ok_or_else(cannot)?,
        "int" | "float" => {
            let plain = src.replace('_', "");
            let n = parse_number(&plain).or_else(|| parse_go_int(&plain)).ok_or_else(|| {
                format!(
                    "cannot parse {src:?} as {}",
                    if tag.is_empty() { format!("{TAG_PREFIX}{kind}") } else { tag.to_string() }
                )
            })?;
            Value::number(n)
        }
        "timestamp" => Value::string(yaml_timestamp(src).ok_or_else(cannot)?),
        "null" => Value::null(),
        _ => Value::string(src),
    };
    Ok(Scalar::Value(v))
}

impl Decoder {
    fn register(&mut self, anchor: usize, v: &Value) {
        if anchor != 0 {
            self.pending.retain(|a| *a != anchor);
            self.anchors.insert(anchor, (v.clone(), node_count(v)));
        }
    }

    /// Adds a finished node to the collection being built (or makes it the document).
    fn push(&mut self, v: Value, scalar_key: Option<Scalar>) -> Result<(), FnError> {
        self.nodes += 1;
        if self.nodes > MAX_ELEMENTS {
            return Err(super::limit_message(format_args!(
                "the document has more than tfcheck's limit of {MAX_ELEMENTS} values"
            )));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_some() {
                    return Err("unexpected extra content after value".into());
                }
                self.root = Some(v);
            }
            Some(Frame::Seq { items, .. }) => items.push(v),
            Some(Frame::Map { map, merges, key, .. }) => match key.take() {
                None => {
                    *key = Some(match scalar_key {
                        Some(Scalar::Merge) => Key::Merge,
                        Some(Scalar::Value(k)) => match &k.kind {
                            Kind::Null => return Err("mapping key cannot be null".into()),
                            Kind::String(s) => Key::Str(s.to_string()),
                            Kind::Number(n) => Key::Str(format_number(*n)),
                            Kind::Bool(b) => Key::Str(b.to_string()),
                            _ => return Err("only strings are allowed as mapping keys".into()),
                        },
                        None => return Err("only strings are allowed as mapping keys".into()),
                    });
                }
                Some(Key::Str(k)) => {
                    map.insert(k, v);
                }
                Some(Key::Merge) => match &v.kind {
                    Kind::Map(_) => merges.push(v),
                    Kind::List(items) if items.iter().all(|i| i.as_map().is_some()) => {
                        merges.extend(items.iter().cloned())
                    }
                    _ => {
                        return Err("map merge requires map or sequence of maps as the value".into());
                    }
                },
            },
        }
        Ok(())
    }

    fn event(&mut self, ev: Event<'_>) -> Result<(), FnError> {
        match ev {
            Event::Scalar(src, style, anchor, tag) => {
                let tag = full_tag(&tag);
                let in_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                let resolved = resolve(&tag, &src, style)?;
                let v = match &resolved {
                    Scalar::Value(v) => v.clone(),
                    Scalar::Merge if in_key => Value::null(),
                    Scalar::Merge => Value::string("<<"),
                };
                self.register(anchor, &v);
                let key = if in_key { Some(resolved) } else { None };
                self.push(v, key)
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                let is_seq = matches!(ev, Event::SequenceStart(..));
                let tag = full_tag(tag);
                let want = if is_seq { "seq" } else { "map" };
                if !tag.is_empty() && tag != format!("{TAG_PREFIX}{want}") {
                    return Err(
                        format!("can't interpret {} as {tag}", if is_seq { "sequence" } else { "mapping" }).into()
                    );
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(super::limit_message(format_args!(
                        "the document is nested deeper than tfcheck's limit of {MAX_DEPTH}"
                    )));
                }
                if anchor != 0 {
                    self.pending.push(anchor);
                }
                self.stack.push(if is_seq {
                    Frame::Seq { items: Vec::new(), anchor }
                } else {
                    Frame::Map { map: Map::new(), merges: Vec::new(), key: None, anchor }
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { items, anchor }) => (Value::list(items), anchor),
                    Some(Frame::Map { mut map, merges, anchor, .. }) => {
                        for m in merges.iter().filter_map(Value::as_map) {
                            for (k, v) in m {
                                map.entry(k.clone()).or_insert_with(|| v.clone());
                            }
                        }
                        (Value::map(map), anchor)
                    }
                    None => return Err("unexpected end of collection".into()),
                };
                self.register(anchor, &v);
                self.push(v, None)
            }
            Event::Alias(id) => {
                if self.pending.contains(&id) {
                    return Err("cannot refer to an anchor from inside its own definition".into());
                }
                let (v, size) = self.anchors.get(&id).cloned().ok_or("reference to undefined anchor")?;
                self.expanded = self.expanded.saturating_add(size);
                if self.expanded > MAX_EXPANDED {
                    return Err("document contains excessive aliasing".into());
                }
                let key = if matches!(self.stack.last(), Some(Frame::Map { key: None, .. })) {
                    Some(Scalar::Value(v.clone()))
                } else {
                    None
                };
                self.push(v, key)
            }
            _ => Ok(()),
        }
    }
}

pub fn yamldecode(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let src = string(&args[0], "src")?;
    let mut dec =
        Decoder { stack: Vec::new(), anchors: HashMap::new(), pending: Vec::new(), root: None, expanded: 0, nodes: 0 };
    let mut documents = 0;
    for item in Parser::new_from_str(&src) {
        let (ev, _) = item.map_err(|e| e.to_string())?;
        if matches!(ev, Event::DocumentStart(_)) {
            documents += 1;
            if documents > 1 {
                return Err("only a single document is allowed".into());
            }
        }
        dec.event(ev)?;
    }
    // An empty stream, or only comments, is no document (`---` alone is a null document).
    if documents == 0 {
        return Err("the string holds no YAML document".into());
    }
    Ok(dec.root.unwrap_or_else(Value::null))
}

/// go-yaml's emitter, reduced to the block style that cty-yaml asks for.
struct Emitter {
    out: String,
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

const BEST_WIDTH: usize = 80;

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_printable(c: char) -> bool {
    let c = u32::from(c);
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (0xA0..=0xD7FF).contains(&c)
        || ((0xE000..=0xFFFD).contains(&c) && c != 0xFEFF)
}

/// Whether go-yaml allows a literal block for this string.
fn block_allowed(s: &str) -> bool {
    let mut prev_space = false;
    for c in s.chars() {
        if !is_printable(c) {
            return false;
        }
        if is_break(c) && prev_space {
            return false;
        }
        prev_space = c == ' ';
    }
    !s.ends_with(' ')
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    fn indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.write(ind);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { 2 } else { 0 };
        } else if !indentless {
            self.indent += 2;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn node(&mut self, v: &Value, ctx: Ctx) -> Result<(), FnError> {
        check_len(self.out.len())?;
        match &v.kind {
            Kind::Null => self.plain("null", ctx),
            Kind::Bool(b) => self.plain(if *b { "true" } else { "false" }, ctx),
            Kind::Number(n) if n.is_infinite() => self.plain(if *n > 0.0 { "+Inf" } else { "-Inf" }, ctx),
            Kind::Number(n) => self.plain(&format_number(*n), ctx),
            Kind::String(s) => self.string(s, ctx),
            Kind::List(items) | Kind::Set(items) if items.is_empty() => self.empty("[", "]"),
            Kind::Map(m) if m.is_empty() => self.empty("{", "}"),
            Kind::List(items) | Kind::Set(items) => {
                self.increase_indent(false, ctx.mapping && !self.indention);
                for item in items.iter() {
                    self.write_indent();
                    self.indicator("-", true, false, true);
                    self.node(item, Ctx::default())?;
                }
                self.pop_indent();
            }
            Kind::Map(m) => {
                self.increase_indent(false, false);
                let value_ctx = Ctx { mapping: true, ..Ctx::default() };
                for (k, item) in m.iter() {
                    self.write_indent();
                    if k.len() <= 128 && !k.contains(is_break) {
                        self.string(k, Ctx { mapping: true, simple_key: true, root: false });
                        self.indicator(":", false, false, false);
                    } else {
                        self.indicator("?", true, false, true);
                        self.string(k, value_ctx);
                        self.write_indent();
                        self.indicator(":", true, false, true);
                    }
                    self.node(item, value_ctx)?;
                }
                self.pop_indent();
            }
            Kind::Unknown(_) => return Err("cannot serialize unknown value as YAML".into()),
        }
        Ok(())
    }

    fn empty(&mut self, open: &str, close: &str) {
        self.indicator(open, true, true, false);
        self.indicator(close, false, false, false);
    }

    fn plain(&mut self, text: &str, ctx: Ctx) {
        self.increase_indent(true, false);
        if !self.whitespace {
            self.put(' ');
        }
        self.write(text);
        self.whitespace = false;
        self.indention = false;
        if ctx.root {
            self.open_ended = true;
        }
        self.pop_indent();
    }

    fn string(&mut self, s: &str, ctx: Ctx) {
        self.increase_indent(true, false);
        if s.contains('\n') && block_allowed(s) && !ctx.simple_key {
            self.literal(s);
        } else {
            self.double_quoted(s, !ctx.simple_key);
        }
        self.pop_indent();
    }

    fn double_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.indicator("\"", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let esc = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match esc {
                    Some(e) => self.put(e),
                    None => {
                        let v = u32::from(c);
                        let text = if v <= 0xFF {
                            format!("x{v:02X}")
                        } else if v <= 0xFFFF {
                            format!("u{v:04X}")
                        } else {
                            format!("U{v:08X}")
                        };
                        self.write(&text);
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i != 0 && i != chars.len() - 1 {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn literal(&mut self, s: &str) {
        self.indicator("|", true, false, false);
        if s.starts_with([' ', '\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
            self.indicator("2", false, false, false);
        }
        let mut rev = s.chars().rev();
        let chomp = match (rev.next(), rev.next()) {
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(prev)) if is_break(prev) => Some("+"),
            _ => None,
        };
        if let Some(h) = chomp {
            self.indicator(h, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in s.chars() {
            if is_break(c) {
                if c == '\n' {
                    self.put_break();
                } else {
                    self.put(c);
                    self.column = 0;
                }
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    breaks = false;
                }
                self.put(c);
                self.indention = false;
            }
        }
    }
}

pub fn yamlencode(args: &[Value], _: &FnContext) -> Result<Value, FnError> {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        indent: -1,
        indents: Vec::new(),
        whitespace: true,
        indention: true,
        open_ended: false,
    };
    e.node(&args[0], Ctx { root: true, ..Ctx::default() })?;
    e.write_indent();
    if e.open_ended {
        e.indicator("...", true, false, false);
        e.write_indent();
    }
    check_len(e.out.len())?;
    Ok(Value::string(e.out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::call_fn;
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
    fn dec(src: &str) -> Result<Value, String> {
        call_fn("yamldecode", vec![s(src)])
    }
    fn enc(v: Value) -> String {
        call_fn("yamlencode", vec![v]).unwrap().as_str().unwrap().to_string()
    }

    #[test]
    fn decodes_mappings_and_sequences() {
        assert_eq!(dec("hello: world").unwrap(), obj(&[("hello", s("world"))]));
        assert_eq!(dec("true").unwrap(), Value::bool(true));
        assert_eq!(dec("{a: &foo [1, 2, 3], b: *foo}").unwrap(), {
            let l = Value::list(vec![n(1.0), n(2.0), n(3.0)]);
            obj(&[("a", l.clone()), ("b", l)])
        });
        assert_eq!(
            dec("- a\n- b\n-\n  - c: 1\n").unwrap(),
            Value::list(vec![s("a"), s("b"), Value::list(vec![obj(&[("c", n(1.0))])])])
        );
        let got = dec("text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n").unwrap();
        assert_eq!(got, obj(&[("folded", s("a b\n")), ("text", s("line one\nline two\n"))]));
        // No document is an error in Terraform; `---` alone is a null document.
        assert!(dec("").is_err());
        assert!(dec("# only a comment\n").is_err());
        assert!(dec("---\n").unwrap().is_null());
        assert!(dec("~").unwrap().is_null());
    }

    #[test]
    fn resolves_scalars_like_cty_yaml() {
        let v = dec("[yes, No, on, OFF, y, 'yes', \"1\", 1_000, 0x1F, 0o17, 017, -3, 1.5, .5, 1e3, .inf, 2001-12-14, 2001-12-14t21:59:43.10-05:00, 1.2.3, null, '', hello]").unwrap();
        let want = vec![
            Value::bool(true),
            Value::bool(false),
            Value::bool(true),
            Value::bool(false),
            Value::bool(true),
            s("yes"),
            s("1"),
            n(1000.0),
            n(31.0),
            n(15.0),
            n(17.0),
            n(-3.0),
            n(1.5),
            n(0.5),
            n(1000.0),
            n(f64::INFINITY),
            s("2001-12-14T00:00:00Z"),
            s("2001-12-14T21:59:43-05:00"),
            s("1.2.3"),
            Value::null(),
            s(""),
            s("hello"),
        ];
        assert_eq!(v, Value::list(want));
        assert_eq!(dec("!!str 123").unwrap(), s("123"));
        assert_eq!(dec("!!int '12'").unwrap(), s("12"));
        assert!(dec(".nan").unwrap_err().contains("NaN"));
        assert!(dec("!Ref foo").unwrap_err().contains("unsupported tag"));
        assert_eq!(dec("1: a\ntrue: b").unwrap(), obj(&[("1", s("a")), ("true", s("b"))]));
    }

    #[test]
    fn merge_keys_and_errors() {
        let got = dec("base: &b {p: 1, q: 2}\nderived:\n  <<: *b\n  q: 3\n").unwrap();
        assert_eq!(got.as_map().unwrap()["derived"], obj(&[("p", n(1.0)), ("q", n(3.0))]));
        // "y" is a YAML 1.1 boolean, so as a key it reads as "true", as in cty-yaml.
        assert_eq!(dec("y: 1").unwrap(), obj(&[("true", n(1.0))]));
        assert!(dec("a: 1\n---\nb: 2\n").unwrap_err().contains("only a single document"));
        assert!(dec("a: [1, 2").is_err());
        assert!(dec("? [1]\n: x\n").unwrap_err().contains("only strings are allowed as mapping keys"));
        assert!(dec("a: *nope").is_err());
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert!(dec(&deep).is_err());
    }

    #[test]
    fn aliases_cannot_explode() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            doc.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert!(dec(&doc).unwrap_err().contains("excessive aliasing"));
    }

    #[test]
    fn encodes_documented_examples() {
        assert_eq!(enc(obj(&[("a", s("b")), ("c", s("d"))])), "\"a\": \"b\"\n\"c\": \"d\"\n");
        assert_eq!(
            enc(obj(&[("foo", Value::list(vec![n(1.0), n(2.0), n(3.0)])), ("bar", s("baz"))])),
            "\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"
        );
        let nested =
            obj(&[("foo", Value::list(vec![n(1.0), obj(&[("a", s("b")), ("c", s("d"))]), n(3.0)])), ("bar", s("baz"))]);
        assert_eq!(enc(nested), "\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n");
    }

    #[test]
    fn encodes_like_go_yaml() {
        assert_eq!(enc(Value::bool(true)), "true\n...\n");
        assert_eq!(enc(s("")), "\"\"\n");
        assert_eq!(enc(s("hello")), "\"hello\"\n");
        assert_eq!(enc(n(0.0)), "0\n...\n");
        assert_eq!(enc(Value::null()), "null\n...\n");
        assert_eq!(enc(obj(&[])), "{}\n");
        assert_eq!(enc(Value::list(vec![])), "[]\n");
        assert_eq!(
            enc(obj(&[("a", Value::list(vec![])), ("b", obj(&[("c", Value::null())]))])),
            "\"a\": []\n\"b\":\n  \"c\": null\n"
        );
        assert_eq!(enc(Value::list(vec![Value::list(vec![n(1.0), n(2.0)])])), "- - 1\n  - 2\n");
        assert_eq!(enc(obj(&[("s", s("line1\nline2"))])), "\"s\": |-\n  line1\n  line2\n");
        assert_eq!(enc(obj(&[("s", s("line1\n"))])), "\"s\": |\n  line1\n");
        assert_eq!(enc(s("a\tb\nc")), "\"a\\tb\\nc\"\n");
        assert_eq!(enc(s("q\"\\ \u{1}")), "\"q\\\"\\\\ \\x01\"\n");
        let long = format!("\"k\": \"{} {}\"\n", "a".repeat(85), "b");
        assert_eq!(enc(obj(&[("k", s(&format!("{} {}", "a".repeat(85), "b")))])).replace("\n  ", " "), long);
        assert!(enc(obj(&[("k", s(&"word ".repeat(40)))])).contains("\n  "));
    }
}
