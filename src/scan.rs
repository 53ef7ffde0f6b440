//! A whole scan: load rules, configuration and plans, evaluate each root module, run the
//! rules on every resource instance, apply suppressions. Renderers take it from there.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Level};
use crate::eval::module::{CliInput, EvalOptions, RootEval, clean_message};
use crate::finding::Finding;
use crate::hcl::ast::Comment;
use crate::instance::ResourceInstance;
use crate::loader::{self, LoadOptions, Project};
use crate::plan::{self, PlanReader};
use crate::rules::engine::{self, Outcome, RuleContext};
use crate::rules::model::Input;
use crate::rules::{Rule, load};
use crate::settings::Settings;
use crate::source::{FileId, SourceMap, display_path};
use crate::value::Value;
use crate::workspace::Workspace;

#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    pub load: LoadOptions,
    pub eval: EvalOptions,
    /// `--rules` directories or files, added to the built-in rules.
    pub rule_dirs: Vec<PathBuf>,
    /// Leave out the built-in rules (for testing rule files on their own).
    pub no_builtin_rules: bool,
    /// `--rule`: run only these rules (ids or aliases).
    pub select: Vec<String>,
    /// `--skip-rule`: do not run these rules (ids or aliases).
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

/// A rule that checked an instance and found nothing wrong.
#[derive(Clone, Debug)]
pub struct Pass {
    pub rule: String,
    pub address: String,
    pub span: crate::source::Span,
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

/// Largest plan read (plans of big estates run to tens of MiB; whitespace does not count
/// for much, but memory does).
pub const MAX_PLAN_SIZE: u64 = 256 << 20;

/// Loads only the rules (for `tfcheck rules` and `explain`).
pub fn load_rules(sources: &SourceMap, opts: &ScanOptions) -> (Vec<Arc<Rule>>, Vec<Diagnostic>) {
    load_rules_from(sources, opts, &[], None)
}

/// The built-in rules, the user's `--rules`, and the rule directories a configuration file
/// names (read through `workspace` when the file is part of the scanned repository).
fn load_rules_from(
    sources: &SourceMap,
    opts: &ScanOptions,
    settings_dirs: &[PathBuf],
    workspace: Option<&Workspace>,
) -> (Vec<Arc<Rule>>, Vec<Diagnostic>) {
    let (mut rules, mut errors) =
        if opts.no_builtin_rules { (Vec::new(), Vec::new()) } else { load::load_builtin(sources) };
    let dirs = settings_dirs.iter().map(|d| (d, workspace)).chain(opts.rule_dirs.iter().map(|d| (d, None)));
    for (dir, ws) in dirs {
        let (r, e) = load::load_dir(sources, dir, ws);
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
    match crate::loader::exclude_patterns(&s.exclude) {
        Ok(p) => o.load.exclude.extend(p),
        Err(e) => {
            diags.push(Diagnostic::for_path(Level::Error, e, s.path.as_deref().map(display_path).unwrap_or_default()))
        }
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

fn named(r: &Rule, name: &str) -> bool {
    r.id == name || r.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
}

/// Rule names in the configuration file must name loaded rules: located errors otherwise.
fn check_settings_names(rules: &[Arc<Rule>], s: &Settings, diags: &Diagnostics) {
    let names =
        s.enable.iter().chain(&s.disable).map(|(n, sp)| (n, *sp)).chain(s.severity.iter().map(|(n, _, sp)| (n, *sp)));
    for (name, span) in names {
        if !rules.iter().any(|r| named(r, name)) {
            diags.push(Diagnostic::error(format!("no rule named {name:?} (`tfcheck rules` lists them)"), span));
        }
    }
}

/// Severity overrides from the configuration file.
fn settings_severities(rules: Vec<Arc<Rule>>, s: &Settings) -> Vec<Arc<Rule>> {
    rules
        .into_iter()
        .map(|r| match s.severity.iter().find(|(n, _, _)| named(&r, n)) {
            Some((_, sev, _)) if *sev != r.severity => {
                let mut changed = (*r).clone();
                changed.severity = *sev;
                Arc::new(changed)
            }
            _ => r,
        })
        .collect()
}

/// The configuration file's reviewed ignores, for findings no comment suppressed.
fn apply_settings_ignores(s: &Settings, findings: &mut [Finding], diags: &Diagnostics) {
    let today = crate::suppress::Date::today();
    for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
        let hit = s.ignores.iter().find(|i| {
            let rule_ok =
                i.rule == "*" || i.rule == f.rule.id || f.rule.aliases.iter().any(|a| a.eq_ignore_ascii_case(&i.rule));
            rule_ok && crate::rules::policy::wildcard_match(&i.address, &f.address)
        });
        let Some(i) = hit else { continue };
        match i.expires.filter(|e| *e < today) {
            Some(exp) => diags.push(Diagnostic::warning(
                format!("this ignore for {} expired on {exp}: its findings are reported again", i.rule),
                i.span,
            )),
            None => {
                f.suppressed = Some(crate::finding::Suppression {
                    span: i.span,
                    reason: Some(i.reason.clone()),
                    tool: crate::suppress::Tool::Config,
                    expires: i.expires,
                })
            }
        }
    }
}

/// Applies `--rule` and `--skip-rule`; a name that matches no rule is an error.
fn select_rules(rules: Vec<Arc<Rule>>, opts: &ScanOptions, settings: &Settings, diags: &Diagnostics) -> Vec<Arc<Rule>> {
    // Names from the configuration file are checked (with their location) by settings_rules.
    let from_file = |n: &String| settings.enable.iter().chain(&settings.disable).any(|(x, _)| x == n);
    for name in opts.select.iter().chain(&opts.skip).filter(|n| !from_file(n)) {
        if !rules.iter().any(|r| named(r, name)) {
            diags.push(Diagnostic::for_path(
                Level::Error,
                format!("no rule named {name:?} (`tfcheck rules` lists them)"),
                "<command line>",
            ));
        }
    }
    rules
        .into_iter()
        .filter(|r| opts.select.is_empty() || opts.select.iter().any(|n| named(r, n)))
        .filter(|r| !opts.skip.iter().any(|n| named(r, n)))
        .collect()
}

/// A plan is named on the command line: `-` (standard input), a `.json` file that is not
/// Terraform's JSON configuration syntax, or a file of any other name that is not Terraform
/// configuration and holds JSON or a binary plan (`tfplan`), recognised by its first bytes.
/// A FIFO or device the user names (`<(terraform show -json p)`) is a plan: reading its
/// first bytes would consume them.
fn is_plan_path(p: &Path) -> bool {
    let s = p.to_string_lossy();
    if s == "-" {
        return true;
    }
    if [".tf.json", ".tofu.json", ".tfvars.json"].iter().any(|e| s.ends_with(e)) {
        return false;
    }
    if s.ends_with(".json") {
        return p.is_file();
    }
    if [".tf", ".tofu", ".tfvars"].iter().any(|e| s.ends_with(e)) {
        return false;
    }
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => {
            let mut head = [0u8; 64];
            let n = std::fs::File::open(p).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
            let head = &head[..n];
            head.starts_with(ZIP_MAGIC) || head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
        }
        Ok(m) => !m.is_dir(),
        Err(_) => false,
    }
}

/// How a binary plan (`terraform plan -out`, a zip file) starts.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The files whose path matches an `--exclude` glob: relative to the working directory, or to
/// a scanned directory (as the walk matches them).
fn excluded_files(sources: &SourceMap, load: &LoadOptions) -> HashSet<FileId> {
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
    let diags = Diagnostics::default();
    let sources = Arc::new(SourceMap::new());
    let settings = read_settings(opts, &sources, &diags);
    // Fixed before any scanned file is read; nothing scanned widens it.
    let workspace = Workspace::for_paths(&opts.load.paths);
    let trusted_var_files: Vec<PathBuf> = opts
        .eval
        .cli
        .iter()
        .filter_map(|i| if let CliInput::VarFile(p) = i { Some(p.clone()) } else { None })
        .collect();
    let opts = &apply_settings(opts, &settings, &diags);
    let settings_ws = (!settings.trusted).then_some(&workspace);
    let (rules, rule_errors) = load_rules_from(&sources, opts, &settings.rule_dirs, settings_ws);
    for e in rule_errors {
        diags.push(e);
    }
    check_settings_names(&rules, &settings, &diags);
    // Every rule tfcheck knows, selected or not: what an ignore comment may name.
    let known: HashSet<String> =
        rules.iter().flat_map(|r| std::iter::once(&r.id).chain(&r.aliases)).map(|n| n.to_ascii_lowercase()).collect();
    let rules = settings_severities(select_rules(rules, opts, &settings, &diags), &settings);
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
        let mut load_opts = opts.load.clone();
        load_opts.paths = if hcl_paths.is_empty() { vec![PathBuf::from(".")] } else { hcl_paths };
        load_opts.workspace = Some(workspace.clone());
        // --var-file files are read like the tfvars found in the tree; those a discovered
        // configuration file names are scanned content.
        for p in &settings.var_files {
            load_opts.var_files.push(loader::VarFile { path: p.clone(), trusted: settings.trusted });
        }
        for p in trusted_var_files {
            load_opts.var_files.push(loader::VarFile { path: p, trusted: true });
        }
        let project = loader::load(&load_opts, &diags, sources.clone());
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
        let checker = run.checker();
        let results = crate::parallel::map(&project.roots, opts.load.jobs, |&root| {
            checker.check_root(&project, root, &eval_opts)
        });
        for r in results {
            run.checked.extend(r);
        }
        crate::progress::phase("evaluate and check", t);
        run.stats.files += project.stats.files;
        run.stats.modules += project.stats.modules;
        run.stats.roots += project.roots.len();
        run.comments.extend(project.comments.iter().map(|(k, v)| (*k, v.clone())));
        if let Some(only) = &project.only_files {
            // Before plans are checked: the named files say nothing about them.
            retain_named(&sources, only, &project.named_dirs, &mut run.checked.findings);
        }
    }
    for p in &plans {
        run.check_plan(p, opts);
    }
    let Run { checked, comments, mut stats, .. } = run;
    let Checked { mut findings, mut passes, resources } = checked;
    stats.resources = resources;
    passes.sort_by(|a, b| (&a.rule, &a.address).cmp(&(&b.rule, &b.address)));
    passes.dedup_by(|a, b| a.rule == b.rule && a.address == b.address);
    check_ignore_names(&comments, &known, &diags);
    if !opts.no_ignores {
        apply_suppressions(&sources, &comments, &mut findings, &diags);
        apply_settings_ignores(&settings, &mut findings, &diags);
    }
    let mut seen = HashSet::new();
    findings.sort_by(|a, b| {
        let fa = sources.get(a.span.file);
        let fb = sources.get(b.span.file);
        (&fa.display, a.span.start, &a.rule.id, &a.address, &a.root).cmp(&(
            &fb.display,
            b.span.start,
            &b.rule.id,
            &b.address,
            &b.root,
        ))
    });
    if !opts.load.exclude.is_empty() {
        // An excluded module is still evaluated for its callers; what is located in it is not
        // reported.
        let excluded = excluded_files(&sources, &opts.load);
        findings.retain(|f| !excluded.contains(&f.span.file));
        passes.retain(|p| !excluded.contains(&p.span.file));
    }
    // The same module evaluated from two roots gives two findings, one per root.
    findings.retain(|f| seen.insert((f.rule.id.clone(), f.address.clone(), f.span, f.message.clone(), f.root.clone())));
    if let Some(path) = &opts.baseline {
        match crate::baseline::read(path) {
            Ok(known) => {
                let fps = crate::baseline::Fingerprints::new(&sources);
                for f in findings.iter_mut() {
                    f.baselined = known.contains(f, &fps);
                }
            }
            Err(e) => diags.push(Diagnostic::for_path(Level::Error, e, display_path(path))),
        }
    }
    let diagnostics = diags
        .take_sorted()
        .into_iter()
        .map(|mut d| {
            d.message = clean_message(&d.message).to_string();
            d
        })
        .collect();
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

/// What checking some instances gave.
#[derive(Default)]
struct Checked {
    findings: Vec<Finding>,
    passes: Vec<Pass>,
    resources: usize,
}

impl Checked {
    fn extend(&mut self, other: Checked) {
        self.findings.extend(other.findings);
        self.passes.extend(other.passes);
        self.resources += other.resources;
    }
}

/// Runs the rules; shared by the threads that check root modules.
struct Checker<'a> {
    rules: &'a [Arc<Rule>],
    diags: &'a Diagnostics,
    sources: &'a SourceMap,
}

impl Checker<'_> {
    /// Resource types some rule checks or reads.
    fn wanted(&self, rtype: &str) -> bool {
        self.rules.iter().any(|r| r.reads(rtype))
    }

