//! tfcheck: a Terraform security analyzer. It reads Terraform the way Terraform does (HCL and
//! `.tf.json`, variables and tfvars, locals, modules, `count`/`for_each`, `dynamic` blocks,
//! plans and states), runs rules written as data on every resource instance, and reports
//! findings.
//!
//! This page is the library's whole API: scan a tree (or files held in memory, or a plan),
//! then render the [`ScanResult`] in one of the [`report`] formats. The `tfcheck` command is
//! a thin layer over it.
//!
//! ```
//! let mut options = tfcheck::ScanOptions::default();
//! options.load.paths = vec!["testdata/examples/ecr".into()];
//! options.config = tfcheck::ConfigChoice::None;
//! let result = tfcheck::scan(&options);
//! assert!(!result.has_errors());
//! for finding in &result.findings {
//!     println!("{} {} at {}", finding.rule.id, finding.address, result.sources.short(finding.span));
//! }
//! let sarif = tfcheck::report::render(&result, tfcheck::report::Format::Sarif, &Default::default());
//! assert!(sarif.contains("\"ruleId\": \"ecr_nocmk\""));
//! ```
//!
//! The modules follow the pipeline: `syntax` (source text, parsers) and `terraform` (the
//! model) underneath; `input` (configuration, plans, states) -> `eval` (expressions and
//! modules) -> `check` (rules, from `rules`) -> `triage` (ignores, baselines) -> `report`;
//! `scan` runs them in that order.

mod check;
mod diag;
mod eval;
mod finding;
pub mod fix;
mod input;
mod parallel;
mod progress;
pub mod report;
mod rules;
mod scan;
mod settings;
mod syntax;
mod terraform;
mod triage;
mod workspace;

use std::path::Path;
use std::sync::Arc;

pub use check::Pass;
pub use diag::{Code, Diagnostic, Level};
pub use eval::module::{CliInput, EvalOptions};
pub use finding::{Finding, Suppression, Tool};
pub use input::config::LoadOptions;
pub use progress::{Observer, Progress};
pub use rules::{Input, Rule, Severity};
pub use scan::{ConfigChoice, ScanOptions, ScanResult, Stats, scan, scan_in_memory, scan_plan_text};
pub use syntax::source::{FileId, LineCol, SourceFile, SourceMap, Span};

/// The rules a scan with these options would run (built-in rules and `rule_dirs`, before
/// selection): for listing and explaining them. Errors come located (`file:line:col: ...`).
pub fn load_rules(options: &ScanOptions) -> Result<Vec<Arc<Rule>>, Vec<String>> {
    let sources = SourceMap::new();
    let (rules, errors) = scan::load_rules(&sources, options);
    if errors.is_empty() {
        return Ok(rules);
    }
    Err(errors
        .iter()
        .map(|e| match e.span {
            Some(s) => format!("{}: {}", sources.short(s), e.message),
            None => e.message.clone(),
        })
        .collect())
}

/// Writes the scan's findings (suppressed ones included) as a baseline file that a later
/// `--baseline` run reads; returns how many it wrote.
pub fn write_baseline(path: &Path, result: &ScanResult) -> std::io::Result<usize> {
    triage::baseline::write(path, &result.findings, &result.sources)
}

#[doc(hidden)]
pub mod internals {
    //! Not API: what the fuzz targets, the benchmarks and the integration tests reach into.
    pub use crate::eval::functions::names as function_names;
    pub use crate::input::config::tfjson;
    pub use crate::rules::load::load_rule_file;
    pub use crate::scan::load_rules;
    pub use crate::syntax::hcl::{ast, parser};
}
