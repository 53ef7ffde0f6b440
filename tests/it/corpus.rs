//! Real-world corpus checks. They use `../shared/corpus` (not part of this repository); when it
//! is absent each says "skipped: ... is absent" on the terminal (libtest has no runtime skip,
//! so they still count as passed). `.ci/corpus` runs the big-corpus one in release mode.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use tfcheck::{Level, ScanOptions, scan};

fn corpus(sub: &str, test: &str) -> Option<PathBuf> {
    let (dir, shown) = match std::env::var_os("TFCHECK_CORPUS_DIR") {
        Some(d) if sub != "ecr" || Path::new(&d).ends_with("ecr") => {
            (PathBuf::from(&d), Path::new(&d).display().to_string())
        }
        _ => (
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(sub),
            format!("../shared/corpus/{sub}"),
        ),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        skipped(test, &shown);
        None
    }
}

/// Says a test did nothing, on the real stderr: libtest hides what `eprintln!` prints in a
/// passing test, and a check that silently passes in 0.01 s looks like a check that ran.
fn skipped(test: &str, what: &str) {
    let _ = writeln!(std::io::stderr(), "{test}: skipped: {what} is absent");
}

/// Terraform files under `dir`, skipping hidden directories as tfcheck does.
fn terraform_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".tf") || n.ends_with(".tf.json") || n.ends_with(".tfvars") || n.ends_with(".tfvars.json")
        })
        .collect()
}

fn scan_dir(dir: &Path) -> tfcheck::ScanResult {
    scan_paths(vec![dir.to_path_buf()])
}

#[test]
fn ecr_corpus_every_file_accounted_for() {
    let Some(dir) = corpus("ecr", "ecr_corpus_every_file_accounted_for") else { return };
    let result = scan_dir(&dir);
    let loaded: HashSet<PathBuf> = (0..result.sources.len())
        .map(|i| result.sources.get(tfcheck::FileId(i as u32)))
        .filter_map(|f| std::fs::canonicalize(&f.path).ok())
        .collect();
    let mut missing = Vec::new();
    for f in terraform_files(&dir) {
        let c = std::fs::canonicalize(&f).unwrap();
        if !loaded.contains(&c)
            && !result
                .diagnostics
                .iter()
                .any(|d| d.path.as_deref().is_some_and(|p| Path::new(p).ends_with(f.file_name().unwrap())))
        {
            missing.push(f.display().to_string());
        }
    }
    assert!(missing.is_empty(), "files neither loaded nor reported: {missing:#?}");
    for d in &result.diagnostics {
        assert!(d.span.is_some() || d.path.is_some(), "diagnostic without a location: {}", d.message);
    }
    // The corpus has real findings; an empty result would mean the rules stopped working.
    assert!(result.findings.len() > 50, "only {} findings", result.findings.len());
    eprintln!(
        "ECR corpus: {} files, {} findings, {} errors, {} warnings",
        result.stats.files,
        result.findings.len(),
        result.diagnostics.iter().filter(|d| d.level == Level::Error).count(),
        result.diagnostics.iter().filter(|d| d.level == Level::Warning).count()
    );
}

/// Every file of the big corpus is valid Terraform (`terraform fmt` accepts them all), so
/// every one must parse: no error diagnostics at all.
#[test]
#[ignore = "needs the unpacked big corpus; run by .ci/corpus"]
fn big_corpus_parses() {
    let dir = match std::env::var_os("TFCHECK_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/corpus/big"),
    };
    if !dir.is_dir() {
        skipped("big_corpus_parses", &dir.display().to_string());
        return;
    }
    let result = scan_dir(&dir);
    let errors: Vec<String> = result
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| {
            format!("{}: {}", d.span.map(|s| result.sources.short(s)).or(d.path.clone()).unwrap_or_default(), d.message)
        })
        .collect();
    assert!(result.stats.files > 20_000, "only {} files loaded", result.stats.files);
    assert!(errors.is_empty(), "{} errors:\n{}", errors.len(), errors.join("\n"));
    // Deferred bodies (parsed again on first use) give the same tree in every file.
    let mut checked = 0;
    for e in walkdir::WalkDir::new(&dir).into_iter().filter_map(|e| e.ok()) {
        if e.path().extension().is_some_and(|x| x == "tf") {
            let text: std::sync::Arc<str> = std::fs::read_to_string(e.path()).unwrap().into();
            assert_eq!(deferred_differs(&text), None, "{}", e.path().display());
            checked += 1;
        }
    }
    assert!(checked > 20_000, "only {checked} files checked");
}

/// Where a file parsed with every top-level body deferred, then used, differs from the file
/// parsed at once.
pub fn deferred_differs(text: &std::sync::Arc<str>) -> Option<String> {
    use tfcheck::internals::parser::{Keep, defer_bodies, parse_file};
    let plain = format!("{:?}", parse_file(text, tfcheck::FileId(0)).body);
    let mut file = parse_file(text, tfcheck::FileId(0));
    defer_bodies(&mut file, text, |_| Some(Keep { attributes: &["count"], names: true }));
    // What a deferred body keeps is what it holds once parsed.
    let kept: Vec<_> = file
        .body
        .blocks
        .iter()
        .map(|b| (b.body.attribute_names().into_owned(), b.body.kept("count").map(|a| a.span)))
        .collect();
    let deferred = format!("{:?}", file.body);
    let parsed: Vec<_> = file
        .body
        .blocks
        .iter()
        .map(|b| (b.body.attribute_names().into_owned(), b.body.kept("count").map(|a| a.span)))
        .collect();
    if kept != parsed {
        return Some(format!("kept {kept:?} against {parsed:?}"));
    }
    let at = plain.bytes().zip(deferred.bytes()).position(|(a, b)| a != b);
    match at {
        None if plain.len() == deferred.len() => None,
        _ => {
            let at = at.unwrap_or(plain.len().min(deferred.len()));
            Some(format!(
                "at {at}: {:?} against {:?}",
                &plain[at..(at + 80).min(plain.len())],
                &deferred[at..(at + 80).min(deferred.len())]
            ))
        }
    }
}

