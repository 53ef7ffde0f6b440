//! Terraform as the oracle: expressions and whole configurations are planned by the real
//! `terraform` (as `terraform_data` inputs, which plan offline) and scanned by tfcheck, whose
//! rule reads the same inputs; the values must agree. Four suites: the hand-written probes in
//! `testdata/oracle/probes.txt`, the configurations in `testdata/oracle/configs/` (overrides,
//! modules, variable precedence, `.tf.json`), generated expressions (`oracle/grammar.rs`), and
//! HCL's specification cases (`testdata/specsuite/`). Without `terraform` the first three say
//! they were skipped, and the specification cases check tfcheck alone.

mod grammar;

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

/// What a generated expression becomes when it fails: both tools' `try()` fall back to it.
const FAILED: &str = "<error>";

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

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in std::fs::read_dir(from).unwrap() {
        let f = f.unwrap();
        if f.file_type().unwrap().is_dir() {
            copy_tree(&f.path(), &to.join(f.file_name()));
        } else {
            std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
        }
    }
}

/// A scratch directory per suite, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(suite: &str) -> Self {
        let p = std::env::temp_dir().join(format!("tfcheck-oracle-{}-{suite}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        // The rule that prints each terraform_data input as JSON, or a marker when unknown.
        std::fs::create_dir_all(p.join("rules")).unwrap();
        std::fs::write(
            p.join("rules/probe.hcl"),
            "rule \"zz_probe\" {\n  title = \"probe\"\n  severity = \"low\"\n  resource_types = [\"terraform_data\"]\n  check {\n    condition = false\n    at        = resource\n    message   = can(jsonencode(resource.input)) ? jsonencode(resource.input) : \"<unknown>\"\n  }\n  description = \"Prints the probe's value.\"\n  remediation = \"None.\"\n}\n",
        )
        .unwrap();
        Scratch(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Arguments for both tools, from a case's `oracle.args` (`var NAME=VALUE`, `var-file FILE`,
/// `env NAME=VALUE`), in order.
#[derive(Default)]
struct Inputs {
    terraform: Vec<String>,
    tfcheck: Vec<String>,
    env: Vec<(String, String)>,
}

fn inputs(case: &Path) -> Inputs {
    let mut out = Inputs::default();
    let Ok(text) = std::fs::read_to_string(case.join("oracle.args")) else { return out };
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (kind, value) = line.split_once(' ').unwrap_or_else(|| panic!("oracle.args: {line}"));
        match kind {
            "var" => {
                out.terraform.push(format!("-var={value}"));
                out.tfcheck.extend(["--var".to_string(), value.to_string()]);
            }
            "var-file" => {
                out.terraform.push(format!("-var-file={value}"));
                out.tfcheck.extend(["--var-file".to_string(), value.to_string()]);
            }
            "env" => {
                let (k, v) = value.split_once('=').unwrap();
                out.env.push((k.to_string(), v.to_string()));
            }
            _ => panic!("oracle.args: unknown line {line}"),
        }
    }
    out
}

/// Runs terraform; Err is its output when it fails.
fn terraform(dir: &Path, args: &[&str], env: &[(String, String)]) -> Result<Vec<u8>, String> {
    let o = Command::new("terraform")
        .current_dir(dir)
        .args(args)
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("run terraform");
    if o.status.success() {
        Ok(o.stdout)
    } else {
        Err(format!(
            "terraform {args:?}:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

/// Terraform's value of every terraform_data input by address: `None` when planned (partly)
/// unknown.
fn terraform_values(dir: &Path, inputs: &Inputs) -> Result<BTreeMap<String, Option<J>>, String> {
    if !dir.join(".terraform").exists() {
        terraform(dir, &["init", "-input=false", "-no-color", "-backend=false"], &inputs.env)?;
    }
    let mut plan = vec!["plan", "-input=false", "-no-color", "-lock=false", "-out=oracle.plan"];
    plan.extend(inputs.terraform.iter().map(String::as_str));
    terraform(dir, &plan, &inputs.env)?;
    let plan: J = serde_json::from_slice(&terraform(dir, &["show", "-json", "oracle.plan"], &inputs.env)?).unwrap();
    let mut out = BTreeMap::new();
    for rc in plan["resource_changes"].as_array().into_iter().flatten() {
        if rc["type"] != "terraform_data" {
            continue;
        }
        let unknown = &rc["change"]["after_unknown"]["input"];
        let value = if contains_true(unknown) { None } else { Some(rc["change"]["after"]["input"].clone()) };
        out.insert(rc["address"].as_str().unwrap().to_string(), value);
    }
    Ok(out)
}

fn contains_true(j: &J) -> bool {
    match j {
        J::Bool(b) => *b,
        J::Array(a) => a.iter().any(contains_true),
        J::Object(m) => m.values().any(contains_true),
        _ => false,
    }
}

/// What tfcheck saw: each terraform_data input by address (`None` when unknown), and its
/// diagnostics as (file, line, text).
struct Scan {
    values: BTreeMap<String, Option<J>>,
    diagnostics: Vec<(String, u64, String)>,
    /// Error diagnostics as (line, column).
    errors: Vec<(u64, u64)>,
}

fn tfcheck_values(dir: &Path, rules: &Path, inputs: &Inputs) -> Scan {
    let o = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(dir)
        .args(["--no-config", "--rules"])
        .arg(rules)
        .args(["--rule", "zz_probe", "--format", "json"])
        .args(&inputs.tfcheck)
        .arg(".")
        .env_remove("TF_WORKSPACE")
        .envs(inputs.env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    let j: J = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("tfcheck output: {e}\n{}", String::from_utf8_lossy(&o.stderr)));
    let values = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (f["address"].as_str().unwrap().to_string(), serde_json::from_str::<J>(f["message"].as_str().unwrap()).ok())
        })
        .collect();
    let diagnostics = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                format!("{}: {}", d["level"].as_str().unwrap_or(""), d["message"].as_str().unwrap_or("")),
            )
        })
        .collect();
    let errors = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["level"] == "error")
        .map(|d| (d["line"].as_u64().unwrap_or(0), d["column"].as_u64().unwrap_or(0)))
        .collect();
    Scan { values, diagnostics, errors }
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

/// How one value compares.
#[derive(Debug, PartialEq)]
enum Verdict {
    Agree,
    BothUnknown,
    /// Allowed, and listed: tfcheck knows what Terraform leaves to apply.
    TfcheckKnowsMore,
    Mismatch(String),
}

fn verdict(want: Option<&Option<J>>, got: Option<&Option<J>>) -> Verdict {
    match (want, got) {
        (Some(Some(w)), Some(Some(g))) if same(w, g) => Verdict::Agree,
        (Some(None), Some(None)) => Verdict::BothUnknown,
        (Some(None), Some(Some(_))) => Verdict::TfcheckKnowsMore,
        (w, g) => Verdict::Mismatch(format!("terraform: {}\n  tfcheck:   {}", show(w), show(g))),
    }
}

fn show(v: Option<&Option<J>>) -> String {
    match v {
        None => "(no such instance)".into(),
        Some(None) => "(unknown)".into(),
        Some(Some(j)) => j.to_string(),
    }
}

fn terraform_version() -> Option<String> {
    let o = Command::new("terraform").arg("version").output().ok()?;
    o.status.success().then(|| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("").to_string())
}

fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/oracle")
}

