//! Discovery: walks the scanned paths for Terraform files (as Terraform names them, with
//! excludes), adds the modules that call a named module, and the variable files beside them.

use super::*;
use crate::diag::{Code, Diagnostic, Level};
use crate::syntax::source::display_path;
use crate::workspace::{Found, ReadError, Walk, is_ignored_file};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

impl Loader<'_> {
    pub(super) fn discover(&mut self) {
        let mut only = HashSet::new();
        for path in &self.opts.paths {
            // The paths themselves were typed by the user: stat them as they are.
            let meta = match std::fs::metadata(path) {
                Ok(m) => m,
                Err(e) => {
                    let shown = display_path(path);
                    self.diags.push(Diagnostic::for_path(
                        Code::Read,
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
                    Code::Read,
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
    pub(super) fn add_dir_tfvars(&mut self, dir: &Path) {
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

    pub(super) fn has_module_files(&self, dir: &Path) -> bool {
        self.ws.list(dir).is_ok_and(|entries| {
            entries.iter().any(|e| {
                !is_ignored_file(&e.name) && matches!(file_kind(&e.name), Some(FileKind::Tf | FileKind::TfJson))
            })
        })
    }

    /// Adds, transitively, the module directories whose local `source` leads to `targets`,
    /// searching the workspace the targets are in. Sources are found by reading text, not
    /// by parsing.
    pub(super) fn add_callers(&mut self, targets: Vec<PathBuf>) {
        let Some(first) = targets.first() else { return };
        let Some(root) = self.ws.roots().iter().find(|r| first.starts_with(r)).cloned() else { return };
        let mut edges: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut files = Vec::new();
        let walk = Walk {
            workspace: &self.ws,
            recursive: true,
            excluded: &|_| false,
            files: |n| n.ends_with(".tf") || n.ends_with(".tofu"),
            jobs: self.opts.jobs,
        };
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

    pub(super) fn walk(&mut self, root: &Path) {
        let mut found = Vec::new();
        {
            // (Without `--exclude`, no path is made to be matched: a walk visits every entry.)
            let opts = self.opts;
            let excluded = |rel: &Path| !opts.exclude.is_empty() && excluded(opts, rel, &display_path(&root.join(rel)));
            let walk = Walk {
                workspace: &self.ws,
                recursive: self.opts.recursive,
                excluded: &excluded,
                files: |n| file_kind(n).is_some(),
                jobs: self.opts.jobs,
            };
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
                        self.diags.push(Diagnostic::for_path(
                            Code::Read,
                            Level::Error,
                            format!("{shown}: {reason}"),
                            shown,
                        ));
                    }
                }
            }
        }
    }

    pub(super) fn add_found_file(&mut self, path: &Path, kind: FileKind) {
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

/// OpenTofu reads `x.tofu` instead of `x.tf` (and `x.tofu.json` instead of `x.tf.json`)
/// when a directory has both: a module can hold OpenTofu-only configuration beside
/// Terraform's.
pub(super) fn excluded(opts: &LoadOptions, rel: &Path, display: &str) -> bool {
    let rel_s = rel.to_string_lossy().replace('\\', "/");
    opts.exclude.iter().any(|g| g.matches(&rel_s) || g.matches(display) || g.matches(&format!("{rel_s}/")))
}

pub(super) fn replaced_by_tofu(name: &str, names: &HashSet<String>) -> bool {
    let tofu = if let Some(stem) = name.strip_suffix(".tf.json") {
        format!("{stem}.tofu.json")
    } else if let Some(stem) = name.strip_suffix(".tf") {
        format!("{stem}.tofu")
    } else {
        return false;
    };
    names.contains(&tofu)
}
