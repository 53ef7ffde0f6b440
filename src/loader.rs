//! Loading: finds the modules under the scanned paths, reads and parses their files, follows
//! local module sources and `terraform init`'s `modules.json`, and picks the root modules.
//!
//! Everything is read before evaluation starts, so evaluation never touches the disk except
//! for `file()`-like functions.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Module, ModuleId, is_override_file};
use crate::diag::{Diagnostic, Diagnostics, Level};
use crate::hcl::ast::{Body, Comment, File};
use crate::json::{self, Json};
use crate::source::{FileId, SourceMap, display_path};
use crate::workspace::{Found, ReadError, Walk, Workspace, is_ignored_file};

#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub paths: Vec<PathBuf>,
    pub exclude: Vec<glob::Pattern>,
    /// Files larger than this are reported and not analysed.
    pub max_file_size: u64,
    /// Variable files named outside the tree, read like the tfvars found in it.
    pub var_files: Vec<VarFile>,
    /// Where scanned content may be read from (fixed before anything is read; see
    /// [`Workspace`]). Empty: derived from `paths`.
    pub workspace: Option<Workspace>,
    /// Walk directories recursively (false: only the named directories, and the modules
    /// they call).
    pub recursive: bool,
    /// Threads for reading and parsing (0: one per core).
    pub jobs: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            paths: vec![PathBuf::from(".")],
            exclude: Vec::new(),
            max_file_size: 16 * 1024 * 1024,
            var_files: Vec::new(),
            workspace: None,
            recursive: true,
            jobs: 0,
        }
    }
}

/// A variable definitions file named by a flag or the configuration file.
#[derive(Clone, Debug)]
pub struct VarFile {
    pub path: PathBuf,
    /// Typed by the user (`--var-file`, or named in a `--config` file): read wherever it is.
    /// Otherwise (named in a discovered `.tfcheck.hcl`) it is scanned content.
    pub trusted: bool,
}

/// The local module sources (`source = "./x"`, `"../x"`) written in a file's text.
fn local_sources(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix("source") else { continue };
        let Some(rest) = rest.trim_start().strip_prefix('=') else { continue };
        let Some(rest) = rest.trim_start().strip_prefix('"') else { continue };
        let Some(end) = rest.find('"') else { continue };
        let s = &rest[..end];
        if s.starts_with("./") || s.starts_with("../") {
            out.push(s);
        }
    }
    out
}

