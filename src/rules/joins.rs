//! How a rule reaches the resources related to the one it checks: `referencing()` finds those
//! that name it, `referenced()` the one it names, through indexes that keep a join linear.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::terraform::addr::{ModuleStep, PatternKey, module_address, parse_pattern, render_pattern};
use crate::terraform::instance::ResourceInstance;
use crate::terraform::value::{Kind, Unknown, UnknownSource, Value};

/// The indexes, built once per (type, attribute) for all the instances a rule checks.
#[derive(Default)]
pub struct Joins {
    refs: RefCell<HashMap<(String, String), Rc<RefIndex>>>,
    named: RefCell<HashMap<(String, String), Rc<NameIndex>>>,
}

impl Joins {
    /// `referencing(rtype, attr, key)`: the instances of `rtype` whose `attr` names the
    /// instance being checked, as `{ address, resource }` objects; unknown when one of them
    /// cannot be told apart (a value only apply time knows, from elsewhere). `possibly`: also
    /// those that may name it, by a reference whose instance key only apply time knows.
    pub fn referencing(
        &self,
        others: &[&ResourceInstance],
        inst: &ResourceInstance,
        rtype: &str,
        attr: &str,
        key: &str,
        possibly: bool,
    ) -> Value {
        let index = self
            .refs
            .borrow_mut()
            .entry((rtype.to_string(), attr.to_string()))
            .or_insert_with(|| Rc::new(RefIndex::build(others, attr)))
            .clone();
        let target = Target::of(inst, key);
        let unknown = |other: &ResourceInstance| {
            Value::unknown(UnknownSource::Expansion {
                what: format!("whether {} configures {}", other.address, inst.address),
            })
        };
        if let Some(i) = index.undecidable {
            return unknown(others[i]);
        }
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(by_key) =
            index.by_resource.get(&(target.module.clone(), target.rtype.to_string(), target.name.to_string()))
        {
            if target.key.is_empty() {
                // An instance standing for an unknown count/for_each: any key may be it.
                candidates.extend(by_key.values().flatten());
            } else {
                candidates.extend(by_key.get(target.key).into_iter().flatten());
                candidates.extend(by_key.get("").into_iter().flatten());
            }
        }
        let in_any = (target.pattern.clone(), target.rtype.to_string(), target.name.to_string());
        candidates.extend(index.any_module.get(&in_any).into_iter().flatten());
        // A name AWS makes up at create cannot be written in advance, nor computed.
        if !target.literal.is_null()
            && let Some(i) = index.computed
        {
            return unknown(others[i]);
        }
        match &target.literal.kind {
            Kind::Null => {}
            Kind::String(s) => candidates.extend(index.by_literal.get(&**s).into_iter().flatten()),
            _ => {
                if let Some(i) = index.by_literal.values().flatten().min() {
                    return unknown(others[*i]);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut out = Vec::new();
        for other in candidates.into_iter().map(|i| others[i]) {
            let v = attribute(other, attr);
            match target.named_by(&v, other) {
                Some(false) => {}
                None if !possibly => return unknown(other),
                Some(true) | None => out.push(joined(other)),
            }
        }
        Value::list(out)
    }

    /// `referenced(rtype, v, key)`: the instance of `rtype` that `v`, a value of the instance
    /// being checked, names; the other direction of `referencing()`.
    pub fn referenced(
        &self,
        others: &[&ResourceInstance],
        inst: &ResourceInstance,
        rtype: &str,
        v: &Value,
        key: &str,
    ) -> Value {
        let unknown = |what: String| Value::unknown(UnknownSource::Expansion { what });
        if matches!(v.kind, Kind::Null) {
            return Value::null();
        }
        let index = self
            .named
            .borrow_mut()
            .entry((rtype.to_string(), key.to_string()))
            .or_insert_with(|| Rc::new(NameIndex::build(others, key)))
            .clone();
        let source = match &v.kind {
            Kind::Unknown(u) => Some(&u.source),
            _ => v.origin.as_ref().and_then(|o| o.reference.as_deref()),
        };
        let undecidable =
            |i: usize| unknown(format!("whether {} is the {rtype} {} names", others[i].address, inst.address));
        let mut candidates: Vec<usize> = match (source, &v.kind) {
            (Some(UnknownSource::Resource { module: Some(m), .. }), _) if resolve(m, &inst.module_path).is_none() => {
                return unknown(format!(
                    "the {rtype} {} names, in a module instance the plan does not name",
                    inst.address
                ));
            }
            (Some(UnknownSource::Resource { name, module, .. }), _) => {
                let module = match module {
                    Some(m) => resolve(m, &inst.module_path).unwrap_or_default(),
                    None => module_address(&inst.module_path),
                };
                let block = (module, name.clone());
                match &v.kind {
                    // Known: the instance whose key attribute it equals (a plan's configuration
                    // lists what an expression references, not whether it passes the value on).
                    Kind::String(s) => {
                        if let Some(i) = index.undecidable_in.get(&block) {
                            return undecidable(*i);
                        }
                        index.by_block_literal.get(&(block, s.to_string())).cloned().unwrap_or_default()
                    }
                    // Known only at apply (`.id`): the instance its reference's key names.
                    Kind::Unknown(u) if !names_its_source(u) => {
                        return unknown(format!("the {rtype} {} names by a value computed at apply", inst.address));
                    }
                    Kind::Unknown(u) => {
                        let by_key = index.by_resource.get(&block);
                        match crate::terraform::addr::instance_step(&u.path, "") {
                            "" => by_key.into_iter().flat_map(|m| m.values().flatten()).copied().collect(),
                            step => [step, ""]
                                .iter()
                                .flat_map(|k| by_key.and_then(|m| m.get(*k)).into_iter().flatten())
                                .copied()
                                .collect(),
                        }
                    }
                    _ => Vec::new(),
                }
            }
            (_, Kind::String(s)) => {
                if let Some(i) = index.undecidable {
                    return undecidable(i);
                }
                index.by_literal.get(&**s).cloned().unwrap_or_default()
            }
            _ => Vec::new(),
        };
        candidates.sort_unstable();
        candidates.dedup();
        let mut found_one = None;
        for other in candidates.into_iter().map(|i| others[i]) {
            match Target::of(other, key).named_by(v, inst) {
                Some(false) => {}
                Some(true) if found_one.is_none() => found_one = Some(other),
                _ => return unknown(format!("which {rtype} {} names", inst.address)),
            }
        }
        match found_one {
            Some(other) => joined(other),
            None => unknown(format!("the {rtype} {} names, made outside this configuration", inst.address)),
        }
    }
}

/// The instances of one type by what their attribute names, so that `referencing()` looks at
/// the few that may name an instance instead of all of them (N buckets and N configurations
/// would otherwise cost N^2).
#[derive(Default)]
struct RefIndex {
    /// (module instance, type, name) of the referenced resource -> its instance key (`[0]`,
    /// "" when the reference has none) -> candidates.
    by_resource: HashMap<(String, String, String), HashMap<String, Vec<usize>>>,
    /// Written-out names -> candidates.
    by_literal: HashMap<String, Vec<usize>>,
    /// (module pattern, type, name) of a resource in a module instance a plan does not name
    /// -> candidates.
    any_module: HashMap<(String, String, String), Vec<usize>>,
    /// A candidate whose value cannot be told apart from any name (only apply time knows it).
    undecidable: Option<usize>,
    /// A candidate whose value is computed from a resource's: it cannot name a resource whose
    /// name AWS makes up, other than that one.
    computed: Option<usize>,
}

impl RefIndex {
    fn build(others: &[&ResourceInstance], attr: &str) -> RefIndex {
        let mut ix = RefIndex::default();
        for (i, other) in others.iter().enumerate() {
            let v = attribute(other, attr);
            let source = match &v.kind {
                Kind::Unknown(u) => Some(&u.source),
                _ => v.origin.as_ref().and_then(|o| o.reference.as_deref()),
            };
            // A name computed from a resource's value (`"${aws_s3_bucket.b.id}-logs"`) may be
            // that resource's, or any other whose name is written out.
            if let (Some(UnknownSource::Resource { .. }), Kind::Unknown(u)) = (source, &v.kind)
                && !names_its_source(u)
            {
                ix.computed.get_or_insert(i);
            }
            match (source, &v.kind) {
                (Some(UnknownSource::Resource { rtype, name, module: Some(m), .. }), _)
                    if resolve(m, &other.module_path).is_none() =>
                {
                    ix.any_module.entry((pattern_of(m), rtype.clone(), name.clone())).or_default().push(i);
                }
                (Some(UnknownSource::Resource { rtype, name, module, .. }), _) => {
                    let module = match module {
                        Some(m) => resolve(m, &other.module_path).unwrap_or_default(),
                        None => module_address(&other.module_path),
                    };
                    let path = match &v.kind {
                        Kind::Unknown(u) => u.path.as_str(),
                        _ => "",
                    };
                    let step = crate::terraform::addr::instance_step(path, "").to_string();
                    let by_key = ix.by_resource.entry((module, rtype.clone(), name.clone())).or_default();
                    by_key.entry(step).or_default().push(i);
                }
                (_, Kind::String(s)) => ix.by_literal.entry(s.to_string()).or_default().push(i),
                (_, Kind::Unknown(_)) => {
                    ix.undecidable.get_or_insert(i);
                }
                _ => {}
            }
        }
        ix
    }
}

/// The instances of one type by the ways a value can name them, so that `referenced()` looks
/// at the few it may name.
#[derive(Default)]
struct NameIndex {
    /// (module instance, name) of the resource block -> instance key (`[0]`, "" for none or
    /// an unknown count) -> instances.
    by_resource: HashMap<(String, String), HashMap<String, Vec<usize>>>,
    /// The key attribute's written-out value -> instances.
    by_literal: HashMap<String, Vec<usize>>,
    /// The same within one resource block, for a reference whose value is known.
    by_block_literal: HashMap<((String, String), String), Vec<usize>>,
    /// An instance whose key attribute only apply time knows: any written-out value may be it.
    undecidable: Option<usize>,
    /// The same, by resource block.
    undecidable_in: HashMap<(String, String), usize>,
}

impl NameIndex {
    fn build(others: &[&ResourceInstance], key: &str) -> NameIndex {
        let mut ix = NameIndex::default();
        for (i, other) in others.iter().enumerate() {
            let t = Target::of(other, key);
            let block = (t.module.clone(), t.name.to_string());
            match &t.literal.kind {
                Kind::String(s) => {
                    ix.by_literal.entry(s.to_string()).or_default().push(i);
                    ix.by_block_literal.entry((block.clone(), s.to_string())).or_default().push(i);
                }
                Kind::Null => {}
                _ => {
                    ix.undecidable.get_or_insert(i);
                    ix.undecidable_in.entry(block.clone()).or_insert(i);
                }
            }
            ix.by_resource.entry(block).or_default().entry(t.key.to_string()).or_default().push(i);
        }
        ix
    }
}

/// Whether an unknown is a reference to its source resource: the value of one of its
/// attributes passed on (`aws_s3_bucket.b[0].id`, through variables and outputs), not a value
/// computed from it (`"${aws_s3_bucket.b.id}-logs"`, `upper(...)`) or found inside one
/// (`tags["Peer"]`).
fn names_its_source(u: &Unknown) -> bool {
    let step = crate::terraform::addr::instance_step(&u.path, "");
    let mut attr = u.path[step.len()..].trim_start_matches('.');
    // `flatten([aws_s3_bucket.b[*].id])[0]`: an element of a list of ids is an id.
    while let Some(i) = attr.strip_suffix(']').and_then(|r| r.rfind('['))
        && attr[i + 1..attr.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && i + 2 < attr.len()
    {
        attr = &attr[..i];
    }
    u.is_passed_through() && !attr.contains(['.', '['])
}

/// A plan's module pattern (`module.a[?].module.b`) resolved against the module instance of
/// the instance holding the reference: `[?]` is the holder's own instance of that call (the
/// trace stayed in it or went up from it). `None` when it names an instance the plan does not
/// (`[*]`), or leads elsewhere.
fn resolve(module: &str, holder: &[ModuleStep]) -> Option<String> {
    if !module.contains("[?]") && !module.contains("[*]") {
        return Some(module.to_string());
    }
    let mut steps = parse_pattern(module);
    for (i, (name, key)) in steps.iter_mut().enumerate() {
        if *key == PatternKey::Holder {
            let own = holder.get(i).filter(|s| s.name == *name)?;
            *key = own.key.clone().map_or(PatternKey::None, PatternKey::Key);
        } else if *key == PatternKey::Unknown {
            return None;
        }
    }
    Some(render_pattern(&steps))
}

/// `module.a[?].module.b`: a module instance's address, or a pattern, with its keys left out.
fn pattern(path: &[ModuleStep]) -> String {
    let steps: Vec<_> = path
        .iter()
        .map(|s| (s.name.clone(), if s.key.is_some() { PatternKey::Holder } else { PatternKey::None }))
        .collect();
    render_pattern(&steps)
}

fn pattern_of(module: &str) -> String {
    let steps: Vec<_> = parse_pattern(module)
        .into_iter()
        .map(|(n, k)| (n, if k == PatternKey::None { k } else { PatternKey::Holder }))
        .collect();
    render_pattern(&steps)
}

/// A joined instance as rules see it: `{ address, resource }`.
fn joined(other: &ResourceInstance) -> Value {
    let mut m = crate::terraform::value::Map::new();
    m.insert("address".into(), Value::string(other.address.as_str()));
    m.insert("resource".into(), other.value.clone());
    Value::map(m)
}

fn attribute(inst: &ResourceInstance, attr: &str) -> Value {
    inst.value.as_map().and_then(|m| m.get(attr)).cloned().unwrap_or_else(Value::null)
}

/// The instance `referencing()` looks for, split the ways a reference can name it.
struct Target<'a> {
    rtype: &'a str,
    /// `b` in `module.m.aws_s3_bucket.b[0]`.
    name: &'a str,
    /// `[0]`, `["k"]` or "".
    key: &'a str,
    module: String,
    /// The module address with its keys left out (see `pattern`).
    pattern: String,
    /// The value a literal reference would hold (the bucket's `bucket`).
    literal: Value,
}

impl<'a> Target<'a> {
    fn of(inst: &'a ResourceInstance, key_attr: &str) -> Target<'a> {
        let module = module_address(&inst.module_path);
        let local = inst.address.strip_prefix(module.as_str()).unwrap_or(&inst.address).trim_start_matches('.');
        let rest = local.strip_prefix(inst.rtype.as_str()).and_then(|r| r.strip_prefix('.')).unwrap_or(local);
        let (name, key) = rest.find('[').map_or((rest, ""), |i| rest.split_at(i));
        let literal = inst.value.as_map().and_then(|m| m.get(key_attr)).cloned().unwrap_or_else(Value::null);
        Target { rtype: &inst.rtype, name, key, module, pattern: pattern(&inst.module_path), literal }
    }

    /// Whether `v`, the value of an attribute of `other`, names this instance: `None` when
    /// it cannot be known.
    fn named_by(&self, v: &Value, other: &ResourceInstance) -> Option<bool> {
        let source = match &v.kind {
            Kind::Null => return Some(false),
            Kind::Unknown(u) => Some((&u.source, u.path.as_str())),
            _ => v.origin.as_ref().and_then(|o| o.reference.as_deref()).map(|s| (s, "")),
        };
        if let Some((UnknownSource::Resource { rtype, name, module, .. }, path)) = source {
            if rtype != self.rtype || name != self.name {
                return Some(false);
            }
            if let Kind::Unknown(u) = &v.kind
                && !names_its_source(u)
            {
                return None;
            }
            let same_module = match module {
                Some(m) => match resolve(m, &other.module_path) {
                    Some(m) => m == self.module,
                    // One of the instances of a module call: perhaps this one's.
                    None if pattern_of(m) == self.pattern => return None,
                    None => false,
                },
                // The input does not say which module instance: a reference stays inside its
                // module, so it is the referencing instance's.
                None => module_address(&other.module_path) == self.module,
            };
            if !same_module {
                return Some(false);
            }
            let step = crate::terraform::addr::instance_step(path, "");
            return match (step, self.key) {
                (s, k) if s == k => Some(true),
                ("", _) if v.is_known() => self.literal_match(v),
                ("", _) => None,
                // The instance stands for a `count` / `for_each` not known before apply: the
                // reference names one of the instances it may become.
                (_, "") => None,
                _ => Some(false),
            };
        }
        if v.is_known() { self.literal_match(v) } else { None }
    }

    /// A written-out name: the same as this instance's, when both are known.
    fn literal_match(&self, v: &Value) -> Option<bool> {
        match (&v.kind, &self.literal.kind) {
            (Kind::String(a), Kind::String(b)) => Some(a == b),
            // A name AWS makes up at create cannot be written in advance.
            (Kind::String(_), Kind::Null) => Some(false),
            (Kind::String(_), _) => None,
            _ => Some(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_an_attribute_itself_or_an_element_of_a_list_of_them() {
        let at = |path: &str, derived: bool| {
            let source =
                UnknownSource::Resource { rtype: "aws_s3_bucket".into(), name: "b".into(), module: None, span: None };
            names_its_source(&Unknown {
                source,
                path: path.into(),
                prefix: None,
                suffix: None,
                template: None,
                derived,
            })
        };
        for path in ["id", "[0].id", "[\"k\"].arn", "id[0]", "[0].id[0][1]"] {
            assert!(at(path, false), "{path}");
        }
        for path in ["tags_all[\"Peer\"]", "[0].tags.Name", "id[]", "outputs.x"] {
            assert!(!at(path, false), "{path}");
        }
        assert!(!at("id", true));
    }
}
