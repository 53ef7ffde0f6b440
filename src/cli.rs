//! The command line: clap definitions, turned into [`ScanOptions`] so the rest of tfcheck
//! never sees clap.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::eval::module::{CliInput, EvalOptions};
use crate::input::config::LoadOptions;
use crate::report::{self, Format, RenderOptions};
use crate::rules::Severity;
use crate::scan::{self, ScanOptions};

/// Finds insecure infrastructure in Terraform before it is applied.
///
/// Scans HCL (.tf, .tf.json, .tfvars) with variables, locals, modules, count/for_each and
/// dynamic blocks evaluated the way Terraform evaluates them.
#[derive(Parser, Debug)]
#[command(name = "tfcheck", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Directories or files to scan: Terraform files, directories of them, or plans
    /// (`terraform show -json` output; `-` reads one from standard input).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// Where the .tf files of a scanned plan are, for findings on .tf lines (default: the
    /// plan's directory, else the working directory, when they hold .tf files).
    #[arg(long, value_name = "DIR")]
    source: Option<PathBuf>,

    /// The file name a plan read from standard input (`-`) is reported under, e.g. in SARIF
    /// for code scanning (default: `<stdin>`).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// In GitHub Actions, write the job summary ($GITHUB_STEP_SUMMARY) and the step outputs
    /// ($GITHUB_OUTPUT) whatever --format is; --format github always does.
    #[arg(long)]
    step_summary: bool,

    /// Also write a SARIF report to this file, whatever --format is (one scan, two reports).
    #[arg(long, value_name = "FILE")]
    sarif: Option<PathBuf>,

    /// Set a root module variable, as `terraform plan -var` does (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    vars: Vec<String>,

    /// Read root module variables from a file, as `terraform plan -var-file` does (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,

    /// Skip paths matching this glob, relative to the scanned directory (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,

    /// Load more rules from this directory of .hcl rule files, or this file (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rule_dirs: Vec<PathBuf>,

    /// Run only this rule (an id or an alias such as CKV_AWS_136; repeatable).
    #[arg(long = "rule", value_name = "RULE")]
    select: Vec<String>,

    /// Do not run this rule (repeatable).
    #[arg(long = "skip-rule", value_name = "RULE")]
    skip: Vec<String>,

    /// Report only findings that are not in this baseline (written by --write-baseline).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Record today's findings in this file, to adopt tfcheck on an existing configuration;
    /// later runs with --baseline report only new ones. Exits 0 unless inputs had errors.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,

    /// Ignore every suppression (inline comments and configuration): show everything.
    #[arg(long)]
    no_ignores: bool,

    /// Exit with code 1 when a finding has at least this severity [default: low, or the
    /// configuration file's fail_on].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    fail_on: Option<Severity>,

    /// Read this configuration file instead of looking for .tfcheck.hcl above the scanned path.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,

    /// Do not read any configuration file.
    #[arg(long)]
    no_config: bool,

    /// Terraform workspace (`terraform.workspace`); defaults to $TF_WORKSPACE or "default".
    #[arg(long, value_name = "NAME")]
    workspace: Option<String>,

    /// Print only the findings and errors: no summary line, no progress, no warnings (input
    /// Terraform would reject, unevaluated values, no Terraform found), no baseline message.
    /// Exit codes are the same. Other formats keep their content; only the summary line
    /// --output prints on stderr is silenced.
    #[arg(short, long)]
    quiet: bool,

    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Threads to use (default: one per core). The output is the same whatever the number.
    #[arg(short, long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    jobs: usize,

    /// Files larger than this many MiB are reported and not analysed.
    #[arg(long, value_name = "MIB", default_value_t = 16)]
    max_file_size: u64,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the rules.
    Rules {
        #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        /// Write each rule's documentation page (and an index) into this directory.
        #[arg(long, value_name = "DIR")]
        write_docs: Option<PathBuf>,
        /// Also load rules from this directory (repeatable).
        #[arg(long = "rules", value_name = "DIR")]
        rule_dirs: Vec<PathBuf>,
    },
    /// Show a rule's documentation.
    Explain {
        /// Rule id (or an alias such as CKV_AWS_136).
        rule: String,
        #[arg(long = "rules", value_name = "DIR")]
        rule_dirs: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("unknown severity {s:?}: expected critical, high, medium or low"))
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match &cli.command {
        Some(Command::Rules { format, rule_dirs, write_docs }) => {
            return match write_docs {
                Some(dir) => write_rule_docs(dir, rule_dirs),
                None => list_rules(*format, rule_dirs),
            };
        }
        Some(Command::Explain { rule, rule_dirs }) => return explain(rule, rule_dirs),
        None => {}
    }
    let opts = match scan_options(&cli, &matches) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("error: {msg}");
            return 2;
        }
    };
    // Progress only for someone watching: a terminal, human output, not CI.
    let watching = std::io::stderr().is_terminal()
        && cli.format == Format::Human
        && !cli.quiet
        && std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false");
    // TFCHECK_PROGRESS_DELAY_MS (for tests) shows it sooner than after a second.
    let delay = std::env::var("TFCHECK_PROGRESS_DELAY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let ticker = watching.then(|| crate::progress::Ticker::start(std::time::Duration::from_millis(delay)));
    // Deeply nested input recurses; a big stack keeps that a diagnostic, not a crash.
    let result = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || scan::scan(&opts))
        .expect("spawn the scan thread")
        .join();
    drop(ticker);
    let mut result = match result {
        Ok(r) => r,
        Err(_) => {
            eprintln!("error: tfcheck crashed; please report this with the input that caused it");
            return 2;
        }
    };
    let to_terminal = cli.output.is_none() && std::io::stdout().is_terminal();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(120);
    // Nothing to scan is not a failure (a repository without Terraform yet, a pre-commit run),
    // but is likely a wrong path: a warning, in every format, and exit 0.
    if result.stats.files == 0 && result.stats.plans == 0 && !result.has_errors() {
        for p in &cli.paths {
            let shown = p.display().to_string();
            result.diagnostics.push(crate::diag::Diagnostic::for_path(
                crate::diag::Level::Warning,
                format!("no Terraform files found in {shown}"),
                shown,
            ));
        }
    }
    let t = std::time::Instant::now();
    let opts = RenderOptions { color, width };
    let text = match cli.format {
        Format::Human if cli.quiet => report::human::render_quiet(&result, &opts),
        format => report::render(&result, format, &opts),
    };
    crate::progress::phase("render", t);
    let written = match &cli.output {
        Some(path) => {
            std::fs::write(path, text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (`tfcheck | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(format!("cannot write the report: {e}")),
            }
        }
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return 2;
    }
    // The report went to a file: the terminal still says what happened.
    if cli.output.is_some() && !cli.quiet {
        eprint!("{}", report::human::summary(&result));
    }
    if let Some(path) = &cli.sarif {
        if let Err(e) = write_file(path, &report::sarif::render(&result)) {
            eprintln!("error: {e}");
            return 2;
        }
    }
    if cli.format == Format::Github || cli.step_summary {
        if let Err(e) = github_files(&result, cli.sarif.as_deref()) {
            eprintln!("error: {e}");
            return 2;
        }
    }
    if let Some(path) = &cli.write_baseline {
        match crate::triage::baseline::write(path, &result.findings, &result.sources) {
            Ok(n) => {
                if !cli.quiet {
                    eprintln!("wrote {n} findings to the baseline {}", path.display());
                }
                return if result.has_errors() { 2 } else { 0 };
            }
            Err(e) => {
                eprintln!("error: cannot write the baseline {}: {e}", path.display());
                return 2;
            }
        }
    }
    if result.has_errors() {
        return 2;
    }
    let fail_on = cli.fail_on.or(result.fail_on).unwrap_or(Severity::Low);
    let failing = result.findings.iter().any(|f| f.is_active() && f.rule.severity >= fail_on);
    if failing { 1 } else { 0 }
}

/// Writes a report, creating its directory.
fn write_file(path: &std::path::Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// In GitHub Actions: the job summary (`$GITHUB_STEP_SUMMARY`) and step outputs
/// (`$GITHUB_OUTPUT`: `findings`, `sarif-file`).
fn github_files(result: &crate::scan::ScanResult, sarif: Option<&std::path::Path>) -> Result<(), String> {
    let append = |var: &str, text: &str| -> Result<(), String> {
        let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) else { return Ok(()) };
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| format!("cannot open ${var}: {e}"))?;
        f.write_all(text.as_bytes()).map_err(|e| format!("cannot write ${var}: {e}"))
    };
    append("GITHUB_STEP_SUMMARY", &report::github::step_summary(result))?;
    let active = result.findings.iter().filter(|f| f.is_active()).count();
    let mut outputs = format!("findings={active}\n");
    if let Some(s) = sarif {
        outputs.push_str(&format!("sarif-file={}\n", s.display()));
    }
    append("GITHUB_OUTPUT", &outputs)
}

fn scan_options(cli: &Cli, matches: &ArgMatches) -> Result<ScanOptions, String> {
    let exclude = crate::input::config::exclude_patterns(&cli.exclude)?;
    // --var and --var-file apply in command-line order, as in Terraform.
    let mut cli_inputs: Vec<(usize, CliInput)> = Vec::new();
    if let Some(idx) = matches.indices_of("vars") {
        for (i, v) in idx.zip(&cli.vars) {
            let (name, value) = v.split_once('=').ok_or_else(|| format!("--var {v:?} must be NAME=VALUE"))?;
            cli_inputs.push((i, CliInput::Var(name.trim().to_string(), value.to_string())));
        }
    }
    if let Some(idx) = matches.indices_of("var_files") {
        for (i, f) in idx.zip(&cli.var_files) {
            cli_inputs.push((i, CliInput::VarFile(f.clone())));
        }
    }
    cli_inputs.sort_by_key(|(i, _)| *i);
    let env_vars: Vec<(String, String)> =
        std::env::vars().filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|n| (n.to_string(), v))).collect();
    let workspace = cli.workspace.clone().or_else(|| std::env::var("TF_WORKSPACE").ok().filter(|w| !w.is_empty()));
    Ok(ScanOptions {
        load: LoadOptions {
            paths: cli.paths.clone(),
            exclude,
            max_file_size: cli.max_file_size.saturating_mul(1 << 20),
            var_files: Vec::new(),
            workspace: None,
            recursive: true,
            jobs: cli.jobs,
        },
        eval: EvalOptions { workspace: String::new(), cli: cli_inputs.into_iter().map(|(_, c)| c).collect(), env_vars },
        workspace,
        config: match (&cli.config, cli.no_config) {
            (Some(f), _) => crate::scan::ConfigChoice::File(f.clone()),
            (None, true) => crate::scan::ConfigChoice::None,
            (None, false) => crate::scan::ConfigChoice::Discover,
        },
        rule_dirs: cli.rule_dirs.clone(),
        no_builtin_rules: false,
        no_ignores: cli.no_ignores,
        baseline: cli.baseline.clone(),
        select: cli.select.clone(),
        skip: cli.skip.clone(),
        plan_source: cli.source.clone(),
        stdin_filename: cli.stdin_filename.clone(),
    })
}

fn load_rules_or_report(
    rule_dirs: &[PathBuf],
) -> Result<(crate::syntax::source::SourceMap, Vec<std::sync::Arc<crate::rules::Rule>>), i32> {
    let sources = crate::syntax::source::SourceMap::new();
    let opts = ScanOptions { rule_dirs: rule_dirs.to_vec(), ..Default::default() };
    let (rules, errors) = scan::load_rules(&sources, &opts);
    if !errors.is_empty() {
        for e in &errors {
            let at = e.span.map(|s| format!("{}: ", sources.short(s))).unwrap_or_default();
            eprintln!("error: {at}{}", e.message);
        }
        return Err(2);
    }
    Ok((sources, rules))
}

fn list_rules(format: ListFormat, rule_dirs: &[PathBuf]) -> i32 {
    let (_, rules) = match load_rules_or_report(rule_dirs) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let out = match format {
        ListFormat::Text => {
            // Rules from a rule directory are input: escaped, and the columns fit the longest id.
            use crate::report::escape::line;
            let ids: Vec<_> = rules.iter().map(|r| line(&r.id)).collect();
            let width = ids.iter().map(|i| i.chars().count()).max().unwrap_or(0);
            let mut s = String::new();
            for (r, id) in rules.iter().zip(&ids) {
                let severity = r.severity.to_string();
                s.push_str(&format!("{id:<width$}  {severity:<8}  {}\n", line(&r.title)));
            }
            s
        }
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "title": r.title, "severity": r.severity, "resource_types": r.resource_types,
                        "aliases": r.aliases, "tags": r.tags, "references": r.references, "builtin": r.builtin,
                        "compliance": r.compliance.iter().map(|(f, c)| (f.clone(), c.clone())).collect::<std::collections::BTreeMap<_, _>>(),
                        "inputs": r.inputs.iter().map(|i| match i { crate::rules::model::Input::Hcl => "hcl", crate::rules::model::Input::Plan => "plan", crate::rules::model::Input::State => "state" }).collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
        }
    };
    print!("{out}");
    0
}

fn write_rule_docs(dir: &std::path::Path, rule_dirs: &[PathBuf]) -> i32 {
    let (_, rules) = match load_rules_or_report(rule_dirs) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let refs: Vec<&crate::rules::Rule> = rules.iter().map(|r| &**r).collect();
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return 2;
    }
    for (name, text) in crate::rules::docs::all(&refs) {
        let path = dir.join(&name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 2;
        }
    }
    eprintln!("wrote {} pages to {}", refs.len() + 1, dir.display());
    0
}

fn explain(id: &str, rule_dirs: &[PathBuf]) -> i32 {
    let (_, rules) = match load_rules_or_report(rule_dirs) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(rule) = rules.iter().find(|r| r.id == id || r.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))) else {
        eprintln!("error: no rule {id:?}; `tfcheck rules` lists them");
        return 2;
    };
    print!("{}", crate::rules::docs::page(rule));
    0
}