/// A file read and indexed (on a worker thread), with what makes it unreadable as Terraform.
struct Prepared {
    file: Arc<crate::source::SourceFile>,
    /// Where the file stops being text, and why.
    problem: Option<(usize, &'static str)>,
}

/// Reads a file through the workspace unless it is over `max` bytes, outside, or not a
/// regular file (the message says which); `trusted` files were named by the user.
fn prepare(ws: &Workspace, path: &Path, max: u64, trusted: bool) -> Result<Prepared, String> {
    let read = if trusted { crate::workspace::read_trusted(path, max) } else { ws.read(path, max) };
    let bytes = read.map_err(|e| match e {
        ReadError::TooLarge { size, max } => {
            format!("{} MiB, over the {} MiB limit (--max-file-size); not analysed", size >> 20, max >> 20)
        }
        e => e.to_string(),
    })?;
    let (text, problem): (Arc<str>, Option<(usize, &'static str)>) = match String::from_utf8(bytes) {
        Ok(s) => {
            let nul = s.find('\0');
            (s.into(), nul.map(|i| (i, "binary file (it contains NUL bytes)")))
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned().into(), Some((at, "not valid UTF-8")))
        }
    };
    let file = crate::source::SourceFile::new(path.to_path_buf(), display_path(path), text);
    Ok(Prepared { file: Arc::new(file), problem })
}

/// Compiles `--exclude` globs; `dir` also excludes everything under it.
pub fn exclude_patterns(globs: &[String]) -> Result<Vec<glob::Pattern>, String> {
    let mut out = Vec::new();
    for g in globs {
        let g = g.trim_end_matches('/');
        for pattern in [g.to_string(), format!("{g}/**")] {
            out.push(glob::Pattern::new(&pattern).map_err(|e| format!("invalid exclude glob {g:?}: {e}"))?);
        }
    }
    Ok(out)
}

/// A variable definitions file (`.tfvars` or `.tfvars.json`).
#[derive(Debug)]
pub enum Tfvars {
    Hcl(FileId, Arc<Body>),
    Json(FileId, Json),
}

#[derive(Debug, Default)]
pub struct Project {
    pub sources: Arc<SourceMap>,
    pub modules: Vec<Module>,
    pub by_dir: HashMap<PathBuf, ModuleId>,
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

/// A local module call and the directory it leads to (or why it leads nowhere).
type CallTarget = (String, Result<PathBuf, String>);

/// File kinds tfcheck reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FileKind {
    Tf,
    TfJson,
    Tfvars,
    TfvarsJson,
}

/// What a file is by its name; OpenTofu's `.tofu` and `.tofu.json` are configuration too.
fn file_kind(name: &str) -> Option<FileKind> {
    if name.ends_with(".tf") || name.ends_with(".tofu") {
        Some(FileKind::Tf)
    } else if name.ends_with(".tf.json") || name.ends_with(".tofu.json") {
        Some(FileKind::TfJson)
    } else if name.ends_with(".tfvars") {
        Some(FileKind::Tfvars)
    } else if name.ends_with(".tfvars.json") {
        Some(FileKind::TfvarsJson)
    } else {
        None
    }
}

/// OpenTofu reads `x.tofu` instead of `x.tf` (and `x.tofu.json` instead of `x.tf.json`)
/// when a directory has both: a module can hold OpenTofu-only configuration beside
/// Terraform's.
fn replaced_by_tofu(name: &str, names: &HashSet<String>) -> bool {
    let tofu = if let Some(stem) = name.strip_suffix(".tf.json") {
        format!("{stem}.tofu.json")
    } else if let Some(stem) = name.strip_suffix(".tf") {
        format!("{stem}.tofu")
    } else {
        return false;
    };
    names.contains(&tofu)
}

/// Loads the configuration under `opts.paths`, adding its files to `sources`.
pub fn load(opts: &LoadOptions, diags: &Diagnostics, sources: Arc<SourceMap>) -> Project {
    let ws = opts.workspace.clone().unwrap_or_else(|| Workspace::for_paths(&opts.paths));
    let mut l = Loader {
        p: Project { sources, sandbox: ws.roots().to_vec(), ..Project::default() },
        ws,
        opts,
        diags,
        scanned: Vec::new(),
        dir_files: BTreeMap::new(),
        pending: Vec::new(),
        pending_installed: Vec::new(),
        canon_dirs: HashMap::new(),
        prepared: HashMap::new(),
        seen_files: HashSet::new(),
        found_tfvars: Vec::new(),
    };
    let t = std::time::Instant::now();
    l.discover();
    crate::progress::phase("discover", t);
    let t = std::time::Instant::now();
    l.load_modules();
    crate::progress::phase("load modules", t);
    l.pick_roots();
    l.p.stats.modules = l.p.modules.len();
    l.p
}

/// A one-module project from files held in memory (for fuzzing and embedding): `.tf` and
/// `.tf.json` files make the module, `terraform.tfvars` sets its variables. Local module
/// calls lead nowhere.
pub fn load_in_memory(files: &[(&str, &str)], diags: &Diagnostics, sources: Arc<SourceMap>) -> Project {
    let dir = PathBuf::from("/memory");
    let mut p = Project { sources, ..Project::default() };
    let mut bodies = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        let id = p.sources.add_named(path.clone(), name.to_string(), (*text).into());
        p.stats.files += 1;
        let kind = file_kind(name);
        let file = match kind {
            Some(FileKind::TfJson) => crate::hcl::json_syntax::parse_tf_json(text, id),
            Some(FileKind::TfvarsJson) => match json::parse(text, id) {
                Ok(j) => {
                    p.tfvars.insert(path, Tfvars::Json(id, j));
                    continue;
                }
                Err(e) => {
                    diags.push(Diagnostic::error(e.message, e.span));
                    continue;
                }
            },
            _ => crate::hcl::parser::parse_file(text, id),
        };
        for e in &file.errors {
            diags.push(Diagnostic::error(e.message.clone(), e.span));
        }
        p.comments.insert(id, file.comments);
        if kind == Some(FileKind::Tfvars) {
            p.tfvars.insert(path, Tfvars::Hcl(id, Arc::new(file.body)));
        } else {
            bodies.push((id, Arc::new(file.body)));
        }
    }
    let module = Module::build(dir.clone(), "memory".into(), bodies, Vec::new(), &p.sources, diags);
    for call in module.calls.iter().filter(|c| c.is_local()) {
        p.local_calls.insert((0, call.name.clone()), Err("modules are not available in memory".into()));
    }
    p.modules.push(module);
    p.by_dir.insert(dir, 0);
    p.roots.push(0);
    p.stats.modules = 1;
    p
}

