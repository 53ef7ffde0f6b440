//! Runtime values of the Terraform language.
//!
//! A [`Value`] is a [`Kind`] plus an optional [`Origin`] saying where a value that decides a
//! finding was written (a variable default, a tfvars entry, a module argument). Unknown values
//! (resource attributes, data sources, variables nobody set) carry an [`UnknownSource`], so a
//! rule can ask "unknown, but it is the ARN of an `aws_kms_key`".

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::syntax::source::Span;

pub type Map = BTreeMap<String, Value>;

#[derive(Clone, Debug)]
pub struct Value {
    pub kind: Kind,
    pub origin: Option<Arc<Origin>>,
    /// See [`Value::weight`]; computed when the value is built, from its parts' weights.
    weight: u64,
    /// Some unknown value is inside (or this is one): `is_wholly_known` without a walk.
    has_unknown: bool,
}

/// Heaviest value expressions may build (see [`Value::weight`]): a walk over any value then
/// ends in bounded time, however much of it is shared (`[local.a, local.a]` doubles the
/// weight for one node).
pub const MAX_WEIGHT: u64 = 1_000_000;

/// String bytes that weigh as much as one node (a string of the 16 MiB functions may build
/// weighs [`MAX_WEIGHT`]).
const BYTES_PER_WEIGHT: usize = 16;

#[derive(Clone, Debug)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    String(Arc<str>),
    /// Lists and tuples.
    List(Arc<Vec<Value>>),
    /// Sets: no duplicates, kept in [`Value::total_cmp`] order (strings lexically, as cty does).
    Set(Arc<Vec<Value>>),
    /// Maps and objects; keys iterate in lexical order, as Terraform's do.
    Map(Arc<Map>),
    Unknown(Arc<Unknown>),
}

/// Where a known value was written, for messages such as
/// `encryption_type is "AES256" (variable "enc", default at variables.tf:3)`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Origin {
    /// e.g. `variable "enc", default` or `module argument "enc"`.
    pub label: String,
    pub span: Option<Span>,
    /// The resource or data source a known value was read from (a plan knows the ARN a
    /// `data.aws_kms_alias` resolved to; rules still need to know it came from that alias).
    pub reference: Option<Box<UnknownSource>>,
    /// The value is sensitive: messages do not show it.
    pub sensitive: bool,
}

impl Origin {
    pub fn new(label: impl Into<String>, span: Option<Span>) -> Origin {
        Origin { label: label.into(), span, ..Origin::default() }
    }
}

/// A value that cannot be known before apply (or that tfcheck cannot know).
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub source: UnknownSource,
    /// Attribute path below the source (`arn`, `outputs.key[0]`), grown by traversals.
    pub path: String,
    /// For strings built by templates: text known to start / end the value.
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    /// For strings built from text and unknown parts: the text with [`PLACEHOLDER`] for each
    /// unknown part. A policy written as a heredoc around an unknown account id is still a
    /// readable document.
    pub template: Option<Arc<str>>,
    /// Computed from the source's value (`upper(...)`, `a == b`), not that value itself: a
    /// join cannot take it for a reference to the source.
    pub derived: bool,
}

/// Stands for an unknown part in [`Unknown::template`] (a private-use character).
pub const PLACEHOLDER: char = '\u{E000}';

#[derive(Clone, Debug, PartialEq)]
pub enum UnknownSource {
    /// An attribute of a managed resource, e.g. `aws_kms_key.ecr.arn`.
    /// `module` is the module instance it is in (`module.a["x"]`, "" for the root); in a plan,
    /// whose configuration names module calls, not instances, a pattern
    /// (`module.a[?]`, see [`crate::terraform::addr::PatternKey`]); `None` when the input
    /// does not say.
    Resource { rtype: String, name: String, module: Option<Arc<str>>, span: Option<Span> },
    /// An attribute of a data source; `config` is its evaluated arguments.
    Data { dtype: String, name: String, config: Box<Value>, span: Option<Span> },
    /// A root input variable with no default and no value given.
    Variable { name: String, span: Option<Span> },
    /// An output of a module that is not available locally.
    ModuleOutput { call: String, reason: String, span: Option<Span> },
    /// `count.index`, `each.key`, `each.value` when the expansion is not known.
    Expansion { what: String },
    /// A value only known at apply time (`timestamp()`, `uuid()`, ...).
    Apply { what: String },
    /// Something the input does not say (who manages a key a state does not hold).
    Outside { what: String },
    /// Evaluation failed; the error was reported as a diagnostic.
    Error { message: String },
}

