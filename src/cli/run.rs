//! One run of the command: a subcommand, or a scan whose result becomes the report, the
//! side files (SARIF, GitHub step summary and outputs, a baseline) and the exit status.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{CommandFactory, FromArgMatches};
use tfcheck::report::{self, Format, RenderOptions};
use tfcheck::{Observer, Rule, ScanOptions, ScanResult, Severity};

use super::args::{Cli, ColorChoice, Command, ListFormat, scan_options};
use super::progress::Ticker;

/// Why the command stopped: printed as `error: ...`, exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("tfcheck crashed; please report this with the input that caused it")]
    Crashed,
    /// Rule files that do not load: one located message each.
    #[error("{}", .0.join("\nerror: "))]
    Rules(Vec<String>),
    #[error("no rule {0:?}; `tfcheck rules` lists them")]
    NoSuchRule(String),
    #[error("cannot create {}: {source}", .path.display())]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("cannot write {}: {source}", .path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot write the report: {0}")]
    Stdout(std::io::Error),
    #[error("cannot open ${var}: {source}")]
    OpenEnvFile { var: &'static str, source: std::io::Error },
    #[error("cannot write ${var}: {source}")]
    WriteEnvFile { var: &'static str, source: std::io::Error },
    #[error("cannot write the baseline {}: {source}", .path.display())]
    Baseline { path: PathBuf, source: std::io::Error },
}

const CLEAN: u8 = 0;
const FINDINGS: u8 = 1;
const ERRORS: u8 = 2;

/// Runs the command line.
pub fn run() -> Result<ExitCode, Error> {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match &cli.command {
        Some(Command::Rules { format, rule_dirs, write_docs }) => {
            let rules = load_rules(rule_dirs)?;
            return match write_docs {
                Some(dir) => write_rule_docs(dir, &rules),
                None => {
                    print!("{}", report::rule_list(&rules, *format == ListFormat::Json));
                    Ok(ExitCode::SUCCESS)
                }
            };
        }
        Some(Command::Fix { paths, diff, unsafe_fixes, plan, out, color: _, inputs }) => {
            let sub = matches.subcommand_matches("fix").unwrap_or(&matches);
            let scan = super::args::input_options(paths, inputs, sub).map_err(Error::Usage)?;
            let opts = tfcheck::fix::FixOptions { scan, unsafe_fixes: *unsafe_fixes, plan: plan.clone() };
            return run_fix(opts, *diff, out);
        }
        Some(Command::Migrate { repository, paths, to, out, inputs }) => {
            let sub = matches.subcommand_matches("migrate").unwrap_or(&matches);
            let scan = super::args::input_options(paths, inputs, sub).map_err(Error::Usage)?;
            let new = to.clone().unwrap_or_else(|| format!("{repository}-cmk"));
            let (m, _) = tfcheck::fix::migrate::migration(&scan, repository, &new).map_err(Error::Usage)?;
            write_migration(out, &m)?;
            if m.address.is_none() {
                eprintln!(
                    "no aws_ecr_repository with name = {repository:?} in the scanned code: the runbook's Terraform is a template"
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Explain { rule, rule_dirs }) => {
            let rules = load_rules(rule_dirs)?;
            let found = rules.iter().find(|r| r.is_named(rule)).ok_or_else(|| Error::NoSuchRule(rule.clone()))?;
            print!("{}", report::rule_page(found));
            return Ok(ExitCode::SUCCESS);
        }
        None => {}
    }
    let mut opts = scan_options(&cli, &matches).map_err(Error::Usage)?;
    let format = Format::from(cli.format);
    // Progress only for someone watching: a terminal, human output, not CI.
    let watching = std::io::stderr().is_terminal()
        && format == Format::Human
        && !cli.quiet
        && std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false");
    // TFCHECK_PROGRESS_DELAY_MS (for tests) shows it sooner than after a second.
    let delay = std::env::var("TFCHECK_PROGRESS_DELAY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let ticker = Ticker::start(watching.then(|| Duration::from_millis(delay)));
    opts.progress = Observer::new(ticker.clone());
    let result = scan_on_a_big_stack(opts);
    ticker.finish();
    let result = result?;
    let to_terminal = cli.output.is_none() && std::io::stdout().is_terminal();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(120);
    let t = Instant::now();
    let render = RenderOptions { color, width };
    let text = match format {
        Format::Human if cli.quiet => report::render_quiet(&result, &render),
        format => report::render(&result, format, &render),
    };
    tfcheck::Progress::phase(&*ticker, "render", t.elapsed());
    match &cli.output {
        Some(path) => {
            std::fs::write(path, text.as_bytes()).map_err(|source| Error::Write { path: path.clone(), source })?
        }
        None => write_stdout(&text)?,
    }
    // The report went to a file: the terminal still says what happened.
    if cli.output.is_some() && !cli.quiet {
        eprint!("{}", report::summary(&result));
    }
    if let Some(path) = &cli.sarif {
        write_file(path, &report::render(&result, Format::Sarif, &render))?;
    }
    if format == Format::Github || cli.step_summary {
        github_files(&result, cli.sarif.as_deref())?;
    }
    if let Some(path) = &cli.write_baseline {
        let n =
            tfcheck::write_baseline(path, &result).map_err(|source| Error::Baseline { path: path.clone(), source })?;
        if !cli.quiet {
            eprintln!("wrote {n} findings to the baseline {}", path.display());
        }
        return Ok(ExitCode::from(if result.has_errors() { ERRORS } else { CLEAN }));
    }
    if result.has_errors() {
        return Ok(ExitCode::from(ERRORS));
    }
    let fail_on = cli.fail_on.or(result.fail_on).unwrap_or(Severity::Low);
    let failing = result.findings.iter().any(|f| f.is_active() && f.rule.severity >= fail_on);
    Ok(ExitCode::from(if failing { FINDINGS } else { CLEAN }))
}

/// Deeply nested input recurses; a big stack keeps that a diagnostic, not a crash.
/// Writes a migration's runbook and its (executable) script into `out`.
fn write_migration(out: &Path, m: &tfcheck::fix::migrate::Migration) -> Result<(), Error> {
    let stem = format!("migrate-{}", m.repository.replace('/', "-"));
    let (book, script) = (out.join(format!("{stem}.md")), out.join(format!("{stem}.sh")));
    write_file(&script, &report::migration_script(m))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755));
    }
    write_file(&book, &report::migration_runbook(m))?;
    println!("wrote {} and {}", book.display(), script.display());
    Ok(())
}

/// `tfcheck fix`: repairs, then writes the files (or prints the diff with `--diff`).
fn run_fix(opts: tfcheck::fix::FixOptions, diff: bool, out: &Path) -> Result<ExitCode, Error> {
    let result = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || tfcheck::fix::fix(&opts))
        .map_err(|_| Error::Crashed)?
        .join()
        .map_err(|_| Error::Crashed)?;
    if let Some(e) = &result.plan_error {
        return Err(Error::Usage(e.clone()));
    }
    let summary = report::fix_summary(&result, !diff);
    if diff {
        write_stdout(&report::fix_diff(&result))?;
        eprint!("{summary}");
    } else {
        tfcheck::fix::write(&result).map_err(|source| Error::Write { path: PathBuf::from("(fixed files)"), source })?;
        write_stdout(&summary)?;
        for m in &result.migrations {
            write_migration(out, m)?;
        }
    }
    eprint!("{}", report::fix_errors(&result));
    let left = result.after.findings.iter().any(|f| f.is_active());
    Ok(ExitCode::from(if result.after.has_errors() {
        ERRORS
    } else if left || (diff && !result.files.is_empty()) {
        FINDINGS
    } else {
        CLEAN
    }))
}

