//! Module calls: each call expanded into child instances (`count`/`for_each`), the arguments
//! they receive, and their outputs as the caller reads them.

use super::expr::{EResult, EvalError, Scope};
use super::module::{
    CallExpansion, CallResult, Caller, Expansion, Instance, MAX_MODULE_DEPTH, MAX_MODULE_INSTANCES, RootEval, Slot,
    reported,
};
use crate::diag::{Code, Diagnostic};
use crate::syntax::source::Span;
use crate::terraform::addr::{Key, ModuleStep};
use crate::terraform::config::ModuleCall;
use crate::terraform::value::{Map, UnknownSource, Value};
use std::collections::HashMap;
use std::rc::Rc;

impl<'p> RootEval<'p> {
    /// The instances of a module call, expanded once and remembered.
    /// `None` while the call is being expanded (its count/for_each refers to itself).
    pub fn call(&self, inst: &Rc<Instance>, call: &ModuleCall) -> Option<Rc<CallResult>> {
        if let Some(r) = inst.calls.borrow().get(&call.name) {
            return r.clone();
        }
        inst.calls.borrow_mut().insert(call.name.clone(), None);
        let r = Rc::new(self.expand_call(inst, call));
        inst.calls.borrow_mut().insert(call.name.clone(), Some(r.clone()));
        Some(r)
    }

    pub(super) fn expand_call(&self, inst: &Rc<Instance>, call: &ModuleCall) -> CallResult {
        let unavailable = |reason: String| CallResult {
            expansion: CallExpansion::Single,
            instances: Vec::new(),
            unavailable: Some(reason),
            limit: None,
        };
        // A limit: reported at the call, and to whatever reads the call's outputs.
        let limited = |message: String| {
            let e = EvalError::limit(message, call.block.header_span);
            self.warn(&e);
            CallResult { limit: Some(e), ..unavailable("not evaluated: a limit of tfcheck's was hit".into()) }
        };
        let target = if call.is_local() {
            match self.project.local_calls.get(&(inst.module, call.name.clone())) {
                Some(Ok(t)) => *t,
                Some(Err(reason)) => {
                    self.diags.push(Diagnostic::warning(
                        Code::Module,
                        format!("module \"{}\": {reason}; its outputs are unknown", call.name),
                        call.source_span,
                    ));
                    return unavailable(reason.clone());
                }
                None => return unavailable("module not loaded".into()),
            }
        } else {
            let key: Vec<&str> = inst.path.iter().map(|s| s.name.as_str()).chain([call.name.as_str()]).collect();
            match self.project.installed.get(&self.root).and_then(|m| m.get(&key.join("."))) {
                Some(t) => *t,
                None => {
                    let src = call.source.clone().unwrap_or_default();
                    return unavailable(format!("remote module {src:?} is not downloaded"));
                }
            }
        };
        if inst.ancestors.contains(&target) {
            let chain: Vec<String> =
                inst.ancestors.iter().chain([&target]).map(|m| self.module(*m).display_dir.clone()).collect();
            self.diags.push(Diagnostic::error(
                Code::Invalid,
                format!("module calls form a cycle: {}", chain.join(" -> ")),
                call.block.header_span,
            ));
            return unavailable("module cycle".into());
        }
        if inst.ancestors.len() >= MAX_MODULE_DEPTH {
            return limited(format!(
                "module \"{}\" is nested deeper than tfcheck's limit of {MAX_MODULE_DEPTH} modules; it is not evaluated",
                call.name
            ));
        }
        let mark = self.budget.mark();
        let env = self.env(inst);
        let (expansion, kind) = match (call.count(), call.for_each()) {
            (Some(c), _) => (self.expand_count(&env, c), CallExpansion::Count),
            (None, Some(f)) => (self.expand_for_each(&env, f), CallExpansion::ForEach),
            (None, None) => (Expansion::Single, CallExpansion::Single),
        };
        let mut instances = Vec::new();
        let mut kind = kind;
        let pairs: Vec<(Option<Key>, Option<Value>, Option<Value>)> = match expansion {
            Expansion::Single => vec![(None, None, None)],
            Expansion::Unknown => {
                kind = CallExpansion::Unknown;
                let u = Value::unknown(UnknownSource::Expansion { what: format!("module.{} instance", call.name) });
                vec![(None, Some(u.clone()), Some(u))]
            }
            Expansion::Keys(keys) => keys
                .into_iter()
                .map(|(k, each_value)| {
                    let idx = match &k {
                        Key::Int(i) => Value::number(*i as f64),
                        Key::Str(s) => Value::string(s.as_str()),
                    };
                    (Some(k), Some(idx), each_value)
                })
                .collect(),
        };
        let call_index = self.module(inst.module).calls.iter().position(|c| c.name == call.name).unwrap_or(0);
        // The whole call or nothing: a call the cap stops is an error at the call, so calls
        // before it (a padding of empty modules) cannot silently starve it.
        let total = self.instance_count.get().saturating_add(pairs.len());
        if total > MAX_MODULE_INSTANCES {
            return limited(format!(
                "module \"{}\" would make {} module instances in this root, more than tfcheck's limit of {MAX_MODULE_INSTANCES}; it is not evaluated",
                call.name, total
            ));
        }
        self.instance_count.set(total);
        for (key, idx, each_value) in pairs {
            let (count_index, each) = match kind {
                CallExpansion::Count => (idx, None),
                CallExpansion::ForEach => {
                    (None, Some((idx.unwrap_or_else(Value::null), each_value.unwrap_or_else(Value::null))))
                }
                CallExpansion::Unknown => {
                    (idx.clone(), Some((idx.unwrap_or_else(Value::null), each_value.unwrap_or_else(Value::null))))
                }
                CallExpansion::Single => (None, None),
            };
            let caller = Caller { parent: Rc::downgrade(inst), call: call_index, count_index, each };
            let mut path = inst.path.clone();
            path.push(ModuleStep { name: call.name.clone(), key: key.clone(), call_span: call.block.header_span });
            let mut ancestors = inst.ancestors.clone();
            ancestors.push(target);
            instances.push((key, Rc::new(Instance::new(target, path, HashMap::new(), Some(caller), ancestors))));
        }
        CallResult { expansion: kind, instances, unavailable: None, limit: self.budget.since(mark) }
    }

