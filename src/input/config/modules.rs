//! The module graph: each directory's files made into a module, local and installed
//! (`modules.json`) module sources followed, and the root modules picked.

use super::discover::replaced_by_tofu;
use super::*;
use crate::diag::{Code, Diagnostic, Level};
use crate::syntax::json::{self, Json};
use crate::syntax::source::display_path;
use crate::terraform::config::{Module, ModuleId, is_override_file};
use crate::workspace::{ReadError, is_ignored_file};
use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

impl Loader<'_> {
    pub(super) fn load_modules(&mut self) {
        self.prefetch();
        let mut prebuilt = self.prebuild();
        let mut queue: VecDeque<PathBuf> = self.scanned.iter().cloned().collect();
        while let Some(dir) = queue.pop_front() {
            if self.p.by_dir.contains_key(&dir) {
                continue;
            }
            let id = match prebuilt.remove(&dir) {
                Some(module) => self.add_module(&dir, module),
                None => {
                    let files = match self.dir_files.get(&dir) {
                        Some(f) => f.clone(),
                        None => self.list_module_files(&dir),
                    };
                    self.load_module(&dir, &files)
                }
            };
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
                        refused.push(Diagnostic::error(
                            Code::Read,
                            format!("module source {src:?}: {e}"),
                            call.source_span,
                        ));
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
    pub(super) fn list_module_files(&mut self, dir: &Path) -> Vec<PathBuf> {
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
                    Code::Read,
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

    /// Builds the modules of the scanned directories from their files, read and parsed ahead,
    /// on the scan's threads (a module is built from its own files alone).
    fn prebuild(&mut self) -> PathMap<Module> {
        let mut jobs = Vec::new();
        let mut seen = foldhash::HashSet::default();
        for dir in self.scanned.clone() {
            let Some(files) = self.dir_files.get(&dir).cloned() else { continue };
            if seen.insert(dir.clone()) {
                let parsed = self.module_files(&files);
                jobs.push((dir, files, parsed));
            }
        }
        let (sources, diags) = (&*self.p.sources, self.diags);
        let t = std::time::Instant::now();
        let built = crate::parallel::map_owned(jobs, self.opts.jobs, |(dir, files, parsed)| {
            let module = build_module(&dir, &files, parsed, sources, diags);
            (dir, module)
        });
        self.opts.progress.phase("build modules", t);
        built.into_iter().collect()
    }

    /// Reads and parses a module directory's files (or takes them parsed ahead).
    fn module_files(&mut self, files: &[PathBuf]) -> Vec<(String, FileId, File)> {
        let names: HashSet<String> =
            files.iter().filter_map(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        let mut out = Vec::new();
        for path in files {
            let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            if replaced_by_tofu(&name, &names) {
                continue;
            }
            let Some(kind) = file_kind(&name) else { continue };
            let Some((id, mut file)) = self.parse(path, kind, false) else { continue };
            self.p.comments.insert(id, std::mem::take(&mut file.comments));
            out.push((name, id, file));
        }
        out
    }

    pub(super) fn load_module(&mut self, dir: &Path, files: &[PathBuf]) -> ModuleId {
        let parsed = self.module_files(files);
        let module = build_module(dir, files, parsed, &self.p.sources, self.diags);
        self.add_module(dir, module)
    }

    fn add_module(&mut self, dir: &Path, module: Module) -> ModuleId {
        let id = self.p.modules.len();
        self.p.modules.push(module);
        self.opts.progress.module_loaded();
        self.p.by_dir.insert(dir.to_path_buf(), id);
        id
    }

    /// Reads `.terraform/modules/modules.json`: `{"Modules": [{"Key", "Source", "Dir"}]}`.
    pub(super) fn read_manifest(&mut self, manifest: &Path, root: &Path) -> Vec<(String, PathBuf)> {
        let Some((id, text)) = self.read(manifest, false) else { return Vec::new() };
        let j = match json::parse(&text, id) {
            Ok(j) => j,
            Err(e) => {
                self.diags.push(Diagnostic::error(
                    Code::Module,
                    format!("invalid modules.json: {}", e.message),
                    e.span,
                ));
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
                    Code::Module,
                    format!("modules.json lists {dir:?} for module {key:?}, but it does not exist; run terraform init"),
                    m.span,
                )),
                Err(e) => self.diags.push(Diagnostic::error(
                    Code::Module,
                    format!("modules.json: {dir:?} for module {key:?}: {e}"),
                    m.span,
                )),
            }
        }
        out
    }

    /// Roots are the scanned modules no other scanned module calls through a local source.
    /// Scanned modules reachable from no root (a cycle of calls) become roots too, so
    /// nothing is silently left out.
    pub(super) fn pick_roots(&mut self) {
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

/// A module from its directory's parsed files (override files merged in).
fn build_module(
    dir: &Path,
    files: &[PathBuf],
    parsed: Vec<(String, FileId, File)>,
    sources: &SourceMap,
    diags: &Diagnostics,
) -> Module {
    let mut primary = Vec::new();
    let mut overrides = Vec::new();
    for (name, id, file) in parsed {
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
    Module::build(dir.to_path_buf(), display_dir, primary, overrides, sources, diags)
}