fn scan_on_a_big_stack(opts: ScanOptions) -> Result<ScanResult, Error> {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || tfcheck::scan(&opts))
        .map_err(|_| Error::Crashed)?
        .join()
        .map_err(|_| Error::Crashed)
}

fn write_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`tfcheck | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Stdout(e)),
    }
}

/// Writes a report, creating its directory.
fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir { path: dir.to_path_buf(), source })?;
    }
    std::fs::write(path, text.as_bytes()).map_err(|source| Error::Write { path: path.to_path_buf(), source })
}

/// In GitHub Actions: the job summary (`$GITHUB_STEP_SUMMARY`) and step outputs
/// (`$GITHUB_OUTPUT`: `findings`, `sarif-file`).
fn github_files(result: &ScanResult, sarif: Option<&Path>) -> Result<(), Error> {
    let append = |var: &'static str, text: &str| -> Result<(), Error> {
        let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) else { return Ok(()) };
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|source| Error::OpenEnvFile { var, source })?;
        f.write_all(text.as_bytes()).map_err(|source| Error::WriteEnvFile { var, source })
    };
    append("GITHUB_STEP_SUMMARY", &report::step_summary(result))?;
    let active = result.findings.iter().filter(|f| f.is_active()).count();
    let mut outputs = format!("findings={active}\n");
    if let Some(s) = sarif {
        outputs.push_str(&format!("sarif-file={}\n", s.display()));
    }
    append("GITHUB_OUTPUT", &outputs)
}

fn load_rules(rule_dirs: &[PathBuf]) -> Result<Vec<Arc<Rule>>, Error> {
    let opts = ScanOptions { rule_dirs: rule_dirs.to_vec(), ..Default::default() };
    tfcheck::load_rules(&opts).map_err(Error::Rules)
}

fn write_rule_docs(dir: &Path, rules: &[Arc<Rule>]) -> Result<ExitCode, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir { path: dir.to_path_buf(), source })?;
    let pages = report::rule_pages(rules);
    for (name, text) in &pages {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| Error::Write { path, source })?;
    }
    eprintln!("wrote {} pages to {}", pages.len(), dir.display());
    Ok(ExitCode::SUCCESS)
}
