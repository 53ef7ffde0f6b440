//! Plan input: `terraform show -json` output read into resource instances for the rules.
//!
//! A plan knows what variables, workspaces and modules really resolved to, but it shows
//! provider-computed values as if they were configured (`kms_key` is the ARN of the
//! AWS-managed key when the configuration leaves it out), and values created in the same
//! apply only as unknown. So each instance is read from `change.after`, then corrected by
//! the plan's `configuration`: an attribute the configuration does not set is not set, and an
//! unknown value gets its provenance from the expression's `references`, followed through
//! module arguments up to the root and the plan's variables.

mod build;
pub mod file;

pub(crate) use build::plain;
use build::{BuildCx, is_expression};

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use crate::eval::expr::EvalError;
use crate::syntax::hcl::ast::Body;
use crate::syntax::json::{Json, JsonKind};
use crate::syntax::source::Span;
use crate::terraform::addr::{
    Key, ModuleStep, PatternKey, instance_step, parse_module_address, parse_pattern, render_pattern, split_reference,
};
use crate::terraform::config::ModuleId;
use crate::terraform::config::Project;
use crate::terraform::instance::{ResourceInstance, syntactic_spans};
use crate::terraform::value::{Map, UnknownSource, Value};

/// Whether a JSON document is a plan: `format_version` and planned values or changes.
pub fn is_plan(j: &Json) -> bool {
    j.get("format_version").is_some() && (j.get("planned_values").is_some() || j.get("resource_changes").is_some())
}

/// Plans of format 0.x (Terraform 0.12 to 0.15) and 1.x (Terraform 1.0 on, OpenTofu) share
/// this shape; a new major version may not.
pub fn check_version(j: &Json) -> Result<(), (Span, String)> {
    let Some(v) = j.get("format_version") else { return Ok(()) };
    let text = v.as_str().unwrap_or("");
    let major = text.split('.').next().and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(0 | 1) => Ok(()),
        _ => Err((
            v.span,
            format!(
                "unsupported plan format_version {text:?}: tfcheck reads formats 0.1 to 1.x (Terraform 0.12 and later, OpenTofu)"
            ),
        )),
    }
}

/// Where the `.tf` sources of a plan are, for locations.
pub struct Sources<'a> {
    pub project: &'a Project,
    pub root: ModuleId,
}

pub struct PlanReader<'a> {
    plan: &'a Json,
    sources: Option<Sources<'a>>,
    /// Traces of expressions, by the expression's address in `plan` and the module path:
    /// references that fan out (a data source read three times by the next one) are
    /// followed once each, so a chain costs linear time, not exponential.
    traces: RefCell<HashMap<(usize, Vec<String>), Traced>>,
    /// Limits hit while reading; an instance notes those hit while it was read.
    limits: RefCell<Vec<EvalError>>,
    /// Module call paths with `count` or `for_each`, by the plan's addresses.
    expanded_calls: std::cell::OnceCell<HashSet<Vec<String>>>,
}

/// A memoized trace, and the limit hit while tracing it (noted again for each reader).
#[derive(Clone)]
struct Traced {
    trace: Trace,
    limit: Option<EvalError>,
}

/// How deep references are followed (module outputs and arguments, data sources reading
/// data sources, two steps a link) and blocks read; deeper is an error on the instances
/// that need them.
const MAX_TRACE: usize = 1000;

/// What an expression's references say about its value.
#[derive(Clone)]
enum Trace {
    /// No single traversal, or one tfcheck cannot follow (locals, `each`, ...).
    Nothing,
    /// The value is read from a resource or data source.
    Source(UnknownSource),
    /// The value is a variable's (or a module argument's): a label, and the value when the
    /// plan records it.
    Input { label: String, value: Option<Value> },
}

