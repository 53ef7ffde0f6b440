//! Module evaluation: one root module and the tree of module instances it calls, with root
//! inputs, locals, module arguments and outputs, data sources, and `count`/`for_each`
//! expansion. Everything is evaluated lazily and memoized, so locals may come in any order
//! and a cycle is found where it closes.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use super::budget::Budget;
use super::expr::{EResult, Env, EvalError, FilePaths, Scope};
use super::provenance::ElementSpans;
use super::types::{self, Type};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::syntax::source::Span;
use crate::terraform::addr::{Key, ModuleStep};
use crate::terraform::config::Project;
use crate::terraform::config::{Module, ModuleId};
use crate::terraform::value::{Origin, UnknownSource, Value};

// Each limit below, when hit, is an error diagnostic where it was hit and on each resource
// instance it cut short (the run exits 2), never a silent skip.

/// Most instances one `count`/`for_each` (or `dynamic` block) expands to; beyond, the block
/// is checked once, as if the index were unknown.
pub const MAX_EXPANSION: usize = 10_000;
/// Most module instances one root may create; calls beyond are not evaluated.
pub const MAX_MODULE_INSTANCES: usize = 10_000;
/// Most resource instances checked in one root.
pub const MAX_RESOURCE_INSTANCES: usize = 50_000;
/// Deepest module nesting followed.
pub const MAX_MODULE_DEPTH: usize = 64;
/// Deepest chain of lazily evaluated references (local to local to output...).
pub(super) const MAX_LOOKUP_DEPTH: usize = 256;

/// Inputs that apply to every root: workspace, `--var`, `--var-file`, `TF_VAR_*`.
#[derive(Clone, Debug, Default)]
pub struct EvalOptions {
    pub workspace: String,
    /// `--var` and `--var-file` in command-line order.
    pub cli: Vec<CliInput>,
    /// `TF_VAR_name` environment variables: (name, value).
    pub env_vars: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub enum CliInput {
    Var(String, String),
    /// Canonical path of a file loaded into `Project::tfvars`.
    VarFile(PathBuf),
}

/// How a `count` or `for_each` expands.
pub enum Expansion {
    /// Neither argument: one instance, no key.
    Single,
    /// Known keys, with `each.value` for `for_each`.
    Keys(Vec<(Key, Option<Value>)>),
    /// Not known statically: one pass with `count.index` / `each` unknown.
    Unknown,
}

type Memo = RefCell<HashMap<String, Slot>>;

#[derive(Clone)]
pub(super) enum Slot {
    InProgress,
    Done(EResult<Value>),
}

pub struct Instance {
    pub module: ModuleId,
    pub path: Vec<ModuleStep>,
    /// Input variables: given up front for a root, evaluated on first use for a child (from
    /// the caller's arguments), so module calls that feed each other outputs work as in
    /// Terraform, whose graph is per variable and per output.
    pub(super) vars: Memo,
    pub(super) caller: Option<Caller>,
    /// Module ids from the root down to this one, to find cycles of calls.
    pub(super) ancestors: Vec<ModuleId>,
    pub(super) locals: Memo,
    pub(super) outputs: Memo,
    pub(super) data: Memo,
    /// Values of resource references, shaped by their `count` / `for_each`.
    pub(super) resources: Memo,
    pub(super) calls: RefCell<HashMap<String, Option<Rc<CallResult>>>>,
    /// Locals being evaluated, to name a cycle.
    pub(super) local_stack: RefCell<Vec<String>>,
}

/// The instances a module call expanded to.
pub struct CallResult {
    pub expansion: CallExpansion,
    pub instances: Vec<(Option<Key>, Rc<Instance>)>,
    /// Why the outputs are unknown, when they are.
    pub unavailable: Option<String>,
    /// A limit of tfcheck's cut the expansion short: references to the call fail with it.
    pub limit: Option<EvalError>,
}

pub enum CallExpansion {
    Single,
    Count,
    ForEach,
    Unknown,
}

/// Evaluates one root module.
pub struct RootEval<'p> {
    pub project: &'p Project,
    pub root: ModuleId,
    pub(super) opts: &'p EvalOptions,
    pub(super) diags: &'p Diagnostics,
    pub(super) root_dir: PathBuf,
    pub(super) depth: Cell<usize>,
    pub(super) instance_count: Cell<usize>,
    pub(super) resource_count: Cell<usize>,
    /// This root's evaluation budget and limit log.
    pub(super) budget: Budget,
}