    fn check_root(&self, project: &Project, root: usize, opts: &EvalOptions) -> Checked {
        let re = RootEval::new(project, root, opts, self.diags);
        let root_dir = project.modules[root].display_dir.clone();
        let mut instances = Vec::new();
        re.for_each_resource(&|t| self.wanted(t), &mut |inst| instances.push(inst));
        let checked = self.check_instances(&instances, &root_dir, Input::Hcl);
        crate::progress::root_checked();
        checked
    }

    /// Runs the rules on a whole configuration's instances (rules may read the others).
    fn check_instances(&self, instances: &[ResourceInstance], root: &str, input: Input) -> Checked {
        let mut by_type: HashMap<String, Vec<Value>> = HashMap::new();
        for inst in instances.iter().filter(|i| !i.only_deleted()) {
            by_type.entry(inst.rtype.clone()).or_default().push(inst.value.clone());
        }
        let cx = RuleContext { resources: &by_type };
        let mut out = Checked::default();
        for inst in instances {
            if self.rules.iter().any(|r| r.applies_to(&inst.rtype)) {
                self.check_instance(inst, root, input, &cx, &mut out);
            }
        }
        out
    }

    /// Runs the rules that apply to one instance.
    fn check_instance(&self, inst: &ResourceInstance, root: &str, input: Input, cx: &RuleContext, out: &mut Checked) {
        out.resources += 1;
        if let Some(e) = &inst.limit {
            let m = format!("{} was not fully read, so findings on it may be missing: {}", inst.address, e.message);
            self.diags.push(Diagnostic::error(m, inst.header_span));
        }
        let rules = self.rules.iter().filter(|r| {
            r.applies_to(&inst.rtype) && r.inputs.contains(&input) && (r.include_deleted || !inst.only_deleted())
        });
        for rule in rules {
            match engine::run(rule, inst, cx) {
                Outcome::Pass => out.passes.push(Pass {
                    rule: rule.id.clone(),
                    address: inst.address.clone(),
                    span: inst.header_span,
                }),
                Outcome::Undecided => {}
                Outcome::Fail { span, message, origin } => {
                    let mut message = match origin.as_ref().filter(|o| !o.label.is_empty()) {
                        Some(o) => match o.span {
                            Some(s) => {
                                // "set in terraform.tfvars at terraform.tfvars:3" says the file twice.
                                let at = self.sources.short(s);
                                let file = &self.sources.get(s.file).display;
                                match o.label.strip_suffix(file.as_str()).filter(|h| h.ends_with("in ")) {
                                    Some(head) => format!("{message} ({head}{at})"),
                                    None => format!("{message} ({} at {at})", o.label),
                                }
                            }
                            None => format!("{message} ({})", o.label),
                        },
                        None => message,
                    };
                    if let Some(note) = inst.note.as_deref().filter(|_| !rule.include_deleted) {
                        // Rules about the plan's actions say it themselves.
                        message.push_str(note);
                    }
                    out.findings.push(Finding {
                        rule: rule.clone(),
                        address: inst.address.clone(),
                        span,
                        resource_span: inst.header_span,
                        block_span: inst.block_span,
                        message,
                        origin,
                        module_path: inst.module_path.clone(),
                        root: root.to_string(),
                        suppressed: None,
                        baselined: false,
                    })
                }
                Outcome::Error(e) => self.diags.push(Diagnostic {
                    // A limit of tfcheck's, not a problem of the input: fail closed.
                    level: if e.limit { Level::Error } else { Level::Warning },
                    ..Diagnostic::warning(
                        format!(
                            "rule {} could not be evaluated on {}: {}",
                            rule.id,
                            inst.address,
                            clean_message(&e.message)
                        ),
                        inst.header_span,
                    )
                }),
            }
        }
    }
}