fn copy_context(to: &Path) {
    let data = oracle_dir();
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(data.join("context.tf"), to.join("context.tf")).unwrap();
    copy_tree(&data.join("files"), &to.join("files"));
}

fn probe_block(name: &str, expr: &str) -> String {
    format!("resource \"terraform_data\" \"{name}\" {{\n  input = {expr}\n}}\n\n")
}

#[test]
fn tfcheck_evaluates_as_terraform_does() {
    let Some(version) = terraform_version() else {
        eprintln!("oracle: skipped: `terraform` is not installed (the differential test needs it)");
        return;
    };
    let probes = probes(&oracle_dir());
    let scratch = Scratch::new("probes");
    let (tf_dir, tc_dir) = (scratch.0.join("terraform"), scratch.0.join("tfcheck"));
    let tf: String = probes.iter().map(|p| probe_block(&p.name, &p.expr)).collect();
    for dir in [&tf_dir, &tc_dir] {
        copy_context(dir);
        std::fs::write(dir.join("probes.tf"), &tf).unwrap();
    }
    let no_inputs = Inputs::default();
    let want = terraform_values(&tf_dir, &no_inputs).unwrap_or_else(|e| panic!("{e}"));
    let got = tfcheck_values(&tc_dir, &scratch.0.join("rules"), &no_inputs);
    let errors: Vec<String> = got.diagnostics.iter().map(|(f, l, m)| format!("{f}:{l} {m}")).collect();
    assert!(errors.is_empty(), "tfcheck diagnostics on the probes:\n{}", errors.join("\n"));

    let mut mismatches = Vec::new();
    let mut tfcheck_knows_more = Vec::new();
    let mut left_unknown = Vec::new();
    for p in &probes {
        let addr = format!("terraform_data.{}", p.name);
        match verdict(want.get(&addr), got.values.get(&addr)) {
            Verdict::Agree | Verdict::BothUnknown => {}
            Verdict::TfcheckKnowsMore => tfcheck_knows_more.push(p.name.clone()),
            Verdict::Mismatch(_)
                if matches!(want.get(&addr), Some(Some(_)))
                    && matches!(got.values.get(&addr), Some(None))
                    && LEFT_UNKNOWN.iter().any(|f| p.expr.contains(&format!("{f}("))) =>
            {
                left_unknown.push(p.name.clone())
            }
            Verdict::Mismatch(m) => mismatches.push(format!("{} = {}\n  {m}", p.name, p.expr)),
        }
    }
    // Every function tfcheck implements is exercised (except those no probe can compare).
    let used: BTreeSet<&str> = tfcheck::internals::function_names()
        .filter(|f| probes.iter().any(|p| p.expr.contains(&format!("{f}("))))
        .collect();
    let missing: Vec<&str> =
        tfcheck::internals::function_names().filter(|f| !used.contains(f) && !NOT_COMPARABLE.contains(f)).collect();
    eprintln!(
        "oracle: {version}: {} probes, {} of {} functions exercised ({} not comparable), {} mismatches, tfcheck knows more on {}: {:?}, leaves unknown on purpose {:?}",
        probes.len(),
        used.len(),
        tfcheck::internals::function_names().count(),
        NOT_COMPARABLE.len(),
        mismatches.len(),
        tfcheck_knows_more.len(),
        tfcheck_knows_more,
        left_unknown
    );
    assert!(missing.is_empty(), "functions no probe exercises: {missing:?}");
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

/// Whole configurations: every terraform_data instance Terraform plans, at its address, with
/// the variables, files and environment in the case's `oracle.args`.
#[test]
fn configurations_evaluate_as_terraform_does() {
    let Some(version) = terraform_version() else {
        eprintln!("oracle configurations: skipped: `terraform` is not installed");
        return;
    };
    let scratch = Scratch::new("configs");
    let cases_dir = oracle_dir().join("configs");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&cases_dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    let (mut instances, mut mismatches) = (0, Vec::new());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let (tf_dir, tc_dir) = (scratch.0.join("terraform").join(&name), scratch.0.join("tfcheck").join(&name));
        copy_tree(case, &tf_dir);
        copy_tree(case, &tc_dir);
        let inputs = inputs(case);
        let want = terraform_values(&tf_dir, &inputs).unwrap_or_else(|e| panic!("case {name}: {e}"));
        let got = tfcheck_values(&tc_dir, &scratch.0.join("rules"), &inputs);
        assert!(!want.is_empty(), "case {name}: Terraform plans no terraform_data");
        for (f, l, m) in &got.diagnostics {
            mismatches.push(format!("{name}: tfcheck diagnostic {f}:{l} {m}"));
        }
        let addresses: BTreeSet<&String> = want.keys().chain(got.values.keys()).collect();
        for addr in addresses {
            instances += 1;
            if let Verdict::Mismatch(m) = verdict(want.get(addr), got.values.get(addr)) {
                mismatches.push(format!("{name}: {addr}\n  {m}"));
            }
        }
    }
    eprintln!(
        "oracle configurations: {version}: {} cases, {instances} instances, {} mismatches",
        cases.len(),
        mismatches.len()
    );
    assert!(cases.len() >= 10, "configuration cases missing: {}", cases.len());
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

/// HCL's specification suite, written as Terraform configurations
/// (`testdata/specsuite/README.md`): tfcheck always, Terraform where installed.
#[test]
fn hcl_specification_cases() {
    let version = terraform_version();
    let scratch = Scratch::new("spec");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/specsuite");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let expected: J = serde_json::from_str(&std::fs::read_to_string(case.join("expected.json")).unwrap()).unwrap();
        let tc_dir = scratch.0.join("tfcheck").join(&name);
        copy_tree(case, &tc_dir);
        let got = tfcheck_values(&tc_dir, &scratch.0.join("rules"), &Inputs::default());
        let tf_dir = scratch.0.join("terraform").join(&name);
        let terraform = version.as_ref().map(|_| {
            copy_tree(case, &tf_dir);
            terraform_values(&tf_dir, &Inputs::default())
        });
        if let Some(errors) = expected.get("errors") {
            let want: Vec<(u64, u64)> =
                errors.as_array().unwrap().iter().map(|e| (e[0].as_u64().unwrap(), e[1].as_u64().unwrap())).collect();
            if got.errors != want {
                failures.push(format!("{name}: errors at {:?}, expected {want:?}", got.errors));
            }
            if let Some(Ok(v)) = terraform {
                failures.push(format!("{name}: Terraform accepts what the specification rejects: {v:?}"));
            }
            continue;
        }
        for (f, l, m) in &got.diagnostics {
            failures.push(format!("{name}: tfcheck diagnostic {f}:{l} {m}"));
        }
        let want: BTreeMap<String, Option<J>> =
            expected["values"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), Some(v.clone()))).collect();
        let mut sources = vec![("tfcheck", got.values)];
        match terraform {
            Some(Ok(v)) => sources.push(("terraform", v)),
            Some(Err(e)) => failures.push(format!("{name}: terraform failed: {e}")),
            None => {}
        }
        for (who, values) in sources {
            let addresses: BTreeSet<&String> = want.keys().chain(values.keys()).collect();
            for addr in addresses {
                if let Verdict::Mismatch(m) = verdict(want.get(addr), values.get(addr)) {
                    failures.push(format!(
                        "{name}: {addr} ({who} against expected.json)\n  {}",
                        m.replace("terraform:", "expected:").replace("tfcheck: ", &format!("{who}:"))
                    ));
                }
            }
        }
    }
    eprintln!(
        "oracle specification: {} HCL specification cases, {} failures{}",
        cases.len(),
        failures.len(),
        if version.is_some() { ", checked against Terraform too" } else { " (terraform not installed: tfcheck only)" }
    );
    assert!(cases.len() >= 9, "specification cases missing: {}", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Outcome of one generated expression.
#[derive(Debug)]
enum Outcome {
    /// Terraform refuses the configuration before evaluating it (a loop variable out of
    /// scope after shrinking, a call with the wrong number of arguments): nothing to compare.
    Refused,
    Same {
        failed: bool,
        unknown: bool,
    },
    KnowsMore,
    Mismatch(String),
}

/// Plans and scans one batch of generated expressions, each wrapped in `try(E, "<error>")`
/// so that an evaluation error is a value both tools agree on or not.
struct Batch {
    tf_dir: PathBuf,
    tc_dir: PathBuf,
    rules: PathBuf,
}

impl Batch {
    fn new(scratch: &Scratch) -> Self {
        let (tf_dir, tc_dir) = (scratch.0.join("terraform"), scratch.0.join("tfcheck"));
        copy_context(&tf_dir);
        copy_context(&tc_dir);
        Batch { tf_dir, tc_dir, rules: scratch.0.join("rules") }
    }

    fn run(&self, exprs: &[(String, String)]) -> BTreeMap<String, Outcome> {
        let mut out = BTreeMap::new();
        let mut live: Vec<&(String, String)> = exprs.iter().collect();
        let want = loop {
            let tf: String = live
                .iter()
                .map(|(n, e)| format!("resource \"terraform_data\" \"{n}\" {{ input = try({e}, \"{FAILED}\") }}\n"))
                .collect();
            std::fs::write(self.tf_dir.join("probes.tf"), &tf).unwrap();
            match terraform_values(&self.tf_dir, &Inputs::default()) {
                Ok(w) => break w,
                Err(e) => {
                    // Terraform names each refused probe; drop them and plan the rest.
                    // (`in resource "terraform_data" "g1"`, or `terraform_data.g1` when a
                    // value cannot be stored, such as an infinity.)
                    let named = |sep: &str, end: char| -> Vec<String> {
                        e.split(sep).skip(1).filter_map(|s| s.split(end).next()).map(str::to_string).collect()
                    };
                    let mut refused: BTreeSet<String> =
                        named("resource \"terraform_data\" \"", '"').into_iter().collect();
                    refused
                        .extend(named("terraform_data.", ' ').into_iter().filter(|n| live.iter().any(|(l, _)| l == n)));
                    assert!(!refused.is_empty(), "terraform failed without naming a probe:\n{e}");
                    live.retain(|(n, _)| !refused.contains(n));
                    for n in refused {
                        out.insert(n, Outcome::Refused);
                    }
                }
            }
        };
        // The same file for tfcheck, one probe per line so a diagnostic's line names it.
        let tf: String = live
            .iter()
            .map(|(n, e)| format!("resource \"terraform_data\" \"{n}\" {{ input = try({e}, \"{FAILED}\") }}\n"))
            .collect();
        std::fs::write(self.tc_dir.join("probes.tf"), &tf).unwrap();
        let got = tfcheck_values(&self.tc_dir, &self.rules, &Inputs::default());
        let mut diagnosed: BTreeMap<usize, String> = BTreeMap::new();
        for (f, l, m) in &got.diagnostics {
            assert_eq!(f, "probes.tf", "tfcheck diagnostic outside the probes: {f}:{l} {m}");
            diagnosed.insert(*l as usize - 1, m.clone());
        }
        for (i, (n, _)) in live.iter().enumerate() {
            let addr = format!("terraform_data.{n}");
            let (w, g) = (want.get(&addr), got.values.get(&addr));
            let outcome = match (verdict(w, g), diagnosed.get(&i)) {
                (_, Some(d)) => Outcome::Mismatch(format!("tfcheck diagnostic: {d}\n  terraform: {}", show(w))),
                (Verdict::Agree, _) => {
                    Outcome::Same { failed: matches!(w, Some(Some(J::String(s))) if s == FAILED), unknown: false }
                }
                (Verdict::BothUnknown, _) => Outcome::Same { failed: false, unknown: true },
                (Verdict::TfcheckKnowsMore, _) => Outcome::KnowsMore,
                (Verdict::Mismatch(m), _) => Outcome::Mismatch(m),
            };
            out.insert(n.clone(), outcome);
        }
        out
    }

    /// The smallest expression that still mismatches, one shrink step per plan.
    fn minimise(&self, mut node: grammar::Node) -> (grammar::Node, String) {
        let mut why = String::new();
        for _ in 0..40 {
            let current = node.render().len();
            let mut seen = BTreeSet::new();
            let mut candidates: Vec<grammar::Node> = node
                .shrinks()
                .into_iter()
                .filter(|c| {
                    let r = c.render();
                    r.len() < current && seen.insert(r)
                })
                .collect();
            candidates.sort_by_key(|c| c.render().len());
            candidates.truncate(300);
            let exprs: Vec<(String, String)> =
                candidates.iter().enumerate().map(|(i, c)| (format!("m{i}"), c.render())).collect();
            let outcomes = self.run(&exprs);
            let smaller = (0..candidates.len()).find_map(|i| match outcomes.get(&format!("m{i}")) {
                Some(Outcome::Mismatch(m)) => Some((i, m.clone())),
                _ => None,
            });
            match smaller {
                Some((i, m)) => {
                    node = candidates.swap_remove(i);
                    why = m;
                }
                None => break,
            }
        }
        (node, why)
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Generated expressions (a few hundred here; `TFCHECK_ORACLE_GEN=N` and
/// `TFCHECK_ORACLE_SEED=S` run more): every mismatch is minimised and printed as a probe line,
/// and appended to `probes.txt` with `TFCHECK_ORACLE_SAVE=1`.
#[test]
fn generated_expressions_evaluate_as_terraform_does() {
    let Some(version) = terraform_version() else {
        eprintln!("oracle generator: skipped: `terraform` is not installed");
        return;
    };
    let seed = env_number("TFCHECK_ORACLE_SEED", 1);
    let count = env_number("TFCHECK_ORACLE_GEN", 300) as usize;
    const BATCH: usize = 500;
    let scratch = Scratch::new("gen");
    let batch = Batch::new(&scratch);
    let mut g = grammar::Generator::new(seed);
    let (mut refused, mut failed, mut unknown, mut knows_more, mut agreed) = (0, 0, 0, 0, 0);
    let mut mismatched: Vec<(grammar::Node, String)> = Vec::new();
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let nodes: Vec<grammar::Node> = (0..n).map(|_| g.expr()).collect();
        let exprs: Vec<(String, String)> =
            nodes.iter().enumerate().map(|(i, e)| (format!("g{}", done + i), e.render())).collect();
        let outcomes = batch.run(&exprs);
        for (i, node) in nodes.into_iter().enumerate() {
            match &outcomes[&format!("g{}", done + i)] {
                Outcome::Refused => refused += 1,
                Outcome::Same { failed: true, .. } => failed += 1,
                Outcome::Same { unknown: true, .. } => unknown += 1,
                Outcome::Same { .. } => agreed += 1,
                Outcome::KnowsMore => knows_more += 1,
                Outcome::Mismatch(m) => mismatched.push((node, m.clone())),
            }
        }
        done += n;
    }
    // Minimise a few; distinct minimal forms are what a fix needs.
    let mut found: Vec<(String, String)> = Vec::new();
    for (node, why) in &mismatched {
        if found.len() >= 8 {
            break;
        }
        // One minimisation per kind: skip a mismatch that holds one already found.
        let text = node.render();
        if found.iter().any(|(f, _)| text.contains(f.as_str())) {
            continue;
        }
        let (small, small_why) = batch.minimise(node.clone());
        let text = small.render();
        if !found.iter().any(|(t, _)| *t == text) {
            found.push((text, if small_why.is_empty() { why.clone() } else { small_why }));
        }
    }
    eprintln!(
        "oracle generator: {version}: seed {seed}, {count} expressions: {agreed} equal values, {failed} errors in both, {unknown} unknown in both, {knows_more} known only to tfcheck, {refused} refused by Terraform before evaluation, {} mismatches",
        mismatched.len()
    );
    for (i, (text, why)) in found.iter().enumerate() {
        eprintln!("gen_s{seed}_{i} = {text}\n  {why}");
    }
    if std::env::var_os("TFCHECK_ORACLE_SAVE").is_some() && !found.is_empty() {
        let path = oracle_dir().join("probes.txt");
        let mut text = std::fs::read_to_string(&path).unwrap();
        for (i, (expr, _)) in found.iter().enumerate() {
            text.push_str(&format!("gen_s{seed}_{i} = {expr}\n"));
        }
        std::fs::write(path, text).unwrap();
    }
    assert!(mismatched.is_empty(), "{} generated expressions differ from Terraform; minimised above", mismatched.len());
}
