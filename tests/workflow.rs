//! How teams adopt and run tfcheck: baselines, configuration files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Tree(PathBuf);

impl Tree {
    fn new(name: &str) -> Tree {
        let dir = std::env::temp_dir().join(format!("tfcheck-workflow-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Tree(dir)
    }

    fn write(&self, path: &str, text: &str) {
        let p = self.0.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tfcheck")).current_dir(&self.0).args(args).output().unwrap()
    }

    fn json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let o = self.run(&all);
        let j =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
        (o.status.code().unwrap(), j)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn active(j: &serde_json::Value) -> Vec<(String, String, u64)> {
    j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"] == false && f["baselined"] == false)
        .map(|f| {
            (f["rule"].as_str().unwrap().into(), f["address"].as_str().unwrap().into(), f["line"].as_u64().unwrap())
        })
        .collect()
}

const REPOS: &str = "resource \"aws_ecr_repository\" \"api\" {\n  name = \"api\"\n}\n\nresource \"aws_ecr_repository\" \"web\" {\n  name = \"web\"\n}\n";

#[test]
fn baseline_round_trip_survives_moved_lines() {
    let t = Tree::new("baseline");
    t.write("main.tf", REPOS);
    let o = t.run(&["--rule", "ecr_nocmk", "--write-baseline", "baseline.json", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("wrote 2 findings"));
    // Nothing new: exit 0, both findings known.
    let (code, j) = t.json(&["--rule", "ecr_nocmk", "--baseline", "baseline.json", "."]);
    assert_eq!(code, 0);
    assert!(active(&j).is_empty());
    assert_eq!(j["summary"]["baselined"], 2);
    // An edit moves the old findings down by eight lines and adds a new insecure repository.
    t.write("main.tf", &format!("# Repositories of the platform team.\n#\n# Owned by platform@example.com.\n\nlocals {{\n  team = \"platform\"\n}}\n\n{REPOS}\nresource \"aws_ecr_repository\" \"jobs\" {{\n  name = \"jobs\"\n}}\n"));
    let (code, j) = t.json(&["--rule", "ecr_nocmk", "--baseline", "baseline.json", "."]);
    assert_eq!(code, 1);
    assert_eq!(active(&j), vec![("ecr_nocmk".to_string(), "aws_ecr_repository.jobs".to_string(), 17)]);
    assert_eq!(j["summary"]["baselined"], 2);
    let moved: Vec<u64> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["baselined"] == true)
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(moved, vec![9, 13]);
    // SARIF says which results are new.
    let o = t.run(&["--rule", "ecr_nocmk", "--baseline", "baseline.json", "--format", "sarif", "."]);
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let states: Vec<&str> =
        s["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["baselineState"].as_str().unwrap()).collect();
    assert_eq!(states, vec!["unchanged", "unchanged", "new"]);
    // A broken baseline is an error, not an empty baseline.
    t.write("bad.json", "{\"not\": \"a baseline\"}");
    let (code, j) = t.json(&["--baseline", "bad.json", "."]);
    assert_eq!(code, 2);
    assert!(j["diagnostics"][0]["message"].as_str().unwrap().contains("not a tfcheck baseline"));
    assert!(Path::new(&t.0).join("baseline.json").exists());
}