    /// An output of a child instance.
    pub fn output(&self, inst: &Rc<Instance>, name: &str, span: Span) -> EResult<Value> {
        let module = self.module(inst.module);
        let Some(attr) = module.outputs.get(name) else {
            return Err(EvalError::new(format!("module {} has no output named {name:?}", module.display_dir), span));
        };
        match inst.outputs.borrow().get(name) {
            Some(Slot::Done(r)) => return self.reread(r),
            Some(Slot::InProgress) => return Ok(Value::unknown_error(format!("output {name:?} depends on itself"))),
            None => {}
        }
        self.enter(span)?;
        let mark = self.budget.mark();
        inst.outputs.borrow_mut().insert(name.to_string(), Slot::InProgress);
        let env = self.env(inst);
        let r = Scope::new(&env).eval(&attr.expr);
        self.leave();
        let v = self.finish_memo(mark, Ok(self.absorb(r)));
        inst.outputs.borrow_mut().insert(name.to_string(), Slot::Done(v.clone()));
        v
    }

    /// `module.name` as a whole, or `module.name.output` when `output` is given and the call
    /// has a single instance. Returns the value and whether the output name was used.
    pub(super) fn module_ref(
        &self,
        inst: &Rc<Instance>,
        name: &str,
        output: Option<&str>,
        span: Span,
    ) -> EResult<(Value, bool)> {
        let module = self.module(inst.module);
        let Some(call) = module.calls.iter().find(|c| c.name == name) else {
            return Err(EvalError::new(format!("reference to undeclared module {name:?}"), span));
        };
        let Some(r) = self.call(inst, call) else {
            return Ok((
                Value::unknown(UnknownSource::ModuleOutput {
                    call: name.into(),
                    reason: "its count or for_each depends on itself".into(),
                    span: Some(call.block.header_span),
                }),
                false,
            ));
        };
        if let Some(e) = &r.limit {
            self.budget.note(e);
            return Err(reported(e.clone()));
        }
        if let Some(reason) = &r.unavailable {
            return Ok((
                Value::unknown(UnknownSource::ModuleOutput {
                    call: name.into(),
                    reason: reason.clone(),
                    span: Some(call.block.header_span),
                }),
                false,
            ));
        }
        let all_outputs = |child: &Rc<Instance>| -> EResult<Value> {
            let mut m = Map::new();
            let mut names: Vec<&String> = self.module(child.module).outputs.keys().collect();
            names.sort();
            for n in names {
                m.insert(n.clone(), self.output(child, n, span)?);
            }
            Ok(Value::map(m))
        };
        match r.expansion {
            CallExpansion::Single => {
                let Some((_, child)) = r.instances.first() else {
                    return Ok((Value::unknown_error("module not evaluated"), false));
                };
                match output {
                    Some(o) => Ok((self.output(child, o, span)?, true)),
                    None => Ok((all_outputs(child)?, false)),
                }
            }
            CallExpansion::Unknown => Ok((
                Value::unknown(UnknownSource::ModuleOutput {
                    call: name.into(),
                    reason: "its count or for_each is not known".into(),
                    span: Some(call.block.header_span),
                }),
                false,
            )),
            CallExpansion::Count => {
                let mut items = Vec::new();
                for (_, child) in &r.instances {
                    items.push(all_outputs(child)?);
                }
                Ok((Value::list(items), false))
            }
            CallExpansion::ForEach => {
                let mut m = Map::new();
                for (k, child) in &r.instances {
                    if let Some(Key::Str(k)) = k {
                        m.insert(k.clone(), all_outputs(child)?);
                    }
                }
                Ok((Value::map(m), false))
            }
        }
    }
}
