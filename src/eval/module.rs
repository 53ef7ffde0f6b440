//! Module evaluation: one root module and the tree of module instances it calls, with root
//! inputs, locals, module arguments and outputs, data sources, and `count`/`for_each`
//! expansion. Everything is evaluated lazily and memoized, so locals may come in any order
//! and a cycle is found where it closes.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use super::expr::{
    EResult, Env, EvalError, FilePaths, Scope, iterate, limit_mark, limit_since, record_limit, spend_n, to_number,
};
use super::provenance::ElementSpans;
use super::types::{self, Type};
use crate::config::{Module, ModuleCall, ModuleId, Resource};
use crate::diag::{Diagnostic, Diagnostics, Level};
use crate::hcl::ast::{Block, Body, Expr, ExprKind};
use crate::instance::ResourceInstance;
use crate::loader::{Project, Tfvars};
use crate::source::Span;
use crate::value::{Kind, Map, Origin, UnknownSource, Value};

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
const MAX_LOOKUP_DEPTH: usize = 256;

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
    /// Canonical path of a file loaded into [`Project::tfvars`].
    VarFile(PathBuf),
}

/// An instance key: `[0]` or `["api"]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Int(i64),
    Str(String),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Int(i) => write!(f, "[{i}]"),
            Key::Str(s) => write!(f, "[{}]", serde_json::Value::String(s.clone())),
        }
    }
}

/// One step of a module path: `module.team["api"]`.
#[derive(Clone, Debug)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<Key>,
    /// The `module "team" {` header that made this instance.
    pub call_span: Span,
}