impl<'a> PlanReader<'a> {
    pub fn new(plan: &'a Json, sources: Option<Sources<'a>>) -> PlanReader<'a> {
        PlanReader {
            plan,
            sources,
            traces: RefCell::default(),
            limits: RefCell::default(),
            expanded_calls: std::cell::OnceCell::new(),
        }
    }

    /// Calls `visit` with each instance of the managed resources `wanted` selects.
    pub fn for_each_resource(&self, wanted: &dyn Fn(&str) -> bool, visit: &mut dyn FnMut(ResourceInstance)) {
        match self.plan.get("resource_changes") {
            Some(changes) => {
                for rc in changes.items() {
                    self.resource_change(rc, wanted, visit);
                }
            }
            // Older or partial plans: planned values only, with no actions.
            None => {
                if let Some(root) = self.plan.get("planned_values").and_then(|p| p.get("root_module")) {
                    self.planned_modules(root, wanted, visit);
                }
            }
        }
    }

    fn resource_change(&self, rc: &Json, wanted: &dyn Fn(&str) -> bool, visit: &mut dyn FnMut(ResourceInstance)) {
        let (Some(rtype), Some(address)) = (str_of(rc, "type"), str_of(rc, "address")) else { return };
        if str_of(rc, "mode") != Some("managed") || !wanted(rtype) {
            return;
        }
        let change = rc.get("change");
        let actions: Vec<&str> = change
            .and_then(|c| c.get("actions"))
            .map(|a| a.items().iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        let note = match actions.as_slice() {
            ["delete", "create"] => Some("; the plan replaces this resource (delete, then create)".to_string()),
            ["create", "delete"] => {
                Some("; the plan replaces this resource (create the new one, then delete the old)".to_string())
            }
            _ => None,
        };
        let after = change.and_then(|c| c.get("after"));
        let unknown = change.and_then(|c| c.get("after_unknown"));
        let sensitive = change.and_then(|c| c.get("after_sensitive"));
        // A deleted instance has no `after`: its rules see what it was.
        let deleted = actions.iter().all(|a| *a == "delete");
        let (after, unknown, sensitive) = if deleted {
            (change.and_then(|c| c.get("before")), None, change.and_then(|c| c.get("before_sensitive")))
        } else {
            (after, unknown, sensitive)
        };
        let entry_span = address_span(rc);
        let actions = Some(actions.iter().map(|a| a.to_string()).collect());
        self.instance(rc, rtype, address, after, unknown, sensitive, entry_span, note, actions, visit);
    }

    /// The resources of `root` and its child modules, walked with a stack (no depth limit).
    fn planned_modules(&self, root: &Json, wanted: &dyn Fn(&str) -> bool, visit: &mut dyn FnMut(ResourceInstance)) {
        let mut stack = vec![root];
        while let Some(module) = stack.pop() {
            self.planned_module(module, wanted, visit);
            // Reversed so modules are read in the plan's order.
            stack.extend(module.get("child_modules").map(Json::items).unwrap_or(&[]).iter().rev());
        }
    }

    fn planned_module(&self, module: &Json, wanted: &dyn Fn(&str) -> bool, visit: &mut dyn FnMut(ResourceInstance)) {
        for r in module.get("resources").map(Json::items).unwrap_or(&[]) {
            let (Some(rtype), Some(address)) = (str_of(r, "type"), str_of(r, "address")) else { continue };
            if str_of(r, "mode") != Some("managed") || !wanted(rtype) {
                continue;
            }
            let values = r.get("values");
            let sensitive = r.get("sensitive_values");
            self.instance(r, rtype, address, values, None, sensitive, address_span(r), None, None, visit);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn instance(
        &self,
        entry: &Json,
        rtype: &str,
        address: &str,
        after: Option<&Json>,
        unknown: Option<&Json>,
        sensitive: Option<&Json>,
        entry_span: Span,
        note: Option<String>,
        actions: Option<Vec<String>>,
        visit: &mut dyn FnMut(ResourceInstance),
    ) {
        let module_address = str_of(entry, "module_address").unwrap_or("");
        let steps = parse_module_address(module_address);
        let names: Vec<String> = steps.iter().map(|(n, _)| n.clone()).collect();
        let name = str_of(entry, "name").unwrap_or("");
        let config = self.module_config(&names).and_then(|m| find_resource(m, "managed", rtype, name));
        let expressions = config.and_then(|c| c.get("expressions"));
        // The resource block in the sources, for locations.
        let located = self.source_block(&names, rtype, name);
        let block_span = located.as_ref().map(|l| l.3);
        let (header_span, spans, dynamic_types, call_spans) = match &located {
            Some((block_span, body, call_spans, _)) => {
                let mut spans = Vec::new();
                let sources = self.sources.as_ref().map(|s| &s.project.sources);
                if let Some(sources) = sources {
                    syntactic_spans(body, "", sources, &mut spans);
                }
                let dynamic: Vec<String> = body
                    .blocks
                    .iter()
                    .filter(|b| b.ty == "dynamic")
                    .filter_map(|b| b.labels.first().map(|l| l.to_string()))
                    .collect();
                (*block_span, spans, Some(dynamic), call_spans.clone())
            }
            None => (entry_span, Vec::new(), None, vec![entry_span; steps.len()]),
        };
        let cx = BuildCx { reader: self, module: &names, rtype, dynamic_types: dynamic_types.as_deref() };
        let mark = self.limits.borrow().len();
        let value = cx.block(after, unknown, sensitive, expressions, "");
        let limit = self.limits.borrow().get(mark).cloned();
        let module_path = steps
            .into_iter()
            .zip(call_spans)
            .map(|((name, key), call_span)| ModuleStep { name, key, call_span })
            .collect();
        visit(ResourceInstance {
            rtype: rtype.to_string(),
            address: address.to_string(),
            module_path,
            value,
            spans,
            header_span,
            block_span,
            note,
            actions,
            limit: limit.map(|e| e.message),
        });
    }

    /// The configuration of the module at `path` (call names from the root).
    /// The `values` of a resource or data source instance in the plan's prior state.
    /// Modules are matched without instance keys, so only in modules that are not expanded.
    fn prior_state_values(&self, path: &[String], address: &str) -> Option<&'a Json> {
        let mut m = self.plan.get("prior_state")?.get("values")?.get("root_module")?;
        let mut prefix = String::new();
        for name in path {
            prefix.push_str(&format!("module.{name}"));
            m = m
                .get("child_modules")?
                .items()
                .iter()
                .find(|c| c.get("address").and_then(Json::as_str) == Some(&prefix))?;
            prefix.push('.');
        }
        let r =
            m.get("resources")?.items().iter().find(|r| r.get("address").and_then(Json::as_str) == Some(address))?;
        r.get("values")
    }

    fn module_config(&self, path: &[String]) -> Option<&'a Json> {
        let mut m = self.plan.get("configuration")?.get("root_module")?;
        for name in path {
            m = m.get("module_calls")?.get(name)?.get("module")?;
        }
        Some(m)
    }

    /// `module.a[?].module.b`: the module calls of `path`, with `[?]` (the instance the
    /// trace is in) after those with `count` or `for_each`.
    fn module_pattern(&self, path: &[String]) -> String {
        let expanded = self.expanded_calls.get_or_init(|| self.find_expanded_calls());
        let steps: Vec<(String, PatternKey)> = (0..path.len())
            .map(|i| {
                let call =
                    self.module_config(&path[..i]).and_then(|m| m.get("module_calls")).and_then(|c| c.get(&path[i]));
                let counted =
                    call.is_some_and(|c| c.get("count_expression").is_some() || c.get("for_each_expression").is_some());
                let key = if counted || expanded.contains(&path[..=i]) { PatternKey::Holder } else { PatternKey::None };
                (path[i].clone(), key)
            })
            .collect();
        render_pattern(&steps)
    }

    /// The module call paths with instance keys in the plan's addresses: Terraform leaves a
    /// `for_each` with neither references nor a constant (`toset([...])`) out of the
    /// configuration.
    fn find_expanded_calls(&self) -> HashSet<Vec<String>> {
        let mut out = HashSet::new();
        let mut add = |address: &str| {
            let steps = parse_module_address(address);
            for (i, (_, key)) in steps.iter().enumerate() {
                if key.is_some() {
                    out.insert(steps[..=i].iter().map(|(n, _)| n.clone()).collect());
                }
            }
        };
        for rc in self.plan.get("resource_changes").map(Json::items).unwrap_or(&[]) {
            if let Some(a) = str_of(rc, "module_address") {
                add(a);
            }
        }
        let mut stack: Vec<&Json> =
            self.plan.get("planned_values").and_then(|p| p.get("root_module")).into_iter().collect();
        while let Some(m) = stack.pop() {
            if let Some(a) = str_of(m, "address") {
                add(a);
            }
            stack.extend(m.get("child_modules").map(Json::items).unwrap_or(&[]));
        }
        out
    }

    /// The resource block, its body, and the module call headers leading to it, in the
    /// sources.
    fn source_block(&self, path: &[String], rtype: &str, name: &str) -> Option<(Span, Body, Vec<Span>, Span)> {
        let src = self.sources.as_ref()?;
        let project = src.project;
        let mut module = src.root;
        let mut call_spans = Vec::new();
        for (i, call_name) in path.iter().enumerate() {
            let call = project.modules[module].calls.iter().find(|c| &c.name == call_name)?;
            call_spans.push(call.block.header_span);
            module = match project.local_calls.get(&(module, call_name.clone())) {
                Some(Ok(m)) => *m,
                _ => *project.installed.get(&src.root)?.get(&path[..=i].join("."))?,
            };
        }
        let m = &project.modules[module];
        // Several definitions (a directory of unrelated examples): the line would be a guess.
        if m.duplicates.contains(&format!("{rtype}.{name}")) {
            return None;
        }
        let res = m.resource(rtype, name)?;
        Some((res.block.header_span, Body::clone(&res.block.body), call_spans, res.block.span))
    }

    /// Notes a limit hit while reading the instance being read.
    fn note_limit(&self, e: EvalError) {
        self.limits.borrow_mut().push(e);
    }

    /// Follows an expression's references to where its value comes from; once per
    /// expression and module path.
    fn trace(&self, module: &[String], expr: &Json, depth: usize) -> Trace {
        let key = (expr as *const Json as usize, module.to_vec());
        if let Some(t) = self.traces.borrow().get(&key) {
            if let Some(e) = &t.limit {
                self.note_limit(e.clone());
            }
            return t.trace.clone();
        }
        if depth > MAX_TRACE {
            let e = EvalError::limit(
                format!(
                    "references and blocks in the plan's configuration are nested deeper than tfcheck's limit of {MAX_TRACE} steps"
                ),
                expr.span,
            );
            self.note_limit(e);
            return Trace::Nothing;
        }
        let mark = self.limits.borrow().len();
        let trace = self.trace_uncached(module, expr, depth);
        let limit = self.limits.borrow().get(mark).cloned();
        self.traces.borrow_mut().insert(key, Traced { trace: trace.clone(), limit });
        trace
    }

    fn trace_uncached(&self, module: &[String], expr: &Json, depth: usize) -> Trace {
        let refs: Vec<&str> =
            expr.get("references").map(|r| r.items().iter().filter_map(Json::as_str).collect()).unwrap_or_default();
        let Some(longest) = refs.iter().max_by_key(|r| r.len()) else { return Trace::Nothing };
        // Terraform lists every step of one traversal (`aws_kms_key.k.arn`, `aws_kms_key.k`);
        // references to several objects mean a value computed from them.
        if !refs.iter().all(|r| longest.starts_with(r)) {
            return Trace::Nothing;
        }
        let parts: Vec<&str> = split_reference(longest);
        match parts.as_slice() {
            ["var", name, ..] => self.trace_variable(module, name, depth),
            ["data", dtype, name, ..] => {
                let config = self.module_config(module).and_then(|m| find_resource(m, "data", dtype, name));
                // A data source Terraform read while planning is in the prior state with what
                // it read (`key_id`, `key_manager`), per instance (`data.x.y["k"]`).
                let instance = instance_step(longest, &format!("data.{dtype}.{name}"));
                let expanded = config
                    .is_some_and(|c| c.get("count_expression").is_some() || c.get("for_each_expression").is_some());
                let read = if expanded && instance.is_empty() {
                    None
                } else {
                    let mut address: String = module.iter().map(|m| format!("module.{m}.")).collect();
                    address.push_str(&format!("data.{dtype}.{name}{instance}"));
                    self.prior_state_values(module, &address)
                };
                let values = match (read, config.and_then(|c| c.get("expressions"))) {
                    (Some(v), _) => Value::from_json(&v.to_serde()),
                    // Instances of an expanded data source each have their own arguments.
                    (None, _) if expanded => return Trace::Nothing,
                    (None, Some(e)) => self.config_value(module, e, depth + 1),
                    (None, None) => Value::empty_map(),
                };
                Trace::Source(UnknownSource::Data {
                    dtype: dtype.to_string(),
                    name: name.to_string(),
                    config: Box::new(values),
                    span: None,
                })
            }
            ["module", call, output, ..] => {
                let mut child = module.to_vec();
                child.push(call.to_string());
                match self
                    .module_config(&child)
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(output))
                    .and_then(|o| o.get("expression"))
                {
                    Some(e) => {
                        // The instance the reference names (`module.m["b"].id`) when the call
                        // has count or for_each; without a key, one the plan does not name.
                        let step = instance_step(longest, &format!("module.{call}"));
                        let key = parse_module_address(&format!("module.{call}{step}")).pop().and_then(|(_, k)| k);
                        into_instance(self.trace(&child, e, depth + 1), module.len(), key)
                    }
                    None => Trace::Nothing,
                }
            }
            ["local" | "each" | "count" | "path" | "terraform" | "self", ..] => Trace::Nothing,
            // Known at plan time: `input`, and `output`, which Terraform plans from it.
            ["terraform_data", name, "input" | "output", ..] => {
                let input = self
                    .module_config(module)
                    .and_then(|m| find_resource(m, "managed", "terraform_data", name))
                    .and_then(|r| r.get("expressions"))
                    .and_then(|e| e.get("input"));
                match input {
                    Some(e) => match e.get("constant_value") {
                        Some(c) => Trace::Input {
                            label: format!("input of terraform_data.{name}"),
                            value: Some(Value::from_json(&c.to_serde())),
                        },
                        None => self.trace(module, e, depth + 1),
                    },
                    None => Trace::Nothing,
                }
            }
            [rtype, name, ..] => Trace::Source(UnknownSource::Resource {
                rtype: rtype.to_string(),
                name: name.to_string(),
                // The module calls the reference leads through; `[?]` after one with count or
                // for_each is the instance the trace is in (a join resolves it against the
                // instance holding the reference), unless a module output's key replaces it.
                module: Some(self.module_pattern(module).into()),
                span: None,
            }),
            _ => Trace::Nothing,
        }
    }

    /// A block's configuration as a value: constants, values traced to the plan's inputs,
    /// nested blocks as lists; anything else unknown.
    fn config_value(&self, module: &[String], exprs: &Json, depth: usize) -> Value {
        if depth > MAX_TRACE {
            self.note_limit(EvalError::limit(
                format!("references and blocks in the plan's configuration are nested deeper than tfcheck's limit of {MAX_TRACE} steps"),
                exprs.span,
            ));
            return Value::unknown_apply("a value");
        }
        let mut values = Map::new();
        for m in exprs.members() {
            let v = if is_expression(&m.value) {
                match m.value.get("constant_value") {
                    Some(c) => Value::from_json(&c.to_serde()),
                    None => match self.trace(module, &m.value, depth + 1) {
                        Trace::Input { value: Some(v), .. } => v,
                        Trace::Source(src) => Value::unknown(src),
                        _ => Value::unknown_apply("a value"),
                    },
                }
            } else if let JsonKind::Array(items) = &m.value.kind {
                Value::list(items.iter().map(|b| self.config_value(module, b, depth + 1)).collect())
            } else {
                self.config_value(module, &m.value, depth + 1)
            };
            values.insert(m.key.clone(), v);
        }
        Value::map(values)
    }

    /// `var.name` in a module: the plan's variables at the root, else the calling module's
    /// argument, else the variable's default.
    fn trace_variable(&self, module: &[String], name: &str, depth: usize) -> Trace {
        let Some((call, parent)) = module.split_last() else {
            let value = self
                .plan
                .get("variables")
                .and_then(|v| v.get(name))
                .and_then(|v| v.get("value"))
                .map(|v| Value::from_json(&v.to_serde()));
            return Trace::Input { label: format!("variable \"{name}\" of the plan"), value };
        };
        let call_config = self.module_config(parent).and_then(|m| m.get("module_calls")).and_then(|c| c.get(call));
        match call_config.and_then(|c| c.get("expressions")).and_then(|e| e.get(name)) {
            Some(arg) => match arg.get("constant_value") {
                Some(c) => Trace::Input {
                    label: format!("argument \"{name}\" of module \"{call}\""),
                    value: Some(Value::from_json(&c.to_serde())),
                },
                None => self.trace(parent, arg, depth + 1),
            },
            None => {
                // Not passed: the variable's default.
                let default = call_config
                    .and_then(|c| c.get("module"))
                    .and_then(|m| m.get("variables"))
                    .and_then(|v| v.get(name))
                    .map(|v| v.get("default"));
                match default {
                    Some(d) => Trace::Input {
                        label: format!("variable \"{name}\" of module \"{call}\", not set by the call"),
                        value: Some(d.map(|d| Value::from_json(&d.to_serde())).unwrap_or_else(Value::null)),
                    },
                    None => Trace::Nothing,
                }
            }
        }
    }
}