impl Run<'_> {
    fn checker(&self) -> Checker<'_> {
        Checker { rules: self.rules, diags: self.diags, sources: &self.sources }
    }

    /// Checks the resources a state holds.
    fn check_state(&mut self, json: &crate::json::Json, shown: &str) {
        if let Err((span, msg)) = crate::state::check_version(json) {
            self.diags.push(Diagnostic::error(msg, span));
            return;
        }
        self.stats.states += 1;
        let checker = self.checker();
        let read = crate::state::read(json, &|t| checker.wanted(t));
        if let Some(first) = read.undecided_keys.first() {
            // Not a finding and not an error: the state does not say who manages these keys.
            let n = read.undecided_keys.len();
            self.diags.push(Diagnostic::warning(
                format!(
                    "{n} KMS key{} in {shown} ({first}{}) {} not described by this state (no aws_kms_key, alias or data source for it): resources encrypted with {} are not judged; scan the state that manages the key too",
                    if n == 1 { "" } else { "s" },
                    if n > 1 { ", ..." } else { "" },
                    if n == 1 { "is" } else { "are" },
                    if n == 1 { "it" } else { "them" },
                ),
                crate::source::Span::new(json.span.file, json.span.start as usize, json.span.start as usize + 1),
            ));
        }
        let checked = checker.check_instances(&read.instances, shown, Input::State);
        self.checked.extend(checked);
    }

    /// Reads a plan (a file, or standard input for `-`) and checks its instances.
    fn check_plan(&mut self, path: &Path, opts: &ScanOptions) {
        let shown = match &opts.stdin_filename {
            _ if path != Path::new("-") => display_path(path),
            Some(name) => name.clone(),
            None => "<stdin>".to_string(),
        };
        let text = match read_plan(path) {
            Ok(t) => t,
            Err(e) => {
                self.diags.push(Diagnostic::for_path(Level::Error, format!("cannot read plan {shown}: {e}"), shown));
                return;
            }
        };
        self.stats.files += 1;
        // Standard input under a given name is that file for baselines too.
        let file_path = match &opts.stdin_filename {
            Some(name) if path == Path::new("-") => PathBuf::from(name),
            _ => path.to_path_buf(),
        };
        let id = self.sources.add_named(file_path, shown.clone(), text.clone().into());
        let json = match crate::json::parse(&text, id) {
            Ok(j) => j,
            Err(e) => {
                self.diags.push(Diagnostic::error(format!("invalid plan or state JSON: {}", e.message), e.span));
                return;
            }
        };
        if !plan::is_plan(&json) {
            if crate::state::is_state(&json) {
                self.check_state(&json, &shown);
                return;
            }
            self.diags.push(Diagnostic::error(
                format!("{shown} is neither a Terraform plan nor a state: expected the output of `terraform show -json` (format_version with planned_values or resource_changes, or values of a state) or a terraform.tfstate file"),
                crate::source::Span::new(id, 0, 1),
            ));
            return;
        }
        if let Err((span, msg)) = plan::check_version(&json) {
            self.diags.push(Diagnostic::error(msg, span));
            return;
        }
        self.stats.plans += 1;
        if let Some(dir) = opts.plan_source.as_ref().filter(|d| !d.is_dir()) {
            // A path the user typed that leads nowhere is a mistake, not a missing location.
            let shown = display_path(dir);
            self.diags.push(Diagnostic::for_path(
                Level::Error,
                format!("--source {shown}: not a directory with the plan's .tf files"),
                shown,
            ));
        }
        let source_dir = plan_sources(path, opts);
        let src_diags = Diagnostics::default();
        let project = source_dir.as_ref().map(|dir| {
            let lo = LoadOptions { paths: vec![dir.clone()], recursive: false, ..opts.load.clone() };
            loader::load(&lo, &src_diags, self.sources.clone())
        });
        // Sources only give locations: their syntax errors are warnings (a located block may
        // be missing), and what their evaluation would say does not matter.
        for mut d in src_diags.take_sorted().into_iter().filter(|d| d.level == Level::Error) {
            d.level = Level::Warning;
            d.message = format!("in the sources of {shown}: {}", d.message);
            self.diags.push(d);
        }
        let root = project.as_ref().zip(source_dir.as_ref()).and_then(|(p, d)| {
            let c = std::fs::canonicalize(d).ok()?;
            p.by_dir.get(&c).copied()
        });
        if let Some(p) = &project {
            self.comments.extend(p.comments.iter().map(|(k, v)| (*k, v.clone())));
        }
        let sources = project.as_ref().zip(root).map(|(project, root)| plan::Sources { project, root });
        let reader = PlanReader::new(&json, sources);
        let mut instances = Vec::new();
        let checker = self.checker();
        reader.for_each_resource(&|t| checker.wanted(t), &mut |inst| instances.push(inst));
        let checked = checker.check_instances(&instances, &shown, Input::Plan);
        self.checked.extend(checked);
    }
}

