//! The command line's arguments (clap), turned into the library's [`ScanOptions`]: nothing
//! past this file sees clap.

use std::path::PathBuf;

use clap::{ArgMatches, Parser, Subcommand};
use tfcheck::report::Format;
use tfcheck::{CliInput, ConfigChoice, EvalOptions, LoadOptions, ScanOptions, Severity};

/// Finds insecure infrastructure in Terraform before it is applied.
///
/// Scans HCL (.tf, .tf.json, .tfvars) with variables, locals, modules, count/for_each and
/// dynamic blocks evaluated the way Terraform evaluates them.
#[derive(Parser, Debug)]
#[command(name = "tfcheck", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Directories or files to scan: Terraform files, directories of them, or plans
    /// (`terraform show -json` output; `-` reads one from standard input).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Where the .tf files of a scanned plan are, for findings on .tf lines (default: the
    /// plan's directory, else the working directory, when they hold .tf files).
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,

    /// The file name a plan read from standard input (`-`) is reported under, e.g. in SARIF
    /// for code scanning (default: `<stdin>`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,

    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// In GitHub Actions, write the job summary ($GITHUB_STEP_SUMMARY) and the step outputs
    /// ($GITHUB_OUTPUT) whatever --format is; --format github always does.
    #[arg(long)]
    pub step_summary: bool,

    /// Also write a SARIF report to this file, whatever --format is (one scan, two reports).
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,

    /// Report only findings that are not in this baseline (written by --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings in this file, to adopt tfcheck on an existing configuration;
    /// later runs with --baseline report only new ones. Exits 0 unless inputs had errors.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Ignore every suppression (inline comments and configuration): show everything.
    #[arg(long)]
    pub no_ignores: bool,

    /// Exit with code 1 when a finding has at least this severity [default: low, or the
    /// configuration file's fail_on].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,

    /// Print only the findings and errors: no summary line, no progress, no warnings (input
    /// Terraform would reject, unevaluated values, no Terraform found), no baseline message.
    /// Exit codes are the same. Other formats keep their content; only the summary line
    /// --output prints on stderr is silenced.
    #[arg(short, long)]
    pub quiet: bool,

    /// When to use colours in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(flatten)]
    pub inputs: Inputs,
}

/// What a scan reads and checks: shared by the scan and `fix`.
#[derive(clap::Args, Debug, Clone)]
pub struct Inputs {
    /// Set a root module variable, as `terraform plan -var` does (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,

    /// Read root module variables from a file, as `terraform plan -var-file` does (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Skip paths matching this glob, relative to the scanned directory (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Load more rules from this directory of .hcl rule files, or this file (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,

    /// Run only this rule (an id or an alias such as CKV_AWS_136; repeatable).
    #[arg(long = "rule", value_name = "RULE")]
    pub select: Vec<String>,

    /// Do not run this rule (repeatable).
    #[arg(long = "skip-rule", value_name = "RULE")]
    pub skip: Vec<String>,

    /// Read this configuration file instead of looking for .tfcheck.hcl above the scanned path.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Do not read any configuration file.
    #[arg(long)]
    pub no_config: bool,

    /// Terraform workspace (`terraform.workspace`); defaults to $TF_WORKSPACE or "default".
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,

    /// Threads to use (default: one per core). The output is the same whatever the number.
    #[arg(short, long, value_name = "N", default_value_t = 0, hide_default_value = true)]
    pub jobs: usize,

    /// Files larger than this many MiB are reported and not analysed.
    #[arg(long, value_name = "MIB", default_value_t = 16)]
    pub max_file_size: u64,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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
    /// Repair findings in the files: safe fixes, and unsafe ones with --unsafe-fixes. Says
    /// per change what it changed and why; --diff prints the changes instead of writing them.
    Fix {
        /// Directories or Terraform files to fix.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Print a unified diff of the changes and write nothing.
        #[arg(long)]
        diff: bool,
        /// Also apply unsafe fixes (they can force a replacement or break a pipeline; each
        /// says which).
        #[arg(long)]
        unsafe_fixes: bool,
        /// A plan (`terraform show -json plan`) or state: a resource it creates gets its fix
        /// as safe; one that exists, when the fix would replace it, gets a migration runbook
        /// and script (in --out) instead of an edit.
        #[arg(long, value_name = "FILE")]
        plan: Option<PathBuf>,
        /// Where --plan writes migrations.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
        /// When to use colours.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        #[command(flatten)]
        inputs: Inputs,
    },
    /// Write the migration of an ECR repository that already exists to a new one on a
    /// customer-managed key: a runbook (migrate-NAME.md) and the script that copies every image
    /// with its digest (migrate-NAME.sh). Deletes nothing.
    Migrate {
        /// The repository's name in ECR.
        repository: String,
        /// The Terraform code to read the repository and its consumers from.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// The new repository's name [default: REPOSITORY-cmk].
        #[arg(long, value_name = "NAME")]
        to: Option<String>,
        /// Where to write the runbook and the script.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
        #[command(flatten)]
        inputs: Inputs,
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
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("unknown severity {s:?}: expected critical, high, medium or low"))
}

/// `--format`: the library's formats, named for clap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Readable diagnostics with source snippets.
    Human,
    /// tfcheck's JSON schema (see docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: pull request annotations (and a job summary).
    Github,
    /// JUnit XML, for GitLab and Jenkins test reports.
    Junit,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
            FormatArg::Junit => Format::Junit,
        }
    }
}

/// The scan the arguments ask for.
pub fn scan_options(cli: &Cli, matches: &ArgMatches) -> Result<ScanOptions, String> {
    let mut opts = input_options(&cli.paths, &cli.inputs, matches)?;
    opts.no_ignores = cli.no_ignores;
    opts.baseline = cli.baseline.clone();
    opts.plan_source = cli.source.clone();
    opts.stdin_filename = cli.stdin_filename.clone();
    Ok(opts)
}

/// The scan of `paths` with the shared arguments (`matches` orders --var and --var-file).
pub fn input_options(paths: &[PathBuf], cli: &Inputs, matches: &ArgMatches) -> Result<ScanOptions, String> {
    let mut load = LoadOptions::default();
    load.paths = paths.to_vec();
    load.jobs = cli.jobs;
    load.max_file_size = cli.max_file_size.saturating_mul(1 << 20);
    load.add_excludes(&cli.exclude)?;
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
        load,
        eval: EvalOptions { workspace: String::new(), cli: cli_inputs.into_iter().map(|(_, c)| c).collect(), env_vars },
        workspace,
        config: match (&cli.config, cli.no_config) {
            (Some(f), _) => ConfigChoice::File(f.clone()),
            (None, true) => ConfigChoice::None,
            (None, false) => ConfigChoice::Discover,
        },
        rule_dirs: cli.rule_dirs.clone(),
        no_builtin_rules: false,
        no_ignores: false,
        baseline: None,
        select: cli.select.clone(),
        skip: cli.skip.clone(),
        plan_source: None,
        stdin_filename: None,
        progress: Default::default(),
    })
}