struct Loader<'a> {
    p: Project,
    ws: Workspace,
    opts: &'a LoadOptions,
    diags: &'a Diagnostics,
    /// Module directories found under the scanned paths, in discovery order.
    scanned: Vec<PathBuf>,
    /// Terraform files of each scanned module directory (path as the user should see it).
    dir_files: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Local calls of each loaded module, resolved to directories.
    pending: Vec<(ModuleId, Vec<CallTarget>)>,
    /// `modules.json` entries: (root, key, directory).
    pending_installed: Vec<(ModuleId, String, PathBuf)>,
    canon_dirs: HashMap<PathBuf, PathBuf>,
    seen_files: HashSet<PathBuf>,
    /// Variable definition files found by the walk, loaded after it.
    found_tfvars: Vec<(PathBuf, FileKind)>,
    /// Files read and parsed ahead (see `prefetch`).
    prepared: HashMap<PathBuf, Option<(FileId, File)>>,
}

impl Loader<'_> {
    fn discover(&mut self) {
        let mut only = HashSet::new();
        for path in &self.opts.paths {
            // The paths themselves were typed by the user: stat them as they are.
            let meta = match std::fs::metadata(path) {
                Ok(m) => m,
                Err(e) => {
                    let shown = display_path(path);
                    self.diags.push(Diagnostic::for_path(
                        Level::Error,
                        format!("cannot read {shown}: {}", ReadError::from(e)),
                        shown,
                    ));
                    continue;
                }
            };
            if meta.is_dir() {
                if let Ok(c) = self.ws.resolve_dir(path) {
                    self.p.named_dirs.push(c);
                }
                self.walk(path);
                continue;
            }
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let Some(kind) = file_kind(&name) else {
                let shown = display_path(path);
                self.diags.push(Diagnostic::for_path(
                    Level::Error,
                    format!(
                        "{shown} is not a Terraform file (.tf, .tf.json, .tofu, .tofu.json, .tfvars, .tfvars.json)"
                    ),
                    shown,
                ));
                continue;
            };
            if let Ok(c) = std::fs::canonicalize(path) {
                only.insert(c);
            }
            if matches!(kind, FileKind::Tfvars | FileKind::TfvarsJson) {
                self.found_tfvars.push((path.to_path_buf(), kind));
            }
            // The whole module the file is in, for context.
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            if let Ok(c) = self.ws.resolve_dir(dir) {
                if !self.scanned.contains(&c) && self.has_module_files(&c) {
                    self.scanned.push(c);
                }
            }
        }
        if !only.is_empty() {
            // Named files (a pre-commit run): also the modules that call theirs, so variables
            // and module arguments resolve as in a full scan, without scanning everything.
            let targets = self.scanned.clone();
            self.add_callers(targets);
            // And their variable files: a root's terraform.tfvars decides what its modules get.
            for dir in self.scanned.clone() {
                self.add_dir_tfvars(&dir);
            }
            self.p.only_files = Some(only);
        }
        for f in self.opts.var_files.clone() {
            let name = f.path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let kind = if name.ends_with(".json") { FileKind::TfvarsJson } else { FileKind::Tfvars };
            self.load_tfvars(&f.path, kind, f.trusted);
        }
    }

    /// The variable files a directory holds (read if it turns out to be a root).
    fn add_dir_tfvars(&mut self, dir: &Path) {
        let Ok(entries) = self.ws.list(dir) else { return };
        for e in entries {
            if is_ignored_file(&e.name) {
                continue;
            }
            if let Some(kind @ (FileKind::Tfvars | FileKind::TfvarsJson)) = file_kind(&e.name) {
                if !self.found_tfvars.iter().any(|(p, _)| *p == e.path) {
                    self.found_tfvars.push((e.path, kind));
                }
            }
        }
    }

    fn has_module_files(&self, dir: &Path) -> bool {
        self.ws.list(dir).is_ok_and(|entries| {
            entries.iter().any(|e| {
                !is_ignored_file(&e.name) && matches!(file_kind(&e.name), Some(FileKind::Tf | FileKind::TfJson))
            })
        })
    }

    /// Adds, transitively, the module directories whose local `source` leads to `targets`,
    /// searching the workspace the targets are in. Sources are found by reading text, not
    /// by parsing.
    fn add_callers(&mut self, targets: Vec<PathBuf>) {
        let Some(first) = targets.first() else { return };
        let Some(root) = self.ws.roots().iter().find(|r| first.starts_with(r)).cloned() else { return };
        let mut edges: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut files = Vec::new();
        let walk = Walk { workspace: &self.ws, recursive: true, excluded: &|_| false };
        walk.run(&root, &mut |found| {
            if let Found::File { canonical, name, .. } = found {
                if name.ends_with(".tf") || name.ends_with(".tofu") {
                    files.push(canonical);
                }
            }
        });
        for file in files {
            let Ok(bytes) = self.ws.read(&file, self.opts.max_file_size) else { continue };
            let Ok(text) = std::str::from_utf8(&bytes) else { continue };
            let Some(dir) = file.parent() else { continue };
            for source in local_sources(text) {
                if let Ok(target) = self.ws.resolve_dir(&dir.join(source)) {
                    edges.push((dir.to_path_buf(), target));
                }
            }
        }
        let mut queue = targets;
        while let Some(t) = queue.pop() {
            for (caller, _) in edges.iter().filter(|(_, target)| *target == t) {
                if !self.scanned.contains(caller) {
                    self.scanned.push(caller.clone());
                    queue.push(caller.clone());
                }
            }
        }
    }

    fn excluded(&self, rel: &Path, display: &str) -> bool {
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        self.opts.exclude.iter().any(|g| g.matches(&rel_s) || g.matches(display) || g.matches(&format!("{rel_s}/")))
    }

    fn walk(&mut self, root: &Path) {
        let mut found = Vec::new();
        {
            let excluded = |rel: &Path| self.excluded(rel, &display_path(&root.join(rel)));
            let walk = Walk { workspace: &self.ws, recursive: self.opts.recursive, excluded: &excluded };
            walk.run(root, &mut |f| found.push(f));
        }
        for f in found {
            match f {
                Found::Dir { path, canonical } => {
                    self.canon_dirs.insert(path, canonical);
                }
                Found::File { path, name, .. } => {
                    if let Some(kind) = file_kind(&name) {
                        self.add_found_file(&path, kind);
                    }
                }
                Found::Refused { path, name, reason } => {
                    // Only what Terraform would read matters: a Terraform file, or a directory
                    // (modules may be in it). A symlink to a file elsewhere named README is not.
                    let dir_like = path.is_dir();
                    if file_kind(&name).is_some() || dir_like {
                        let shown = display_path(&path);
                        self.diags.push(Diagnostic::for_path(Level::Error, format!("{shown}: {reason}"), shown));
                    }
                }
            }
        }
    }

    fn add_found_file(&mut self, path: &Path, kind: FileKind) {
        match kind {
            FileKind::Tf | FileKind::TfJson => {
                let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                let Some(canon) = self.canon_dirs.get(dir).cloned() else { return };
                if !self.dir_files.contains_key(&canon) {
                    self.scanned.push(canon.clone());
                }
                // A file may be reached twice (named and walked, or through a symlinked
                // directory): its module directory and name are what Terraform knows it by.
                let name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
                if self.seen_files.insert(canon.join(name)) {
                    self.dir_files.entry(canon).or_default().push(path.to_path_buf());
                }
            }
            // Read with the module files, in parallel (see `prefetch`).
            FileKind::Tfvars | FileKind::TfvarsJson => self.found_tfvars.push((path.to_path_buf(), kind)),
        }
    }

    /// Reads a file, reporting why when it cannot be analysed.
    fn read(&mut self, path: &Path, trusted: bool) -> Option<(FileId, Arc<str>)> {
        let prepared = prepare(&self.ws, path, self.opts.max_file_size, trusted);
        self.register(path, prepared)
    }

    /// Adds a prepared file to the sources, or reports why it is not analysed.
    fn register(&mut self, path: &Path, prepared: Result<Prepared, String>) -> Option<(FileId, Arc<str>)> {
        let shown = display_path(path);
        let prepared = match prepared {
            Ok(p) => p,
            Err(msg) => {
                self.diags.push(Diagnostic::for_path(Level::Error, format!("{shown}: {msg}"), shown));
                return None;
            }
        };
        self.p.stats.files += 1;
        crate::progress::file_read();
        let text = prepared.file.text.clone();
        let id = self.p.sources.add_file(prepared.file);
        if let Some((at, what)) = prepared.problem {
            let span = crate::source::Span::new(id, at, at + 1);
            self.diags.push(Diagnostic::error(format!("{what}; not analysed"), span));
            return None;
        }
        Some((id, text))
    }

    fn parse(&mut self, path: &Path, kind: FileKind, trusted: bool) -> Option<(FileId, File)> {
        if let Some(prepared) = self.prepared.remove(path) {
            let (id, file) = prepared?;
            for e in &file.errors {
                self.diags.push(Diagnostic::error(e.message.clone(), e.span));
            }
            return Some((id, file));
        }
        let (id, text) = self.read(path, trusted)?;
        let file = match kind {
            FileKind::Tf | FileKind::Tfvars => crate::hcl::parser::parse_file(&text, id),
            FileKind::TfJson => crate::hcl::json_syntax::parse_tf_json(&text, id),
            FileKind::TfvarsJson => unreachable!("tfvars JSON is read as data"),
        };
        for e in &file.errors {
            self.diags.push(Diagnostic::error(e.message.clone(), e.span));
        }
        Some((id, file))
    }

    fn load_tfvars(&mut self, path: &Path, kind: FileKind, trusted: bool) {
        let canon = if trusted { std::fs::canonicalize(path).map_err(ReadError::from) } else { self.ws.resolve(path) };
        let canon = match canon {
            Ok(c) => c,
            Err(e) => {
                let shown = display_path(path);
                self.diags.push(Diagnostic::for_path(
                    Level::Error,
                    format!("cannot read the variables file {shown}: {e}"),
                    shown,
                ));
                return;
            }
        };
        if self.p.tfvars.contains_key(&canon) {
            return;
        }
        let tv = if kind == FileKind::TfvarsJson {
            let Some((id, text)) = self.read(path, trusted) else { return };
            match json::parse(&text, id) {
                Ok(j) => Tfvars::Json(id, j),
                Err(e) => {
                    self.diags.push(Diagnostic::error(e.message, e.span));
                    return;
                }
            }
        } else {
            let Some((id, file)) = self.parse(path, kind, trusted) else { return };
            for b in &file.body.blocks {
                self.diags.push(Diagnostic::error(
                    "a variable definitions file may only assign variables, not hold blocks",
                    b.header_span,
                ));
            }
            self.p.comments.insert(id, file.comments);
            Tfvars::Hcl(id, Arc::new(file.body))
        };
        self.p.tfvars.insert(canon, tv);
    }

    /// Loads the scanned module directories, then every directory they reach.
    /// Reads and parses the files of the scanned modules in parallel, ahead of building the
    /// modules. Files are registered in walk order, so file ids (and output) do not depend on
    /// the number of threads.
    fn prefetch(&mut self) {
        let mut files: Vec<(PathBuf, FileKind)> = Vec::new();
        for dir in self.scanned.clone() {
            let listed = match self.dir_files.get(&dir) {
                Some(f) => f.clone(),
                None => self.list_module_files(&dir),
            };
            for f in listed {
                let name = f.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                if let Some(kind @ (FileKind::Tf | FileKind::TfJson)) = file_kind(&name) {
                    files.push((f, kind));
                }
            }
        }
        // Variable definitions (HCL) found by the walk come along; JSON ones are read as data.
        let tfvars = std::mem::take(&mut self.found_tfvars);
        let json_tfvars: Vec<(PathBuf, FileKind)> =
            tfvars.iter().filter(|(_, k)| *k == FileKind::TfvarsJson).cloned().collect();
        let hcl_tfvars: Vec<(PathBuf, FileKind)> = tfvars.into_iter().filter(|(_, k)| *k == FileKind::Tfvars).collect();
        files.extend(hcl_tfvars.iter().cloned());
        let max = self.opts.max_file_size;
        let t = std::time::Instant::now();
        let ws = &self.ws;
        let read = crate::parallel::map(&files, self.opts.jobs, |(path, _)| prepare(ws, path, max, false));
        crate::progress::phase("read", t);
        let t = std::time::Instant::now();
        let mut registered: Vec<(PathBuf, FileKind, FileId, Arc<str>)> = Vec::new();
        for ((path, kind), bytes) in files.into_iter().zip(read) {
            match self.register(&path, bytes) {
                Some((id, text)) => registered.push((path, kind, id, text)),
                // Reported once: building the module must not read and report it again.
                None => {
                    self.prepared.insert(path, None);
                }
            }
        }
        crate::progress::phase("register", t);
        let t = std::time::Instant::now();
        let parsed = crate::parallel::map(&registered, self.opts.jobs, |(_, kind, id, text)| match kind {
            FileKind::TfJson => crate::hcl::json_syntax::parse_tf_json(text, *id),
            _ => crate::hcl::parser::parse_file(text, *id),
        });
        crate::progress::phase("parse", t);
        for ((path, _, id, _), file) in registered.into_iter().zip(parsed) {
            self.prepared.insert(path, Some((id, file)));
        }
        for (path, kind) in hcl_tfvars.into_iter().chain(json_tfvars) {
            self.load_tfvars(&path, kind, false);
        }
    }

    fn load_modules(&mut self) {
        self.prefetch();
        let mut queue: VecDeque<PathBuf> = self.scanned.iter().cloned().collect();
        while let Some(dir) = queue.pop_front() {
            if self.p.by_dir.contains_key(&dir) {
                continue;
            }
            let files = match self.dir_files.get(&dir) {
                Some(f) => f.clone(),
                None => self.list_module_files(&dir),
            };
            let id = self.load_module(&dir, &files);
            let module = &self.p.modules[id];
            let mut targets = Vec::new();
            let mut refused = Vec::new();
            for call in module.calls.iter().filter(|c| c.is_local()) {
                let src = call.source.as_deref().unwrap_or(".");
                match self.ws.resolve_dir(&dir.join(src)) {
                    Ok(t) => {
                        targets.push((call.name.clone(), Ok(t.clone())));
                        queue.push_back(t);
                    }
                    Err(ReadError::Missing | ReadError::NotRegular(_)) => {
                        targets.push((call.name.clone(), Err(format!("module source {src:?} does not exist"))))
                    }
                    // A module tfcheck will not read may hold anything: an error, whether or
                    // not the call is instantiated (its count is not known yet).
                    Err(e) => {
                        refused.push(Diagnostic::error(format!("module source {src:?}: {e}"), call.source_span));
                        targets.push((call.name.clone(), Err(format!("module source {src:?}: {e}"))));
                    }
                }
            }
            for d in refused {
                self.diags.push(d);
            }
            self.pending.push((id, targets));
            // After `terraform init`, remote modules are in .terraform/modules.
            let manifest = dir.join(".terraform/modules/modules.json");
            if self.ws.resolve(&manifest).is_ok_and(|m| m.is_file()) {
                for (key, target) in self.read_manifest(&manifest, &dir) {
                    queue.push_back(target.clone());
                    self.pending_installed.push((id, key, target));
                }
            }
        }
        for (id, targets) in std::mem::take(&mut self.pending) {
            for (name, target) in targets {
                let r = target.and_then(|t| {
                    self.p.by_dir.get(&t).copied().ok_or_else(|| "module directory has no .tf files".to_string())
                });
                self.p.local_calls.insert((id, name), r);
            }
        }
        for (id, key, target) in std::mem::take(&mut self.pending_installed) {
            if let Some(m) = self.p.by_dir.get(&target) {
                self.p.installed.entry(id).or_default().insert(key, *m);
            }
        }
    }

    /// The Terraform files of a module directory reached through a module call (anything
    /// that is not a regular file is refused when it is read).
    fn list_module_files(&mut self, dir: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = match self.ws.list(dir) {
            Ok(entries) => entries
                .into_iter()
                .filter(|e| {
                    !is_ignored_file(&e.name) && matches!(file_kind(&e.name), Some(FileKind::Tf | FileKind::TfJson))
                })
                .map(|e| e.path)
                .collect(),
            Err(e) => {
                self.diags.push(Diagnostic::for_path(
                    Level::Error,
                    format!("cannot read {}: {e}", display_path(dir)),
                    display_path(dir),
                ));
                Vec::new()
            }
        };
        files.sort();
        // Show paths relative to the working directory.
        let cwd = std::env::current_dir().ok();
        files
            .into_iter()
            .map(|f| match &cwd {
                Some(c) => f.strip_prefix(c).map(Path::to_path_buf).unwrap_or(f),
                None => f,
            })
            .collect()
    }

    fn load_module(&mut self, dir: &Path, files: &[PathBuf]) -> ModuleId {
        let mut primary = Vec::new();
        let mut overrides = Vec::new();
        let names: HashSet<String> =
            files.iter().filter_map(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        for path in files {
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            if replaced_by_tofu(&name, &names) {
                continue;
            }
            let Some(kind) = file_kind(&name) else { continue };
            let Some((id, file)) = self.parse(path, kind, false) else { continue };
            self.p.comments.insert(id, file.comments);
            let body = Arc::new(file.body);
            if is_override_file(&name) {
                overrides.push((id, body));
            } else {
                primary.push((id, body));
            }
        }
        let display_dir = files
            .first()
            .and_then(|f| f.parent())
            .map(|p| if p.as_os_str().is_empty() { ".".to_string() } else { display_path(p) })
            .unwrap_or_else(|| display_path(dir));
        let module = Module::build(dir.to_path_buf(), display_dir, primary, overrides, &self.p.sources, self.diags);
        let id = self.p.modules.len();
        self.p.modules.push(module);
        crate::progress::module_loaded();
        self.p.by_dir.insert(dir.to_path_buf(), id);
        id
    }

    /// Reads `.terraform/modules/modules.json`: `{"Modules": [{"Key", "Source", "Dir"}]}`.
    fn read_manifest(&mut self, manifest: &Path, root: &Path) -> Vec<(String, PathBuf)> {
        let Some((id, text)) = self.read(manifest, false) else { return Vec::new() };
        let j = match json::parse(&text, id) {
            Ok(j) => j,
            Err(e) => {
                self.diags.push(Diagnostic::error(format!("invalid modules.json: {}", e.message), e.span));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for m in j.get("Modules").map(|m| m.items()).unwrap_or(&[]) {
            let (Some(key), Some(dir)) = (m.get("Key").and_then(Json::as_str), m.get("Dir").and_then(Json::as_str))
            else {
                continue;
            };
            if key.is_empty() {
                continue;
            }
            match self.ws.resolve_dir(&root.join(dir)) {
                Ok(t) => out.push((key.to_string(), t)),
                Err(ReadError::Missing | ReadError::NotRegular(_)) => self.diags.push(Diagnostic::warning(
                    format!("modules.json lists {dir:?} for module {key:?}, but it does not exist; run terraform init"),
                    m.span,
                )),
                Err(e) => {
                    self.diags.push(Diagnostic::error(format!("modules.json: {dir:?} for module {key:?}: {e}"), m.span))
                }
            }
        }
        out
    }

    /// Roots are the scanned modules no other scanned module calls through a local source.
    /// Scanned modules reachable from no root (a cycle of calls) become roots too, so
    /// nothing is silently left out.
    fn pick_roots(&mut self) {
        let scanned: Vec<ModuleId> = self.scanned.iter().filter_map(|d| self.p.by_dir.get(d).copied()).collect();
        let scanned_set: HashSet<ModuleId> = scanned.iter().copied().collect();
        let mut called = HashSet::new();
        for ((caller, _), target) in &self.p.local_calls {
            if let Ok(t) = target {
                if scanned_set.contains(caller) && caller != t {
                    called.insert(*t);
                }
            }
        }
        let mut roots: Vec<ModuleId> = scanned.iter().copied().filter(|m| !called.contains(m)).collect();
        let mut reached: HashSet<ModuleId> = HashSet::new();
        let mut stack = roots.clone();
        while let Some(m) = stack.pop() {
            if !reached.insert(m) {
                continue;
            }
            for call in &self.p.modules[m].calls {
                if let Some(Ok(t)) = self.p.local_calls.get(&(m, call.name.clone())) {
                    stack.push(*t);
                }
            }
            if let Some(inst) = self.p.installed.get(&m) {
                stack.extend(inst.values().copied());
            }
        }
        for m in scanned {
            if !reached.contains(&m) {
                roots.push(m);
                // Everything it reaches is now covered.
                let mut stack = vec![m];
                while let Some(x) = stack.pop() {
                    if !reached.insert(x) {
                        continue;
                    }
                    for call in &self.p.modules[x].calls {
                        if let Some(Ok(t)) = self.p.local_calls.get(&(x, call.name.clone())) {
                            stack.push(*t);
                        }
                    }
                }
            }
        }
        self.p.roots = roots;
    }
}
