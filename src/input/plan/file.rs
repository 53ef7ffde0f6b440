//! Plan and state files: recognising one among the scanned paths, reading it (a file, a FIFO
//! or standard input) within a size limit, finding the `.tf` files it was planned from, and
//! reading its resource instances.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{PlanReader, Sources, check_version, is_plan};
use crate::diag::{Code, Diagnostic, Diagnostics, Level};
use crate::input::config::{self, LoadOptions};
use crate::input::state;
use crate::rules::Input;
use crate::syntax::hcl::ast::Comment;
use crate::syntax::source::{FileId, SourceMap, Span, display_path};
use crate::terraform::instance::ResourceInstance;

/// Where a plan's names and sources come from.
pub struct PlanSource<'a> {
    /// `--stdin-filename`: the name standard input is reported under.
    pub name: Option<&'a str>,
    /// `--source`: the directory of the `.tf` files it was planned from.
    pub tf_dir: Option<&'a Path>,
}

/// What a plan or state file gave.
pub struct PlanRead {
    /// The file as shown to users (the root of its findings).
    pub shown: String,
    /// [`Input::Plan`] or [`Input::State`]: `None` when the file is neither (or a version
    /// tfcheck does not read), which a diagnostic says.
    pub input: Option<Input>,
    pub instances: Vec<ResourceInstance>,
    /// Comments of the `.tf` sources (ignore comments apply to plan findings too).
    pub comments: HashMap<FileId, Vec<Comment>>,
}

/// Reads a plan or state (a file, or standard input for `-`) and its instances of the
/// resource types `wanted` selects; problems are diagnostics, and `None` when the file could
/// not be read at all.
pub fn load(
    path: &Path,
    source: &PlanSource,
    load: &LoadOptions,
    sources: &Arc<SourceMap>,
    diags: &Diagnostics,
    wanted: &dyn Fn(&str) -> bool,
) -> Option<PlanRead> {
    let stdin = path == Path::new("-");
    let shown = match source.name {
        Some(name) if stdin => name.to_string(),
        _ if !stdin => display_path(path),
        _ => "<stdin>".to_string(),
    };
    let text = match read_plan(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::for_path(
                Code::Plan,
                Level::Error,
                format!("cannot read plan {shown}: {e}"),
                &shown,
            ));
            return None;
        }
    };
    // Standard input under a given name is that file for baselines too.
    let file_path = match source.name {
        Some(name) if stdin => PathBuf::from(name),
        _ => path.to_path_buf(),
    };
    let id = sources.add_named(file_path, shown.clone(), text.clone().into());
    let mut read = PlanRead { shown, input: None, instances: Vec::new(), comments: HashMap::new() };
    let json = match crate::syntax::json::parse(&text, id) {
        Ok(j) => j,
        Err(e) => {
            diags.push(Diagnostic::error(Code::Plan, format!("invalid plan or state JSON: {}", e.message), e.span));
            return Some(read);
        }
    };
    if !is_plan(&json) {
        if state::is_state(&json) {
            read_state(&json, &mut read, diags, wanted);
            return Some(read);
        }
        diags.push(Diagnostic::error(
            Code::Plan,
            format!("{} is neither a Terraform plan nor a state: expected the output of `terraform show -json` (format_version with planned_values or resource_changes, or values of a state) or a terraform.tfstate file", read.shown),
            Span::new(id, 0, 1),
        ));
        return Some(read);
    }
    if let Err((span, msg)) = check_version(&json) {
        diags.push(Diagnostic::error(Code::Plan, msg, span));
        return Some(read);
    }
    read.input = Some(Input::Plan);
    if let Some(dir) = source.tf_dir.filter(|d| !d.is_dir()) {
        // A path the user typed that leads nowhere is a mistake, not a missing location.
        let dir = display_path(dir);
        diags.push(Diagnostic::for_path(
            Code::Settings,
            Level::Error,
            format!("--source {dir}: not a directory with the plan's .tf files"),
            dir,
        ));
    }
    let source_dir = plan_sources(path, source.tf_dir);
    let src_diags = Diagnostics::default();
    let project = source_dir.as_ref().map(|dir| {
        let lo = LoadOptions { paths: vec![dir.clone()], recursive: false, ..load.clone() };
        config::load(&lo, &src_diags, sources.clone())
    });
    // Sources only give locations: their syntax errors are warnings (a located block may
    // be missing), and what their evaluation would say does not matter.
    for mut d in src_diags.take_sorted().into_iter().filter(|d| d.level == Level::Error) {
        d.level = Level::Warning;
        d.message = format!("in the sources of {}: {}", read.shown, d.message);
        diags.push(d);
    }
    let root = project.as_ref().zip(source_dir.as_ref()).and_then(|(p, d)| {
        let c = std::fs::canonicalize(d).ok()?;
        p.by_dir.get(&c).copied()
    });
    if let Some(p) = &project {
        read.comments.extend(p.comments.iter().map(|(k, v)| (*k, v.clone())));
    }
    let plan_sources = project.as_ref().zip(root).map(|(project, root)| Sources { project, root });
    PlanReader::new(&json, plan_sources).for_each_resource(wanted, &mut |inst| read.instances.push(inst));
    Some(read)
}

/// A state's instances; keys it does not describe are a warning.
fn read_state(
    json: &crate::syntax::json::Json,
    read: &mut PlanRead,
    diags: &Diagnostics,
    wanted: &dyn Fn(&str) -> bool,
) {
    if let Err((span, msg)) = state::check_version(json) {
        diags.push(Diagnostic::error(Code::Plan, msg, span));
        return;
    }
    read.input = Some(Input::State);
    let got = state::read(json, wanted);
    if let Some(first) = got.undecided_keys.first() {
        // Not a finding and not an error: the state does not say who manages these keys.
        let n = got.undecided_keys.len();
        diags.push(Diagnostic::warning(
            Code::Plan,
            format!(
                "{n} KMS key{} in {} ({first}{}) {} not described by this state (no aws_kms_key, alias or data source for it): resources encrypted with {} are not judged; scan the state that manages the key too",
                if n == 1 { "" } else { "s" },
                read.shown,
                if n > 1 { ", ..." } else { "" },
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "them" },
            ),
            Span::new(json.span.file, json.span.start as usize, json.span.start as usize + 1),
        ));
    }
    read.instances = got.instances;
}

/// Largest plan read (plans of big estates run to tens of MiB; whitespace does not count
/// for much, but memory does).
pub const MAX_PLAN_SIZE: u64 = 256 << 20;

/// A plan is named on the command line: `-` (standard input), a `.json` file that is not
/// Terraform's JSON configuration syntax, or a file of any other name that is not Terraform
/// configuration and holds JSON or a binary plan (`tfplan`), recognised by its first bytes.
/// A FIFO or device the user names (`<(terraform show -json p)`) is a plan: reading its
/// first bytes would consume them.
pub fn is_plan_path(p: &Path) -> bool {
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

/// Reads a plan file or standard input, refusing more than [`MAX_PLAN_SIZE`].
pub fn read_plan(path: &Path) -> std::io::Result<String> {
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
pub fn plan_sources(plan: &Path, source: Option<&Path>) -> Option<PathBuf> {
    if let Some(s) = source {
        // One that is not a directory was reported as an error.
        return Some(s.to_path_buf()).filter(|s| s.is_dir());
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
