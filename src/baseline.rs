//! Baselines: record today's findings, then report only new ones. A finding is known by its
//! rule, address and file, not its line, so edits that move code keep it recognised.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::source::SourceMap;

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

/// A stable fingerprint: FNV-1a over the rule, address and file.
pub fn fingerprint(rule: &str, address: &str, file: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule, address, file] {
        for b in part.bytes().chain([0u8]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

pub fn of(f: &Finding, sources: &SourceMap) -> String {
    fingerprint(&f.rule.id, &f.address, &sources.get(f.span.file).display)
}

/// Writes the unsuppressed findings as a baseline.
pub fn write(path: &Path, findings: &[Finding], sources: &SourceMap) -> std::io::Result<usize> {
    let mut entries: Vec<Entry> = findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| Entry {
            fingerprint: of(f, sources),
            rule: f.rule.id.clone(),
            address: f.address.clone(),
            file: sources.get(f.span.file).display.clone(),
        })
        .collect();
    entries.sort_by(|a, b| (&a.file, &a.rule, &a.address).cmp(&(&b.file, &b.rule, &b.address)));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let n = entries.len();
    let text = serde_json::to_string_pretty(&BaselineFile { tfcheck_baseline: 1, findings: entries })
        .map_err(std::io::Error::other)?;
    std::fs::write(path, text + "\n")?;
    Ok(n)
}

/// Reads a baseline's fingerprints.
pub fn read(path: &Path) -> Result<HashSet<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    let b: BaselineFile =
        serde_json::from_str(&text).map_err(|e| format!("{} is not a tfcheck baseline: {e}", path.display()))?;
    if b.tfcheck_baseline != 1 {
        return Err(format!(
            "{} is a baseline of version {}; this tfcheck reads version 1",
            path.display(),
            b.tfcheck_baseline
        ));
    }
    Ok(b.findings.into_iter().map(|e| e.fingerprint).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_lines_and_tell_parts_apart() {
        assert_eq!(fingerprint("r", "a.b", "main.tf"), fingerprint("r", "a.b", "main.tf"));
        assert_ne!(fingerprint("r", "a.b", "main.tf"), fingerprint("r", "a.bmain.tf", ""));
        assert_ne!(fingerprint("r", "a.b", "main.tf"), fingerprint("s", "a.b", "main.tf"));
    }
}
