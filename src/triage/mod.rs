//! What happens to findings after the rules: ignore comments and the configuration file's
//! reviewed ignores, the files a run was limited to, excludes, one finding per root, and
//! baselines.

pub mod baseline;
pub mod ignores;
pub mod scope;
pub mod suppress;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::check::Pass;
use crate::diag::{Code, Diagnostic, Diagnostics, Level};
use crate::finding::Finding;
use crate::input::config::LoadOptions;
use crate::settings::Settings;
use crate::syntax::hcl::ast::Comment;
use crate::syntax::source::{FileId, SourceMap, display_path};
use ignores::{apply_settings_ignores, apply_suppressions, check_ignore_names};
use scope::excluded_files;

/// What triage needs from the scan.
pub struct Triage<'a> {
    pub sources: &'a SourceMap,
    /// Every scanned file's comments, where ignore comments are.
    pub comments: &'a HashMap<FileId, Vec<Comment>>,
    /// Every rule id and alias tfcheck knows (lowercase), selected or not.
    pub known: &'a HashSet<String>,
    pub settings: &'a Settings,
    /// `--no-ignores`.
    pub no_ignores: bool,
    /// For `--exclude`.
    pub load: &'a LoadOptions,
    pub baseline: Option<&'a Path>,
    pub diags: &'a Diagnostics,
}

impl Triage<'_> {
    /// Marks suppressed and baselined findings, drops excluded and repeated ones, and sorts
    /// findings by file, position, rule and address.
    pub fn apply(&self, findings: &mut Vec<Finding>, passes: &mut Vec<Pass>) {
        passes.sort_by(|a, b| (&a.rule, &a.address).cmp(&(&b.rule, &b.address)));
        passes.dedup_by(|a, b| a.rule == b.rule && a.address == b.address);
        check_ignore_names(self.comments, self.known, self.diags);
        if !self.no_ignores {
            apply_suppressions(self.sources, self.comments, findings, self.diags);
            apply_settings_ignores(self.settings, findings, self.diags);
        }
        let mut seen = HashSet::new();
        findings.sort_by(|a, b| {
            let fa = self.sources.get(a.span.file);
            let fb = self.sources.get(b.span.file);
            (&fa.display, a.span.start, &a.rule.id, &a.address, &a.root).cmp(&(
                &fb.display,
                b.span.start,
                &b.rule.id,
                &b.address,
                &b.root,
            ))
        });
        if !self.load.exclude.is_empty() {
            // An excluded module is still evaluated for its callers; what is located in it is not
            // reported.
            let excluded = excluded_files(self.sources, self.load);
            findings.retain(|f| !excluded.contains(&f.span.file));
            passes.retain(|p| !excluded.contains(&p.span.file));
        }
        // The same module evaluated from two roots gives two findings, one per root.
        findings
            .retain(|f| seen.insert((f.rule.id.clone(), f.address.clone(), f.span, f.message.clone(), f.root.clone())));
        if let Some(path) = self.baseline {
            match baseline::read(path) {
                Ok(known) => {
                    let fps = baseline::Fingerprints::new(self.sources);
                    for f in findings.iter_mut() {
                        f.baselined = known.contains(f, &fps);
                    }
                }
                Err(e) => self.diags.push(Diagnostic::for_path(Code::Baseline, Level::Error, e, display_path(path))),
            }
        }
    }
}