/// The environment of expressions in one module instance, optionally inside a
/// `count`/`for_each` instance of a block.
pub struct InstEnv<'r, 'p> {
    pub re: &'r RootEval<'p>,
    pub inst: &'r Rc<Instance>,
    pub count_index: Option<Value>,
    pub each: Option<(Value, Value)>,
}

impl<'p> RootEval<'p> {
    pub fn new(project: &'p Project, root: ModuleId, opts: &'p EvalOptions, diags: &'p Diagnostics) -> RootEval<'p> {
        RootEval {
            project,
            root,
            opts,
            diags,
            root_dir: project.modules[root].dir.clone(),
            depth: Cell::new(0),
            instance_count: Cell::new(0),
            resource_count: Cell::new(0),
            budget: Budget::default(),
        }
    }

    /// Converts a variable's value to its declared type (walking the value costs steps).
    pub(super) fn convert(&self, v: Value, ty: &Type, span: Span) -> EResult<Value> {
        // A conversion walks the value (and may rebuild it).
        self.budget.spend(v.weight(), span)?;
        let origin = v.origin.clone();
        types::convert(v, ty)
            .map(|c| c.with_origin(origin))
            .map_err(|m| EvalError::new(format!("invalid value for the variable's type: {m}"), span))
    }

    /// A stored result read again: a limit error is noted again for the new reader.
    pub(super) fn reread(&self, r: &EResult<Value>) -> EResult<Value> {
        if let Err(e) = r {
            self.budget.note(e);
        }
        r.clone()
    }

    pub fn module(&self, id: ModuleId) -> &'p Module {
        &self.project.modules[id]
    }

    /// Reports an evaluation error: a warning, or an error when a limit of tfcheck's was hit.
    pub(super) fn warn(&self, e: &EvalError) {
        let message = e.message.clone();
        if e.is_limit() {
            self.budget.note(e);
            self.diags.push(Diagnostic::error(Code::Limit, message, e.span));
        } else {
            self.diags.push(Diagnostic::warning(Code::Eval, message, e.span));
        }
    }

    /// Reports an evaluation error (once) and turns it into an unknown value.
    pub fn absorb(&self, r: EResult<Value>) -> Value {
        match r {
            Ok(v) => v,
            Err(e) => {
                if !e.reported {
                    self.warn(&e);
                } else if e.is_limit() {
                    self.budget.note(&e);
                }
                Value::unknown_error(&e.message)
            }
        }
    }

    /// The result of a memoized evaluation: when a limit cut it short, it fails again, as a
    /// limit error the reader notices.
    pub(super) fn finish_memo(&self, mark: usize, r: EResult<Value>) -> EResult<Value> {
        match self.budget.since(mark) {
            Some(e) if r.is_ok() || r.as_ref().is_err_and(|x| !x.is_limit()) => Err(reported(e)),
            _ => r,
        }
    }