/// Every HCL file of the fixtures, deferred and used, parses to the same tree.
#[test]
fn deferred_bodies_parse_again_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut checked = 0;
    for e in walkdir::WalkDir::new(&root).into_iter().filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy();
        if [".tf", ".tofu", ".hcl", ".tfvars"].iter().any(|x| name.ends_with(x)) {
            let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
            assert_eq!(deferred_differs(&text.into()), None, "{}", e.path().display());
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} files checked");
}

fn plan_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn scan_paths(paths: Vec<PathBuf>) -> tfcheck::ScanResult {
    // The scan runs on a big stack, as the binary does.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut opts = ScanOptions::default();
            opts.load.paths = paths;
            scan(&opts)
        })
        .unwrap()
        .join()
        .expect("the scan panicked")
}

/// Every plan of the corpus (Terraform 0.12 to 1.15, formats 0.1 to 1.2) loads: no errors.
#[test]
fn plan_corpus_loads() {
    let Some(dir) = corpus("plans", "plan_corpus_loads") else { return };
    let files = plan_files(&dir);
    assert!(files.len() > 300, "only {} plans", files.len());
    let result = scan_paths(files.clone());
    let errors: Vec<String> = result
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| {
            format!("{}: {}", d.span.map(|s| result.sources.short(s)).or(d.path.clone()).unwrap_or_default(), d.message)
        })
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(result.stats.plans, files.len());
    assert!(result.stats.resources >= 20, "only {} ECR resources found in the plans", result.stats.resources);
}

/// Corpus plans with their `.tf` sources beside them: the plan's findings are on the `.tf`
/// lines, and scanning the same configuration as HCL finds the same (rule, address) pairs.
#[test]
fn plans_and_their_sources_agree() {
    let Some(dir) = corpus("plans", "plans_and_their_sources_agree") else { return };
    let mut compared = 0;
    for plan in plan_files(&dir) {
        let text = std::fs::read_to_string(&plan).unwrap();
        let src = plan.parent().unwrap().to_path_buf();
        let has_tf = std::fs::read_dir(&src)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.path().extension().is_some_and(|x| x == "tf"));
        if !text.contains("aws_ecr_repository") || !has_tf {
            continue;
        }
        let pairs = |r: &tfcheck::ScanResult| -> std::collections::BTreeSet<(String, String)> {
            r.findings.iter().map(|f| (f.rule.id.clone(), f.address.clone())).collect()
        };
        let from_plan = scan_paths(vec![plan.clone()]);
        // The same inputs: the plan's variable values as a var file for the HCL scan.
        let plan_json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let vars: serde_json::Map<String, serde_json::Value> = plan_json["variables"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v["value"].clone())).collect())
            .unwrap_or_default();
        let var_file =
            std::env::temp_dir().join(format!("tfcheck-plan-vars-{}-{compared}.tfvars.json", std::process::id()));
        std::fs::write(&var_file, serde_json::to_string(&vars).unwrap()).unwrap();
        let from_hcl = {
            let (src, var_file) = (src.clone(), var_file.clone());
            std::thread::Builder::new()
                .stack_size(256 << 20)
                .spawn(move || {
                    let mut opts = ScanOptions::default();
                    opts.load.paths = vec![src];
                    opts.eval.cli = vec![tfcheck::CliInput::VarFile(var_file)];
                    scan(&opts)
                })
                .unwrap()
                .join()
                .unwrap()
        };
        let _ = std::fs::remove_file(&var_file);
        assert!(!from_plan.findings.is_empty(), "{}: no findings", plan.display());
        for f in &from_plan.findings {
            let file = from_plan.sources.get(f.span.file);
            assert!(file.display.ends_with(".tf"), "{}: {} is located in {}", plan.display(), f.address, file.display);
        }
        assert_eq!(pairs(&from_plan), pairs(&from_hcl), "{}", plan.display());
        compared += 1;
    }
    assert!(compared >= 5, "only {compared} plans with sources compared");
}

/// Without the corpus, what `cargo test` shows (output captured, as by default) says that the
/// corpus tests were skipped. Runs this test binary again, on a corpus that does not exist.
#[test]
fn an_absent_corpus_is_reported_as_skipped() {
    if std::env::var_os("TFCHECK_CORPUS_SELF_TEST").is_some() {
        return; // the inner run
    }
    let absent = std::env::temp_dir().join(format!("tfcheck-no-corpus-{}", std::process::id())).join("ecr");
    for test in ["corpus::ecr_corpus_every_file_accounted_for", "corpus::plan_corpus_loads"] {
        let o = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", test, "--test-threads", "1"])
            .env("TFCHECK_CORPUS_DIR", &absent)
            .env("TFCHECK_CORPUS_SELF_TEST", "1")
            .output()
            .unwrap();
        assert!(o.status.success());
        let shown = String::from_utf8_lossy(&o.stderr);
        assert!(
            shown.contains(&format!(
                "{}: skipped: {} is absent",
                test.trim_start_matches("corpus::"),
                absent.display()
            )),
            "{shown}"
        );
    }
}
