//! Which findings belong to this run: those in the files a pre-commit run named, none
//! located in an excluded file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::finding::Finding;
use crate::input::config::LoadOptions;
use crate::syntax::source::{FileId, SourceMap, display_path};

/// When files were named (a pre-commit run): the findings in them, those whose deciding value
/// is written in one (a changed tfvars file), those of module instances a call in one creates,
/// every finding of a named tfvars file's root, and what is located in a named directory.
pub fn retain_named(sources: &SourceMap, only: &HashSet<PathBuf>, named_dirs: &[PathBuf], findings: &mut Vec<Finding>) {
    let named_files: HashSet<FileId> = (0..sources.len() as u32)
        .map(FileId)
        .filter(|id| {
            std::fs::canonicalize(&sources.get(*id).path)
                .is_ok_and(|p| only.contains(&p) || named_dirs.iter().any(|d| p.starts_with(d)))
        })
        .collect();
    let named = |span: crate::syntax::source::Span| named_files.contains(&span.file);
    // A named variables file stands for its root: it decides which instances exist.
    let named_roots: HashSet<&Path> = only
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".tfvars") || p.to_string_lossy().ends_with(".tfvars.json"))
        .filter_map(|p| p.parent())
        .collect();
    let mut root_named: HashMap<String, bool> = HashMap::new();
    for f in findings.iter() {
        root_named
            .entry(f.root.clone())
            .or_insert_with(|| std::fs::canonicalize(&f.root).is_ok_and(|r| named_roots.contains(r.as_path())));
    }
    // And those of module instances a call in a named file creates: adding a module call
    // without a key adds findings located in the (unchanged) module.
    findings.retain(|f| {
        root_named[&f.root]
            || named(f.span)
            || f.origin.as_ref().and_then(|o| o.span).is_some_and(named)
            || f.module_path.iter().any(|step| named(step.call_span))
    });
}

/// The files whose path matches an `--exclude` glob: relative to the working directory, or to
/// a scanned directory (as the walk matches them).
pub fn excluded_files(sources: &SourceMap, load: &LoadOptions) -> HashSet<FileId> {
    let dirs: Vec<String> =
        load.paths.iter().filter(|p| p.is_dir()).map(|p| display_path(p)).filter(|d| d != ".").collect();
    let mut out = HashSet::new();
    for i in 0..sources.len() {
        let id = FileId(i as u32);
        let shown = sources.get(id).display.clone();
        let relative = dirs.iter().filter_map(|d| shown.strip_prefix(d.as_str())?.strip_prefix('/'));
        if std::iter::once(shown.as_str()).chain(relative).any(|p| load.exclude.iter().any(|g| g.matches(p))) {
            out.insert(id);
        }
    }
    out
}
