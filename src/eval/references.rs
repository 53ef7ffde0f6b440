//! References to resources and data sources: what an expression can know before apply
//! (configured arguments; `terraform_data`'s input; data sources Terraform would read at plan
//! time), and unknown values that say why the rest is unknown.

use super::expr::{EResult, EvalError, Scope};
use super::module::{Expansion, InstEnv, Instance, RootEval, Slot};
use crate::syntax::source::Span;
use crate::terraform::addr::Key;
use crate::terraform::config::Resource;
use crate::terraform::value::{Kind, Map, UnknownSource, Value};
use std::rc::Rc;
use std::sync::Arc;

impl<'p> RootEval<'p> {
    /// `aws_kms_key.k`: attributes of managed resources are known only after apply, but a
    /// reference has the shape its `count` / `for_each` gives it (a list of 0 elements when
    /// `count = 0`), so `one(aws_kms_key.k[*].arn)` is null when no key is created.
    /// `terraform_data` is known at plan time: its `input`, and its `output`, which Terraform
    /// plans from `input`.
    pub fn resource_ref(&self, inst: &Rc<Instance>, res: &Resource) -> EResult<Value> {
        let key = format!("{}.{}", res.rtype, res.name);
        let unknown = || {
            Value::unknown(UnknownSource::Resource {
                rtype: res.rtype.clone(),
                name: res.name.clone(),
                module: Some(crate::terraform::addr::module_address(&inst.path).into()),
                span: Some(res.block.header_span),
            })
        };
        match inst.resources.borrow().get(&key) {
            Some(Slot::Done(r)) => return self.reread(r),
            Some(Slot::InProgress) => return Ok(unknown()),
            None => {}
        }
        let plan_known = res.rtype == "terraform_data";
        if res.count().is_none() && res.for_each().is_none() && !plan_known {
            return Ok(unknown());
        }
        inst.resources.borrow_mut().insert(key.clone(), Slot::InProgress);
        let mark = self.budget.mark();
        let env = self.env(inst);
        let expansion = match (res.count(), res.for_each()) {
            (Some(c), _) => self.expand_count(&env, c),
            (None, Some(f)) => self.expand_for_each(&env, f),
            (None, None) => Expansion::Single,
        };
        let base = unknown();
        // One instance's value: unknown, or for `terraform_data` its plan-time attributes.
        let element = |key: Option<&Key>, each_value: Option<&Value>| -> Value {
            let step = key.map(Key::to_string);
            let u = match (&base.kind, &step) {
                (Kind::Unknown(u), Some(step)) => Value::new(Kind::Unknown(Arc::new(u.descend(step)))),
                _ => base.clone(),
            };
            if !plan_known {
                return u;
            }
            let (count_index, each) = match (key, res.count()) {
                (Some(Key::Int(i)), Some(_)) => (Some(Value::number(*i as f64)), None),
                (Some(k), None) => {
                    let k = match k {
                        Key::Int(i) => Value::number(*i as f64),
                        Key::Str(s) => Value::string(s.as_str()),
                    };
                    (None, Some((k, each_value.cloned().unwrap_or_else(Value::null))))
                }
                _ => (None, None),
            };
            let env = InstEnv { re: self, inst, count_index, each };
            self.terraform_data_value(&env, res, &u)
        };
        let v = match expansion {
            Expansion::Keys(keys) if res.count().is_some() => {
                Value::list(keys.iter().map(|(k, v)| element(Some(k), v.as_ref())).collect())
            }
            Expansion::Keys(keys) => Value::map(
                keys.iter()
                    .map(|(k, v)| match k {
                        Key::Str(s) => (s.clone(), element(Some(k), v.as_ref())),
                        Key::Int(i) => (i.to_string(), element(Some(k), v.as_ref())),
                    })
                    .collect(),
            ),
            Expansion::Single => element(None, None),
            Expansion::Unknown => base.clone(),
        };
        let r = self.finish_memo(mark, Ok(v));
        inst.resources.borrow_mut().insert(key, Slot::Done(r.clone()));
        r
    }