/// A trace that went down into module call number `depth` of its path: a resource's module
/// pattern names the instance the reference gave, or an unknown one, not the trace's own.
fn into_instance(t: Trace, depth: usize, key: Option<Key>) -> Trace {
    let Trace::Source(UnknownSource::Resource { rtype, name, module: Some(m), span }) = t else { return t };
    let mut steps = parse_pattern(&m);
    if let Some((_, k)) = steps.get_mut(depth)
        && *k == PatternKey::Holder
    {
        *k = key.map_or(PatternKey::Unknown, PatternKey::Key);
    }
    Trace::Source(UnknownSource::Resource { rtype, name, module: Some(render_pattern(&steps).into()), span })
}

fn str_of<'j>(j: &'j Json, key: &str) -> Option<&'j str> {
    j.get(key).and_then(Json::as_str)
}

/// The `"address": ...` member of a plan entry: where findings point without sources.
fn address_span(entry: &Json) -> Span {
    entry.members().iter().find(|m| m.key == "address").map(|m| m.key_span.to(m.value.span)).unwrap_or(entry.span)
}

fn find_resource<'j>(module: &'j Json, mode: &str, rtype: &str, name: &str) -> Option<&'j Json> {
    module.get("resources")?.items().iter().find(|r| {
        str_of(r, "type") == Some(rtype)
            && str_of(r, "name") == Some(name)
            && str_of(r, "mode").unwrap_or("managed") == mode
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        let ok = crate::syntax::json::parse(
            r#"{"format_version": "1.2", "planned_values": {}}"#,
            crate::syntax::source::FileId(0),
        )
        .unwrap();
        assert!(is_plan(&ok) && check_version(&ok).is_ok());
        let old = crate::syntax::json::parse(
            r#"{"format_version": "0.1", "resource_changes": []}"#,
            crate::syntax::source::FileId(0),
        )
        .unwrap();
        assert!(check_version(&old).is_ok());
        let new = crate::syntax::json::parse(
            r#"{"format_version": "2.0", "planned_values": {}}"#,
            crate::syntax::source::FileId(0),
        )
        .unwrap();
        assert!(check_version(&new).unwrap_err().1.contains("2.0"));
    }
}
