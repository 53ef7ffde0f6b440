//! Loading: finds the modules under the scanned paths, reads and parses their files, follows
//! local module sources and `terraform init`'s `modules.json`, and picks the root modules.
//!
//! Everything is read before evaluation starts, so evaluation never touches the disk except
//! for `file()`-like functions.

mod discover;
mod modules;
pub mod tfjson;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Code, Diagnostic, Diagnostics, Level};
use crate::syntax::hcl::ast::File;
use crate::syntax::hcl::parser::Keep;
use crate::syntax::json::{self};
use crate::syntax::source::{FileId, SourceMap, display_path};
use crate::terraform::config::{Module, ModuleId, PathMap, Project, Tfvars};
use crate::workspace::{ReadError, Workspace};

/// What to read: the scanned paths and how.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Directories or files to scan (plans among them are recognised by the scan).
    pub paths: Vec<PathBuf>,
    /// `--exclude` globs, compiled (add them with [`LoadOptions::add_excludes`]).
    pub(crate) exclude: Vec<glob::Pattern>,
    /// Files larger than this are reported and not analysed.
    pub max_file_size: u64,
    /// Variable files named outside the tree, read like the tfvars found in it (the scan
    /// fills this from `--var-file` and the configuration file).
    pub(crate) var_files: Vec<VarFile>,
    /// Where scanned content may be read from (fixed by the scan before anything is read).
    /// Empty: derived from `paths`.
    pub(crate) workspace: Option<Workspace>,
    /// Walk directories recursively (false: only the named directories, and the modules
    /// they call).
    pub recursive: bool,
    /// Threads for reading, parsing and evaluating (0: one per core).
    pub jobs: usize,
    /// Receives progress events (the scan passes its own).
    pub(crate) progress: crate::progress::Observer,
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
            progress: Default::default(),
        }
    }
}

