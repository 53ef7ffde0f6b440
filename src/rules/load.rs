//! Reading rule files: HCL `rule` blocks, validated like a compiler would, with every
//! mistake reported at its line with what was expected.

use std::path::Path;

use super::model::{Applicability, Check, Example, Fix, FixValue, Input, Rule, Severity};
use crate::diag::{Code, Diagnostic};
use crate::syntax::hcl::ast::{Attribute, Block, Body, Expr, ExprKind, TemplatePart};
use crate::syntax::source::{SourceMap, Span};

const RULE_ATTRS: &[&str] = &[
    "title",
    "severity",
    "resource_types",
    "aliases",
    "tags",
    "family",
    "references",
    "compliance",
    "inputs",
    "include_deleted",
    "description",
    "remediation",
];
/// Names whose value depends on the instance being checked (`referencing()` looks for what
/// names it).
const INSTANCE_WORDS: &[&str] = &["resource", "resource_type", "change", "referencing", "possibly_referencing"];

/// The family of a rule that names none.
pub const DEFAULT_FAMILY: &str = "custom";
const CHECK_ATTRS: &[&str] = &["condition", "at", "message"];
const EXAMPLE_ATTRS: &[&str] = &["expect", "config", "files", "plan"];

/// Parses one rule file. Rules that have errors are left out; the errors are returned.
pub fn load_rule_file(
    sources: &SourceMap,
    path: &Path,
    display: String,
    text: &str,
    builtin: bool,
) -> (Vec<Rule>, Vec<Diagnostic>) {
    let id = sources.add_named(path.to_path_buf(), display, text.into());
    let file = crate::syntax::hcl::parser::parse_file(text, id);
    let mut errors: Vec<Diagnostic> =
        file.errors.iter().map(|e| Diagnostic::error(Code::Rule, e.message.clone(), e.span)).collect();
    let mut rules = Vec::new();
    for a in &file.body.attributes {
        errors.push(Diagnostic::error(
            Code::Rule,
            format!(
                "unexpected attribute `{}` at the top of a rule file; expected `rule \"<id>\" {{ ... }}` blocks",
                a.name
            ),
            a.name_span,
        ));
    }
    for b in &file.body.blocks {
        if b.ty != "rule" || b.labels.len() != 1 {
            errors.push(Diagnostic::error(
                Code::Rule,
                format!("unexpected block `{}`; expected `rule \"<id>\" {{ ... }}`", b.ty),
                b.header_span,
            ));
            continue;
        }
        let mut cx = Cx { text, errors: Vec::new(), local_names: Vec::new(), related_types: Vec::new() };
        let rule = cx.rule(b, builtin);
        if cx.errors.is_empty() {
            rules.extend(rule);
        }
        errors.extend(cx.errors);
    }
    if file.body.blocks.is_empty() && errors.is_empty() {
        errors.push(Diagnostic::error(Code::Rule, "no `rule` block in this file", Span::new(id, 0, 0)));
    }
    (rules, errors)
}

struct Cx<'a> {
    /// The rule file's text (a fix's values are kept as their source).
    text: &'a str,
    errors: Vec<Diagnostic>,
    local_names: Vec<String>,
    related_types: Vec<String>,
}

