//! `tfcheck fix` on the fixture trees of `testdata/fix/<case>/`: `before/` is copied to a
//! temporary directory and fixed there. The diff and the summary must be the expected ones
//! (`expected.diff`, `expected.txt`), the fixed files must be `after/` byte for byte, a
//! rescan must not report what was fixed, a second fix must change nothing, and
//! `terraform fmt -check` must accept every fixed file (skipped, saying so, without
//! terraform).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// (case, extra arguments)
const CASES: &[(&str, &[&str])] = &[
    ("ecr_nocmk_resource", &["--unsafe-fixes"]),
    ("ecr_nocmk_module", &["--unsafe-fixes"]),
    ("safe_fixes", &[]),
    ("left_alone", &["--unsafe-fixes"]),
    ("plan_existing", &["--plan", "plan.json", "--out", "migrations"]),
];

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fix").join(case)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfcheck"));
    cmd.current_dir(dir).args(args).env("NO_COLOR", "1");
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("TF_")) {
        cmd.env_remove(k);
    }
    cmd.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn check_case(case: &str, extra: &[&str]) {
    let src = case_dir(case);
    let dir = std::env::temp_dir().join(format!("tfcheck-fix-{}-{case}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&src.join("before"), &dir);
    let mut args = vec!["fix", ".", "--no-config"];
    args.extend(extra);

    let mut diff_args = args.clone();
    diff_args.push("--diff");
    let o = run(&dir, &diff_args);
    assert_eq!(files(&dir), files(&src.join("before")), "{case}: --diff wrote files");
    let expected_diff = std::fs::read_to_string(src.join("expected.diff")).unwrap_or_default();
    assert_eq!(text(&o.stdout), expected_diff, "{case}: the diff");

    let o = run(&dir, &args);
    let expected = std::fs::read_to_string(src.join("expected.txt")).unwrap();
    assert_eq!(text(&o.stdout), expected, "{case}: what fix says; stderr: {}", text(&o.stderr));
    assert_eq!(files(&dir), files(&src.join("after")), "{case}: the fixed files");

    // Nothing that was fixed is found again.
    let scan = run(&dir, &[".", "--no-config", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&scan.stdout).unwrap();
    let still: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["address"].as_str().unwrap()))
        .collect();
    for line in expected.lines().filter(|l| l.starts_with("  fixes ")) {
        let rest = line.trim_start_matches("  fixes ");
        let (rule, tail) = rest.split_once(" for ").unwrap();
        for address in tail.rsplit_once(" (").unwrap().0.split(", ") {
            assert!(!still.contains(&format!("{rule} {address}")), "{case}: {rule} {address} is still found");
        }
    }
    assert!(!text(&scan.stderr).contains("error"), "{case}: the fixed tree has errors: {}", text(&scan.stderr));

    // A second fix is a no-op.
    let before_second = files(&dir);
    let again = run(&dir, &args);
    assert_eq!(files(&dir), before_second, "{case}: the second fix changed files");
    assert!(text(&again.stdout).contains("Fixed 0 findings in 0 files."), "{case}: {}", text(&again.stdout));

    // terraform fmt accepts what fix wrote.
    match Command::new("terraform").args(["fmt", "-check", "-recursive", "-list=true"]).current_dir(&dir).output() {
        Ok(fmt) => assert!(
            fmt.status.success(),
            "{case}: terraform fmt -check rejects: {}{}",
            text(&fmt.stdout),
            text(&fmt.stderr)
        ),
        Err(_) => eprintln!("{case}: terraform is not installed: terraform fmt -check skipped"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_case_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fix"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(c, _)| c.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn ecr_nocmk_resource() {
    check_case("ecr_nocmk_resource", CASES[0].1);
}

#[test]
fn ecr_nocmk_module() {
    check_case("ecr_nocmk_module", CASES[1].1);
}

#[test]
fn safe_fixes() {
    check_case("safe_fixes", CASES[2].1);
}

#[test]
fn left_alone() {
    check_case("left_alone", CASES[3].1);
}

/// With a plan: the repository it creates is fixed without --unsafe-fixes; the one that exists
/// gets a migration (runbook and script, in `after/migrations/`) instead of an edit.
#[test]
fn plan_existing() {
    check_case("plan_existing", CASES[4].1);
}

/// Without --unsafe-fixes, an unsafe fix is reported and not applied.
#[test]
fn unsafe_fixes_wait_for_the_flag() {
    let src = case_dir("ecr_nocmk_resource");
    let dir = std::env::temp_dir().join(format!("tfcheck-fix-{}-unsafe", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&src.join("before"), &dir);
    let o = run(&dir, &["fix", ".", "--no-config"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(files(&dir), files(&src.join("before")));
    let out = text(&o.stdout);
    assert!(out.contains("Fixed 0 findings in 0 files."), "{out}");
    assert!(out.contains("ecr_nocmk aws_ecr_repository.api: unsafe fix, not applied without --unsafe-fixes"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A value decided in a file outside the scanned repository (a `--var-file` elsewhere) is left
/// as it is, and `fix` says why; so is everything under `.terraform/`.
#[test]
fn edits_stay_inside_the_scanned_repository() {
    let base = std::env::temp_dir().join(format!("tfcheck-fix-{}-outside", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let repo = base.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(
        repo.join("main.tf"),
        "variable \"rotate\" {\n  type = bool\n}\n\nresource \"aws_kms_key\" \"data\" {\n  description         = \"data\"\n  enable_key_rotation = var.rotate\n}\n",
    )
    .unwrap();
    let outside = base.join("outside.tfvars");
    std::fs::write(&outside, "rotate = false\n").unwrap();
    let o = run(&repo, &["fix", ".", "--no-config", "--var-file", outside.to_str().unwrap()]);
    let out = text(&o.stdout);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "rotate = false\n");
    assert!(out.contains("outside the scanned repository"), "{out}");
    assert!(out.contains("Fixed 0 findings in 0 files."), "{out}");
    let _ = std::fs::remove_dir_all(&base);
}

/// docs/fixing.md shows the bundled example's diff and fix output as they are.
#[test]
fn the_docs_show_the_bundled_example_as_it_is() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/fixing.md")).unwrap();
    let block = |fence: &str| {
        let start = doc.find(fence).unwrap() + fence.len();
        doc[start..start + doc[start..].find("```\n").unwrap()].to_string()
    };
    let dir = std::env::temp_dir().join(format!("tfcheck-fix-{}-docs", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/examples/ecr"), &dir);
    let diff = run(&dir, &["fix", ".", "--unsafe-fixes", "--diff", "--no-config"]);
    assert_eq!(text(&diff.stdout), block("```diff\n"));
    let fixed = run(&dir, &["fix", ".", "--unsafe-fixes", "--no-config"]);
    assert_eq!(text(&fixed.stdout), block("```text\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `--plan` that cannot be read is an error (exit 2) that changes nothing: not JSON, a FIFO
/// (refused without waiting for a writer), a directory.
#[test]
fn an_unreadable_plan_is_an_error_and_changes_nothing() {
    let src = case_dir("safe_fixes");
    let base = std::env::temp_dir().join(format!("tfcheck-fix-{}-badplan", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let dir = base.join("repo");
    copy_tree(&src.join("before"), &dir);
    // Beside the tree, so that reading the tree's files for the comparison never opens them.
    std::fs::write(base.join("broken.json"), "{\"format_version\": ").unwrap();
    assert!(Command::new("mkfifo").arg(base.join("plan.fifo")).status().unwrap().success());
    for plan in ["../broken.json", "../plan.fifo", "."] {
        let before = files(&dir);
        let o = run(&dir, &["fix", ".", "--no-config", "--plan", plan]);
        assert_eq!(o.status.code(), Some(2), "{plan}: {}", text(&o.stderr));
        assert_eq!(files(&dir), before, "{plan}");
    }
    let _ = std::fs::remove_dir_all(&base);
}