/// Scans one module held in memory (see [`loader::load_in_memory`]) with the given rules.
pub fn scan_in_memory(files: &[(&str, &str)], rules: &[Arc<Rule>], eval: &EvalOptions) -> ScanResult {
    let diags = Diagnostics::default();
    let sources = Arc::new(SourceMap::new());
    let project = loader::load_in_memory(files, &diags, sources.clone());
    let checker = Checker { rules, diags: &diags, sources: &sources };
    let mut eval = eval.clone();
    if eval.workspace.is_empty() {
        eval.workspace = "default".into();
    }
    let checked = checker.check_root(&project, 0, &eval);
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
    match crate::json::parse(text, id) {
        Err(e) => diags.push(Diagnostic::error(e.message, e.span)),
        Ok(json) if !plan::is_plan(&json) => {
            diags.push(Diagnostic::error("not a plan", crate::source::Span::new(id, 0, 0)))
        }
        Ok(json) => match plan::check_version(&json) {
            Err((span, msg)) => diags.push(Diagnostic::error(msg, span)),
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

/// Reads a plan file or standard input, refusing more than [`MAX_PLAN_SIZE`].
fn read_plan(path: &Path) -> std::io::Result<String> {
    let mut buf = Vec::new();
    let limit = MAX_PLAN_SIZE + 1;
    if path == Path::new("-") {
        std::io::stdin().lock().take(limit).read_to_end(&mut buf)?;
    } else {
        // A plan is named by the user (a FIFO from `<(terraform show -json p)` is fine).
        buf = crate::workspace::read_trusted(path, MAX_PLAN_SIZE).map_err(|e| match e {
            crate::workspace::ReadError::TooLarge { .. } => {
                std::io::Error::other(format!("larger than the {} MiB limit for plans", MAX_PLAN_SIZE >> 20))
            }
            e => std::io::Error::other(e.to_string()),
        })?;
    }
    if buf.len() as u64 > MAX_PLAN_SIZE {
        return Err(std::io::Error::other(format!("larger than the {} MiB limit for plans", MAX_PLAN_SIZE >> 20)));
    }
    if buf.starts_with(ZIP_MAGIC) {
        return Err(std::io::Error::other(
            "it is a binary plan: scan the JSON that `terraform show -json PLANFILE` (or `tofu show -json`) prints",
        ));
    }
    String::from_utf8(buf)
        .map_err(|e| std::io::Error::other(format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to())))
}

/// Where a plan's `.tf` sources are: `--source`, else the plan's directory, else the working
/// directory, when it holds `.tf` files.
fn plan_sources(plan: &Path, opts: &ScanOptions) -> Option<PathBuf> {
    if let Some(s) = &opts.plan_source {
        // One that is not a directory was reported as an error.
        return Some(s.clone()).filter(|s| s.is_dir());
    }
    let has_tf = |d: &Path| {
        std::fs::read_dir(d).is_ok_and(|rd| {
            rd.filter_map(|e| e.ok()).any(|e| {
                let n = e.file_name().to_string_lossy().to_string();
                [".tf", ".tf.json", ".tofu", ".tofu.json"].iter().any(|e| n.ends_with(e))
            })
        })
    };
    let plan_dir = plan.parent().map(|p| if p.as_os_str().is_empty() { PathBuf::from(".") } else { p.to_path_buf() });
    [plan_dir.filter(|_| plan != Path::new("-")), Some(PathBuf::from("."))].into_iter().flatten().find(|d| has_tf(d))
}

/// When files were named (a pre-commit run): the findings in them, those whose deciding value
/// is written in one (a changed tfvars file), those of module instances a call in one creates,
/// every finding of a named tfvars file's root, and what is located in a named directory.
fn retain_named(sources: &SourceMap, only: &HashSet<PathBuf>, named_dirs: &[PathBuf], findings: &mut Vec<Finding>) {
    let named_files: HashSet<FileId> = (0..sources.len() as u32)
        .map(FileId)
        .filter(|id| {
            std::fs::canonicalize(&sources.get(*id).path)
                .is_ok_and(|p| only.contains(&p) || named_dirs.iter().any(|d| p.starts_with(d)))
        })
        .collect();
    let named = |span: crate::source::Span| named_files.contains(&span.file);
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

/// A `tfcheck:ignore:` comment naming no rule tfcheck knows is a mistake (a typo suppresses
/// nothing): a warning at the comment. Other tools' ignores name their own rules.
fn check_ignore_names(comments: &HashMap<FileId, Vec<Comment>>, known: &HashSet<String>, diags: &Diagnostics) {
    let mut files: Vec<_> = comments.iter().collect();
    files.sort_by_key(|(id, _)| **id);
    for (_, list) in files {
        for c in list {
            for i in crate::suppress::parse_ignores(&c.text) {
                if i.tool == crate::suppress::Tool::Tfcheck
                    && i.rule != "*"
                    && !known.contains(&i.rule.to_ascii_lowercase())
                {
                    diags.push(Diagnostic::warning(
                        format!(
                            "tfcheck:ignore names rule {:?}, which tfcheck does not have; it suppresses nothing",
                            i.rule
                        ),
                        c.span,
                    ));
                }
            }
        }
    }
}

fn apply_suppressions(
    sources: &SourceMap,
    comments: &HashMap<FileId, Vec<Comment>>,
    findings: &mut [Finding],
    diags: &Diagnostics,
) {
    let today = crate::suppress::Date::today();
    for f in findings.iter_mut() {
        let Some(comments) = comments.get(&f.span.file) else { continue };
        let file = sources.get(f.span.file);
        let line = file.line_col(f.span.start).line;
        let same_file = f.resource_span.file == f.span.file;
        let lookup = crate::suppress::Lookup {
            file: &file,
            comments,
            rule: &f.rule.id,
            aliases: &f.rule.aliases,
            line,
            block_line: if same_file { file.line_col(f.resource_span.start).line } else { line },
            block_span: f.block_span.filter(|b| b.file == f.span.file),
            today,
        };
        let (suppression, expired) = lookup.find();
        f.suppressed = suppression;
        for d in expired {
            diags.push(d);
        }
    }
}
