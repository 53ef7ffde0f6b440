//! Terraform's configuration model: a project of modules, each with its variables, locals,
//! outputs, resources and module calls, read from the syntax trees of its files (override
//! files merged in, as Terraform does).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::syntax::hcl::ast::{AttrRef, Attribute, Block, Body, Comment, Expr};
use crate::syntax::json::Json;
use crate::syntax::source::{FileId, SourceMap, Span};

pub type ModuleId = usize;

/// A variable definitions file (`.tfvars` or `.tfvars.json`).
#[derive(Debug)]
pub enum Tfvars {
    Hcl(FileId, Arc<Body>),
    Json(FileId, Json),
}

/// Paths as keys: foldhash, seeded per process, where SipHash was a few per cent of a scan
/// (nobody sees a hash of ours to aim collisions at).
pub type PathMap<V> = foldhash::HashMap<PathBuf, V>;

/// A loaded configuration: every module read, the root modules, variable files and
/// comments. Built by [`crate::input::config`], evaluated by [`crate::eval`].
#[derive(Debug, Default)]
pub struct Project {
    pub sources: Arc<SourceMap>,
    pub modules: Vec<Module>,
    pub by_dir: PathMap<ModuleId>,
    pub roots: Vec<ModuleId>,
    /// Where each local module call leads: `Err` says why it could not be followed.
    pub local_calls: HashMap<(ModuleId, String), Result<ModuleId, String>>,
    /// `modules.json` of a root directory: call key (`a.b`) to installed module.
    pub installed: HashMap<ModuleId, HashMap<String, ModuleId>>,
    /// Variable definition files by canonical path.
    pub tfvars: BTreeMap<PathBuf, Tfvars>,
    pub comments: HashMap<FileId, Vec<Comment>>,
    /// Directories `file()` and friends may read from.
    pub sandbox: Vec<PathBuf>,
    /// When files were named on the command line: report only findings in these.
    pub only_files: Option<HashSet<PathBuf>>,
    /// Directories named on the command line (canonical): with named files beside them,
    /// what is located in these is reported too (the union of what each argument reports).
    pub named_dirs: Vec<PathBuf>,
    pub stats: LoadStats,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct LoadStats {
    pub files: usize,
    pub modules: usize,
}

#[derive(Debug)]
pub struct Module {
    /// Canonical directory.
    pub dir: PathBuf,
    /// Directory as shown to users (relative to the working directory when possible).
    pub display_dir: String,
    pub variables: HashMap<String, Variable>,
    pub locals: HashMap<String, AttrRef>,
    pub outputs: HashMap<String, AttrRef>,
    /// Managed resources in source order.
    pub resources: Vec<Arc<Resource>>,
    /// Index into `resources` by (type, name): lookups in modules of thousands of resources.
    resource_index: HashMap<(String, String), usize>,
    pub data: HashMap<(String, String), Arc<Resource>>,
    pub calls: Vec<ModuleCall>,
    /// Addresses defined more than once (Terraform rejects them; tfcheck keeps the first).
    pub duplicates: HashSet<String>,
}

#[derive(Debug)]
pub struct Variable {
    pub name: String,
    pub block: Block,
    pub nullable: bool,
    /// `sensitive = true`: its values are not shown in messages.
    pub sensitive: bool,
}

#[derive(Debug)]
pub struct Resource {
    pub managed: bool,
    pub rtype: String,
    pub name: String,
    pub block: Block,
}

/// The meta-arguments `count` and `for_each` of a resource or module call: kept parsed when
/// its body is deferred, so that reading them parses no body.
macro_rules! expansion {
    ($t:ty) => {
        impl $t {
            pub fn count(&self) -> Option<&Expr> {
                self.block.body.kept("count").map(|a| &a.expr)
            }

            pub fn for_each(&self) -> Option<&Expr> {
                self.block.body.kept("for_each").map(|a| &a.expr)
            }
        }
    };
}
expansion!(Resource);
expansion!(ModuleCall);

impl Variable {
    /// `type` (kept parsed when the body is deferred).
    pub fn ty(&self) -> Option<&Expr> {
        self.block.body.kept("type").map(|a| &a.expr)
    }