impl LoadOptions {
    /// Adds `--exclude` globs (relative to a scanned directory; a directory excludes what is
    /// under it).
    pub fn add_excludes(&mut self, globs: &[String]) -> Result<(), String> {
        self.exclude.extend(exclude_patterns(globs)?);
        Ok(())
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

/// A file read and indexed (on a worker thread), with what makes it unreadable as Terraform.
struct Prepared {
    file: Arc<crate::syntax::source::SourceFile>,
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
    let file = crate::syntax::source::SourceFile::new(path.to_path_buf(), display_path(path), text);
    Ok(Prepared { file: Arc::new(file), problem })
}

/// The top-level blocks whose bodies are deferred (parsed again when evaluation reaches
/// them), with what building a module reads: every tree is held until the last root module
/// is evaluated, and the rules look at few resources, follow few module calls and locals,
/// and never read a provider block.
fn deferred(ty: &str) -> Option<Keep> {
    let attributes: &'static [&'static str] = match ty {
        "resource" | "data" => &["count", "for_each"],
        "module" => &["source", "count", "for_each"],
        "variable" => &["type", "default", "nullable", "sensitive"],
        _ => &[],
    };
    // Locals and outputs are indexed by name when the module is built.
    Some(Keep { attributes, names: matches!(ty, "locals" | "output") })
}

/// Parses a configuration or HCL variables file.
fn parse_config(text: &Arc<str>, id: FileId, kind: FileKind) -> File {
    match kind {
        FileKind::TfJson => tfjson::parse_tf_json(text, id),
        FileKind::Tf => {
            let mut file = crate::syntax::hcl::parser::parse_file(text, id);
            crate::syntax::hcl::parser::defer_bodies(&mut file, text, deferred);
            file
        }
        FileKind::Tfvars | FileKind::TfvarsJson => crate::syntax::hcl::parser::parse_file(text, id),
    }
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

/// Loads the configuration under `opts.paths`, adding its files to `sources`.
pub fn load(opts: &LoadOptions, diags: &Diagnostics, sources: Arc<SourceMap>) -> Project {
    let ws = opts.workspace.clone().unwrap_or_else(|| Workspace::for_paths(&opts.paths));
    let mut l = Loader {
        p: Project { sources, sandbox: ws.roots().to_vec(), ..Project::default() },
        ws,
        opts,
        diags,
        scanned: Vec::new(),
        dir_files: PathMap::default(),
        pending: Vec::new(),
        pending_installed: Vec::new(),
        canon_dirs: PathMap::default(),
        prepared: PathMap::default(),
        seen_files: Default::default(),
        found_tfvars: Vec::new(),
    };
    let t = std::time::Instant::now();
    l.discover();
    opts.progress.phase("discover", t);
    let t = std::time::Instant::now();
    l.load_modules();
    opts.progress.phase("load modules", t);
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
        let text: Arc<str> = (*text).into();
        let id = p.sources.add_named(path.clone(), name.to_string(), text.clone());
        p.stats.files += 1;
        let kind = file_kind(name);
        let file = match kind {
            Some(FileKind::TfvarsJson) => match json::parse(&text, id) {
                Ok(j) => {
                    p.tfvars.insert(path, Tfvars::Json(id, j));
                    continue;
                }
                Err(e) => {
                    diags.push(Diagnostic::error(Code::Syntax, e.message, e.span));
                    continue;
                }
            },
            Some(kind) => parse_config(&text, id, kind),
            None => parse_config(&text, id, FileKind::Tf),
        };
        for e in &file.errors {
            diags.push(Diagnostic::error(Code::Syntax, e.message.clone(), e.span));
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
    dir_files: PathMap<Vec<PathBuf>>,
    /// Local calls of each loaded module, resolved to directories.
    pending: Vec<(ModuleId, Vec<CallTarget>)>,
    /// `modules.json` entries: (root, key, directory).
    pending_installed: Vec<(ModuleId, String, PathBuf)>,
    canon_dirs: PathMap<PathBuf>,
    seen_files: foldhash::HashSet<PathBuf>,
    /// Variable definition files found by the walk, loaded after it.
    found_tfvars: Vec<(PathBuf, FileKind)>,
    /// Files read and parsed ahead (see `prefetch`).
    prepared: PathMap<Option<(FileId, File)>>,
}

impl Loader<'_> {
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
                self.diags.push(Diagnostic::for_path(Code::Read, Level::Error, format!("{shown}: {msg}"), shown));
                return None;
            }
        };
        self.p.stats.files += 1;
        self.opts.progress.file_read();
        let text = prepared.file.text.clone();
        let id = self.p.sources.add_file(prepared.file);
        if let Some((at, what)) = prepared.problem {
            let span = crate::syntax::source::Span::new(id, at, at + 1);
            self.diags.push(Diagnostic::error(Code::Read, format!("{what}; not analysed"), span));
            return None;
        }
        Some((id, text))
    }

    fn parse(&mut self, path: &Path, kind: FileKind, trusted: bool) -> Option<(FileId, File)> {
        if let Some(prepared) = self.prepared.remove(path) {
            let (id, file) = prepared?;
            for e in &file.errors {
                self.diags.push(Diagnostic::error(Code::Syntax, e.message.clone(), e.span));
            }
            return Some((id, file));
        }
        let (id, text) = self.read(path, trusted)?;
        let file = parse_config(&text, id, kind);
        for e in &file.errors {
            self.diags.push(Diagnostic::error(Code::Syntax, e.message.clone(), e.span));
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
                    Code::Read,
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
                    self.diags.push(Diagnostic::error(Code::Syntax, e.message, e.span));
                    return;
                }
            }
        } else {
            let Some((id, file)) = self.parse(path, kind, trusted) else { return };
            for b in &file.body.blocks {
                self.diags.push(Diagnostic::error(
                    Code::Invalid,
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
        self.opts.progress.phase("read", t);
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
        self.opts.progress.phase("register", t);
        let t = std::time::Instant::now();
        let parsed =
            crate::parallel::map(&registered, self.opts.jobs, |(_, kind, id, text)| parse_config(text, *id, *kind));
        self.opts.progress.phase("parse", t);
        for ((path, _, id, _), file) in registered.into_iter().zip(parsed) {
            self.prepared.insert(path, Some((id, file)));
        }
        for (path, kind) in hcl_tfvars.into_iter().chain(json_tfvars) {
            self.load_tfvars(&path, kind, false);
        }
    }
}