impl Cx<'_> {
    fn err(&mut self, msg: impl Into<String>, span: Span) {
        self.errors.push(Diagnostic::error(Code::Rule, msg.into(), span));
    }

    fn unknown_items(&mut self, body: &Body, attrs: &[&str], blocks: &[&str], what: &str) {
        for a in &body.attributes {
            if !attrs.contains(&a.name.as_str()) {
                self.err(
                    format!("unknown attribute `{}` in {what}; expected one of: {}", a.name, attrs.join(", ")),
                    a.name_span,
                );
            }
        }
        for b in &body.blocks {
            if !blocks.contains(&b.ty.as_str()) {
                let expected = if blocks.is_empty() { "no blocks".to_string() } else { blocks.join(", ") };
                self.err(format!("unknown block `{}` in {what}; expected {expected}", b.ty), b.header_span);
            }
        }
    }

    fn string(&mut self, body: &Body, name: &str, block: &Block, required: bool) -> Option<String> {
        match body.attribute(name) {
            Some(a) => match a.expr.as_literal_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    self.err(
                        format!("`{name}` must be a string literal without interpolation (write `$${{` for a `${{` that belongs to the text)"),
                        a.expr.span,
                    );
                    None
                }
            },
            None => {
                if required {
                    self.err(format!("missing required attribute `{name}`"), block.header_span);
                }
                None
            }
        }
    }

    fn strings(&mut self, body: &Body, name: &str) -> Vec<String> {
        let Some(a) = body.attribute(name) else { return Vec::new() };
        self.string_list(a)
    }

    fn string_list(&mut self, a: &Attribute) -> Vec<String> {
        match &a.expr.kind {
            ExprKind::Tuple(items) => {
                let mut out = Vec::new();
                for i in items {
                    match i.as_literal_str() {
                        Some(s) => out.push(s.to_string()),
                        None => self.err(format!("`{}` must be a list of string literals", a.name), i.span),
                    }
                }
                out
            }
            _ => {
                self.err(format!("`{}` must be a list of strings, like [\"a\", \"b\"]", a.name), a.expr.span);
                Vec::new()
            }
        }
    }

    fn rule(&mut self, b: &Block, builtin: bool) -> Option<Rule> {
        let body = &b.body;
        self.unknown_items(body, RULE_ATTRS, &["check", "example", "locals"], "a rule");
        let id = b.labels[0].clone();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            self.err(format!("rule id {id:?} must be letters, digits, `_` or `-`"), b.label_spans[0]);
        }
        let title = self.string(body, "title", b, true);
        let severity = match self.string(body, "severity", b, true) {
            Some(s) => match Severity::parse(&s) {
                Some(sev) => Some(sev),
                None => {
                    let span = body.attribute("severity").map(|a| a.expr.span).unwrap_or(b.header_span);
                    self.err(
                        format!("unknown severity {s:?}; expected \"critical\", \"high\", \"medium\" or \"low\""),
                        span,
                    );
                    None
                }
            },
            None => None,
        };
        let resource_types = self.strings(body, "resource_types");
        if resource_types.is_empty() {
            let span = body.attribute("resource_types").map(|a| a.expr.span).unwrap_or(b.header_span);
            self.err("`resource_types` must list at least one resource type, like [\"aws_ecr_repository\"]", span);
        }
        let family = match self.string(body, "family", b, false) {
            None => DEFAULT_FAMILY.to_string(),
            Some(f) if !f.is_empty() && f.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') => {
                f
            }
            Some(f) => {
                let span = body.attribute("family").map(|a| a.expr.span).unwrap_or(b.header_span);
                self.err(format!("family {f:?} must be lower-case letters, digits or `_`, like \"cmk\""), span);
                DEFAULT_FAMILY.to_string()
            }
        };
        let description = self.string(body, "description", b, true);
        let remediation = self.string(body, "remediation", b, true);
        let mut locals = Vec::new();
        for l in body.blocks_of("locals") {
            for b in &l.body.blocks {
                self.err("`locals` holds attributes only", b.header_span);
            }
            for a in &l.body.attributes {
                if locals.iter().any(|(n, _): &(String, Expr)| a.name == *n) {
                    self.err(format!("local {:?} is defined twice", a.name), a.name_span);
                }
                locals.push((a.name.to_string(), a.expr.clone()));
            }
        }
        self.local_names = locals.iter().map(|(n, _)| n.clone()).collect();
        let shared_locals = self.shared_locals(&locals);
        for (_, e) in &locals {
            self.references(e, "local");
        }
        let inputs = match body.attribute("inputs") {
            None => vec![Input::Hcl, Input::Plan, Input::State],
            Some(a) => {
                let mut out = Vec::new();
                for i in self.string_list(a) {
                    match i.as_str() {
                        "hcl" => out.push(Input::Hcl),
                        "plan" => out.push(Input::Plan),
                        "state" => out.push(Input::State),
                        other => self.err(
                            format!("unknown input {other:?}; expected \"hcl\", \"plan\" or \"state\""),
                            a.expr.span,
                        ),
                    }
                }
                out
            }
        };
        let include_deleted = match body.attribute("include_deleted").map(|a| (&a.expr.kind, a.expr.span)) {
            None => false,
            Some((ExprKind::Bool(b), _)) => *b,
            Some((_, span)) => {
                self.err("`include_deleted` must be true or false", span);
                false
            }
        };
        let compliance = match body.attribute("compliance") {
            None => Vec::new(),
            Some(a) => self.compliance(a),
        };
        let mut checks = Vec::new();
        for c in body.blocks_of("check") {
            if let Some(check) = self.check(c) {
                checks.push(check);
            }
        }
        if body.blocks_of("check").next().is_none() {
            self.err(
                "a rule needs at least one `check { condition = ..., at = ..., message = ... }` block",
                b.header_span,
            );
        }
        let mut examples = Vec::new();
        for e in body.blocks_of("example") {
            if let Some(ex) = self.example(e) {
                examples.push(ex);
            }
        }
        Some(Rule {
            id: id.to_string(),
            title: title?,
            severity: severity?,
            resource_types,
            aliases: self.strings(body, "aliases"),
            tags: self.strings(body, "tags"),
            family,
            references: self.strings(body, "references"),
            description: description?.trim().to_string(),
            remediation: remediation?.trim().to_string(),
            checks,
            locals,
            shared_locals,
            examples,
            inputs,
            include_deleted,
            compliance,
            related_types: std::mem::take(&mut self.related_types),
            span: b.header_span,
            builtin,
        })
    }

    fn check(&mut self, c: &Block) -> Option<Check> {
        self.unknown_items(&c.body, CHECK_ATTRS, &["fix"], "a check");
        if !c.labels.is_empty() {
            self.err("`check` takes no label", c.label_spans[0]);
        }
        let mut get = |name: &str, hint: &str| match c.body.attribute(name) {
            Some(a) => Some(a.expr.clone()),
            None => {
                self.err(format!("missing `{name}` in check; {hint}"), c.header_span);
                None
            }
        };
        let condition = get("condition", "it is the expression that must be true, e.g. `length(resource.x) > 0`");
        let at_expr =
            get("at", "it names what the finding points at, e.g. `resource.encryption_configuration[0].kms_key`");
        let message = get("message", "it is the finding's message, e.g. \"kms_key is not set\"");
        let (condition, at_expr, message) = (condition?, at_expr?, message?);
        self.references(&condition, "condition");
        self.references(&message, "message");
        self.references(&at_expr, "at");
        let at = match at_path(&at_expr) {
            Ok(p) => p,
            Err(m) => {
                self.err(m, at_expr.span);
                return None;
            }
        };
        let mut fixes = c.body.blocks_of("fix");
        let fix = fixes.next().and_then(|f| self.fix(f));
        if let Some(extra) = fixes.next() {
            self.err("a check has at most one `fix`", extra.header_span);
        }
        Some(Check { condition, at, at_expr, message, fix })
    }

    /// `fix { applicability = "safe" note = "..." set { attribute = value  block { ... } } }`
    fn fix(&mut self, f: &Block) -> Option<Fix> {
        self.unknown_items(&f.body, &["applicability", "note", "replaces"], &["set"], "a fix");
        if !f.labels.is_empty() {
            self.err("`fix` takes no label", f.label_spans[0]);
        }
        let applicability = match self.string(&f.body, "applicability", f, true)?.as_str() {
            "safe" => Applicability::Safe,
            "unsafe" => Applicability::Unsafe,
            other => {
                let span = f.body.attribute("applicability").map_or(f.header_span, |a| a.expr.span);
                self.err(format!("unknown applicability {other:?}; expected \"safe\" or \"unsafe\""), span);
                return None;
            }
        };
        let note = self.string(&f.body, "note", f, true)?;
        let mut set = Vec::new();
        let sets: Vec<&Block> = f.body.blocks_of("set").collect();
        match sets.as_slice() {
            [s] => self.fix_values(&s.body, &mut Vec::new(), &mut set),
            [] => self.err("missing `set { ... }` in fix: it holds what the resource must hold", f.header_span),
            [_, extra, ..] => self.err("a fix has one `set` block", extra.header_span),
        }
        if set.is_empty() {
            self.err("a fix's `set` must set at least one attribute", f.header_span);
        }
        let replaces = match f.body.attribute("replaces").map(|a| &a.expr) {
            None => false,
            Some(e) => match e.kind {
                ExprKind::Bool(b) => b,
                _ => {
                    self.err("`replaces` must be true or false", e.span);
                    false
                }
            },
        };
        Some(Fix { applicability, note: note.trim().to_string(), replaces, set })
    }

    fn fix_values(&mut self, body: &Body, path: &mut Vec<String>, out: &mut Vec<FixValue>) {
        for a in &body.attributes {
            let text = self.text.get(a.expr.span.start as usize..a.expr.span.end as usize).unwrap_or("").to_string();
            let literal = match &a.expr.kind {
                ExprKind::Bool(_) | ExprKind::Number(_) => Some(a.expr.clone()),
                _ if a.expr.as_literal_str().is_some() => Some(a.expr.clone()),
                ExprKind::GetAttr(inner, name)
                    if name == "arn" && matches!(&inner.kind, ExprKind::Variable(v) if v == "key") =>
                {
                    None
                }
                _ => {
                    self.err(
                        "a fix sets literals (\"KMS\", true, 30) or `key.arn` (the module's customer-managed KMS key)",
                        a.expr.span,
                    );
                    continue;
                }
            };
            let mut p = path.clone();
            p.push(a.name.to_string());
            out.push(FixValue { path: p, text, literal });
        }
        for b in &body.blocks {
            if !b.labels.is_empty() {
                self.err("a block in a fix's `set` takes no label", b.label_spans[0]);
            }
            path.push(b.ty.to_string());
            self.fix_values(&b.body, path, out);
            path.pop();
        }
    }

    /// Conditions may only refer to `resource` (and names their own `for` expressions bind),
    /// and call functions that exist.
    /// The locals whose text names neither the instance nor a local that does. Judged on the
    /// source text's identifiers, so a doubt (the word in a string) only costs speed.
    fn shared_locals(&self, locals: &[(String, Expr)]) -> Vec<String> {
        let idents = |e: &Expr| -> Vec<&str> {
            let text = self.text.get(e.span.start as usize..e.span.end as usize).unwrap_or("resource");
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect()
        };
        let words: Vec<(&str, Vec<&str>)> = locals.iter().map(|(n, e)| (n.as_str(), idents(e))).collect();
        let mut dependent: Vec<&str> = Vec::new();
        loop {
            let before = dependent.len();
            for (name, ws) in &words {
                if !dependent.contains(name) && ws.iter().any(|w| INSTANCE_WORDS.contains(w) || dependent.contains(w)) {
                    dependent.push(name);
                }
            }
            if dependent.len() == before {
                break;
            }
        }
        words.iter().map(|(n, _)| *n).filter(|n| !dependent.contains(n)).map(str::to_string).collect()
    }

    fn references(&mut self, e: &Expr, what: &str) {
        let mut bound: Vec<String> = Vec::new();
        self.walk_refs(e, &mut bound, what);
    }

    fn walk_refs(&mut self, e: &Expr, bound: &mut Vec<String>, what: &str) {
        match &e.kind {
            ExprKind::GetAttr(inner, name) if matches!(&inner.kind, ExprKind::Variable(v) if v == "local" && !bound.iter().any(|b| v == b)) => {
                if !self.local_names.iter().any(|l| name == l) {
                    self.err(format!("there is no local named `{name}` in this rule's `locals`"), e.span);
                }
            }
            ExprKind::Variable(v) => {
                if !matches!(v.as_str(), "resource" | "resource_type" | "change") && !bound.iter().any(|b| v == b) {
                    self.err(format!("unknown name `{v}` in the {what}; a rule's expressions can use `resource` (the resource being checked), `resource_type` (its type), `change` (a plan's actions), `local.<name>`, and names bound by their own `for` expressions"), e.span);
                }
            }
            ExprKind::For(f) => {
                self.walk_refs(&f.collection, bound, what);
                let n = bound.len();
                bound.extend(f.key_var.iter().cloned());
                bound.push(f.value_var.clone());
                if let Some(k) = &f.key {
                    self.walk_refs(k, bound, what);
                }
                self.walk_refs(&f.value, bound, what);
                if let Some(c) = &f.cond {
                    self.walk_refs(c, bound, what);
                }
                bound.truncate(n);
            }
            ExprKind::Call(c) => {
                if !super::engine::function_exists(&c.name) {
                    self.err(format!("unknown function `{}` in the {what}", c.name), c.name_span);
                }
                if c.name == "resources" {
                    match c.args.first().and_then(|a| a.as_literal_str()) {
                        Some(t) if c.args.len() == 1 => {
                            if !self.related_types.iter().any(|x| x == t) {
                                self.related_types.push(t.to_string());
                            }
                        }
                        _ => self.err("resources() takes one resource type as a string literal, like resources(\"aws_ecr_registry_scanning_configuration\")", c.name_span),
                    }
                }
                if c.name == "referencing" || c.name == "possibly_referencing" {
                    let literals: Vec<_> = c.args.iter().filter_map(|a| a.as_literal_str()).collect();
                    match literals.as_slice() {
                        [t, _, _] if c.args.len() == 3 => {
                            if !self.related_types.iter().any(|x| x == t) {
                                self.related_types.push(t.to_string());
                            }
                        }
                        _ => self.err(format!("{}() takes three string literals: a resource type, its attribute that names this resource, and this resource's attribute a written-out name equals, like referencing(\"aws_s3_bucket_versioning\", \"bucket\", \"bucket\")", c.name), c.name_span),
                    }
                }
                if c.name == "referenced" {
                    match (c.args.first().and_then(|a| a.as_literal_str()), c.args.get(2).and_then(|a| a.as_literal_str())) {
                        (Some(t), Some(_)) if c.args.len() == 3 => {
                            if !self.related_types.iter().any(|x| x == t) {
                                self.related_types.push(t.to_string());
                            }
                        }
                        _ => self.err("referenced() takes a resource type as a string literal, a value of this resource that names one, and that type's attribute a written-out value equals as a string literal, like referenced(\"aws_launch_template\", resource.launch_template[0].name, \"name\")", c.name_span),
                    }
                }
                for a in &c.args {
                    self.walk_refs(a, bound, what);
                }
            }
            ExprKind::Template(parts) => self.walk_parts(parts, bound, what),
            _ => {
                // Recurse into direct children only; `walk` would also visit nested `for`s
                // without their bindings.
                for child in children(e) {
                    self.walk_refs(child, bound, what);
                }
            }
        }
    }

    fn walk_parts(&mut self, parts: &[TemplatePart], bound: &mut Vec<String>, what: &str) {
        for p in parts {
            match p {
                TemplatePart::Literal(_) => {}
                TemplatePart::Interp(e) => self.walk_refs(e, bound, what),
                TemplatePart::If { cond, then, otherwise } => {
                    self.walk_refs(cond, bound, what);
                    self.walk_parts(then, bound, what);
                    self.walk_parts(otherwise, bound, what);
                }
                TemplatePart::For { key_var, value_var, collection, body } => {
                    self.walk_refs(collection, bound, what);
                    let n = bound.len();
                    bound.extend(key_var.iter().cloned());
                    bound.push(value_var.clone());
                    self.walk_parts(body, bound, what);
                    bound.truncate(n);
                }
            }
        }
    }

    /// `compliance = { "PCI DSS 4.0" = ["3.5.1"], ... }`.
    fn compliance(&mut self, a: &Attribute) -> Vec<(String, Vec<String>)> {
        let ExprKind::Object(items) = &a.expr.kind else {
            self.err(
                "`compliance` maps frameworks to control lists, like { \"PCI DSS 4.0\" = [\"3.5.1\"] }",
                a.expr.span,
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let framework = match &item.key {
                crate::syntax::hcl::ast::ObjectKey::Ident(k, _) => Some(k.to_string()),
                crate::syntax::hcl::ast::ObjectKey::Expr(k) => k.as_literal_str().map(str::to_string),
            };
            let Some(framework) = framework else {
                self.err("a compliance framework must be a string", item.value.span);
                continue;
            };
            let controls = match &item.value.kind {
                ExprKind::Tuple(xs) => {
                    xs.iter().filter_map(|x| x.as_literal_str().map(str::to_string)).collect::<Vec<_>>()
                }
                _ => Vec::new(),
            };
            if controls.is_empty() {
                self.err(format!("list the {framework} controls as strings, like [\"3.5.1\"]"), item.value.span);
            }
            out.push((framework, controls));
        }
        out
    }

    fn example(&mut self, e: &Block) -> Option<Example> {
        self.unknown_items(&e.body, EXAMPLE_ATTRS, &[], "an example");
        let good = match e.labels.first().map(|l| l.as_str()) {
            Some("good") => true,
            Some("bad") => false,
            _ => {
                let span = e.label_spans.first().copied().unwrap_or(e.header_span);
                self.err("an example is `example \"good\"` or `example \"bad\"`", span);
                return None;
            }
        };
        let config = self.string(&e.body, "config", e, false);
        let files = match e.body.attribute("files") {
            None => Vec::new(),
            Some(_) if config.is_none() => {
                self.err("`files` go beside an example's `config`", e.header_span);
                Vec::new()
            }
            Some(a) => self.example_files(a),
        };
        let plan = self.string(&e.body, "plan", e, false);
        if config.is_none() && plan.is_none() {
            self.err("an example needs `config` (Terraform configuration) or `plan` (a plan JSON file next to the rule file), or both", e.header_span);
        }
        let expect = match e.body.attribute("expect") {
            Some(a) => self.string_list(a),
            None => Vec::new(),
        };
        if good && !expect.is_empty() {
            self.err("a good example expects no findings: leave `expect` out or make it []", e.header_span);
        }
        if !good && expect.is_empty() {
            self.err("a bad example must list the addresses it expects findings for in `expect`", e.header_span);
        }
        Some(Example { good, expect, config, files, plan, span: e.header_span })
    }

    /// An example's other files: `{ "modules/x/main.tf" = "..." }`, relative paths below the
    /// example's directory.
    fn example_files(&mut self, a: &Attribute) -> Vec<(String, String)> {
        let ExprKind::Object(items) = &a.expr.kind else {
            self.err("`files` maps relative paths to contents, like { \"modules/x/main.tf\" = \"...\" }", a.expr.span);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let path = match &item.key {
                crate::syntax::hcl::ast::ObjectKey::Ident(k, _) => Some(k.to_string()),
                crate::syntax::hcl::ast::ObjectKey::Expr(k) => k.as_literal_str().map(str::to_string),
            };
            let relative = path.as_deref().is_some_and(|p| {
                !p.is_empty()
                    && p != "main.tf"
                    && Path::new(p).components().all(|c| matches!(c, std::path::Component::Normal(_)))
            });
            match (path, item.value.as_literal_str()) {
                (Some(p), Some(text)) if relative => out.push((p, text.to_string())),
                (Some(p), Some(_)) => self.err(
                    format!("example file {p:?} must be a relative path below the example, other than main.tf"),
                    item.value.span,
                ),
                _ => self.err("an example file is a string path = a string literal", item.value.span),
            }
        }
        out
    }
}