    /// A `terraform_data` instance: `input` and `output` are the `input` argument's value,
    /// `triggers_replace` its own; the rest (`id`) is known after apply.
    pub(super) fn terraform_data_value(&self, env: &InstEnv, res: &Resource, unknown: &Value) -> Value {
        let attr = |name: &str| -> Option<Value> {
            let a = res.block.body.attribute(name)?;
            Some(self.absorb(Scope::new(env).eval(&a.expr)))
        };
        let input = attr("input").unwrap_or_else(Value::null);
        let mut m = Map::new();
        let Kind::Unknown(u) = &unknown.kind else { return unknown.clone() };
        m.insert("id".into(), Value::new(Kind::Unknown(Arc::new(u.descend("id")))));
        m.insert("output".into(), input.clone());
        m.insert("input".into(), input);
        m.insert("triggers_replace".into(), attr("triggers_replace").unwrap_or_else(Value::null));
        Value::map(m)
    }

    /// `data.dtype.name`: an unknown that remembers its configuration, with the shape its
    /// `count` / `for_each` gives it (a list for `count`, a map for `for_each`), each
    /// instance evaluated with its own `count.index` / `each`. With `count = 0`,
    /// `one(data.x.y[*].arn)` is null, as in Terraform.
    pub fn data(&self, inst: &Rc<Instance>, dtype: &str, name: &str, span: Span) -> EResult<Value> {
        let key = format!("{dtype}.{name}");
        let module = self.module(inst.module);
        let Some(res) = module.data.get(&(dtype.to_string(), name.to_string())) else {
            return Err(EvalError::new(format!("reference to undeclared data source data.{key}"), span));
        };
        match inst.data.borrow().get(&key) {
            Some(Slot::Done(r)) => return self.reread(r),
            Some(Slot::InProgress) => {
                return Ok(Value::unknown(UnknownSource::Data {
                    dtype: dtype.into(),
                    name: name.into(),
                    config: Box::new(Value::unknown_error("cycle")),
                    span: Some(res.block.header_span),
                }));
            }
            None => {}
        }
        self.enter(span)?;
        let mark = self.budget.mark();
        inst.data.borrow_mut().insert(key.clone(), Slot::InProgress);
        let env = self.env(inst);
        let expansion = match (res.count(), res.for_each()) {
            (Some(c), _) => self.expand_count(&env, c),
            (None, Some(f)) => self.expand_for_each(&env, f),
            (None, None) => Expansion::Single,
        };
        // One instance: its arguments evaluated with its count.index / each.
        let instance = |count_index: Option<Value>, each: Option<(Value, Value)>, label: String| -> Value {
            let env = InstEnv { re: self, inst, count_index, each };
            let config = self.eval_body(
                &env,
                crate::terraform::schema::Mode::Data,
                &res.rtype,
                &res.block.body,
                "",
                &mut Vec::new(),
            );
            Value::unknown(UnknownSource::Data {
                dtype: dtype.into(),
                name: label,
                config: Box::new(config),
                span: Some(res.block.header_span),
            })
        };
        let v = match expansion {
            Expansion::Keys(keys) if res.count().is_some() => Value::list(
                keys.iter()
                    .map(|(k, _)| {
                        let i = match k {
                            Key::Int(i) => *i,
                            Key::Str(_) => 0,
                        };
                        instance(Some(Value::number(i as f64)), None, format!("{name}[{i}]"))
                    })
                    .collect(),
            ),
            Expansion::Keys(keys) => Value::map(
                keys.iter()
                    .map(|(k, each_value)| {
                        let label = format!("{name}{k}");
                        let k = match k {
                            Key::Str(s) => s.clone(),
                            Key::Int(i) => i.to_string(),
                        };
                        let each = (Value::string(k.as_str()), each_value.clone().unwrap_or_else(Value::null));
                        (k, instance(None, Some(each), label))
                    })
                    .collect(),
            ),
            Expansion::Single => instance(None, None, name.to_string()),
            // Not known before apply: one pass with count.index / each unknown.
            Expansion::Unknown => {
                let count_index =
                    res.count().map(|_| Value::unknown(UnknownSource::Expansion { what: "count.index".into() }));
                let each = res.for_each().map(|_| {
                    let u = Value::unknown(UnknownSource::Expansion { what: "each".into() });
                    (u.clone(), u)
                });
                instance(count_index, each, name.to_string())
            }
        };
        self.leave();
        let r = self.finish_memo(mark, Ok(v));
        inst.data.borrow_mut().insert(key, Slot::Done(r.clone()));
        r
    }
}
