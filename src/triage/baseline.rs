//! Baselines: record today's findings, then report only new ones. A finding is known by its
//! rule, address and file, not its line, so edits that move code keep it recognised; the file
//! is named relative to the repository root, so a baseline written in one directory matches a
//! scan run from another.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::finding::Finding;
use crate::syntax::source::{FileId, SourceMap};

/// Version 2: repository-relative files and SHA-256 fingerprints. Version 1 files (FNV-1a over
/// the path as shown from the working directory) are still read.
const VERSION: u32 = 2;

/// Largest baseline read.
const MAX_SIZE: u64 = 256 << 20;

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    tfcheck_baseline: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    rule: String,
    address: String,
    file: String,
}

/// A fingerprint that does not collide by accident: SHA-256 over the rule, the address and the
/// file's bytes (not a lossy conversion of a name that is not UTF-8), NUL-separated.
pub fn fingerprint(rule: &str, address: &str, file: &[u8]) -> String {
    let mut h = Sha256::new();
    for part in [rule.as_bytes(), address.as_bytes(), file] {
        h.update(part);
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Version 1's fingerprint, to read old baselines.
fn fingerprint_v1(rule: &str, address: &str, file: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule, address, file] {
        for b in part.bytes().chain([0u8]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Fingerprints of the findings of one scan, with each file's repository-relative path worked
/// out once.
pub struct Fingerprints<'a> {
    sources: &'a SourceMap,
    paths: RefCell<HashMap<FileId, (String, Vec<u8>)>>,
}

impl<'a> Fingerprints<'a> {
    pub fn new(sources: &'a SourceMap) -> Fingerprints<'a> {
        Fingerprints { sources, paths: RefCell::new(HashMap::new()) }
    }

    /// A file relative to the root of the repository that holds it (the nearest directory
    /// with `.git`), `/`-separated; without a repository, as shown from the working directory.
    fn path(&self, id: FileId) -> (String, Vec<u8>) {
        if let Some(p) = self.paths.borrow().get(&id) {
            return p.clone();
        }
        let file = self.sources.get(id);
        // The directory is resolved, not the file: a plan read from standard input under
        // `--stdin-filename` need not exist.
        let resolved = match (file.path.parent(), file.path.file_name()) {
            _ if file.path == Path::new("-") => None,
            (Some(dir), Some(name)) => {
                let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
                std::fs::canonicalize(dir).ok().map(|d| d.join(name))
            }
            _ => None,
        };
        let relative = resolved.and_then(|c| {
            let root = c.ancestors().skip(1).find(|a| a.join(".git").exists())?;
            c.strip_prefix(root).ok().map(Path::to_path_buf)
        });
        let p = match relative {
            Some(r) => {
                use std::os::unix::ffi::OsStrExt;
                let bytes: Vec<u8> = r.components().map(|c| c.as_os_str().as_bytes()).collect::<Vec<_>>().join(&b'/');
                (String::from_utf8_lossy(&bytes).into_owned(), bytes)
            }
            None => (file.display.clone(), file.display.as_bytes().to_vec()),
        };
        self.paths.borrow_mut().insert(id, p.clone());
        p
    }

    pub fn of(&self, f: &Finding) -> String {
        fingerprint(&f.rule.id, &f.address, &self.path(f.span.file).1)
    }
}

/// Writes the unsuppressed findings as a baseline.
pub fn write(path: &Path, findings: &[Finding], sources: &SourceMap) -> std::io::Result<usize> {
    let fps = Fingerprints::new(sources);
    let mut entries: Vec<Entry> = findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| Entry {
            fingerprint: fps.of(f),
            rule: f.rule.id.clone(),
            address: f.address.clone(),
            file: fps.path(f.span.file).0,
        })
        .collect();
    entries.sort_by(|a, b| (&a.file, &a.rule, &a.address).cmp(&(&b.file, &b.rule, &b.address)));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let n = entries.len();
    let text = serde_json::to_string_pretty(&BaselineFile { tfcheck_baseline: VERSION, findings: entries })
        .map_err(std::io::Error::other)?;
    std::fs::write(path, text + "\n")?;
    Ok(n)
}

/// A baseline read: what it recorded, and how to tell a finding is in it.
pub struct Baseline {
    version: u32,
    known: HashSet<String>,
}

impl Baseline {
    pub fn contains(&self, f: &Finding, fps: &Fingerprints) -> bool {
        if self.version == 1 {
            let shown = &fps.sources.get(f.span.file).display;
            return self.known.contains(&fingerprint_v1(&f.rule.id, &f.address, shown));
        }
        self.known.contains(&fps.of(f))
    }
}

/// Reads a baseline (a path the user typed).
pub fn read(path: &Path) -> Result<Baseline, String> {
    let shown = path.display();
    let bytes =
        crate::workspace::read_trusted(path, MAX_SIZE).map_err(|e| format!("cannot read baseline {shown}: {e}"))?;
    let b: BaselineFile =
        serde_json::from_slice(&bytes).map_err(|e| format!("{shown} is not a tfcheck baseline: {e}"))?;
    if b.tfcheck_baseline != 1 && b.tfcheck_baseline != VERSION {
        return Err(format!(
            "{shown} is a baseline of version {}; this tfcheck reads versions 1 and {VERSION}",
            b.tfcheck_baseline
        ));
    }
    Ok(Baseline { version: b.tfcheck_baseline, known: b.findings.into_iter().map(|e| e.fingerprint).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_lines_and_tell_parts_apart() {
        assert_eq!(fingerprint("r", "a.b", b"main.tf"), fingerprint("r", "a.b", b"main.tf"));
        assert_ne!(fingerprint("r", "a.b", b"main.tf"), fingerprint("r", "a.bmain.tf", b""));
        assert_ne!(fingerprint("r", "a.b", b"main.tf"), fingerprint("s", "a.b", b"main.tf"));
        // Names that are not UTF-8 and convert to the same lossy text stay apart.
        assert_ne!(fingerprint("r", "a", b"\xff.tf"), fingerprint("r", "a", b"\xfe.tf"));
        assert_eq!(fingerprint("r", "a", b"x").len(), 64);
        assert_eq!(fingerprint_v1("r", "a.b", "main.tf"), fingerprint_v1("r", "a.b", "main.tf"));
    }
}
