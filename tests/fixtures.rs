//! Runs the real `tfcheck` binary on every fixture under `testdata/hcl/` and compares its
//! findings and errors with the case's `expected.txt` (format: testdata/hcl/README.md).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn cases(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("expected.txt").is_file())
        .collect();
    cases.sort();
    cases
}

fn read_lines(path: &Path) -> Vec<String> {
    match std::fs::read_to_string(path) {
        Ok(s) => {
            s.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
        }
        Err(_) => Vec::new(),
    }
}

/// Runs tfcheck on a case and returns its results in expected.txt's format. `rules` are the
/// rules the directory's cases are about.
fn actual(case: &Path, rules: &[&str]) -> Result<BTreeSet<String>, String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfcheck"));
    cmd.current_dir(case).arg("--format").arg("json");
    for r in rules {
        cmd.arg("--rule").arg(r);
    }
    let args = read_lines(&case.join("args"));
    let has_path = args.iter().any(|a| !a.starts_with('-'));
    cmd.args(&args);
    if !has_path {
        cmd.arg(".");
    }
    for (k, _) in std::env::vars() {
        if k.starts_with("TF_VAR_") || k == "TF_WORKSPACE" {
            cmd.env_remove(k);
        }
    }
    for line in read_lines(&case.join("env")) {
        if let Some((k, v)) = line.split_once('=') {
            cmd.env(k, v);
        }
    }
    let out = cmd.output().map_err(|e| format!("cannot run tfcheck: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).map_err(|e| {
        format!(
            "output is not JSON ({e}); exit {:?}; stderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let mut set = BTreeSet::new();
    for f in json["findings"].as_array().into_iter().flatten() {
        let mut line = format!(
            "{} {} {}:{}",
            f["rule"].as_str().unwrap_or("?"),
            f["address"].as_str().unwrap_or("?"),
            f["file"].as_str().unwrap_or("?"),
            f["line"]
        );
        if f["suppressed"] == true {
            line.push_str(" suppressed");
        }
        set.insert(line);
    }
    for d in json["diagnostics"].as_array().into_iter().flatten() {
        if d["level"] == "error" {
            let code = d["code"].as_str().unwrap_or("?");
            let line = match d["line"].as_u64() {
                Some(l) => format!("error[{code}] {}:{l}", d["file"].as_str().unwrap_or("?")),
                None => format!("error[{code}] {}", d["file"].as_str().unwrap_or("?")),
            };
            set.insert(line);
        }
    }
    // The exit code must agree with the results.
    let has_error = set.iter().any(|l| l.starts_with("error["));
    let has_active = set.iter().any(|l| !l.starts_with("error[") && !l.ends_with(" suppressed"));
    let want = if has_error {
        2
    } else if has_active {
        1
    } else {
        0
    };
    if out.status.code() != Some(want) {
        return Err(format!("exit code {:?}, expected {want}", out.status.code()));
    }
    Ok(set)
}

fn check_dir(dir: &str, min_cases: usize, rules: &[&str]) {
    let cases = cases(dir);
    assert!(cases.len() >= min_cases, "expected at least {min_cases} cases in {dir}, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let expected: BTreeSet<String> = read_lines(&case.join("expected.txt"))
            .into_iter()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        match actual(case, rules) {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(actual) if actual != expected => {
                let missing: Vec<_> = expected.difference(&actual).collect();
                let extra: Vec<_> = actual.difference(&expected).collect();
                failures.push(format!("{name}:\n  missing: {missing:#?}\n  unexpected: {extra:#?}"));
            }
            Ok(_) => {}
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn hcl_fixtures() {
    check_dir("testdata/hcl", 40, &["ecr_nocmk"]);
}

#[test]
fn plan_fixtures() {
    check_dir("testdata/plan", 20, &["ecr_nocmk"]);
}

#[test]
fn state_fixtures() {
    check_dir("testdata/state", 5, &["ecr_nocmk"]);
}
