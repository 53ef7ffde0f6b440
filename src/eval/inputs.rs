//! A root module's inputs: variable declarations (types, defaults, nullable), and the values
//! Terraform would give them, in its order of precedence: defaults, `TF_VAR_*`,
//! `terraform.tfvars`, `*.auto.tfvars`, `-var-file` and `-var`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use super::expr::Scope;
use super::expr::{EResult, EvalError};
use super::module::{CliInput, ConstEnv, RawInput, RawValue, RootEval};
use super::provenance::ElementSpans;
use super::types::{self, Type};
use crate::diag::{Code, Diagnostic};
use crate::syntax::hcl::ast::{Expr, ExprKind};
use crate::syntax::source::Span;
use crate::terraform::config::Tfvars;
use crate::terraform::value::{Origin, UnknownSource, Value};

impl RootEval<'_> {
    /// Values the root's own tfvars files set for variables it does not declare: Terraform
    /// warns about them (a typo in a variable name leaves the default in force).
    pub(super) fn undeclared_inputs(&self, inputs: &HashMap<String, RawValue>) {
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
                    Code::Invalid,
                    format!(
                        "value for undeclared variable \"{name}\": the root module {} declares no such variable",
                        module.display_dir
                    ),
                    span,
                ));
            }
        }
    }

    pub(super) fn var_default(&self, decl: &crate::terraform::config::Variable, ty: &Type) -> Value {
        match decl.default() {
            Some(d) => {
                let v = self.const_eval(d).and_then(|v| self.convert(v, ty, d.span));
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
    pub(super) fn root_inputs(&self) -> HashMap<String, RawValue> {
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

    pub(super) fn read_tfvars(&self, path: &Path, out: &mut HashMap<String, RawValue>) {
        let Some(tv) = self.project.tfvars.get(path) else { return };
        match tv {
            Tfvars::Hcl(file, body) => {
                let shown = self.project.sources.get(*file).display.clone();
                for a in &body.attributes {
                    match self.const_eval(&a.expr) {
                        Ok(v) => {
                            out.insert(
                                a.name.to_string(),
                                RawValue {
                                    value: RawInput::Value(v),
                                    label: format!("set in {shown}"),
                                    span: Some(a.span),
                                    elements: ElementSpans::from_expr(&a.expr).map(Rc::new),
                                },
                            );
                        }
                        Err(e) => self.diags.push(Diagnostic::error(
                            Code::Invalid,
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
    pub(super) fn parse_cli_value(&self, text: &str, ty: &Type, span: Option<Span>) -> EResult<Value> {
        if matches!(ty, Type::String | Type::Any) {
            return Ok(Value::string(text));
        }
        let id = self.project.sources.add_named(PathBuf::from("<--var>"), "<command line>".into(), text.into());
        let span = span.unwrap_or(Span::new(id, 0, text.len()));
        let expr = crate::syntax::hcl::parser::parse_expression(text, id)
            .map_err(|e| EvalError::new(format!("not a valid expression: {}", e.message), span))?;
        self.const_eval(&expr)
    }

    /// Evaluates an expression that may not refer to anything (defaults, tfvars).
    pub fn const_eval(&self, e: &Expr) -> EResult<Value> {
        let env = ConstEnv { root_dir: &self.root_dir, sandbox: &self.project.sandbox, budget: &self.budget };
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

    pub(super) fn type_expr(&self, e: &Expr) -> EResult<Type> {
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
                                    crate::syntax::hcl::ast::ObjectKey::Ident(k, _) => k.to_string(),
                                    crate::syntax::hcl::ast::ObjectKey::Expr(k) => {
                                        k.as_literal_str().map(str::to_string).ok_or_else(bad)?
                                    }
                                };
                                let (ty, optional, default) = match &item.value.kind {
                                    ExprKind::Call(oc) if oc.name == "optional" => {
                                        let ty = self.type_expr(oc.args.first().ok_or_else(bad)?)?;
                                        let default = match oc.args.get(1) {
                                            Some(d) => Some(self.convert(self.const_eval(d)?, &ty, d.span)?),
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
}
