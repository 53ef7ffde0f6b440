//! Inputs the fuzz targets (fuzz/) once failed on, replayed through the same checks: each file
//! of `testdata/fuzz/<target>/` must pass that target's invariants.

#[path = "../../fuzz/fuzz_targets/common.rs"]
mod common;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz").join(target);
    // A target with nothing found yet has no directory.
    let mut files: Vec<_> = std::fs::read_dir(&dir).into_iter().flatten().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in &files {
        eprintln!("{}", f.display());
        check(&std::fs::read(f).unwrap());
    }
}

#[test]
fn hcl() {
    replay("hcl", common::check_hcl);
}

#[test]
fn plan() {
    replay("plan", common::check_plan);
}

#[test]
fn tfvars() {
    replay("tfvars", common::check_tfvars);
}

#[test]
fn rule() {
    replay("rule", common::check_rule);
}

#[test]
fn plan_chain() {
    replay("plan_chain", common::check_plan_chain);
}

#[test]
fn parse() {
    replay("parse", common::check_parse);
    // What the scanning target found is parser input too.
    replay("hcl", common::check_parse);
}