    /// `default` (kept parsed when the body is deferred).
    pub fn default(&self) -> Option<&Expr> {
        self.block.body.kept("default").map(|a| &a.expr)
    }
}

impl Resource {
    /// `aws_ecr_repository.x` or `data.aws_kms_alias.x`.
    pub fn address(&self) -> String {
        if self.managed {
            format!("{}.{}", self.rtype, self.name)
        } else {
            format!("data.{}.{}", self.rtype, self.name)
        }
    }
}

#[derive(Debug)]
pub struct ModuleCall {
    pub name: String,
    pub block: Block,
    pub source: Option<String>,
    pub source_span: Span,
}

impl ModuleCall {
    /// The input variable `name` passed to the module (the call's body is parsed when a
    /// module is followed, not when it is built).
    pub fn arg(&self, name: &str) -> Option<&Attribute> {
        self.block.body.attribute(name).filter(|a| !MODULE_META.contains(&a.name.as_str()))
    }

    /// Local sources are paths (`./x`, `../x`); everything else is fetched by `terraform init`.
    pub fn is_local(&self) -> bool {
        self.source.as_deref().is_some_and(|s| s.starts_with("./") || s.starts_with("../") || s == "." || s == "..")
    }
}

const MODULE_META: &[&str] = &["source", "version", "count", "for_each", "providers", "depends_on"];

impl Module {
    /// The managed resource `rtype.name` (the first definition, when there are several).
    pub fn resource(&self, rtype: &str, name: &str) -> Option<&Arc<Resource>> {
        self.resource_index.get(&(rtype.to_string(), name.to_string())).map(|&i| &self.resources[i])
    }

