//! Terraform as the oracle: every probe in `testdata/oracle/probes.txt` is planned by the real
//! `terraform` (as a `terraform_data` input, which plans offline) and evaluated by tfcheck
//! where a rule reads it; the values must agree. Skipped, saying so, without `terraform`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as J;

/// Functions a probe cannot compare: their values differ on every call or need apply.
const NOT_COMPARABLE: &[&str] = &[
    "bcrypt",        // salted: a new value each time
    "uuid",          // random
    "timestamp",     // the current time
    "plantimestamp", // the plan's time
    "rsadecrypt",    // needs a private key and ciphertext made for it
    "abspath",       // machine paths differ between the two directories
    "list",          // removed in Terraform 0.12; an error in both
    "map",           // removed in Terraform 0.12; an error in both
    "type",          // only in `terraform console`
];

/// Functions whose result tfcheck leaves unknown on purpose (never a verdict on a guess):
/// `base64gzip` is Go's gzip stream byte for byte.
const LEFT_UNKNOWN: &[&str] = &["base64gzip"];

struct Probe {
    name: String,
    expr: String,
}

fn probes(dir: &Path) -> Vec<Probe> {
    let text = std::fs::read_to_string(dir.join("probes.txt")).unwrap();
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, expr) = line.split_once(" = ").unwrap_or_else(|| panic!("not `name = expression`: {line}"));
        let mut expr = expr.to_string();
        // A heredoc goes on to its closing marker.
        if let Some(marker) = expr.strip_prefix("<<-").or_else(|| expr.strip_prefix("<<")).map(str::to_string) {
            for more in lines.by_ref() {
                expr.push('\n');
                expr.push_str(more);
                if more.trim() == marker {
                    break;
                }
            }
        }
        out.push(Probe { name: name.trim().to_string(), expr });
    }
    let mut seen = BTreeSet::new();
    for p in &out {
        assert!(seen.insert(&p.name), "probe {} is defined twice", p.name);
    }
    out
}

fn copy_context(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("files")).unwrap();
    std::fs::copy(from.join("context.tf"), to.join("context.tf")).unwrap();
    for f in std::fs::read_dir(from.join("files")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), to.join("files").join(f.file_name())).unwrap();
    }
}