fn children(e: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    match &e.kind {
        ExprKind::Tuple(items) => out.extend(items),
        ExprKind::Object(items) => {
            for i in items {
                if let crate::syntax::hcl::ast::ObjectKey::Expr(k) = &i.key {
                    out.push(k);
                }
                out.push(&i.value);
            }
        }
        ExprKind::GetAttr(a, _) | ExprKind::Unary(_, a) | ExprKind::Parens(a) => out.push(a),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) | ExprKind::Splat(a, b) => {
            out.push(a);
            out.push(b);
        }
        ExprKind::Conditional(a, b, c) => out.extend([&**a, &**b, &**c]),
        _ => {}
    }
    out
}

/// `resource.a[0].b` -> `a[0].b`: the path a finding points at.
pub fn at_path(e: &Expr) -> Result<String, String> {
    let bad = || {
        "`at` must be `resource` or a path inside it, like `resource.encryption_configuration[0].kms_key`".to_string()
    };
    match &e.kind {
        ExprKind::Variable(v) if v == "resource" => Ok(String::new()),
        ExprKind::GetAttr(inner, name) => {
            let p = at_path(inner)?;
            Ok(if p.is_empty() { name.to_string() } else { format!("{p}.{name}") })
        }
        ExprKind::Index(inner, idx) => {
            let p = at_path(inner)?;
            match &idx.kind {
                ExprKind::Number(n) if n.fract() == 0.0 && *n >= 0.0 => Ok(format!("{p}[{n}]")),
                // Computed when the check fails (`[local.open[0].index]`).
                _ => Ok(format!("{p}[?]")),
            }
        }
        _ => Err(bad()),
    }
}

