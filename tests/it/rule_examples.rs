//! Every rule's examples are tests: a bad example produces exactly the findings it declares,
//! a good one none, written as configuration and, where the rule has one, as a plan.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tfcheck::{ScanOptions, load_rules, scan};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tfcheck-example-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn builtin_rules_load_without_errors() {
    let rules = load_rules(&ScanOptions::default()).unwrap_or_else(|errors| panic!("{errors:#?}"));
    assert!(rules.iter().any(|r| r.id == "ecr_nocmk"));
}

#[test]
fn rule_examples() {
    // The rule files' own paths, to resolve examples given as files.
    let sources = tfcheck::SourceMap::new();
    let (rules, _) = tfcheck::internals::load_rules(&sources, &ScanOptions::default());
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in &rules {
        assert!(
            rule.examples.iter().any(|e| e.good) && rule.examples.iter().any(|e| !e.good),
            "{} needs good and bad examples",
            rule.id
        );
        // Every check must be what some bad example is reported for.
        let mut fired = BTreeSet::new();
        let rule_file = sources.get(rule.span.file).path.clone();
        let rule_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(rule_file.parent().unwrap());
        for (i, ex) in rule.examples.iter().enumerate() {
            let want: BTreeSet<String> = ex.expect.iter().cloned().collect();
            let mut check = |what: &str, paths: Vec<PathBuf>| {
                count += 1;
                let mut opts = ScanOptions::default();
                opts.load.paths = paths;
                let result = scan(&opts);
                let got: BTreeSet<String> =
                    result.findings.iter().filter(|f| f.rule.id == rule.id).map(|f| f.address.clone()).collect();
                fired.extend(result.findings.iter().filter(|f| f.rule.id == rule.id).map(|f| f.check));
                let errors: Vec<&str> = result.diagnostics.iter().map(|d| d.message.as_str()).collect();
                if got != want || !errors.is_empty() {
                    failures.push(format!(
                        "{} example #{} ({}, {what}): expected {want:?}, got {got:?}; diagnostics {errors:?}",
                        rule.id,
                        i + 1,
                        if ex.good { "good" } else { "bad" }
                    ));
                }
            };
            if let Some(config) = &ex.config {
                let dir = temp_dir(&format!("{}-{i}", rule.id));
                std::fs::write(dir.join("main.tf"), config).unwrap();
                for (path, text) in &ex.files {
                    let file = dir.join(path);
                    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                    std::fs::write(file, text).unwrap();
                }
                check("config", vec![dir.clone()]);
                let _ = std::fs::remove_dir_all(&dir);
            }
            if let Some(plan) = &ex.plan {
                check("plan", vec![rule_dir.join(plan)]);
            }
        }
        let silent: Vec<usize> = (0..rule.checks.len()).filter(|c| !fired.contains(c)).map(|c| c + 1).collect();
        if !silent.is_empty() {
            failures.push(format!("{}: no bad example is reported by check(s) {silent:?} (counting from 1)", rule.id));
        }
    }
    assert!(count > 0);
    assert!(failures.is_empty(), "{failures:#?}");
}