pub fn module_address(path: &[ModuleStep]) -> String {
    let mut s = String::new();
    for step in path {
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str("module.");
        s.push_str(&step.name);
        if let Some(k) = &step.key {
            s.push_str(&k.to_string());
        }
    }
    s
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
enum Slot {
    InProgress,
    Done(EResult<Value>),
}

pub struct Instance {
    pub module: ModuleId,
    pub path: Vec<ModuleStep>,
    /// Input variables: given up front for a root, evaluated on first use for a child (from
    /// the caller's arguments), so module calls that feed each other outputs work as in
    /// Terraform, whose graph is per variable and per output.
    vars: Memo,
    caller: Option<Caller>,
    /// Module ids from the root down to this one, to find cycles of calls.
    ancestors: Vec<ModuleId>,
    locals: Memo,
    outputs: Memo,
    data: Memo,
    /// Values of resource references, shaped by their `count` / `for_each`.
    resources: Memo,
    calls: RefCell<HashMap<String, Option<Rc<CallResult>>>>,
    /// Locals being evaluated, to name a cycle.
    local_stack: RefCell<Vec<String>>,
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
    opts: &'p EvalOptions,
    diags: &'p Diagnostics,
    root_dir: PathBuf,
    depth: Cell<usize>,
    instance_count: Cell<usize>,
    resource_count: Cell<usize>,
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
        super::expr::reset_budget();
        RootEval {
            project,
            root,
            opts,
            diags,
            root_dir: project.modules[root].dir.clone(),
            depth: Cell::new(0),
            instance_count: Cell::new(0),
            resource_count: Cell::new(0),
        }
    }

    pub fn module(&self, id: ModuleId) -> &'p Module {
        &self.project.modules[id]
    }

    /// Reports an evaluation error: a warning, or an error when a limit of tfcheck's was hit.
    fn warn(&self, e: &EvalError) {
        let message = clean_message(&e.message).to_string();
        if e.limit {
            record_limit(e);
            self.diags.push(Diagnostic::error(message, e.span));
        } else {
            self.diags.push(Diagnostic::warning(message, e.span));
        }
    }

    /// Reports an evaluation error (once) and turns it into an unknown value.
    pub fn absorb(&self, r: EResult<Value>) -> Value {
        match r {
            Ok(v) => v,
            Err(e) => {
                if !e.message.starts_with(REPORTED) {
                    self.warn(&e);
                } else if e.limit {
                    record_limit(&e);
                }
                Value::unknown_error(clean_message(&e.message))
            }
        }
    }

    /// The result of a memoized evaluation: when a limit cut it short, it fails again, as a
    /// limit error the reader notices.
    fn finish_memo(&self, mark: usize, r: EResult<Value>) -> EResult<Value> {
        match limit_since(mark) {
            Some(e) if r.is_ok() || r.as_ref().is_err_and(|x| !x.limit) => Err(reported(e)),
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
            let mark = limit_mark();
            let decl = &module.variables[name];
            let ty = self.var_type(decl.ty.as_ref());
            let given = inputs.get(name.as_str()).cloned();
            let value = match given {
                Some(raw) => {
                    let v = match raw.value {
                        RawInput::Value(v) => Ok(v),
                        RawInput::Text(t) => self.parse_cli_value(&t, &ty, raw.span),
                    };
                    // A value of the wrong type is reported where it was set.
                    let v =
                        v.and_then(|v| convert(v, &ty, raw.span.unwrap_or(decl.block.header_span))).map_err(|mut e| {
                            // At the element that does not fit the type, where the literal shows it.
                            if let Some(el) = raw.elements.as_ref().filter(|_| !e.limit) {
                                e.span =
                                    el.locate(e.message.trim_start_matches("invalid value for the variable's type: "));
                            }
                            e
                        });
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
                        Err(e) if e.limit => {
                            self.warn(&e);
                            Value::unknown_error(e.message)
                        }
                        // Terraform refuses to plan with it: an error, not an unknown value.
                        Err(e) => {
                            self.diags.push(Diagnostic::error(
                                format!(
                                    "invalid value for variable \"{name}\" ({}): {}",
                                    raw.label,
                                    clean_message(&e.message)
                                ),
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
                Some(UnknownSource::Error { .. }) => match limit_since(mark) {
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

    /// Values the root's own tfvars files set for variables it does not declare: Terraform
    /// warns about them (a typo in a variable name leaves the default in force).
    fn undeclared_inputs(&self, inputs: &HashMap<String, RawValue>) {
        let module = self.module(self.root);
        let mut names: Vec<&String> = inputs.keys().filter(|n| !module.variables.contains_key(n.as_str())).collect();
        names.sort();
        for name in names {
            let Some(span) = inputs[name].span else { continue };
            let file = self.project.sources.get(span.file);
            let in_root =
                file.path.parent().and_then(|d| std::fs::canonicalize(d).ok()).is_some_and(|d| d == module.dir);
            if in_root {
                self.diags.push(Diagnostic::warning(
                    format!(
                        "value for undeclared variable \"{name}\": the root module {} declares no such variable",
                        module.display_dir
                    ),
                    span,
                ));
            }
        }
    }

    fn var_default(&self, decl: &crate::config::Variable, ty: &Type) -> Value {
        match &decl.default {
            Some(d) => {
                let v = self.const_eval(d).and_then(|v| convert(v, ty, d.span));
                match v {
                    Ok(v) => {
                        let origin = Arc::new(Origin {
                            sensitive: decl.sensitive,
                            ..Origin::new(format!("variable \"{}\", default", decl.name), Some(d.span))
                        });
                        match ElementSpans::from_expr(d) {
                            Some(el) => el.stamp(v, &origin),
                            None => v.with_origin(Some(origin)),
                        }
                    }
                    Err(e) => {
                        self.warn(&e);
                        Value::unknown_error(e.message)
                    }
                }
            }
            None => {
                Value::unknown(UnknownSource::Variable { name: decl.name.clone(), span: Some(decl.block.header_span) })
            }
        }
    }

    /// Variable values set for the root, in Terraform's precedence (later wins).
    fn root_inputs(&self) -> HashMap<String, RawValue> {
        let mut out: HashMap<String, RawValue> = HashMap::new();
        for (name, value) in &self.opts.env_vars {
            out.insert(
                name.clone(),
                RawValue {
                    value: RawInput::Text(value.clone()),
                    label: format!("from TF_VAR_{name}"),
                    span: None,
                    elements: None,
                },
            );
        }
        let dir = &self.module(self.root).dir;
        let mut files: Vec<&PathBuf> = Vec::new();
        for fixed in ["terraform.tfvars", "terraform.tfvars.json"] {
            if let Some((p, _)) = self.project.tfvars.get_key_value(&dir.join(fixed)) {
                files.push(p);
            }
        }
        // The tfvars files of this directory: a range of the sorted map.
        let mut auto: Vec<&PathBuf> = self
            .project
            .tfvars
            .range(dir.clone()..)
            .map(|(p, _)| p)
            .take_while(|p| p.starts_with(dir))
            .filter(|p| p.parent() == Some(dir.as_path()))
            .filter(|p| {
                let n = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
            })
            .collect();
        auto.sort_by_key(|p| p.file_name().map(|n| n.to_os_string()));
        files.extend(auto);
        for f in files {
            self.read_tfvars(f, &mut out);
        }
        for input in &self.opts.cli {
            match input {
                CliInput::Var(name, value) => {
                    out.insert(
                        name.clone(),
                        RawValue {
                            value: RawInput::Text(value.clone()),
                            label: "from --var".into(),
                            span: None,
                            elements: None,
                        },
                    );
                }
                CliInput::VarFile(path) => self.read_tfvars(path, &mut out),
            }
        }
        out
    }

    fn read_tfvars(&self, path: &Path, out: &mut HashMap<String, RawValue>) {
        let Some(tv) = self.project.tfvars.get(path) else { return };
        match tv {
            Tfvars::Hcl(file, body) => {
                let shown = self.project.sources.get(*file).display.clone();
                for a in &body.attributes {
                    match self.const_eval(&a.expr) {
                        Ok(v) => {
                            out.insert(
                                a.name.clone(),
                                RawValue {
                                    value: RawInput::Value(v),
                                    label: format!("set in {shown}"),
                                    span: Some(a.span),
                                    elements: ElementSpans::from_expr(&a.expr).map(Rc::new),
                                },
                            );
                        }
                        Err(e) => self.diags.push(Diagnostic::error(
                            format!("invalid value for variable {:?}: {}", a.name, e.message),
                            e.span,
                        )),
                    }
                }
            }
            Tfvars::Json(file, json) => {
                let shown = self.project.sources.get(*file).display.clone();
                for m in json.members() {
                    let v = Value::from_json(&m.value.to_serde());
                    out.insert(
                        m.key.clone(),
                        RawValue {
                            value: RawInput::Value(v),
                            label: format!("set in {shown}"),
                            span: Some(m.key_span.to(m.value.span)),
                            elements: ElementSpans::from_json(&m.value).map(Rc::new),
                        },
                    );
                }
            }
        }
    }

    /// A `--var` or `TF_VAR_` value: a plain string for string variables, else an expression.
    fn parse_cli_value(&self, text: &str, ty: &Type, span: Option<Span>) -> EResult<Value> {
        if matches!(ty, Type::String | Type::Any) {
            return Ok(Value::string(text));
        }
        let id = self.project.sources.add_named(PathBuf::from("<--var>"), "<command line>".into(), text.into());
        let span = span.unwrap_or(Span::new(id, 0, text.len()));
        let expr = crate::hcl::parser::parse_expression(text, id)
            .map_err(|e| EvalError::new(format!("not a valid expression: {}", e.message), span))?;
        self.const_eval(&expr)
    }

    /// Evaluates an expression that may not refer to anything (defaults, tfvars).
    pub fn const_eval(&self, e: &Expr) -> EResult<Value> {
        let env = ConstEnv { root_dir: &self.root_dir, sandbox: &self.project.sandbox };
        Scope::new(&env).eval(e)
    }

    /// Reads a variable's `type` expression; problems are reported and give `any`.
    pub fn var_type(&self, e: Option<&Expr>) -> Type {
        match e {
            None => Type::Any,
            Some(e) => match self.type_expr(e) {
                Ok(t) => t,
                Err(err) => {
                    self.warn(&err);
                    Type::Any
                }
            },
        }
    }

    fn type_expr(&self, e: &Expr) -> EResult<Type> {
        let bad = || EvalError::new("invalid type expression", e.span);
        match &e.kind {
            ExprKind::Variable(name) => match name.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "any" => Ok(Type::Any),
                "list" | "tuple" => Ok(Type::List(Box::new(Type::Any))),
                "map" | "object" => Ok(Type::Map(Box::new(Type::Any))),
                "set" => Ok(Type::Set(Box::new(Type::Any))),
                _ => Err(bad()),
            },
            // Terraform 0.11 quoted types: "string", "list", "map".
            ExprKind::Template(_) | ExprKind::Str(_) => match e.as_literal_str() {
                Some("string") => Ok(Type::String),
                Some("list") => Ok(Type::List(Box::new(Type::Any))),
                Some("map") => Ok(Type::Map(Box::new(Type::Any))),
                _ => Err(bad()),
            },
            ExprKind::Call(c) => {
                let arg = |i: usize| c.args.get(i).ok_or_else(bad);
                match c.name.as_str() {
                    "list" => Ok(Type::List(Box::new(self.type_expr(arg(0)?)?))),
                    "set" => Ok(Type::Set(Box::new(self.type_expr(arg(0)?)?))),
                    "map" => Ok(Type::Map(Box::new(self.type_expr(arg(0)?)?))),
                    "tuple" => match &arg(0)?.kind {
                        ExprKind::Tuple(items) => {
                            Ok(Type::Tuple(items.iter().map(|i| self.type_expr(i)).collect::<EResult<_>>()?))
                        }
                        _ => Err(bad()),
                    },
                    "object" => match &arg(0)?.kind {
                        ExprKind::Object(items) => {
                            let mut attrs = Vec::new();
                            for item in items {
                                let name = match &item.key {
                                    crate::hcl::ast::ObjectKey::Ident(k, _) => k.clone(),
                                    crate::hcl::ast::ObjectKey::Expr(k) => {
                                        k.as_literal_str().map(str::to_string).ok_or_else(bad)?
                                    }
                                };
                                let (ty, optional, default) = match &item.value.kind {
                                    ExprKind::Call(oc) if oc.name == "optional" => {
                                        let ty = self.type_expr(oc.args.first().ok_or_else(bad)?)?;
                                        let default = match oc.args.get(1) {
                                            Some(d) => Some(convert(self.const_eval(d)?, &ty, d.span)?),
                                            None => None,
                                        };
                                        (ty, true, default)
                                    }
                                    _ => (self.type_expr(&item.value)?, false, None),
                                };
                                attrs.push(types::ObjAttr { name, ty, optional, default });
                            }
                            Ok(Type::Object(attrs))
                        }
                        _ => Err(bad()),
                    },
                    _ => Err(bad()),
                }
            }
            _ => Err(bad()),
        }
    }

    fn enter(&self, span: Span) -> EResult<()> {
        let d = self.depth.get() + 1;
        if d > MAX_LOOKUP_DEPTH {
            return Err(EvalError::limit(
                format!("references are nested deeper than tfcheck's limit of {MAX_LOOKUP_DEPTH}"),
                span,
            ));
        }
        self.depth.set(d);
        Ok(())
    }

    fn leave(&self) {
        self.depth.set(self.depth.get() - 1);
    }

    fn env<'r>(&'r self, inst: &'r Rc<Instance>) -> InstEnv<'r, 'p> {
        InstEnv { re: self, inst, count_index: None, each: None }
    }

    /// `local.name` in an instance.
    pub fn local(&self, inst: &Rc<Instance>, name: &str, span: Span) -> EResult<Value> {
        let module = self.module(inst.module);
        let Some(attr) = module.locals.get(name) else {
            return Err(EvalError::new(format!("there is no local value named {name:?}"), span));
        };
        match inst.locals.borrow().get(name) {
            Some(Slot::Done(r)) => return reread(r),
            Some(Slot::InProgress) => {
                let stack = inst.local_stack.borrow();
                let start = stack.iter().position(|n| n == name).unwrap_or(0);
                let mut cycle: Vec<&str> = stack[start..].iter().map(String::as_str).collect();
                cycle.push(name);
                let msg = format!(
                    "local values refer to each other in a cycle: {}",
                    cycle.iter().map(|n| format!("local.{n}")).collect::<Vec<_>>().join(" -> ")
                );
                self.diags.push(Diagnostic {
                    level: Level::Error,
                    message: msg.clone(),
                    span: Some(attr.span),
                    path: None,
                });
                return Err(EvalError::new(format!("{REPORTED}{msg}"), span));
            }
            None => {}
        }
        self.enter(span)?;
        let mark = limit_mark();
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
            if !e.message.starts_with(REPORTED) {
                self.warn(&e);
            }
            reported(e)
        });
        let stored = self.finish_memo(mark, stored);
        inst.locals.borrow_mut().insert(name.to_string(), Slot::Done(stored.clone()));
        stored
    }

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
                span: Some(res.block.header_span),
            })
        };
        match inst.resources.borrow().get(&key) {
            Some(Slot::Done(r)) => return reread(r),
            Some(Slot::InProgress) => return Ok(unknown()),
            None => {}
        }
        let plan_known = res.rtype == "terraform_data";
        if res.count.is_none() && res.for_each.is_none() && !plan_known {
            return Ok(unknown());
        }
        inst.resources.borrow_mut().insert(key.clone(), Slot::InProgress);
        let mark = limit_mark();
        let env = self.env(inst);
        let expansion = match (&res.count, &res.for_each) {
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
            let (count_index, each) = match (key, &res.count) {
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
            Expansion::Keys(keys) if res.count.is_some() => {
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
    fn terraform_data_value(&self, env: &InstEnv, res: &Resource, unknown: &Value) -> Value {
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
            Some(Slot::Done(r)) => return reread(r),
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
        let mark = limit_mark();
        inst.data.borrow_mut().insert(key.clone(), Slot::InProgress);
        let env = self.env(inst);
        let expansion = match (&res.count, &res.for_each) {
            (Some(c), _) => self.expand_count(&env, c),
            (None, Some(f)) => self.expand_for_each(&env, f),
            (None, None) => Expansion::Single,
        };
        // One instance: its arguments evaluated with its count.index / each.
        let instance = |count_index: Option<Value>, each: Option<(Value, Value)>, label: String| -> Value {
            let env = InstEnv { re: self, inst, count_index, each };
            let config = self.eval_body(&env, &res.rtype, &res.block.body, "", &mut Vec::new());
            Value::unknown(UnknownSource::Data {
                dtype: dtype.into(),
                name: label,
                config: Box::new(config),
                span: Some(res.block.header_span),
            })
        };
        let v = match expansion {
            Expansion::Keys(keys) if res.count.is_some() => Value::list(
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
                    res.count.as_ref().map(|_| Value::unknown(UnknownSource::Expansion { what: "count.index".into() }));
                let each = res.for_each.as_ref().map(|_| {
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

    fn expand_call(&self, inst: &Rc<Instance>, call: &ModuleCall) -> CallResult {
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
        let mark = limit_mark();
        let env = self.env(inst);
        let (expansion, kind) = match (&call.count, &call.for_each) {
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
        CallResult { expansion: kind, instances, unavailable: None, limit: limit_since(mark) }
    }

    /// `var.name` in an instance: for a child, from the call's argument or the default.
    pub fn var(&self, inst: &Rc<Instance>, name: &str, span: Span) -> EResult<Value> {
        match inst.vars.borrow().get(name) {
            Some(Slot::Done(r)) => return reread(r),
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
        let mark = limit_mark();
        inst.vars.borrow_mut().insert(name.to_string(), Slot::InProgress);
        let call = &self.module(parent.module).calls[caller.call];
        let ty = self.var_type(decl.ty.as_ref());
        let value = match call.args.iter().find(|a| a.name == name) {
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
                    Ok(convert(v, &ty, arg.span)?.with_origin(origin))
                });
                match self.absorb(r) {
                    v if v.is_null() && !decl.nullable => self.var_default(decl, &ty),
                    v => v,
                }
            }
            None => match &decl.default {
                Some(_) => self.var_default(decl, &ty),
                None => {
                    self.diags.push(Diagnostic::warning(
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

    /// An output of a child instance.
    pub fn output(&self, inst: &Rc<Instance>, name: &str, span: Span) -> EResult<Value> {
        let module = self.module(inst.module);
        let Some(attr) = module.outputs.get(name) else {
            return Err(EvalError::new(format!("module {} has no output named {name:?}", module.display_dir), span));
        };
        match inst.outputs.borrow().get(name) {
            Some(Slot::Done(r)) => return reread(r),
            Some(Slot::InProgress) => return Ok(Value::unknown_error(format!("output {name:?} depends on itself"))),
            None => {}
        }
        self.enter(span)?;
        let mark = limit_mark();
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
    fn module_ref(&self, inst: &Rc<Instance>, name: &str, output: Option<&str>, span: Span) -> EResult<(Value, bool)> {
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
            record_limit(e);
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

    pub fn expand_count(&self, env: &InstEnv, e: &Expr) -> Expansion {
        super::expr::argument_budget();
        let v = self.absorb(Scope::new(env).eval(e));
        if v.is_unknown() {
            return Expansion::Unknown;
        }
        let n = match to_number(&v, e.span) {
            Ok(n) if n >= 0.0 && n.fract() == 0.0 => n,
            Ok(n) => {
                self.diags.push(Diagnostic::warning(
                    format!("count must be a whole number of zero or more, not {n}"),
                    e.span,
                ));
                return Expansion::Unknown;
            }
            Err(err) => {
                self.warn(&EvalError::new(format!("invalid count: {}", err.message), e.span));
                return Expansion::Unknown;
            }
        };
        if n > MAX_EXPANSION as f64 {
            self.warn(&EvalError::limit(
                format!("count = {} is more than tfcheck's limit of {MAX_EXPANSION} instances; the block is checked once, as if count.index were unknown", crate::value::format_number(n)),
                e.span,
            ));
            return Expansion::Unknown;
        }
        Expansion::Keys((0..n as i64).map(|i| (Key::Int(i), None)).collect())
    }

    pub fn expand_for_each(&self, env: &InstEnv, e: &Expr) -> Expansion {
        super::expr::argument_budget();
        let v = self.absorb(Scope::new(env).eval(e));
        let keys: Vec<(Key, Option<Value>)> = match &v.kind {
            Kind::Unknown(_) => return Expansion::Unknown,
            Kind::Map(m) => m.iter().map(|(k, x)| (Key::Str(k.clone()), Some(x.clone().inherit_origin(&v)))).collect(),
            Kind::Set(items) => {
                let mut keys = Vec::new();
                for item in items.iter() {
                    match &item.kind {
                        Kind::String(s) => keys.push((Key::Str(s.to_string()), Some(item.clone().inherit_origin(&v)))),
                        Kind::Unknown(_) => return Expansion::Unknown,
                        _ => {
                            self.diags.push(Diagnostic::warning(
                                format!("for_each over a set needs strings, not {}", item.type_name()),
                                e.span,
                            ));
                            return Expansion::Unknown;
                        }
                    }
                }
                keys
            }
            Kind::Null => {
                self.diags
                    .push(Diagnostic::warning("for_each is null; Terraform needs a map or a set of strings", e.span));
                return Expansion::Unknown;
            }
            _ => {
                self.diags.push(Diagnostic::warning(
                    format!(
                        "for_each needs a map or a set of strings, not a {}; Terraform rejects this (use toset())",
                        v.type_name()
                    ),
                    e.span,
                ));
                return Expansion::Unknown;
            }
        };
        if keys.len() > MAX_EXPANSION {
            self.warn(&EvalError::limit(
                format!(
                    "for_each has {} elements, more than tfcheck's limit of {MAX_EXPANSION} instances; the block is checked once, as if each.key were unknown",
                    keys.len()
                ),
                e.span,
            ));
            return Expansion::Unknown;
        }
        Expansion::Keys(keys)
    }

    /// Evaluates a resource body into an object value: attributes, nested blocks as lists of
    /// objects (dynamic blocks expanded), and the span of each attribute and block path.
    pub fn eval_body(
        &self,
        env: &InstEnv,
        rtype: &str,
        body: &Body,
        path: &str,
        spans: &mut Vec<(String, Span)>,
    ) -> Value {
        let mut scope = Scope::new(env);
        self.eval_body_in(&mut scope, rtype, body, path, spans, true)
    }

    fn eval_body_in(
        &self,
        scope: &mut Scope,
        rtype: &str,
        body: &Body,
        path: &str,
        spans: &mut Vec<(String, Span)>,
        top: bool,
    ) -> Value {
        let mut m = Map::new();
        for a in &body.attributes {
            if top && crate::schema::META_ARGUMENTS.contains(&a.name.as_str()) {
                continue;
            }
            super::expr::argument_budget();
            let mut v = self.absorb(scope.eval(&a.expr));
            let p = join(path, &a.name);
            // Terraform converts arguments to the schema's types before providers see them.
            if let Some(t) = crate::schema::attribute_type(rtype, &join(&strip_indexes(path), &a.name)) {
                let ty = match t {
                    crate::schema::Primitive::Bool => Type::Bool,
                    crate::schema::Primitive::Number => Type::Number,
                };
                if let Ok(c) = types::convert(v.clone(), &ty) {
                    v = c.inherit_origin(&v);
                }
            }
            spans.push((p.clone(), a.span));
            crate::instance::document_spans(&p, &a.expr, &self.project.sources.get(a.expr.span.file).text, spans);
            m.insert(a.name.clone(), v);
        }
        let mut blocks: Vec<BlockList> = Vec::new();
        fn entry<'b>(blocks: &'b mut Vec<BlockList>, ty: &str) -> &'b mut BlockList {
            let i = match blocks.iter().position(|l| l.ty == ty) {
                Some(i) => i,
                None => {
                    blocks.push(BlockList { ty: ty.to_string(), items: Vec::new(), unknown: false, origin: None });
                    blocks.len() - 1
                }
            };
            &mut blocks[i]
        }
        for b in &body.blocks {
            if top && matches!(b.ty.as_str(), "lifecycle" | "connection" | "provisioner") {
                continue;
            }
            if b.ty == "dynamic" {
                let Some(ty) = b.labels.first() else { continue };
                let first = entry(&mut blocks, ty).items.len();
                let list = entry(&mut blocks, ty);
                match self.dynamic_block(scope, rtype, b, path, ty, spans, first) {
                    Some((items, origin)) => {
                        let list = entry(&mut blocks, ty);
                        list.items.extend(items);
                        // Where the for_each came from decides how many blocks there are.
                        list.origin = list.origin.take().or(origin);
                    }
                    None => list.unknown = true,
                }
                continue;
            }
            let i = entry(&mut blocks, &b.ty).items.len();
            let bpath = format!("{}[{i}]", join(path, &b.ty));
            spans.push((bpath.clone(), b.header_span));
            let v = self.eval_body_in(scope, rtype, &b.body, &bpath, spans, false);
            entry(&mut blocks, &b.ty).items.push(v);
        }
        for l in blocks {
            let v = if l.unknown {
                Value::unknown(UnknownSource::Expansion { what: format!("dynamic \"{}\" blocks", l.ty) })
            } else {
                Value::list(l.items).with_origin(l.origin)
            };
            m.insert(l.ty, v);
        }
        // Blocks the schema knows and the body leaves out are empty lists, as in Terraform.
        let schema_prefix = strip_indexes(path);
        for b in crate::schema::nested_blocks(rtype) {
            let (parent, name) = match b.rsplit_once('.') {
                Some((p, n)) => (p, n),
                None => ("", *b),
            };
            if parent == schema_prefix && !m.contains_key(name) {
                m.insert(name.to_string(), Value::list(Vec::new()));
            }
        }
        Value::map(m)
    }

    /// Expands `dynamic "ty"`: `None` when its `for_each` is unknown.
    #[allow(clippy::too_many_arguments)]
    fn dynamic_block(
        &self,
        scope: &mut Scope,
        rtype: &str,
        b: &Block,
        path: &str,
        ty: &str,
        spans: &mut Vec<(String, Span)>,
        first_index: usize,
    ) -> Option<(Vec<Value>, Option<Arc<Origin>>)> {
        let for_each = b.body.attribute("for_each")?;
        super::expr::argument_budget();
        let coll = self.absorb(scope.eval(&for_each.expr));
        let pairs = match iterate(&coll, for_each.span) {
            Ok(Some(p)) => p,
            Ok(None) => return None,
            Err(e) => {
                self.warn(&e);
                return None;
            }
        };
        let iterator = match b.body.attribute("iterator").map(|a| &a.expr.kind) {
            Some(ExprKind::Variable(n)) => n.clone(),
            _ => ty.to_string(),
        };
        let content = b.body.blocks.iter().find(|c| c.ty == "content")?;
        if pairs.len() > MAX_EXPANSION {
            self.warn(&EvalError::limit(
                format!(
                    "dynamic \"{ty}\" has {} elements in its for_each, more than tfcheck's limit of {MAX_EXPANSION} blocks; the blocks are unknown",
                    pairs.len()
                ),
                for_each.span,
            ));
            return None;
        }
        let mut out = Vec::new();
        for (i, (k, v)) in pairs.into_iter().enumerate() {
            let mut it = Map::new();
            it.insert("key".into(), k);
            it.insert("value".into(), v);
            scope.bind(iterator.clone(), Value::map(it));
            let bpath = format!("{}[{}]", join(path, ty), first_index + i);
            spans.push((bpath.clone(), b.header_span));
            let v = self.eval_body_in(scope, rtype, &content.body, &bpath, spans, false);
            scope.unbind();
            out.push(v);
        }
        Some((out, coll.origin.clone()))
    }
}

/// The blocks of one type in a body, static and dynamic.
struct BlockList {
    ty: String,
    items: Vec<Value>,
    /// A dynamic block's `for_each` was unknown: so is the number of blocks.
    unknown: bool,
    origin: Option<Arc<Origin>>,
}

/// Marks an error already reported where it arose (a cycle, a failed local).
const REPORTED: &str = "\u{0}";

/// The error as stored for later readers: marked as reported, still a limit if it was one.
fn reported(e: EvalError) -> EvalError {
    EvalError { message: format!("{REPORTED}{}", e.message.trim_start_matches(REPORTED)), span: e.span, limit: e.limit }
}

/// A stored result read again: a limit error is noted again for the new reader.
fn reread(r: &EResult<Value>) -> EResult<Value> {
    if let Err(e) = r {
        if e.limit {
            record_limit(e);
        }
    }
    r.clone()
}

/// Strips the marker from messages shown to users.
pub fn clean_message(m: &str) -> &str {
    m.trim_start_matches(REPORTED)
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_string() } else { format!("{path}.{name}") }
}

/// `a[0].b[1]` -> `a.b`, to match schema block paths.
fn strip_indexes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn convert(v: Value, ty: &Type, span: Span) -> EResult<Value> {
    // A conversion walks the value (and may rebuild it).
    spend_n(v.weight(), span)?;
    let origin = v.origin.clone();
    types::convert(v, ty)
        .map(|c| c.with_origin(origin))
        .map_err(|m| EvalError::new(format!("invalid value for the variable's type: {m}"), span))
}

impl Instance {
    fn new(
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
struct Caller {
    parent: std::rc::Weak<Instance>,
    call: usize,
    count_index: Option<Value>,
    each: Option<(Value, Value)>,
}

#[derive(Clone)]
struct RawValue {
    value: RawInput,
    /// `set in terraform.tfvars`, `from --var`...
    label: String,
    span: Option<Span>,
    /// Where each element of a literal map or list was written.
    elements: Option<Rc<ElementSpans>>,
}

#[derive(Clone)]
enum RawInput {
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
                    "module" => crate::source::relative_path(&re.root_dir, &module.dir),
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

    fn paths(&self) -> FilePaths<'_> {
        FilePaths {
            module_dir: &self.re.module(self.inst.module).dir,
            root_dir: &self.re.root_dir,
            sandbox: &self.re.project.sandbox,
        }
    }
}

/// An environment with no names: defaults and tfvars values are constants.
struct ConstEnv<'a> {
    root_dir: &'a Path,
    sandbox: &'a [PathBuf],
}

impl Env for ConstEnv<'_> {
    fn lookup(&self, root: &str, _attrs: &[&str], span: Span) -> EResult<(Value, usize)> {
        Err(EvalError::new(format!("variables may not be used here (found a reference to {root:?})"), span))
    }

    fn paths(&self) -> FilePaths<'_> {
        FilePaths { module_dir: self.root_dir, root_dir: self.root_dir, sandbox: self.sandbox }
    }
}

impl<'p> RootEval<'p> {
    /// Walks every module instance under the root, calling `visit` with each instance of the
    /// managed resources `wanted` selects.
    pub fn for_each_resource(&self, wanted: &dyn Fn(&str) -> bool, visit: &mut dyn FnMut(ResourceInstance)) {
        let root = self.root_instance();
        let mut stack = vec![root];
        // Children refer to their callers weakly: keep every instance alive for the walk.
        let mut alive = Vec::new();
        while let Some(inst) = stack.pop() {
            alive.push(inst.clone());
            let module = self.module(inst.module);
            for res in module.resources.iter().filter(|r| wanted(&r.rtype)) {
                self.resource_instances(&inst, res, visit);
            }
            // Children in reverse so they pop in source order.
            let mut children = Vec::new();
            for call in &module.calls {
                if let Some(r) = self.call(&inst, call) {
                    children.extend(r.instances.iter().map(|(_, c)| c.clone()));
                }
            }
            children.reverse();
            stack.extend(children);
        }
    }

    fn resource_instances(&self, inst: &Rc<Instance>, res: &Arc<Resource>, visit: &mut dyn FnMut(ResourceInstance)) {
        let mark = limit_mark();
        let env = self.env(inst);
        let expansion = match (&res.count, &res.for_each) {
            (Some(c), _) => self.expand_count(&env, c),
            (None, Some(f)) => self.expand_for_each(&env, f),
            (None, None) => Expansion::Single,
        };
        let prefix = module_address(&inst.path);
        let base = if prefix.is_empty() { res.address() } else { format!("{prefix}.{}", res.address()) };
        // Limits hit while expanding cut every instance short.
        let expansion_limit = limit_since(mark);
        let mut run = |key: Option<&Key>, count_index: Option<Value>, each: Option<(Value, Value)>| {
            let address = match key {
                Some(k) => format!("{base}{k}"),
                None => base.clone(),
            };
            let n = self.resource_count.get() + 1;
            self.resource_count.set(n);
            if n > MAX_RESOURCE_INSTANCES {
                if n == MAX_RESOURCE_INSTANCES + 1 {
                    self.diags.push(Diagnostic::error(
                        format!("{address} and the resource instances after it are not checked: this root has more than tfcheck's limit of {MAX_RESOURCE_INSTANCES} resource instances"),
                        res.block.header_span,
                    ));
                }
                return;
            }
            let env = InstEnv { re: self, inst, count_index, each };
            let mut spans = Vec::new();
            let instance_mark = limit_mark();
            // Each instance costs a step, even with an empty body.
            super::expr::argument_budget();
            let value = match spend_n(1, res.block.header_span) {
                Ok(()) => self.eval_body(&env, &res.rtype, &res.block.body, "", &mut spans),
                Err(e) => self.absorb(Err(e)),
            };
            if let Some(e) = expansion_limit.clone().or_else(|| limit_since(instance_mark)) {
                // Where the limit was hit, and the instance it cut short.
                self.diags.push(Diagnostic::error(clean_message(&e.message).to_string(), e.span));
                self.diags.push(Diagnostic::error(
                    format!(
                        "{address} was not fully evaluated, so findings on it may be missing: {}",
                        clean_message(&e.message)
                    ),
                    res.block.header_span,
                ));
            }
            visit(ResourceInstance {
                rtype: res.rtype.clone(),
                address,
                module_path: inst.path.clone(),
                value,
                spans,
                header_span: res.block.header_span,
                block_span: Some(res.block.span),
                note: None,
                actions: None,
                limit: None,
            });
        };
        match expansion {
            Expansion::Single => run(None, None, None),
            Expansion::Unknown => {
                let u = |what: &str| Value::unknown(UnknownSource::Expansion { what: what.into() });
                let each = res.for_each.as_ref().map(|_| (u("each.key"), u("each.value")));
                let idx = res.count.as_ref().map(|_| u("count.index"));
                run(None, idx, each)
            }
            Expansion::Keys(keys) => {
                for (k, each_value) in keys {
                    match (&k, each_value) {
                        (Key::Int(i), _) => run(Some(&k), Some(Value::number(*i as f64)), None),
                        (Key::Str(s), v) => {
                            run(Some(&k), None, Some((Value::string(s.as_str()), v.unwrap_or_else(Value::null))))
                        }
                    }
                }
            }
        }
    }
}