    /// Creates the root instance with its input variables.
    pub fn root_instance(&self) -> Rc<Instance> {
        let module = self.module(self.root);
        let mut vars = HashMap::new();
        let inputs = self.root_inputs();
        let mut names: Vec<&String> = module.variables.keys().collect();
        names.sort();
        for name in names {
            let mark = self.budget.mark();
            let decl = &module.variables[name];
            let ty = self.var_type(decl.ty());
            let given = inputs.get(name.as_str()).cloned();
            let value = match given {
                Some(raw) => {
                    let v = match raw.value {
                        RawInput::Value(v) => Ok(v),
                        RawInput::Text(t) => self.parse_cli_value(&t, &ty, raw.span),
                    };
                    // A value of the wrong type is reported where it was set.
                    let v = v.and_then(|v| self.convert(v, &ty, raw.span.unwrap_or(decl.block.header_span))).map_err(
                        |mut e| {
                            // At the element that does not fit the type, where the literal shows it.
                            if let Some(el) = raw.elements.as_ref().filter(|_| !e.is_limit()) {
                                e.span =
                                    el.locate(e.message.trim_start_matches("invalid value for the variable's type: "));
                            }
                            e
                        },
                    );
                    match v {
                        Ok(v) if v.is_null() && !decl.nullable => self.var_default(decl, &ty),
                        Ok(v) => {
                            let origin = Arc::new(Origin {
                                sensitive: decl.sensitive,
                                ..Origin::new(format!("variable \"{name}\", {}", raw.label), raw.span)
                            });
                            match &raw.elements {
                                Some(el) => el.stamp(v, &origin),
                                None => v.with_origin(Some(origin)),
                            }
                        }
                        Err(e) if e.is_limit() => {
                            self.warn(&e);
                            Value::unknown_error(e.message)
                        }
                        // Terraform refuses to plan with it: an error, not an unknown value.
                        Err(e) => {
                            self.diags.push(Diagnostic::error(
                                Code::Invalid,
                                format!("invalid value for variable \"{name}\" ({}): {}", raw.label, &e.message),
                                e.span,
                            ));
                            Value::unknown_error(e.message)
                        }
                    }
                }
                None => self.var_default(decl, &ty),
            };
            let value = match value.as_unknown().map(|u| &u.source) {
                // A default or value cut short by a limit: every use of it is, too.
                Some(UnknownSource::Error { .. }) => match self.budget.since(mark) {
                    Some(e) => Err(reported(e)),
                    None => Ok(value),
                },
                _ => Ok(value),
            };
            vars.insert(name.clone(), value);
        }
        self.undeclared_inputs(&inputs);
        Rc::new(Instance::new(self.root, Vec::new(), vars, None, vec![self.root]))
    }

    pub(super) fn enter(&self, span: Span) -> EResult<()> {
        let d = self.depth.get() + 1;
        if d > MAX_LOOKUP_DEPTH {
            return Err(self.budget.record(EvalError::limit(
                format!("references are nested deeper than tfcheck's limit of {MAX_LOOKUP_DEPTH}"),
                span,
            )));
        }
        self.depth.set(d);
        Ok(())
    }

    pub(super) fn leave(&self) {
        self.depth.set(self.depth.get() - 1);
    }

