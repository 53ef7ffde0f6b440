//! Building an instance's value from a plan: `change.after` corrected by the
//! configuration's `expressions` (what the configuration does not set is not set).

use std::sync::Arc;

use super::{PlanReader, Trace};
use crate::syntax::json::{Json, JsonKind};
use crate::terraform::value::{Map, Origin, Value};

pub(super) struct BuildCx<'r, 'a> {
    pub(super) reader: &'r PlanReader<'a>,
    pub(super) module: &'r [String],
    pub(super) rtype: &'r str,
    /// Block types the source writes with `dynamic` (when the sources are known): those are
    /// missing from the plan's expressions without being absent.
    pub(super) dynamic_types: Option<&'r [String]>,
}

impl BuildCx<'_, '_> {
    /// A block's value: `after` corrected by the configuration's `expressions` for the block
    /// (`None` when the plan has no configuration for it).
    pub(super) fn block(
        &self,
        after: Option<&Json>,
        unknown: Option<&Json>,
        sensitive: Option<&Json>,
        exprs: Option<&Json>,
        path: &str,
    ) -> Value {
        let Some(exprs) = exprs else { return plain(after, unknown, sensitive) };
        let mut keys: Vec<&str> = Vec::new();
        for src in [after, unknown] {
            for m in src.map(Json::members).unwrap_or(&[]) {
                if !keys.contains(&m.key.as_str()) {
                    keys.push(&m.key);
                }
            }
        }
        for m in exprs.members() {
            if !keys.contains(&m.key.as_str()) {
                keys.push(&m.key);
            }
        }
        let mut out = Map::new();
        for k in keys {
            let a = after.and_then(|a| a.get(k));
            let u = unknown.and_then(|u| u.get(k));
            let s = sensitive.and_then(|s| s.get(k));
            let bpath = if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
            let v = match exprs.get(k) {
                Some(e) if is_expression(e) => self.attribute(a, u, s, e),
                Some(e) if matches!(e.kind, JsonKind::Array(_)) => {
                    let items = e.items();
                    let list: Vec<Value> = (0..items.len().max(a.map(|a| a.items().len()).unwrap_or(0)))
                        .map(|i| {
                            self.block(
                                a.and_then(|a| a.items().get(i)),
                                u.and_then(|u| u.items().get(i)),
                                s.and_then(|s| s.items().get(i)),
                                items.get(i),
                                &bpath,
                            )
                        })
                        .collect();
                    Value::list(list)
                }
                Some(e) => self.block(a, u, s, Some(e), &bpath),
                None if crate::terraform::schema::is_block(
                    crate::terraform::schema::Mode::Resource,
                    self.rtype,
                    &bpath,
                ) || looks_like_blocks(a) =>
                {
                    // A block the configuration does not write: absent, unless a `dynamic`
                    // block makes it (Terraform leaves those out of `expressions`).
                    let dynamic = match self.dynamic_types {
                        Some(types) => path.is_empty() && types.iter().any(|t| t == k),
                        None => true,
                    };
                    if dynamic { plain(a, u, s) } else { Value::list(Vec::new()) }
                }
                // Not set in the configuration: whatever the provider computed is not a choice.
                None => Value::null(),
            };
            out.insert(k.to_string(), v);
        }
        // A block neither the plan nor the configuration mentions (an older provider's plan)
        // is absent, as in a configuration scan.
        let prefix = if path.is_empty() { String::new() } else { format!("{path}.") };
        for b in crate::terraform::schema::nested_blocks(crate::terraform::schema::Mode::Resource, self.rtype) {
            if let Some(name) = b.strip_prefix(prefix.as_str()).filter(|n| !n.contains('.'))
                && !out.contains_key(name)
            {
                out.insert(name.to_string(), Value::list(Vec::new()));
            }
        }
        Value::map(out)
    }

    fn attribute(&self, after: Option<&Json>, unknown: Option<&Json>, sensitive: Option<&Json>, expr: &Json) -> Value {
        let trace = self.reader.trace(self.module, expr, 0);
        let wholly_unknown = matches!(unknown.map(|u| &u.kind), Some(JsonKind::Bool(true)));
        let mut v = if wholly_unknown || after.is_none() {
            match &trace {
                Trace::Source(src) => return Value::unknown(src.clone()),
                // A module argument or variable the plan records: the configured value (a
                // null the provider turns into a computed default is still null).
                Trace::Input { value: Some(v), label } => {
                    return v.clone().with_origin(Some(Arc::new(Origin::new(label.clone(), None))));
                }
                _ => {
                    if let Some(c) = expr.get("constant_value") {
                        Value::from_json(&c.to_serde())
                    } else {
                        return Value::unknown_apply("a value");
                    }
                }
            }
        } else {
            plain(after, unknown, sensitive)
        };
        let origin = match trace {
            Trace::Source(src) => Some(Origin { reference: Some(Box::new(src)), ..Origin::new(String::new(), None) }),
            Trace::Input { label, .. } => Some(Origin::new(label, None)),
            Trace::Nothing => None,
        };
        if let Some(mut o) = origin {
            o.sensitive = is_true(sensitive);
            v = v.with_origin(Some(Arc::new(o)));
        } else if is_true(sensitive) {
            v = v.with_origin(Some(Arc::new(Origin { sensitive: true, ..Origin::default() })));
        }
        v
    }
}

fn is_true(j: Option<&Json>) -> bool {
    matches!(j.map(|j| &j.kind), Some(JsonKind::Bool(true)))
}

/// An expression object (`constant_value` / `references`) rather than a nested block.
pub(super) fn is_expression(e: &Json) -> bool {
    match &e.kind {
        JsonKind::Object(members) => {
            members.is_empty() || members.iter().all(|m| m.key == "constant_value" || m.key == "references")
        }
        _ => false,
    }
}

fn looks_like_blocks(a: Option<&Json>) -> bool {
    matches!(a.map(|a| &a.kind), Some(JsonKind::Array(items)) if !items.is_empty() && items.iter().all(|i| matches!(i.kind, JsonKind::Object(_))))
}

/// A JSON value with unknown and sensitive markers applied.
pub(crate) fn plain(after: Option<&Json>, unknown: Option<&Json>, sensitive: Option<&Json>) -> Value {
    if is_true(unknown) {
        return Value::unknown_apply("a value");
    }
    let Some(after) = after else { return Value::null() };
    let v = match &after.kind {
        JsonKind::Object(members) => {
            let mut m = Map::new();
            for mem in members {
                m.insert(
                    mem.key.clone(),
                    plain(
                        Some(&mem.value),
                        unknown.and_then(|u| u.get(&mem.key)),
                        sensitive.and_then(|s| s.get(&mem.key)),
                    ),
                );
            }
            // Keys only the unknown markers know.
            for mem in unknown.map(Json::members).unwrap_or(&[]) {
                if !m.contains_key(&mem.key) {
                    m.insert(mem.key.clone(), plain(None, Some(&mem.value), None));
                }
            }
            Value::map(m)
        }
        JsonKind::Array(items) => Value::list(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    plain(Some(x), unknown.and_then(|u| u.items().get(i)), sensitive.and_then(|s| s.items().get(i)))
                })
                .collect(),
        ),
        _ => Value::from_json(&after.to_serde()),
    };
    if is_true(sensitive) { v.with_origin(Some(Arc::new(Origin { sensitive: true, ..Origin::default() }))) } else { v }
}