/// Built-in rule files, embedded at build time from `rules/`.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"))
}

/// Loads the built-in rules; an error in one is a bug, caught by the test suite.
pub fn load_builtin(sources: &SourceMap) -> (Vec<Rule>, Vec<Diagnostic>) {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in builtin_files() {
        let (r, e) = load_rule_file(sources, Path::new(name), name.to_string(), text, true);
        rules.extend(r);
        errors.extend(e);
    }
    (rules, errors)
}

/// Largest rule file read.
const MAX_RULE_FILE: u64 = 4 << 20;

/// Loads every `.hcl` file of a rule directory (or a single file). A directory the user
/// named is read as it is; one named by a discovered configuration file is part of the
/// scanned repository and read through its `workspace`.
pub fn load_dir(
    sources: &SourceMap,
    dir: &Path,
    workspace: Option<&crate::workspace::Workspace>,
) -> (Vec<Rule>, Vec<Diagnostic>) {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    let mut files = Vec::new();
    // A file the user named is trusted; what a directory holds is the repository's content.
    let named_file = workspace.is_none() && std::fs::metadata(dir).is_ok_and(|m| !m.is_dir());
    let own;
    let ws = match workspace {
        Some(ws) => ws,
        None => {
            own = crate::workspace::Workspace::for_paths(&[dir.to_path_buf()]);
            &own
        }
    };
    if named_file || std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        files.push(dir.to_path_buf());
    } else {
        match ws.list(dir).map_err(|e| e.to_string()) {
            Ok(entries) => {
                files.extend(
                    entries
                        .into_iter()
                        .filter(|e| !crate::workspace::is_ignored_file(&e.name) && e.name.ends_with(".hcl"))
                        .map(|e| e.path),
                );
            }
            Err(e) => {
                let shown = crate::syntax::source::display_path(dir);
                errors.push(Diagnostic::for_path(
                    Code::Rule,
                    crate::diag::Level::Error,
                    format!("cannot read rule directory {shown}: {e}"),
                    shown,
                ));
            }
        }
    }
    files.sort();
    for f in files {
        let shown = crate::syntax::source::display_path(&f);
        let read =
            if named_file { crate::workspace::read_trusted(&f, MAX_RULE_FILE) } else { ws.read(&f, MAX_RULE_FILE) };
        match read.map_err(|e| e.to_string()).and_then(|b| String::from_utf8(b).map_err(|_| "not valid UTF-8".into())) {
            Ok(text) => {
                let (r, e) = load_rule_file(sources, &f, shown, &text, false);
                rules.extend(r);
                errors.extend(e);
            }
            Err(e) => errors.push(Diagnostic::for_path(
                Code::Rule,
                crate::diag::Level::Error,
                format!("cannot read rule file {shown}: {e}"),
                shown,
            )),
        }
    }
    (rules, errors)
}