    pub(super) fn env<'r>(&'r self, inst: &'r Rc<Instance>) -> InstEnv<'r, 'p> {
        InstEnv { re: self, inst, count_index: None, each: None }
    }

    /// `local.name` in an instance.
    pub fn local(&self, inst: &Rc<Instance>, name: &str, span: Span) -> EResult<Value> {
        let module = self.module(inst.module);
        let Some(attr) = module.locals.get(name) else {
            return Err(EvalError::new(format!("there is no local value named {name:?}"), span));
        };
        match inst.locals.borrow().get(name) {
            Some(Slot::Done(r)) => return self.reread(r),
            Some(Slot::InProgress) => {
                let stack = inst.local_stack.borrow();
                let start = stack.iter().position(|n| n == name).unwrap_or(0);
                let mut cycle: Vec<&str> = stack[start..].iter().map(String::as_str).collect();
                cycle.push(name);
                let msg = format!(
                    "local values refer to each other in a cycle: {}",
                    cycle.iter().map(|n| format!("local.{n}")).collect::<Vec<_>>().join(" -> ")
                );
                self.diags.push(Diagnostic::error(Code::Invalid, msg.clone(), attr.span));
                return Err(EvalError { reported: true, ..EvalError::new(msg, span) });
            }
            None => {}
        }
        self.enter(span)?;
        let mark = self.budget.mark();
        inst.locals.borrow_mut().insert(name.to_string(), Slot::InProgress);
        inst.local_stack.borrow_mut().push(name.to_string());
        let env = self.env(inst);
        let r = Scope::new(&env).eval(&attr.expr).map(|v| {
            if v.origin.is_none() && v.is_known() {
                v.with_origin(Some(Arc::new(Origin::new(format!("local \"{name}\""), Some(attr.span)))))
            } else {
                v
            }
        });
        inst.local_stack.borrow_mut().pop();
        self.leave();
        // A failed local fails each reference to it; report its error only once.
        let stored = r.map_err(|e| {
            if !e.reported {
                self.warn(&e);
            }
            reported(e)
        });
        let stored = self.finish_memo(mark, stored);
        inst.locals.borrow_mut().insert(name.to_string(), Slot::Done(stored.clone()));
        stored
    }

    /// `var.name` in an instance: for a child, from the call's argument or the default.
    pub fn var(&self, inst: &Rc<Instance>, name: &str, span: Span) -> EResult<Value> {
        match inst.vars.borrow().get(name) {
            Some(Slot::Done(r)) => return self.reread(r),
            Some(Slot::InProgress) => return Ok(Value::unknown_error(format!("variable {name:?} depends on itself"))),
            None => {}
        }
        let module = self.module(inst.module);
        let (Some(decl), Some(caller)) = (module.variables.get(name), &inst.caller) else {
            return Err(EvalError::new(format!("reference to undeclared input variable {name:?}"), span));
        };
        let Some(parent) = caller.parent.upgrade() else {
            return Ok(Value::unknown_error("the calling module is gone"));
        };
        self.enter(span)?;
        let mark = self.budget.mark();
        inst.vars.borrow_mut().insert(name.to_string(), Slot::InProgress);
        let call = &self.module(parent.module).calls[caller.call];
        let ty = self.var_type(decl.ty());
        let value = match call.arg(name) {
            Some(arg) => {
                let env = InstEnv {
                    re: self,
                    inst: &parent,
                    count_index: caller.count_index.clone(),
                    each: caller.each.clone(),
                };
                let r = Scope::new(&env).eval(&arg.expr).and_then(|v| {
                    let origin = v.origin.clone().or_else(|| {
                        Some(Arc::new(Origin::new(
                            format!("argument \"{name}\" of module \"{}\"", call.name),
                            Some(arg.span),
                        )))
                    });
                    Ok(self.convert(v, &ty, arg.span)?.with_origin(origin))
                });
                match self.absorb(r) {
                    v if v.is_null() && !decl.nullable => self.var_default(decl, &ty),
                    v => v,
                }
            }
            None => match decl.default() {
                Some(_) => self.var_default(decl, &ty),
                None => {
                    self.diags.push(Diagnostic::warning(
                        Code::Invalid,
                        format!("module \"{}\" does not set the required variable {name:?}", call.name),
                        call.block.header_span,
                    ));
                    Value::unknown(UnknownSource::Variable {
                        name: name.to_string(),
                        span: Some(decl.block.header_span),
                    })
                }
            },
        };
        self.leave();
        let r = self.finish_memo(mark, Ok(value));
        inst.vars.borrow_mut().insert(name.to_string(), Slot::Done(r.clone()));
        r
    }
}

/// The error as stored for later readers: marked as reported, still a limit if it was one.
pub(super) fn reported(e: EvalError) -> EvalError {
    EvalError { reported: true, ..e }
}

impl Instance {
    pub(super) fn new(
        module: ModuleId,
        path: Vec<ModuleStep>,
        vars: HashMap<String, EResult<Value>>,
        caller: Option<Caller>,
        ancestors: Vec<ModuleId>,
    ) -> Instance {
        Instance {
            module,
            path,
            vars: RefCell::new(vars.into_iter().map(|(k, v)| (k, Slot::Done(v))).collect()),
            caller,
            ancestors,
            locals: RefCell::default(),
            outputs: RefCell::default(),
            data: RefCell::default(),
            resources: RefCell::default(),
            calls: RefCell::default(),
            local_stack: RefCell::default(),
        }
    }
}

/// Where a child instance's variables come from: the call in its parent instance.
pub(super) struct Caller {
    pub(super) parent: std::rc::Weak<Instance>,
    pub(super) call: usize,
    pub(super) count_index: Option<Value>,
    pub(super) each: Option<(Value, Value)>,
}

#[derive(Clone)]
pub(super) struct RawValue {
    pub(super) value: RawInput,
    /// `set in terraform.tfvars`, `from --var`...
    pub(super) label: String,
    pub(super) span: Option<Span>,
    /// Where each element of a literal map or list was written.
    pub(super) elements: Option<Rc<ElementSpans>>,
}

