//! Plan and state files: recognising one among the scanned paths, reading it (a file, a FIFO
//! or standard input) within a size limit, and finding the `.tf` files it was planned from.

use std::io::Read;
use std::path::{Path, PathBuf};

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
