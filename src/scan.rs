//! A whole scan: load rules, configuration and plans, evaluate each root module, run the
//! rules on every resource instance, apply suppressions. Renderers take it from there.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{Checked, Checker, Pass};
use crate::diag::{Code, Diagnostic, Diagnostics, Level};
use crate::eval::module::{CliInput, EvalOptions, RootEval};
use crate::finding::Finding;
use crate::input::config::{self, LoadOptions};
use crate::input::plan::file::{self as plan_file, PlanSource, is_plan_path};
use crate::input::plan::{self, PlanReader};
use crate::progress::Observer;
use crate::rules::Rule;
use crate::rules::model::Input;
use crate::rules::select::{load_rules_from, select_rules};
use crate::settings::Settings;
use crate::syntax::hcl::ast::Comment;
use crate::syntax::source::{FileId, SourceMap, display_path};
use crate::terraform::config::Project;
use crate::triage::Triage;
use crate::triage::scope::retain_named;
use crate::workspace::Workspace;

#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    pub load: LoadOptions,
    pub eval: EvalOptions,
    /// `--rules` directories or files, added to the built-in rules.
    pub rule_dirs: Vec<PathBuf>,
    /// Leave out the built-in rules (for testing rule files on their own).
    pub no_builtin_rules: bool,
    /// `--rule`: run only these rules (ids, aliases or families).
    pub select: Vec<String>,
    /// `--skip-rule`: do not run these rules (ids, aliases or families).
    pub skip: Vec<String>,
    /// `--baseline`: findings recorded in this file are not new.
    pub baseline: Option<PathBuf>,
    /// `--no-ignores`: report suppressed findings as if there were no ignore comments.
    pub no_ignores: bool,
    /// `--workspace` or `$TF_WORKSPACE` (else the configuration file's, else "default").
    pub workspace: Option<String>,
    /// Which configuration file to read.
    pub config: ConfigChoice,
    /// `--source`: where the `.tf` files of plans are (else the plan's directory, else the
    /// working directory, when they hold `.tf` files).
    pub plan_source: Option<PathBuf>,
    /// `--stdin-filename`: the name a plan read from standard input is reported under.
    pub stdin_filename: Option<String>,
    /// Receives progress events (none by default).
    pub progress: Observer,
}

/// Where the configuration file comes from.
#[derive(Clone, Debug, Default)]
pub enum ConfigChoice {
    /// The nearest `.tfcheck.hcl` in or above the working directory, up to the repository
    /// root.
    #[default]
    Discover,
    File(PathBuf),
    None,
}

pub struct ScanResult {
    /// The configuration file's `fail_on`, when it sets one.
    pub fail_on: Option<crate::rules::Severity>,
    /// The configuration file this scan used, as shown to users.
    pub config: Option<String>,
    pub findings: Vec<Finding>,
    /// Instances a rule checked and found fine (for JUnit's passing test cases).
    pub passes: Vec<Pass>,
    /// A `--baseline` was read: findings say whether they are new.
    pub baseline_used: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub rules: Vec<Arc<Rule>>,
    pub sources: Arc<SourceMap>,
    pub stats: Stats,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub files: usize,
    pub modules: usize,
    pub roots: usize,
    /// Resource instances the rules looked at.
    pub resources: usize,
    pub plans: usize,
    pub states: usize,
}

