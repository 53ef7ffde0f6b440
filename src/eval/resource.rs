//! Resource bodies: `count`/`for_each` expansion, attributes and nested blocks evaluated
//! against the schema (with `dynamic` blocks), and the resource instances handed to the rules.

use std::rc::Rc;
use std::sync::Arc;

use super::expr::{EvalError, Scope, iterate, to_number};
use super::module::{Expansion, InstEnv, Instance, MAX_EXPANSION, MAX_RESOURCE_INSTANCES, RootEval};
use super::types::{self, Type};
use crate::diag::{Code, Diagnostic};
use crate::syntax::hcl::ast::{Block, Body, Expr, ExprKind};
use crate::syntax::source::Span;
use crate::terraform::addr::{Key, module_address};
use crate::terraform::config::Resource;
use crate::terraform::instance::ResourceInstance;
use crate::terraform::schema::Mode;
use crate::terraform::value::{Kind, Map, Origin, UnknownSource, Value};

impl<'p> RootEval<'p> {
    pub fn expand_count(&self, env: &InstEnv, e: &Expr) -> Expansion {
        self.budget.argument();
        let v = self.absorb(Scope::new(env).eval(e));
        if v.is_unknown() {
            return Expansion::Unknown;
        }
        let n = match to_number(&v, e.span) {
            Ok(n) if n >= 0.0 && n.fract() == 0.0 => n,
            Ok(n) => {
                self.diags.push(Diagnostic::warning(
                    Code::Invalid,
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
                format!("count = {} is more than tfcheck's limit of {MAX_EXPANSION} instances; the block is checked once, as if count.index were unknown", crate::terraform::value::format_number(n)),
                e.span,
            ));
            return Expansion::Unknown;
        }
        Expansion::Keys((0..n as i64).map(|i| (Key::Int(i), None)).collect())
    }

    pub fn expand_for_each(&self, env: &InstEnv, e: &Expr) -> Expansion {
        self.budget.argument();
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
                                Code::Invalid,
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
                self.diags.push(Diagnostic::warning(
                    Code::Invalid,
                    "for_each is null; Terraform needs a map or a set of strings",
                    e.span,
                ));
                return Expansion::Unknown;
            }
            _ => {
                self.diags.push(Diagnostic::warning(
                    Code::Invalid,
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
        mode: Mode,
        rtype: &str,
        body: &Body,
        path: &str,
        spans: &mut Vec<(String, Span)>,
    ) -> Value {
        let mut scope = Scope::new(env);
        self.eval_body_in(&mut scope, (mode, rtype), body, path, spans, true)
    }

    /// `of`: the resource or data source type whose schema the body follows.
    pub(super) fn eval_body_in(
        &self,
        scope: &mut Scope,
        of: (Mode, &str),
        body: &Body,
        path: &str,
        spans: &mut Vec<(String, Span)>,
        top: bool,
    ) -> Value {
        let (mode, rtype) = of;
        let mut m = Map::new();
        for a in &body.attributes {
            if top && crate::terraform::schema::META_ARGUMENTS.contains(&a.name.as_str()) {
                continue;
            }
            self.budget.argument();
            let mut v = self.absorb(scope.eval(&a.expr));
            let p = join(path, &a.name);
            // Terraform converts arguments to the schema's types before providers see them.
            if let Some(t) = crate::terraform::schema::attribute_type(mode, rtype, &join(&strip_indexes(path), &a.name))
            {
                let ty = match t {
                    crate::terraform::schema::Primitive::Bool => Type::Bool,
                    crate::terraform::schema::Primitive::Number => Type::Number,
                };
                if let Ok(c) = types::convert(v.clone(), &ty) {
                    v = c.inherit_origin(&v);
                }
            }
            spans.push((p.clone(), a.span));
            crate::terraform::instance::document_spans(
                &p,
                &a.expr,
                &self.project.sources.get(a.expr.span.file).text,
                spans,
            );
            m.insert(a.name.to_string(), v);
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
                match self.dynamic_block(scope, of, b, path, ty, spans, first) {
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
            let v = self.eval_body_in(scope, of, &b.body, &bpath, spans, false);
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
        for b in crate::terraform::schema::nested_blocks(mode, rtype) {
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
    pub(super) fn dynamic_block(
        &self,
        scope: &mut Scope,
        of: (Mode, &str),
        b: &Block,
        path: &str,
        ty: &str,
        spans: &mut Vec<(String, Span)>,
        first_index: usize,
    ) -> Option<(Vec<Value>, Option<Arc<Origin>>)> {
        let for_each = b.body.attribute("for_each")?;
        self.budget.argument();
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
            _ => ty.to_string().into(),
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
            let v = self.eval_body_in(scope, of, &content.body, &bpath, spans, false);
            scope.unbind();
            out.push(v);
        }
        Some((out, coll.origin.clone()))
    }

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

    pub(super) fn resource_instances(
        &self,
        inst: &Rc<Instance>,
        res: &Arc<Resource>,
        visit: &mut dyn FnMut(ResourceInstance),
    ) {
        let mark = self.budget.mark();
        let env = self.env(inst);
        let expansion = match (res.count(), res.for_each()) {
            (Some(c), _) => self.expand_count(&env, c),
            (None, Some(f)) => self.expand_for_each(&env, f),
            (None, None) => Expansion::Single,
        };
        let prefix = module_address(&inst.path);
        let base = if prefix.is_empty() { res.address() } else { format!("{prefix}.{}", res.address()) };
        // Limits hit while expanding cut every instance short.
        let expansion_limit = self.budget.since(mark);
        let mut run = |key: Option<&Key>, count_index: Option<Value>, each: Option<(Value, Value)>| {
            let address = match key {
                Some(k) => format!("{base}{k}"),
                None => base.clone(),
            };
            let n = self.resource_count.get() + 1;
            self.resource_count.set(n);
            if n > MAX_RESOURCE_INSTANCES {
                if n == MAX_RESOURCE_INSTANCES + 1 {
                    self.diags.push(Diagnostic::error(Code::Limit,
                        format!("{address} and the resource instances after it are not checked: this root has more than tfcheck's limit of {MAX_RESOURCE_INSTANCES} resource instances"),
                        res.block.header_span,
                    ));
                }
                return;
            }
            let env = InstEnv { re: self, inst, count_index, each };
            let mut spans = Vec::new();
            let instance_mark = self.budget.mark();
            // Each instance costs a step, even with an empty body.
            self.budget.argument();
            let value = match self.budget.spend(1, res.block.header_span) {
                Ok(()) => self.eval_body(&env, Mode::Resource, &res.rtype, &res.block.body, "", &mut spans),
                Err(e) => self.absorb(Err(e)),
            };
            if let Some(e) = expansion_limit.clone().or_else(|| self.budget.since(instance_mark)) {
                // Where the limit was hit, and the instance it cut short.
                self.diags.push(Diagnostic::error(Code::Limit, e.message.clone(), e.span));
                self.diags.push(Diagnostic::error(
                    Code::Limit,
                    format!("{address} was not fully evaluated, so findings on it may be missing: {}", e.message),
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
                // `for_each = aws_s3_bucket.b` over a resource whose instances are unknown:
                // each.value is one of them, which joins between resources need to know.
                let element_of = |f: &Expr| {
                    Scope::new(&env).eval(f).ok().filter(
                        |v| matches!(&v.kind, Kind::Unknown(x) if matches!(x.source, UnknownSource::Resource { .. })),
                    )
                };
                let each = res.for_each().map(|f| (u("each.key"), element_of(f).unwrap_or_else(|| u("each.value"))));
                let idx = res.count().map(|_| u("count.index"));
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

/// The blocks of one type in a body, static and dynamic.
struct BlockList {
    ty: String,
    items: Vec<Value>,
    /// A dynamic block's `for_each` was unknown: so is the number of blocks.
    unknown: bool,
    origin: Option<Arc<Origin>>,
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