#[derive(Clone)]
pub(super) enum RawInput {
    Value(Value),
    /// From the command line or the environment: parsed once the type is known.
    Text(String),
}

impl Env for InstEnv<'_, '_> {
    fn lookup(&self, root: &str, attrs: &[&str], span: Span) -> EResult<(Value, usize)> {
        let need = |n: usize| {
            if attrs.len() < n {
                Err(EvalError::new(format!("`{root}` must be followed by an attribute name"), span))
            } else {
                Ok(())
            }
        };
        let re = self.re;
        match root {
            "var" => {
                need(1)?;
                Ok((re.var(self.inst, attrs[0], span)?, 1))
            }
            "local" => {
                need(1)?;
                Ok((re.local(self.inst, attrs[0], span)?, 1))
            }
            "module" => {
                need(1)?;
                let (v, used_output) = re.module_ref(self.inst, attrs[0], attrs.get(1).copied(), span)?;
                Ok((v, if used_output { 2 } else { 1 }))
            }
            "data" => {
                need(2)?;
                Ok((re.data(self.inst, attrs[0], attrs[1], span)?, 2))
            }
            "count" => match (&self.count_index, attrs.first()) {
                (Some(i), Some(&"index")) => Ok((i.clone(), 1)),
                _ => Err(EvalError::new("count.index can only be used in a block that sets count", span)),
            },
            "each" => match (&self.each, attrs.first()) {
                (Some((k, _)), Some(&"key")) => Ok((k.clone(), 1)),
                (Some((_, v)), Some(&"value")) => Ok((v.clone(), 1)),
                _ => {
                    Err(EvalError::new("each.key and each.value can only be used in a block that sets for_each", span))
                }
            },
            "path" => {
                need(1)?;
                let module = re.module(self.inst.module);
                let v = match attrs[0] {
                    "module" => crate::syntax::source::relative_path(&re.root_dir, &module.dir),
                    "root" => ".".to_string(),
                    "cwd" => re.root_dir.to_string_lossy().to_string(),
                    other => return Err(EvalError::new(format!("path.{other} does not exist"), span)),
                };
                Ok((Value::string(v), 1))
            }
            "terraform" => match attrs.first() {
                Some(&"workspace") => Ok((Value::string(re.opts.workspace.as_str()), 1)),
                _ => Err(EvalError::new("only terraform.workspace can be used here", span)),
            },
            "self" => Ok((Value::unknown_apply("self"), 0)),
            rtype => {
                need(1)?;
                let name = attrs[0];
                let module = re.module(self.inst.module);
                let Some(res) = module.resource(rtype, name) else {
                    return Err(EvalError::new(format!("reference to undeclared resource {rtype}.{name}"), span));
                };
                Ok((re.resource_ref(self.inst, res)?, 1))
            }
        }
    }

    fn budget(&self) -> &Budget {
        &self.re.budget
    }

    fn absorb_element(&self, e: EvalError) -> EResult<Value> {
        Ok(self.re.absorb(Err(e)))
    }

    fn paths(&self) -> FilePaths<'_> {
        FilePaths {
            module_dir: &self.re.module(self.inst.module).dir,
            root_dir: &self.re.root_dir,
            sandbox: &self.re.project.sandbox,
        }
    }
}

/// An environment with no names: defaults and tfvars values are constants.
pub(super) struct ConstEnv<'a> {
    pub(super) root_dir: &'a Path,
    pub(super) sandbox: &'a [PathBuf],
    pub(super) budget: &'a Budget,
}

impl Env for ConstEnv<'_> {
    fn lookup(&self, root: &str, _attrs: &[&str], span: Span) -> EResult<(Value, usize)> {
        Err(EvalError::new(format!("variables may not be used here (found a reference to {root:?})"), span))
    }

    fn paths(&self) -> FilePaths<'_> {
        FilePaths { module_dir: self.root_dir, root_dir: self.root_dir, sandbox: self.sandbox }
    }

    fn budget(&self) -> &Budget {
        self.budget
    }
}