impl ScanResult {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// Loads only the rules (for `tfcheck rules` and `explain`).
pub fn load_rules(sources: &SourceMap, opts: &ScanOptions) -> (Vec<Arc<Rule>>, Vec<Diagnostic>) {
    load_rules_from(sources, !opts.no_builtin_rules, &opts.rule_dirs, &[], None)
}

/// The configuration file for this scan, if any. A discovered one is part of the repository:
/// it is read through the working directory's workspace.
fn read_settings(opts: &ScanOptions, sources: &SourceMap, diags: &Diagnostics) -> Settings {
    let (path, workspace) = match &opts.config {
        ConfigChoice::None => (None, None),
        ConfigChoice::File(f) => (Some(f.clone()), None),
        ConfigChoice::Discover => {
            let cwd = PathBuf::from(".");
            (crate::settings::discover(&cwd), Some(Workspace::for_paths(&[cwd])))
        }
    };
    let Some(path) = path else { return Settings::default() };
    let (settings, errors) = crate::settings::load(&path, sources, workspace.as_ref());
    for e in errors {
        diags.push(e);
    }
    settings
}

/// Command-line options with the configuration file's settings merged in (flags win).
fn apply_settings(opts: &ScanOptions, s: &Settings, diags: &Diagnostics) -> ScanOptions {
    let mut o = opts.clone();
    match crate::input::config::exclude_patterns(&s.exclude) {
        Ok(p) => o.load.exclude.extend(p),
        Err(e) => diags.push(Diagnostic::for_path(
            Code::Settings,
            Level::Error,
            e,
            s.path.as_deref().map(display_path).unwrap_or_default(),
        )),
    }
    // The file's variables come first, so --var and --var-file override them.
    let mut inputs: Vec<CliInput> = s.var_files.iter().cloned().map(CliInput::VarFile).collect();
    inputs.extend(s.vars.iter().map(|(k, v)| CliInput::Var(k.clone(), v.clone())));
    inputs.extend(opts.eval.cli.iter().cloned());
    o.eval.cli = inputs;
    o.eval.workspace = opts
        .workspace
        .clone()
        .or_else(|| s.workspace.clone())
        .or_else(|| Some(opts.eval.workspace.clone()).filter(|w| !w.is_empty()))
        .unwrap_or_else(|| "default".to_string());
    if o.select.is_empty() {
        o.select = s.enable.iter().map(|(n, _)| n.clone()).collect();
    }
    o.skip.extend(s.disable.iter().map(|(n, _)| n.clone()));
    o
}

/// The rules this scan runs (loaded, checked against the configuration file, selected, with
/// its severities), and every rule name tfcheck knows (lowercase), selected or not: what an
/// ignore comment may name.
fn scan_rules(
    opts: &ScanOptions,
    settings: &Settings,
    sources: &SourceMap,
    workspace: &Workspace,
    diags: &Diagnostics,
) -> (Vec<Arc<Rule>>, HashSet<String>) {
    let settings_ws = (!settings.trusted).then_some(workspace);
    let (rules, rule_errors) =
        load_rules_from(sources, !opts.no_builtin_rules, &opts.rule_dirs, &settings.rule_dirs, settings_ws);
    for e in rule_errors {
        diags.push(e);
    }
    settings.check_rule_names(&rules, diags);
    let known: HashSet<String> =
        rules.iter().flat_map(|r| std::iter::once(&r.id).chain(&r.aliases)).map(|n| n.to_ascii_lowercase()).collect();
    let from_file = |n: &str| settings.names_rule(n);
    let rules = settings.apply_severities(select_rules(rules, &opts.select, &opts.skip, &from_file, diags));
    (rules, known)
}

/// Everything one scan accumulates.
struct Run<'a> {
    rules: &'a [Arc<Rule>],
    diags: &'a Diagnostics,
    sources: Arc<SourceMap>,
    checked: Checked,
    comments: HashMap<FileId, Vec<Comment>>,
    stats: Stats,
}

pub fn scan(opts: &ScanOptions) -> ScanResult {
    scan_with(opts, Default::default())
}