/// Terraform's value of each probe: `None` when it plans it as (partly) unknown.
fn terraform_values(dir: &Path, probes: &[Probe]) -> BTreeMap<String, Option<J>> {
    let mut tf = String::new();
    for p in probes {
        tf.push_str(&format!("resource \"terraform_data\" \"{}\" {{\n  input = {}\n}}\n\n", p.name, p.expr));
    }
    std::fs::write(dir.join("probes.tf"), tf).unwrap();
    let run = |args: &[&str]| {
        let o = Command::new("terraform")
            .current_dir(dir)
            .args(args)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .expect("run terraform");
        assert!(
            o.status.success(),
            "terraform {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    };
    run(&["init", "-input=false", "-no-color", "-backend=false"]);
    run(&["plan", "-input=false", "-no-color", "-lock=false", "-out=probes.plan"]);
    let plan: J = serde_json::from_slice(&run(&["show", "-json", "probes.plan"])).unwrap();
    let mut out = BTreeMap::new();
    for rc in plan["resource_changes"].as_array().unwrap() {
        let name = rc["name"].as_str().unwrap().to_string();
        let unknown = &rc["change"]["after_unknown"]["input"];
        let value = if contains_true(unknown) { None } else { Some(rc["change"]["after"]["input"].clone()) };
        out.insert(name, value);
    }
    out
}

fn contains_true(j: &J) -> bool {
    match j {
        J::Bool(b) => *b,
        J::Array(a) => a.iter().any(contains_true),
        J::Object(m) => m.values().any(contains_true),
        _ => false,
    }
}

/// tfcheck's value of each probe, read by a rule (`resource.probe`): `None` when unknown.
fn tfcheck_values(dir: &Path, probes: &[Probe]) -> BTreeMap<String, Option<J>> {
    let mut tf = String::new();
    for p in probes {
        tf.push_str(&format!("resource \"aws_ecr_repository\" \"{}\" {{\n  probe = {}\n}}\n\n", p.name, p.expr));
    }
    std::fs::write(dir.join("probes.tf"), tf).unwrap();
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    // Known: the value as JSON; unknown: a marker that is not JSON.
    std::fs::write(
        rules.join("probe.hcl"),
        "rule \"zz_probe\" {\n  title = \"probe\"\n  severity = \"low\"\n  resource_types = [\"aws_ecr_repository\"]\n  check {\n    condition = false\n    at        = resource\n    message   = can(jsonencode(resource.probe)) ? jsonencode(resource.probe) : \"<unknown>\"\n  }\n  description = \"Prints the probe's value.\"\n  remediation = \"None.\"\n}\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(dir)
        .args(["--no-config", "--rules", "rules", "--rule", "zz_probe", "--format", "json", "."])
        .env_remove("TF_WORKSPACE")
        .output()
        .unwrap();
    let j: J = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("tfcheck output: {e}\n{}", String::from_utf8_lossy(&o.stderr)));
    let mut out = BTreeMap::new();
    for f in j["findings"].as_array().unwrap() {
        let name = f["address"].as_str().unwrap().trim_start_matches("aws_ecr_repository.").to_string();
        let message = f["message"].as_str().unwrap();
        out.insert(name, serde_json::from_str::<J>(message).ok());
    }
    let errors: Vec<String> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}:{} {}", d["level"], d["file"], d["line"], d["message"]))
        .collect();
    assert!(errors.is_empty(), "tfcheck diagnostics on the probes:\n{}", errors.join("\n"));
    out
}

/// Numbers compare by value (1 and 1.0 are one number in both).
fn same(a: &J, b: &J) -> bool {
    match (a, b) {
        // Terraform prints numbers with every digit of its 512-bit arithmetic; parsed to f64
        // they may differ from tfcheck's in the last place.
        (J::Number(x), J::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(a), Some(b)) => a == b || (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs()),
            _ => false,
        },
        (J::Array(x), J::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn terraform_version() -> Option<String> {
    let o = Command::new("terraform").arg("version").output().ok()?;
    o.status.success().then(|| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("").to_string())
}

#[test]
fn tfcheck_evaluates_as_terraform_does() {
    let Some(version) = terraform_version() else {
        eprintln!("oracle: skipped: `terraform` is not installed (the differential test needs it)");
        return;
    };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/oracle");
    let probes = probes(&data);
    let base: PathBuf = std::env::temp_dir().join(format!("tfcheck-oracle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (tf_dir, tc_dir) = (base.join("terraform"), base.join("tfcheck"));
    copy_context(&data, &tf_dir);
    copy_context(&data, &tc_dir);
    let want = terraform_values(&tf_dir, &probes);
    let got = tfcheck_values(&tc_dir, &probes);
    let _ = std::fs::remove_dir_all(&base);

    let mut mismatches = Vec::new();
    let mut tfcheck_knows_more = Vec::new();
    let mut left_unknown = Vec::new();
    for p in &probes {
        match (want.get(&p.name), got.get(&p.name)) {
            (Some(Some(w)), Some(Some(g))) if same(w, g) => {}
            (Some(None), Some(None)) => {}
            // Allowed, and listed: tfcheck knows what Terraform leaves to apply.
            (Some(None), Some(Some(_))) => tfcheck_knows_more.push(p.name.clone()),
            (Some(Some(_)), Some(None)) if LEFT_UNKNOWN.iter().any(|f| p.expr.contains(&format!("{f}("))) => {
                left_unknown.push(p.name.clone())
            }
            (w, g) => mismatches.push(format!("{} = {}\n  terraform: {w:?}\n  tfcheck:   {g:?}", p.name, p.expr)),
        }
    }
    // Every function tfcheck implements is exercised (except those no probe can compare).
    let used: BTreeSet<&str> = tfcheck::eval::functions::names()
        .filter(|f| probes.iter().any(|p| p.expr.contains(&format!("{f}("))))
        .collect();
    let missing: Vec<&str> =
        tfcheck::eval::functions::names().filter(|f| !used.contains(f) && !NOT_COMPARABLE.contains(f)).collect();
    eprintln!(
        "oracle: {version}: {} probes, {} of {} functions exercised ({} not comparable), {} mismatches, tfcheck knows more on {}: {:?}, leaves unknown on purpose {:?}",
        probes.len(),
        used.len(),
        tfcheck::eval::functions::names().count(),
        NOT_COMPARABLE.len(),
        mismatches.len(),
        tfcheck_knows_more.len(),
        tfcheck_knows_more,
        left_unknown
    );
    assert!(missing.is_empty(), "functions no probe exercises: {missing:?}");
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}
