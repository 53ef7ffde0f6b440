//! A whole scan: load rules and configuration, evaluate each root module, run the rules on
//! every resource instance, apply suppressions. Renderers take it from there.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Level};
use crate::eval::module::{EvalOptions, RootEval, clean_message};
use crate::finding::Finding;
use crate::loader::{self, LoadOptions, Project};
use crate::rules::engine::{self, Outcome};
use crate::rules::{Rule, load};
use crate::source::SourceMap;

#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    pub load: LoadOptions,
    pub eval: EvalOptions,
    /// `--rules` directories or files, added to the built-in rules.
    pub rule_dirs: Vec<PathBuf>,
    /// Leave out the built-in rules (for testing rule files on their own).
    pub no_builtin_rules: bool,
}

pub struct ScanResult {
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub rules: Vec<Arc<Rule>>,
    pub sources: SourceMap,
    pub stats: Stats,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub files: usize,
    pub modules: usize,
    pub roots: usize,
    /// Resource instances the rules looked at.
    pub resources: usize,
}

impl ScanResult {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// Loads only the rules (for `tfcheck rules` and `explain`).
pub fn load_rules(sources: &SourceMap, opts: &ScanOptions) -> (Vec<Arc<Rule>>, Vec<Diagnostic>) {
    let (mut rules, mut errors) =
        if opts.no_builtin_rules { (Vec::new(), Vec::new()) } else { load::load_builtin(sources) };
    for dir in &opts.rule_dirs {
        let (r, e) = load::load_dir(sources, dir);
        rules.extend(r);
        errors.extend(e);
    }
    // A rule id may be defined once.
    let mut seen: Vec<(String, crate::source::Span)> = Vec::new();
    let mut unique = Vec::new();
    for r in rules {
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == r.id) {
            errors.push(Diagnostic::error(
                format!("rule {:?} is already defined at {}", r.id, sources.short(*first)),
                r.span,
            ));
            continue;
        }
        seen.push((r.id.clone(), r.span));
        unique.push(Arc::new(r));
    }
    (unique, errors)
}

pub fn scan(opts: &ScanOptions) -> ScanResult {
    let diags = Diagnostics::default();
    let mut load_opts = opts.load.clone();
    // --var-file files are read like the tfvars found in the tree.
    for input in &opts.eval.cli {
        if let crate::eval::module::CliInput::VarFile(p) = input {
            load_opts.var_files.push(p.clone());
        }
    }
    let project = loader::load(&load_opts, &diags);
    let (rules, rule_errors) = load_rules(&project.sources, opts);
    for e in rule_errors {
        diags.push(e);
    }
    let mut eval_opts = opts.eval.clone();
    for input in &mut eval_opts.cli {
        if let crate::eval::module::CliInput::VarFile(p) = input {
            if let Ok(c) = std::fs::canonicalize(&*p) {
                *p = c;
            }
        }
    }
    let mut findings = Vec::new();
    let mut resources = 0;
    for &root in &project.roots {
        check_root(&project, root, &eval_opts, &rules, &diags, &mut findings, &mut resources);
    }
    apply_suppressions(&project, &mut findings);
    if let Some(only) = &project.only_files {
        findings.retain(|f| {
            let file = project.sources.get(f.span.file);
            std::fs::canonicalize(&file.path).is_ok_and(|p| only.contains(&p))
        });
    }
    let mut seen = HashSet::new();
    findings.sort_by(|a, b| {
        let fa = project.sources.get(a.span.file);
        let fb = project.sources.get(b.span.file);
        (&fa.display, a.span.start, &a.rule.id, &a.address).cmp(&(&fb.display, b.span.start, &b.rule.id, &b.address))
    });
    findings.retain(|f| seen.insert((f.rule.id.clone(), f.address.clone(), f.span, f.message.clone())));
    let diagnostics = diags
        .take_sorted()
        .into_iter()
        .map(|mut d| {
            d.message = clean_message(&d.message).to_string();
            d
        })
        .collect();
    let stats =
        Stats { files: project.stats.files, modules: project.stats.modules, roots: project.roots.len(), resources };
    ScanResult { findings, diagnostics, rules, sources: project.sources, stats }
}

fn check_root(
    project: &Project,
    root: usize,
    opts: &EvalOptions,
    rules: &[Arc<Rule>],
    diags: &Diagnostics,
    findings: &mut Vec<Finding>,
    resources: &mut usize,
) {
    let re = RootEval::new(project, root, opts, diags);
    let wanted = |t: &str| rules.iter().any(|r| r.resource_types.iter().any(|x| x == t));
    let root_dir = project.modules[root].display_dir.clone();
    re.for_each_resource(&wanted, &mut |inst| {
        *resources += 1;
        for rule in rules.iter().filter(|r| r.resource_types.iter().any(|t| *t == inst.resource.rtype)) {
            match engine::run(rule, &inst) {
                Outcome::Pass | Outcome::Undecided => {}
                Outcome::Fail { span, message, origin } => findings.push(Finding {
                    message: match &origin {
                        Some(o) => match o.span {
                            Some(s) => format!("{message} ({} at {})", o.label, project.sources.short(s)),
                            None => format!("{message} ({})", o.label),
                        },
                        None => message,
                    },
                    rule: rule.clone(),
                    address: inst.address.clone(),
                    span,
                    resource_span: inst.resource.block.header_span,
                    origin,
                    module_path: inst.module_path.clone(),
                    root: root_dir.clone(),
                    suppressed: None,
                }),
                Outcome::Error(e) => diags.push(Diagnostic::warning(
                    format!(
                        "rule {} could not be evaluated on {}: {}",
                        rule.id,
                        inst.address,
                        clean_message(&e.message)
                    ),
                    inst.resource.block.header_span,
                )),
            }
        }
    });
}

fn apply_suppressions(project: &Project, findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        let Some(comments) = project.comments.get(&f.span.file) else { continue };
        let file = project.sources.get(f.span.file);
        let line = file.line_col(f.span.start).line;
        let block_line =
            if f.resource_span.file == f.span.file { file.line_col(f.resource_span.start).line } else { line };
        f.suppressed = crate::suppress::find(&file, comments, &f.rule.id, &f.rule.aliases, line, block_line);
    }
}