    /// Builds a module from its parsed files; `overrides` are `override.tf` / `*_override.tf`.
    pub fn build(
        dir: PathBuf,
        display_dir: String,
        files: Vec<(FileId, Arc<Body>)>,
        overrides: Vec<(FileId, Arc<Body>)>,
        sources: &SourceMap,
        diags: &Diagnostics,
    ) -> Module {
        // Take the blocks out of the bodies rather than copy them (bodies are not shared yet).
        let mut blocks: Vec<Block> = files
            .into_iter()
            .flat_map(|(_, b)| Arc::try_unwrap(b).map(|b| b.blocks).unwrap_or_else(|b| b.blocks.clone()))
            .collect();
        for (_, body) in &overrides {
            for ob in &body.blocks {
                apply_override(&mut blocks, ob);
            }
        }
        let mut m = Module {
            dir,
            display_dir,
            variables: HashMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            resources: Vec::new(),
            resource_index: HashMap::new(),
            data: HashMap::new(),
            calls: Vec::new(),
            duplicates: HashSet::new(),
        };
        let dup = |what: String, b: &Block, first: Span| {
            diags.push(Diagnostic::warning(
                Code::Invalid,
                format!(
                    "duplicate {what} (first defined at {}); Terraform rejects this, tfcheck uses the first",
                    sources.short(first)
                ),
                b.header_span,
            ));
        };
        // Where each local is first defined (read without parsing a deferred body).
        let mut local_spans: HashMap<String, Span> = HashMap::new();
        for b in blocks {
            match (b.ty.as_str(), b.labels.len()) {
                ("variable", 1) => {
                    let name = b.labels[0].to_string();
                    if let Some(v) = m.variables.get(&name) {
                        dup(format!("variable \"{name}\""), &b, v.block.header_span);
                        continue;
                    }
                    let nullable = !matches!(
                        b.body.kept("nullable").map(|a| &a.expr.kind),
                        Some(crate::syntax::hcl::ast::ExprKind::Bool(false))
                    );
                    let sensitive = matches!(
                        b.body.kept("sensitive").map(|a| &a.expr.kind),
                        Some(crate::syntax::hcl::ast::ExprKind::Bool(true))
                    );
                    m.variables
                        .insert(name.clone(), Variable { name: name.to_string(), block: b, nullable, sensitive });
                }
                ("locals", 0) => {
                    for (i, (name, span)) in b.body.attribute_names().iter().enumerate() {
                        if let Some(prev) = local_spans.get(name.as_str()) {
                            dup(format!("local \"{name}\""), &b, *prev);
                            continue;
                        }
                        local_spans.insert(name.to_string(), *span);
                        m.locals.extend(AttrRef::new(&b.body, i).map(|r| (name.to_string(), r)));
                    }
                }
                ("output", 1) => {
                    if let Some(v) = AttrRef::named(&b.body, "value") {
                        m.outputs.entry(b.labels[0].to_string()).or_insert(v);
                    }
                }
                ("resource" | "data", 2) => {
                    let managed = b.ty == "resource";
                    let r =
                        Resource { managed, rtype: b.labels[0].to_string(), name: b.labels[1].to_string(), block: b };
                    let key = (r.rtype.clone(), r.name.clone());
                    if managed {
                        if let Some(prev) = m.resource(&r.rtype, &r.name) {
                            dup(format!("resource {}", r.address()), &r.block, prev.block.header_span);
                            m.duplicates.insert(r.address());
                            continue;
                        }
                        m.resource_index.insert(key, m.resources.len());
                        m.resources.push(Arc::new(r));
                    } else if let Some(prev) = m.data.get(&key) {
                        dup(format!("data source {}", r.address()), &r.block, prev.block.header_span);
                    } else {
                        m.data.insert(key, Arc::new(r));
                    }
                }
                ("module", 1) => {
                    let name = b.labels[0].to_string();
                    if let Some(prev) = m.calls.iter().find(|c| c.name == name) {
                        dup(format!("module \"{name}\""), &b, prev.block.header_span);
                        continue;
                    }
                    let src_attr = b.body.kept("source");
                    let call = ModuleCall {
                        name: name.to_string(),
                        source: src_attr.and_then(|a| a.expr.as_literal_str()).map(str::to_string),
                        source_span: src_attr.map(|a| a.span).unwrap_or(b.header_span),
                        block: b,
                    };
                    m.calls.push(call);
                }
                _ => {}
            }
        }
        m
    }
}

/// Merges an override block into the matching block, following Terraform's override rules:
/// attributes replace attributes, and nested blocks of a type replace all blocks of that type.
fn apply_override(blocks: &mut [Block], ob: &Block) {
    if ob.ty == "locals" {
        // Each local is overridden on its own, wherever it was defined.
        for a in &ob.body.attributes {
            for b in blocks.iter_mut().filter(|b| b.ty == "locals") {
                if let Some(i) = b.body.attributes.iter().position(|x| x.name == a.name) {
                    b.body.make_mut().attributes[i] = a.clone();
                }
            }
        }
        return;
    }
    let Some(target) = blocks.iter_mut().find(|b| b.ty == ob.ty && b.labels == ob.labels) else {
        return;
    };
    let body = target.body.make_mut();
    merge_body(body, &ob.body);
}

fn merge_body(body: &mut Body, over: &Body) {
    for a in &over.attributes {
        match body.attributes.iter().position(|x| x.name == a.name) {
            Some(i) => body.attributes[i] = a.clone(),
            None => body.attributes.push(a.clone()),
        }
    }
    let mut types: Vec<&str> = over.blocks.iter().map(|b| b.ty.as_str()).collect();
    types.dedup();
    for ty in types {
        if ty == "lifecycle" {
            // lifecycle merges attribute by attribute.
            if let (Some(i), Some(o)) =
                (body.blocks.iter().position(|b| b.ty == ty), over.blocks.iter().find(|b| b.ty == ty))
            {
                merge_body(body.blocks[i].body.make_mut(), &o.body);
                continue;
            }
        }
        body.blocks.retain(|b| b.ty != ty);
        body.blocks.extend(over.blocks.iter().filter(|b| b.ty == ty).cloned());
    }
}

/// Whether a file name is an override file (`override.tf`, `x_override.tf`, and `.tf.json`).
pub fn is_override_file(name: &str) -> bool {
    let stem = [".tf.json", ".tofu.json", ".tf", ".tofu"].iter().find_map(|ext| name.strip_suffix(ext)).unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}