impl Value {
    pub fn new(kind: Kind) -> Value {
        let (weight, has_unknown) = match &kind {
            Kind::Null | Kind::Bool(_) | Kind::Number(_) => (1, false),
            Kind::String(s) => (1 + (s.len() / BYTES_PER_WEIGHT) as u64, false),
            Kind::Unknown(u) => (1 + u.template.as_ref().map_or(0, |t| t.len() / BYTES_PER_WEIGHT) as u64, true),
            Kind::List(items) | Kind::Set(items) => {
                items.iter().fold((1u64, false), |(w, u), v| (w.saturating_add(v.weight), u || v.has_unknown))
            }
            Kind::Map(m) => m.iter().fold((1u64, false), |(w, u), (k, v)| {
                (w.saturating_add(v.weight).saturating_add((k.len() / BYTES_PER_WEIGHT) as u64), u || v.has_unknown)
            }),
        };
        Value { kind, origin: None, weight, has_unknown }
    }

    /// How much work a walk over the whole value costs: its nodes, shared parts counted each
    /// time they appear, plus string lengths in units of 16 bytes. Saturates.
    pub fn weight(&self) -> u64 {
        self.weight
    }
    pub fn null() -> Value {
        Value::new(Kind::Null)
    }
    pub fn bool(b: bool) -> Value {
        Value::new(Kind::Bool(b))
    }
    pub fn number(n: f64) -> Value {
        Value::new(Kind::Number(n))
    }
    pub fn string(s: impl Into<Arc<str>>) -> Value {
        Value::new(Kind::String(s.into()))
    }
    pub fn list(items: Vec<Value>) -> Value {
        Value::new(Kind::List(Arc::new(items)))
    }
    /// A set: sorts and removes duplicates.
    pub fn set(mut items: Vec<Value>) -> Value {
        items.sort_by(|a, b| a.total_cmp(b));
        // Distinct unknowns may turn out equal or not: keep them all.
        items.dedup_by(|a, b| a.is_wholly_known() && b.is_wholly_known() && a.total_cmp(b) == Ordering::Equal);
        set_order::collections_as_cty(&mut items);
        Value::new(Kind::Set(Arc::new(items)))
    }
    pub fn map(m: Map) -> Value {
        Value::new(Kind::Map(Arc::new(m)))
    }
    pub fn empty_map() -> Value {
        Value::map(Map::new())
    }
    /// This value, marked as computed from its unknown (see [`Unknown::derived`]).
    pub fn derived(self) -> Value {
        match &self.kind {
            Kind::Unknown(u) if !u.derived => {
                Value::new(Kind::Unknown(Arc::new(Unknown { derived: true, ..(**u).clone() })))
            }
            _ => self,
        }
    }

    pub fn unknown(source: UnknownSource) -> Value {
        Value::new(Kind::Unknown(Arc::new(Unknown {
            source,
            path: String::new(),
            prefix: None,
            suffix: None,
            template: None,
            derived: false,
        })))
    }
    pub fn unknown_error(message: impl Into<String>) -> Value {
        Value::unknown(UnknownSource::Error { message: message.into() })
    }
    pub fn unknown_apply(what: impl Into<String>) -> Value {
        Value::unknown(UnknownSource::Apply { what: what.into() })
    }

    pub fn with_origin(mut self, origin: Option<Arc<Origin>>) -> Value {
        self.origin = origin;
        self
    }