/// A scan that reads the texts of `overlay` instead of those files (`fix` checks its edits
/// before it writes them).
pub(crate) fn scan_with(opts: &ScanOptions, overlay: crate::workspace::Overlay) -> ScanResult {
    let diags = Diagnostics::default();
    let sources = Arc::new(SourceMap::new());
    let settings = read_settings(opts, &sources, &diags);
    // Fixed before any scanned file is read; nothing scanned widens it.
    let workspace = Workspace::for_paths(&opts.load.paths).with_overlay(overlay);
    let trusted_var_files: Vec<PathBuf> = opts
        .eval
        .cli
        .iter()
        .filter_map(|i| if let CliInput::VarFile(p) = i { Some(p.clone()) } else { None })
        .collect();
    let opts = &apply_settings(opts, &settings, &diags);
    let (rules, known) = scan_rules(opts, &settings, &sources, &workspace, &diags);
    let (plans, hcl_paths): (Vec<PathBuf>, Vec<PathBuf>) =
        opts.load.paths.iter().cloned().partition(|p| is_plan_path(p));
    let mut run = Run {
        rules: &rules,
        diags: &diags,
        sources: sources.clone(),
        checked: Checked::default(),
        comments: HashMap::new(),
        stats: Stats::default(),
    };
    if !hcl_paths.is_empty() || plans.is_empty() {
        run.check_config(hcl_paths, opts, &settings, &workspace, trusted_var_files);
    }
    for p in &plans {
        run.check_plan(p, opts);
    }
    let Run { checked, comments, mut stats, .. } = run;
    let Checked { mut findings, mut passes, resources } = checked;
    stats.resources = resources;
    let triage = Triage {
        sources: &sources,
        comments: &comments,
        known: &known,
        settings: &settings,
        no_ignores: opts.no_ignores,
        load: &opts.load,
        baseline: opts.baseline.as_deref(),
        diags: &diags,
    };
    triage.apply(&mut findings, &mut passes);
    let mut diagnostics = diags.take_sorted();
    // Nothing to scan is not a failure (a repository without Terraform yet, a pre-commit run),
    // but is likely a wrong path: a warning, in every format, and exit 0.
    if stats.files == 0 && stats.plans == 0 && !diagnostics.iter().any(|d| d.level == Level::Error) {
        for p in &opts.load.paths {
            let shown = p.display().to_string();
            diagnostics.push(Diagnostic::for_path(
                Code::NoInput,
                Level::Warning,
                format!("no Terraform files found in {shown}"),
                shown,
            ));
        }
    }
    ScanResult {
        fail_on: settings.fail_on,
        config: settings.path.as_deref().map(display_path),
        findings,
        passes,
        baseline_used: opts.baseline.is_some(),
        diagnostics,
        rules,
        sources,
        stats,
    }
}

/// Evaluates one root module and checks its instances.
fn check_root(checker: &Checker, project: &Project, root: usize, opts: &EvalOptions) -> Checked {
    let re = RootEval::new(project, root, opts, checker.diags);
    let root_dir = project.modules[root].display_dir.clone();
    let mut instances = Vec::new();
    re.for_each_resource(&|t| checker.wanted(t), &mut |inst| instances.push(inst));
    checker.check_instances(&instances, &root_dir, Input::Hcl)
}

impl Run<'_> {
    fn checker(&self) -> Checker<'_> {
        Checker { rules: self.rules, diags: self.diags, sources: &self.sources }
    }

    /// Loads the Terraform configuration under `paths` and checks every root module.
    fn check_config(
        &mut self,
        paths: Vec<PathBuf>,
        opts: &ScanOptions,
        settings: &Settings,
        workspace: &Workspace,
        trusted_var_files: Vec<PathBuf>,
    ) {
        let mut load_opts = opts.load.clone();
        load_opts.paths = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths };
        load_opts.workspace = Some(workspace.clone());
        load_opts.progress = opts.progress.clone();
        // --var-file files are read like the tfvars found in the tree; those a discovered
        // configuration file names are scanned content.
        for p in &settings.var_files {
            load_opts.var_files.push(config::VarFile { path: p.clone(), trusted: settings.trusted });
        }
        for p in trusted_var_files {
            load_opts.var_files.push(config::VarFile { path: p, trusted: true });
        }
        let project = config::load(&load_opts, self.diags, self.sources.clone());
        let mut eval_opts = opts.eval.clone();
        for input in &mut eval_opts.cli {
            if let crate::eval::module::CliInput::VarFile(p) = input {
                if let Ok(c) = std::fs::canonicalize(&*p) {
                    *p = c;
                }
            }
        }
        // Root modules are independent: check them on all cores, merging in root order.
        let t = std::time::Instant::now();
        let checker = self.checker();
        let results = crate::parallel::map(&project.roots, opts.load.jobs, |&root| {
            let checked = check_root(&checker, &project, root, &eval_opts);
            opts.progress.root_checked();
            checked
        });
        for r in results {
            self.checked.extend(r);
        }
        opts.progress.phase("evaluate and check", t);
        self.stats.files += project.stats.files;
        self.stats.modules += project.stats.modules;
        self.stats.roots += project.roots.len();
        self.comments.extend(project.comments.iter().map(|(k, v)| (*k, v.clone())));
        if let Some(only) = &project.only_files {
            // Before plans are checked: the named files say nothing about them.
            retain_named(&self.sources, only, &project.named_dirs, &mut self.checked.findings);
        }
        // Freeing every syntax tree takes a tenth of a second on a large tree: on all cores.
        let t = std::time::Instant::now();
        let mut project = project;
        crate::parallel::map_owned(std::mem::take(&mut project.modules), opts.load.jobs, drop);
        drop(project);
        opts.progress.phase("free", t);
    }

    /// Reads a plan or state and checks its instances.
    fn check_plan(&mut self, path: &Path, opts: &ScanOptions) {
        let checker = Checker { rules: self.rules, diags: self.diags, sources: &self.sources };
        let source = PlanSource { name: opts.stdin_filename.as_deref(), tf_dir: opts.plan_source.as_deref() };
        let Some(read) = plan_file::load(path, &source, &opts.load, &self.sources, self.diags, &|t| checker.wanted(t))
        else {
            return;
        };
        self.stats.files += 1;
        let Some(input) = read.input else { return };
        match input {
            Input::State => self.stats.states += 1,
            _ => self.stats.plans += 1,
        }
        self.comments.extend(read.comments);
        let checked = checker.check_instances(&read.instances, &read.shown, input);
        self.checked.extend(checked);
    }
}