    /// Keeps this value's origin, or takes `from`'s when it has none.
    pub fn inherit_origin(mut self, from: &Value) -> Value {
        if self.origin.is_none() {
            self.origin = from.origin.clone();
        }
        self
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, Kind::Unknown(_))
    }
    pub fn is_known(&self) -> bool {
        !self.is_unknown()
    }

    /// True when no unknown value appears anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        !self.has_unknown
    }

    /// The first unknown value found inside (depth first), if any. Follows only the parts
    /// that hold one, so shared structure is not walked.
    pub fn first_unknown(&self) -> Option<&Value> {
        if !self.has_unknown {
            return None;
        }
        match &self.kind {
            Kind::Unknown(_) => Some(self),
            Kind::List(items) | Kind::Set(items) => items.iter().find_map(|v| v.first_unknown()),
            Kind::Map(m) => m.values().find_map(|v| v.first_unknown()),
            _ => None,
        }
    }

    pub fn as_unknown(&self) -> Option<&Unknown> {
        match &self.kind {
            Kind::Unknown(u) => Some(u),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(n) => Some(*n),
            _ => None,
        }
    }
    /// Elements of a list, tuple or set.
    pub fn as_seq(&self) -> Option<&[Value]> {
        match &self.kind {
            Kind::List(items) | Kind::Set(items) => Some(items),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&Map> {
        match &self.kind {
            Kind::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "bool",
            Kind::Number(_) => "number",
            Kind::String(_) => "string",
            Kind::List(_) => "list",
            Kind::Set(_) => "set",
            Kind::Map(_) => "object",
            Kind::Unknown(_) => "unknown",
        }
    }

    /// The value as template interpolation renders it (strings, numbers and bools only).
    pub fn to_template_string(&self) -> Result<String, String> {
        match &self.kind {
            Kind::String(s) => Ok(s.to_string()),
            Kind::Number(n) => Ok(format_number(*n)),
            Kind::Bool(b) => Ok(b.to_string()),
            Kind::Null => Err("the value is null".into()),
            Kind::Unknown(_) => Err("the value is unknown".into()),
            _ => Err(format!("cannot convert {} to string", self.type_name())),
        }
    }

    /// Terraform's `==`: same type and value. `None` when an unknown decides it.
    pub fn equals(&self, other: &Value) -> Option<bool> {
        match (&self.kind, &other.kind) {
            (Kind::Unknown(u), Kind::Null) | (Kind::Null, Kind::Unknown(u)) if u.never_null() => Some(false),
            (Kind::Unknown(_), _) | (_, Kind::Unknown(_)) => None,
            (Kind::Null, Kind::Null) => Some(true),
            (Kind::Bool(a), Kind::Bool(b)) => Some(a == b),
            (Kind::Number(a), Kind::Number(b)) => Some(a == b),
            (Kind::String(a), Kind::String(b)) => Some(a == b),
            (Kind::List(a), Kind::List(b)) | (Kind::Set(a), Kind::Set(b)) => {
                if Arc::ptr_eq(a, b) && !self.has_unknown {
                    return Some(true);
                }
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.iter().zip(b.iter()) {
                    match x.equals(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            (Kind::Map(a), Kind::Map(b)) => {
                if Arc::ptr_eq(a, b) && !self.has_unknown {
                    return Some(true);
                }
                if a.len() != b.len() || a.keys().zip(b.keys()).any(|(x, y)| x != y) {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.values().zip(b.values()) {
                    match x.equals(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            _ => Some(false),
        }
    }

    /// A total order used for sets and sorting: by type, then by value.
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        fn rank(v: &Value) -> u8 {
            match v.kind {
                // Nulls after known values, as in a cty set (`toset([null, 3])` is [3, null]).
                Kind::Bool(_) => 1,
                Kind::Number(_) => 2,
                Kind::String(_) => 3,
                Kind::List(_) => 4,
                Kind::Set(_) => 5,
                Kind::Map(_) => 6,
                Kind::Null => 7,
                Kind::Unknown(_) => 8,
            }
        }
        match (&self.kind, &other.kind) {
            (Kind::Bool(a), Kind::Bool(b)) => a.cmp(b),
            (Kind::Number(a), Kind::Number(b)) => a.total_cmp(b),
            (Kind::String(a), Kind::String(b)) => a.cmp(b),
            (Kind::List(a), Kind::List(b)) | (Kind::Set(a), Kind::Set(b)) if Arc::ptr_eq(a, b) => Ordering::Equal,
            (Kind::Map(a), Kind::Map(b)) if Arc::ptr_eq(a, b) => Ordering::Equal,
            (Kind::List(a), Kind::List(b)) | (Kind::Set(a), Kind::Set(b)) => {
                for (x, y) in a.iter().zip(b.iter()) {
                    let o = x.total_cmp(y);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            (Kind::Map(a), Kind::Map(b)) => {
                for ((ka, va), (kb, vb)) in a.iter().zip(b.iter()) {
                    let o = ka.cmp(kb).then_with(|| va.total_cmp(vb));
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            _ => rank(self).cmp(&rank(other)),
        }
    }

    /// Converts JSON into a value (objects become maps, arrays lists).
    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::null(),
            serde_json::Value::Bool(b) => Value::bool(*b),
            serde_json::Value::Number(n) => Value::number(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::string(s.as_str()),
            serde_json::Value::Array(a) => Value::list(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => {
                Value::map(o.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }

    /// Converts to JSON; fails on unknown values.
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(match &self.kind {
            Kind::Null => serde_json::Value::Null,
            Kind::Bool(b) => serde_json::Value::Bool(*b),
            Kind::Number(n) => number_to_json(*n)?,
            Kind::String(s) => serde_json::Value::String(s.to_string()),
            Kind::List(items) | Kind::Set(items) => {
                serde_json::Value::Array(items.iter().map(|v| v.to_json()).collect::<Result<_, _>>()?)
            }
            Kind::Map(m) => serde_json::Value::Object(
                m.iter().map(|(k, v)| Ok((k.clone(), v.to_json()?))).collect::<Result<_, String>>()?,
            ),
            Kind::Unknown(_) => return Err("the value is unknown".into()),
        })
    }

    /// A short rendering for messages: strings quoted, collections abbreviated.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        self.describe_into(&mut out, 0);
        out
    }

    fn describe_into(&self, out: &mut String, depth: usize) {
        match &self.kind {
            Kind::Null => out.push_str("null"),
            Kind::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Kind::Number(n) => out.push_str(&format_number(*n)),
            Kind::String(s) => {
                let _ = write!(out, "{}", serde_json::Value::String(s.to_string()));
            }
            Kind::Unknown(_) => out.push_str("(known after apply)"),
            Kind::List(items) | Kind::Set(items) => {
                if depth > 1 && !items.is_empty() {
                    out.push_str("[...]");
                    return;
                }
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.describe_into(out, depth + 1);
                }
                out.push(']');
            }
            Kind::Map(m) => {
                if depth > 1 && !m.is_empty() {
                    out.push_str("{...}");
                    return;
                }
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{k} = ");
                    v.describe_into(out, depth + 1);
                }
                out.push('}');
            }
        }
    }
}

impl Unknown {
    /// Identifiers of a created resource are never null, though unknown until apply, so
    /// `var.key_arn == null` is false when the key is `aws_kms_key.k.arn`.
    pub fn never_null(&self) -> bool {
        let attr = self.path.rsplit('.').next().unwrap_or("");
        match &self.source {
            UnknownSource::Resource { .. } => {
                matches!(attr, "arn" | "id" | "key_id" | "target_key_arn" | "target_key_id")
            }
            UnknownSource::Data { .. } => matches!(attr, "arn" | "id"),
            _ => false,
        }
    }

    /// Whether this is the value of its source's attribute itself, as `aws_x.y.id` or a
    /// variable or output passing it on, rather than something computed from it.
    pub fn is_passed_through(&self) -> bool {
        !self.derived && self.prefix.is_none() && self.suffix.is_none() && self.template.is_none()
    }

    /// The same unknown, one attribute or index further down.
    pub fn descend(&self, step: &str) -> Unknown {
        let mut path = self.path.clone();
        if !step.starts_with('[') && !path.is_empty() {
            path.push('.');
        }
        path.push_str(step);
        Unknown { source: self.source.clone(), path, prefix: None, suffix: None, template: None, derived: self.derived }
    }

    /// A short phrase for messages: `the arn of aws_kms_key.ecr`.
    pub fn describe(&self) -> String {
        let attr = match self.path.as_bytes().first() {
            None => String::new(),
            Some(b'[') => self.path.clone(),
            Some(_) => format!(".{}", self.path),
        };
        match &self.source {
            UnknownSource::Resource { rtype, name, .. } => format!("{rtype}.{name}{attr}"),
            UnknownSource::Data { dtype, name, .. } => format!("data.{dtype}.{name}{attr}"),
            UnknownSource::Variable { name, .. } => format!("variable \"{name}\" (no value given)"),
            UnknownSource::ModuleOutput { call, reason, .. } => format!("module.{call}{attr} ({reason})"),
            UnknownSource::Expansion { what } => what.clone(),
            UnknownSource::Apply { what } => format!("{what} (known after apply)"),
            UnknownSource::Outside { what } => what.clone(),
            UnknownSource::Error { message } => format!("evaluation error: {message}"),
        }
    }
}

impl PartialEq for Value {
    /// Structural equality (unknowns compare by their description); origins are ignored.
    fn eq(&self, other: &Value) -> bool {
        match (&self.kind, &other.kind) {
            (Kind::Unknown(a), Kind::Unknown(b)) => a == b,
            (Kind::Unknown(_), _) | (_, Kind::Unknown(_)) => false,
            _ => self.total_cmp(other) == Ordering::Equal && self.type_name() == other.type_name(),
        }
    }
}

/// Numbers print like Terraform prints them: integers without a fraction.
pub fn format_number(n: f64) -> String {
    // cty keeps the sign of zero: `0 * -1` prints as -0.
    if n == 0.0 && n.is_sign_negative() {
        return "-0".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e21 { format!("{}", n as i128) } else { format!("{n}") }
}

fn number_to_json(n: f64) -> Result<serde_json::Value, String> {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Ok(serde_json::Value::Number((n as i64).into()))
    } else {
        serde_json::Number::from_f64(n)
            .map(serde_json::Value::Number)
            .ok_or_else(|| format!("{n} cannot be represented in JSON"))
    }
}

/// The order cty gives a set whose elements are collections: by the bytes of its set hash
/// (`[1;2;]` before `[3;]` before `[]`), which depend on whether each nested map is an object
/// (the same keys in every element) or a map. Primitive elements keep [`Value::total_cmp`].
mod set_order {
    use super::{Kind, Value, format_number};
    use std::collections::BTreeMap;

    enum Shape {
        Leaf,
        Seq(Box<Shape>),
        Object(BTreeMap<String, Shape>),
        MapOf(Box<Shape>),
    }

    fn shape(vals: &[&Value]) -> Shape {
        let maps: Vec<_> =
            vals.iter().filter_map(|v| if let Kind::Map(m) = &v.kind { Some(m) } else { None }).collect();
        if let Some(first) = maps.first() {
            let same_keys = maps.iter().all(|m| m.len() == first.len() && m.keys().eq(first.keys()));
            if same_keys {
                return Shape::Object(
                    first
                        .keys()
                        .map(|k| (k.clone(), shape(&maps.iter().filter_map(|m| m.get(k)).collect::<Vec<_>>())))
                        .collect(),
                );
            }
            return Shape::MapOf(Box::new(shape(&maps.iter().flat_map(|m| m.values()).collect::<Vec<_>>())));
        }
        let seqs: Vec<&Value> = vals
            .iter()
            .filter_map(|v| match &v.kind {
                Kind::List(items) | Kind::Set(items) => Some(items.iter()),
                _ => None,
            })
            .flatten()
            .collect();
        if vals.iter().any(|v| matches!(v.kind, Kind::List(_) | Kind::Set(_))) {
            return Shape::Seq(Box::new(shape(&seqs)));
        }
        Shape::Leaf
    }

    fn encode(v: &Value, s: &Shape, out: &mut String) {
        match (&v.kind, s) {
            (Kind::Unknown(_), _) => out.push('?'),
            (Kind::Null, _) => out.push('~'),
            (Kind::Bool(b), _) => out.push(if *b { 'T' } else { 'F' }),
            (Kind::Number(n), _) => out.push_str(&go_g10(*n)),
            (Kind::String(t), _) => go_quote(t, out),
            (Kind::List(items) | Kind::Set(items), _) => {
                let inner = if let Shape::Seq(e) = s { e.as_ref() } else { &Shape::Leaf };
                out.push('[');
                for e in items.iter() {
                    encode(e, inner, out);
                    out.push(';');
                }
                out.push(']');
            }
            (Kind::Map(m), Shape::Object(attrs)) => {
                out.push('<');
                for (k, sub) in attrs {
                    match m.get(k) {
                        Some(e) => encode(e, sub, out),
                        None => out.push('~'),
                    }
                    out.push(';');
                }
                out.push('>');
            }
            (Kind::Map(m), _) => {
                let inner = if let Shape::MapOf(e) = s { e.as_ref() } else { &Shape::Leaf };
                out.push('{');
                for (k, e) in m.iter() {
                    go_quote(k, out);
                    out.push(':');
                    encode(e, inner, out);
                    out.push(';');
                }
                out.push('}');
            }
        }
    }

    /// Go's `big.Float.String()`: `%g` with 10 significant digits.
    fn go_g10(n: f64) -> String {
        if n == 0.0 || !n.is_finite() {
            return format_number(n);
        }
        let e = format!("{n:.9e}");
        let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let trim = |s: &str| s.trim_end_matches('0').trim_end_matches('.').to_string();
        if !(-4..10).contains(&exp) {
            format!("{}e{}{:02}", trim(mantissa), if exp < 0 { '-' } else { '+' }, exp.abs())
        } else {
            trim(&format!("{n:.*}", (9 - exp).max(0) as usize))
        }
    }

    /// Go's `%q`.
    fn go_quote(s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\u{7}' => out.push_str("\\a"),
                '\u{8}' => out.push_str("\\b"),
                '\u{b}' => out.push_str("\\v"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
                c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }

    pub(super) fn collections_as_cty(items: &mut [Value]) {
        if !items.iter().any(|v| matches!(v.kind, Kind::List(_) | Kind::Set(_) | Kind::Map(_))) {
            return;
        }
        let s = shape(&items.iter().collect::<Vec<_>>());
        let mut keyed: Vec<(String, Value)> = items
            .iter()
            .map(|v| {
                let mut b = String::new();
                encode(v, &s, &mut b);
                (b, v.clone())
            })
            .collect();
        keyed.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for (slot, (_, v)) in items.iter_mut().zip(keyed) {
            *slot = v;
        }
    }

    #[cfg(test)]
    #[test]
    fn go_formats() {
        assert_eq!(go_g10(1.0), "1");
        assert_eq!(go_g10(1.5), "1.5");
        assert_eq!(go_g10(1e21), "1e+21");
        assert_eq!(go_g10(12345678901.0), "1.23456789e+10");
        assert_eq!(go_g10(0.0001), "0.0001");
        assert_eq!(go_g10(0.00001), "1e-05");
        assert_eq!(go_g10(1.0 / 3.0), "0.3333333333");
        let mut q = String::new();
        go_quote("a\"b\\c\né", &mut q);
        assert_eq!(q, "\"a\\\"b\\\\c\\né\"");
        let mut q = String::new();
        go_quote("\u{7}\u{1}\u{85}", &mut q);
        assert_eq!(q, "\"\\a\\x01\\u0085\"");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_sorted_and_deduplicated() {
        let s = Value::set(vec![Value::string("b"), Value::string("a"), Value::string("b")]);
        assert_eq!(s.as_seq().unwrap(), &[Value::string("a"), Value::string("b")]);
    }

    #[test]
    fn equality_follows_terraform() {
        assert_eq!(Value::number(1.0).equals(&Value::string("1")), Some(false));
        assert_eq!(Value::string("a").equals(&Value::string("a")), Some(true));
        assert_eq!(Value::string("a").equals(&Value::unknown_apply("x")), None);
        let l = Value::list(vec![Value::number(1.0), Value::unknown_apply("x")]);
        assert_eq!(l.equals(&Value::list(vec![Value::number(2.0), Value::null()])), Some(false));
        assert_eq!(l.equals(&Value::list(vec![Value::number(1.0), Value::null()])), None);
    }

    #[test]
    fn created_identifiers_are_never_null() {
        let key = Unknown {
            source: UnknownSource::Resource { rtype: "aws_kms_key".into(), name: "k".into(), module: None, span: None },
            path: String::new(),
            prefix: None,
            suffix: None,
            template: None,
            derived: false,
        };
        let arn = Value::new(Kind::Unknown(Arc::new(key.descend("arn"))));
        assert_eq!(arn.equals(&Value::null()), Some(false));
        let policy = Value::new(Kind::Unknown(Arc::new(key.descend("policy"))));
        assert_eq!(policy.equals(&Value::null()), None);
    }

    #[test]
    fn numbers_format_like_terraform() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-0.5), "-0.5");
        assert_eq!(Value::number(2.0).to_json().unwrap().to_string(), "2");
    }

    #[test]
    fn shared_values_are_weighed_without_a_walk() {
        let mut v = Value::string("x");
        for _ in 0..40 {
            v = Value::list(vec![v.clone(), v]);
        }
        // 2^41 - 1 nodes, built and weighed in 40 steps; equal to itself without a walk.
        assert_eq!(v.weight(), (1u64 << 41) - 1);
        assert!(v.is_wholly_known() && v.first_unknown().is_none());
        assert_eq!(v.equals(&v.clone()), Some(true));
        assert_eq!(v.total_cmp(&v.clone()), Ordering::Equal);
        let with_unknown = Value::list(vec![v, Value::unknown_apply("x")]);
        assert!(with_unknown.first_unknown().is_some_and(Value::is_unknown));
        assert_eq!(Value::string("a".repeat(160)).weight(), 11);
    }

    #[test]
    fn unknown_paths_grow() {
        let u = Unknown {
            source: UnknownSource::Resource { rtype: "aws_kms_key".into(), name: "k".into(), module: None, span: None },
            path: String::new(),
            prefix: None,
            suffix: None,
            template: None,
            derived: false,
        };
        assert_eq!(u.descend("[0]").descend("arn").describe(), "aws_kms_key.k[0].arn");
    }
}