/// Scans one module held in memory (read as one module, without modules it calls) with the given rules.
pub fn scan_in_memory(files: &[(&str, &str)], rules: &[Arc<Rule>], eval: &EvalOptions) -> ScanResult {
    let diags = Diagnostics::default();
    let sources = Arc::new(SourceMap::new());
    let project = config::load_in_memory(files, &diags, sources.clone());
    let checker = Checker { rules, diags: &diags, sources: &sources };
    let mut eval = eval.clone();
    if eval.workspace.is_empty() {
        eval.workspace = "default".into();
    }
    let checked = check_root(&checker, &project, 0, &eval);
    let stats =
        Stats { files: project.stats.files, modules: 1, roots: 1, resources: checked.resources, plans: 0, states: 0 };
    ScanResult {
        fail_on: None,
        config: None,
        findings: checked.findings,
        passes: checked.passes,
        baseline_used: false,
        diagnostics: diags.take_sorted(),
        rules: rules.to_vec(),
        sources,
        stats,
    }
}

/// Checks a plan held in memory (no sources) with the given rules.
pub fn scan_plan_text(text: &str, rules: &[Arc<Rule>]) -> ScanResult {
    let diags = Diagnostics::default();
    let sources = Arc::new(SourceMap::new());
    let id = sources.add_named(PathBuf::from("plan.json"), "plan.json".into(), text.into());
    let mut checked = Checked::default();
    match crate::syntax::json::parse(text, id) {
        Err(e) => diags.push(Diagnostic::error(Code::Plan, e.message, e.span)),
        Ok(json) if !plan::is_plan(&json) => {
            diags.push(Diagnostic::error(Code::Plan, "not a plan", crate::syntax::source::Span::new(id, 0, 0)))
        }
        Ok(json) => match plan::check_version(&json) {
            Err((span, msg)) => diags.push(Diagnostic::error(Code::Plan, msg, span)),
            Ok(()) => {
                let checker = Checker { rules, diags: &diags, sources: &sources };
                let mut instances = Vec::new();
                PlanReader::new(&json, None).for_each_resource(&|t| checker.wanted(t), &mut |i| instances.push(i));
                checked = checker.check_instances(&instances, "plan.json", Input::Plan);
            }
        },
    }
    let stats = Stats { files: 1, resources: checked.resources, plans: 1, ..Stats::default() };
    ScanResult {
        fail_on: None,
        config: None,
        findings: checked.findings,
        passes: checked.passes,
        baseline_used: false,
        diagnostics: diags.take_sorted(),
        rules: rules.to_vec(),
        sources,
        stats,
    }
}
