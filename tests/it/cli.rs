//! The real binary on small inputs: output formats, exit codes, subcommands, usage errors.

use std::path::Path;
use std::process::{Command, Output};

fn tfcheck(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfcheck"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("TF_WORKSPACE")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    for (k, _) in std::env::vars() {
        if k.starts_with("TF_VAR_") {
            cmd.env_remove(k);
        }
    }
    cmd.output().expect("run tfcheck")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn temp_tree(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tfcheck-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn human_output_of_the_bundled_example() {
    let o = tfcheck(&["testdata/examples/ecr"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&o));
}

/// Every output format, as users see it, for the bundled example (findings, one through a
/// module) and for a case with errors, a warning and a finding in a `.tf.json` file.
#[test]
fn every_format_of_two_scans() {
    for (name, path) in [
        ("example", "testdata/examples/ecr"),
        ("errors", "testdata/hcl/parse_json_block_not_object"),
        ("suppressed", "testdata/hcl/suppress_with_reason"),
    ] {
        for format in ["human", "json", "sarif", "github", "junit"] {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfcheck"));
            cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
                .args([path, "--format", format, "--rule", "ecr_nocmk", "--no-config"])
                .env("NO_COLOR", "1")
                .env("COLUMNS", "100");
            for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("TF_") || k.starts_with("GITHUB_")) {
                cmd.env_remove(k);
            }
            let o = cmd.output().unwrap();
            let shown = format!("exit {:?}\n{}", o.status.code(), stdout(&o));
            insta::assert_snapshot!(format!("{name}_{format}"), shown);
        }
    }
}

/// Terraform reads every `.tf` file in a directory, whatever `.gitignore` says, so the walk
/// does too (why it is not the `ignore` crate, which honours `.gitignore` by default).
#[test]
fn git_ignored_terraform_files_are_still_scanned() {
    let dir = temp_tree(
        "gitignored",
        &[(".gitignore", "*.tf\n"), ("main.tf", "resource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n}\n")],
    );
    let o = tfcheck(&[dir.to_str().unwrap(), "--format", "json", "--rule", "ecr_nocmk", "--no-config"]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["findings"][0]["address"], "aws_ecr_repository.r", "{j}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn json_output_of_the_bundled_example() {
    let o = tfcheck(&["testdata/examples/ecr", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let got: Vec<(String, String, u64)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("aws_ecr_repository_creation_template.cache".to_string(), "testdata/examples/ecr/main.tf".to_string(), 33),
            (
                "module.registry[\"legacy\"].aws_ecr_repository.this".to_string(),
                "testdata/examples/ecr/modules/registry/main.tf".to_string(),
                15
            ),
        ]
    );
    assert_eq!(j["findings"][1]["origin"]["line"], 5);
    assert_eq!(j["findings"][1]["module"], "module.registry[\"legacy\"]");
    assert_eq!(j["summary"]["resources"], 5);
    assert_eq!(j["schema_version"], 1);
}

#[test]
fn sarif_output_shape() {
    let o = tfcheck(&["testdata/examples/ecr", "--format", "sarif"]);
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["version"], "2.1.0");
    let run = &s["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 8, "every rule is described, not only those that fired");
    let rule = rules.iter().find(|r| r["id"] == "ecr_nocmk").unwrap();
    assert_eq!(rule["properties"]["security-severity"], "5.5");
    assert!(rule["help"]["markdown"].as_str().unwrap().contains("## How to fix it"));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        let loc = &r["locations"][0];
        let uri = loc["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        let region = &loc["physicalLocation"]["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().unwrap() >= 1, "{k}");
        }
        assert_eq!(loc["logicalLocations"][0]["kind"], "resource");
    }
    // The module instance's value came from a local: a related location points at it.
    let legacy = results.iter().find(|r| r["message"]["text"].as_str().unwrap().contains("legacy")).unwrap();
    assert_eq!(legacy["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 5);
}

#[test]
fn for_each_instances_group_into_one_sarif_result() {
    let dir = temp_tree(
        "group",
        &[(
            "main.tf",
            "resource \"aws_ecr_repository\" \"r\" {\n  for_each = toset([\"a\", \"b\", \"c\"])\n  name     = each.key\n}\n",
        )],
    );
    let o = tfcheck(&[dir.to_str().unwrap(), "--format", "sarif", "--rule", "ecr_nocmk"]);
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let names: Vec<&str> = results[0]["locations"][0]["logicalLocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["fullyQualifiedName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["aws_ecr_repository.r[\"a\"]", "aws_ecr_repository.r[\"b\"]", "aws_ecr_repository.r[\"c\"]"]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn fail_on_and_exit_codes() {
    assert_eq!(tfcheck(&["testdata/examples/ecr", "--fail-on", "high"]).status.code(), Some(0));
    assert_eq!(tfcheck(&["testdata/examples/ecr", "--fail-on", "medium"]).status.code(), Some(1));
    // Usage errors exit 2.
    assert_eq!(tfcheck(&["testdata/examples/ecr", "--fail-on", "severe"]).status.code(), Some(2));
    assert_eq!(tfcheck(&["--no-such-flag"]).status.code(), Some(2));
    let missing = tfcheck(&["testdata/does-not-exist"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stdout(&missing).contains("does-not-exist"));
}

#[test]
fn a_broken_file_is_an_error_but_the_rest_is_scanned() {
    let dir = temp_tree(
        "broken",
        &[
            ("good.tf", "resource \"aws_ecr_repository\" \"a\" {\n  name = \"a\"\n}\n"),
            ("bad.tf", "resource \"aws_kms_key\" \"k\" {\n  description = \n}\n"),
        ],
    );
    let o = tfcheck(&[dir.to_str().unwrap(), "--format", "json", "--rule", "ecr_nocmk"]);
    assert_eq!(o.status.code(), Some(2));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["findings"].as_array().unwrap().len(), 1);
    assert_eq!(j["diagnostics"][0]["level"], "error");
    assert_eq!(j["diagnostics"][0]["line"], 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn output_file_and_explicit_files() {
    let out = std::env::temp_dir().join(format!("tfcheck-cli-{}.json", std::process::id()));
    let o = tfcheck(&["testdata/examples/ecr/main.tf", "--format", "json", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    // Findings located in the named file, and those its values decide: the legacy
    // repository's encryption comes from local.teams in main.tf.
    let found: Vec<(&str, &str)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["origin"]["file"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        found,
        vec![
            ("testdata/examples/ecr/main.tf", ""),
            ("testdata/examples/ecr/modules/registry/main.tf", "testdata/examples/ecr/main.tf")
        ]
    );
    let _ = std::fs::remove_file(out);
}

#[test]
fn rules_and_explain() {
    let o = tfcheck(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    // Grouped by family: a header, then its rules indented.
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("cmk (")).unwrap();
    assert!(lines[header + 1..].iter().take_while(|l| l.starts_with("  ")).any(|l| l.starts_with("  ecr_nocmk ")));
    let o = tfcheck(&["rules", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let nocmk = j.as_array().unwrap().iter().find(|r| r["id"] == "ecr_nocmk").unwrap();
    assert_eq!(nocmk["severity"], "medium");
    assert_eq!(nocmk["family"], "cmk");
    assert_eq!(nocmk["aliases"][0], "CKV_AWS_136");
    let o = tfcheck(&["explain", "CKV_AWS_136"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("# ecr_nocmk: ECR repository is not encrypted"));
    assert_eq!(tfcheck(&["explain", "nope"]).status.code(), Some(2));
    // Every rule's page, by its id and by each alias (in lower case too).
    for rule in j.as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let title = format!("# {id}: {}", rule["title"].as_str().unwrap());
        let names = std::iter::once(id.to_string())
            .chain(rule["aliases"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_lowercase()));
        for name in names {
            let o = tfcheck(&["explain", &name]);
            assert_eq!(o.status.code(), Some(0), "explain {name}");
            assert!(stdout(&o).starts_with(&title), "explain {name}: {}", stdout(&o));
        }
    }
}

#[test]
fn custom_rule_directory_and_broken_rule_file() {
    let dir = temp_tree(
        "rules",
        &[(
            "tags.hcl",
            r#"rule "ecr_untagged" {
  title          = "ECR repository has no tags"
  severity       = "low"
  resource_types = ["aws_ecr_repository"]
  description    = "Untagged repositories have no owner."
  remediation    = "Add tags."
  check {
    condition = resource.tags != null
    at        = resource
    message   = "no tags"
  }
}
"#,
        )],
    );
    let o = tfcheck(&["testdata/examples/ecr", "--rules", dir.to_str().unwrap(), "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let untagged = j["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "ecr_untagged").count();
    assert_eq!(untagged, 3);
    // It appears in SARIF with its metadata.
    let o = tfcheck(&["testdata/examples/ecr", "--rules", dir.to_str().unwrap(), "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let run = &sarif["runs"][0];
    let rule = run["tool"]["driver"]["rules"].as_array().unwrap().iter().find(|r| r["id"] == "ecr_untagged").unwrap();
    assert_eq!(rule["shortDescription"]["text"], "ECR repository has no tags");
    assert_eq!(rule["properties"]["security-severity"], "3.0");
    assert_eq!(rule["defaultConfiguration"]["level"], "note");
    assert!(rule["help"]["markdown"].as_str().unwrap().contains("Untagged repositories have no owner."));
    let results = run["results"].as_array().unwrap();
    let untagged: Vec<_> = results.iter().filter(|r| r["ruleId"] == "ecr_untagged").collect();
    // The three module instances share one line: one result, three logical locations.
    assert_eq!(untagged.len(), 1);
    assert_eq!(untagged[0]["locations"][0]["logicalLocations"].as_array().unwrap().len(), 3);
    std::fs::write(dir.join("broken.hcl"), "rule \"x\" {\n  title = \"t\"\n  severity = \"urgent\"\n}\n").unwrap();
    // A scan with a broken rule file: a located error, exit code 2.
    let o = tfcheck(&["testdata/examples/ecr", "--rules", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("urgent"))
        .unwrap();
    assert!(d["file"].as_str().unwrap().ends_with("broken.hcl"));
    assert_eq!(d["line"], 3);
    let o = tfcheck(&["rules", "--rules", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.hcl:3: unknown severity \"urgent\""), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn join_functions_take_their_names_as_literals() {
    // referenced()'s type and key are what the rule joins on: loading checks them, so a
    // mistake is a located error before any scan, not a rule that silently decides nothing.
    let dir = temp_tree(
        "rules-join",
        &[(
            "join.hcl",
            r#"rule "instance_template" {
  title          = "Instance launches from a template"
  severity       = "low"
  resource_types = ["aws_instance"]
  description    = "d"
  remediation    = "r"
  check {
    condition = referenced(resource.launch_template[0].id, "aws_launch_template", "id") == null
    at        = resource
    message   = "from a template"
  }
}
"#,
        )],
    );
    let o = tfcheck(&["rules", "--rules", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("join.hcl:8: referenced() takes a resource type as a string literal"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn help_mentions_every_format() {
    let o = tfcheck(&["--help"]);
    let h = stdout(&o);
    for f in ["human", "json", "sarif"] {
        assert!(h.contains(f), "{f}");
    }
    assert!(Path::new(env!("CARGO_BIN_EXE_tfcheck")).exists());
}

#[test]
fn exclude_globs_and_hidden_directories() {
    let dir = temp_tree(
        "exclude",
        &[
            ("app/main.tf", "resource \"aws_ecr_repository\" \"app\" {\n  name = \"app\"\n}\n"),
            ("examples/demo/main.tf", "resource \"aws_ecr_repository\" \"demo\" {\n  name = \"demo\"\n}\n"),
            (".hidden/main.tf", "resource \"aws_ecr_repository\" \"hidden\" {\n  name = \"hidden\"\n}\n"),
        ],
    );
    let addresses = |args: &[&str]| -> Vec<String> {
        let mut all = vec![dir.to_str().unwrap(), "--format", "json", "--rule", "ecr_nocmk"];
        all.extend_from_slice(args);
        let j: serde_json::Value = serde_json::from_slice(&tfcheck(&all).stdout).unwrap();
        j["findings"].as_array().unwrap().iter().map(|f| f["address"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(addresses(&[]), vec!["aws_ecr_repository.app", "aws_ecr_repository.demo"]);
    assert_eq!(addresses(&["--exclude", "examples"]), vec!["aws_ecr_repository.app"]);
    assert_eq!(addresses(&["--exclude", "**/demo"]), vec!["aws_ecr_repository.app"]);
    assert_eq!(addresses(&["--exclude", "app/*.tf"]), vec!["aws_ecr_repository.demo"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn plans_from_standard_input() {
    use std::io::Write;
    let plan = r#"{"format_version": "1.2", "resource_changes": [{"address": "aws_ecr_repository.r", "mode": "managed", "type": "aws_ecr_repository", "name": "r",
      "change": {"actions": ["create"], "after": {"name": "r", "encryption_configuration": []}, "after_unknown": {"arn": true}}}]}"#;
    let dir = temp_tree("stdin", &[("empty.txt", "")]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(&dir)
        .args(["-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(plan.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["findings"][0]["address"], "aws_ecr_repository.r");
    assert_eq!(j["findings"][0]["file"], "<stdin>");
    assert_eq!(j["findings"][0]["line"], 1);
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs tfcheck in `dir` with `input` on standard input.
fn tfcheck_piped(dir: &std::path::Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_is_reported_under_the_name_given() {
    let plan = r#"{"format_version": "1.2", "resource_changes": [{"address": "aws_ecr_repository.r", "mode": "managed", "type": "aws_ecr_repository", "name": "r",
      "change": {"actions": ["create"], "after": {"name": "r", "encryption_configuration": []}, "after_unknown": {"arn": true}}}]}"#;
    // In a repository: baselines name files from its root, wherever tfcheck runs.
    let dir = temp_tree("stdin-name", &[("build/plan.json", plan), (".git/HEAD", "ref: refs/heads/main\n")]);
    let named = ["-", "--stdin-filename", "build/plan.json", "--rule", "ecr_nocmk"];
    // SARIF names the file, so code scanning can show it.
    let o = tfcheck_piped(&dir, &[&named[..], &["--format", "sarif"]].concat(), plan);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let loc = &j["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "build/plan.json");
    // A baseline written from standard input matches a scan of the file, and the other way.
    let o = tfcheck_piped(&dir, &[&named[..], &["--write-baseline", "from-stdin.json"]].concat(), plan);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(&dir)
        .args(["build/plan.json", "--rule", "ecr_nocmk", "--baseline", "from-stdin.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let o = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(dir.join("build"))
        .args(["plan.json", "--rule", "ecr_nocmk", "--write-baseline", "../from-file.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let o = tfcheck_piped(&dir, &[&named[..], &["--baseline", "from-file.json"]].concat(), plan);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn states_are_scanned_from_files_and_standard_input() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let shown = std::fs::read_to_string(root.join("testdata/state/show_json/state.json")).unwrap();
    let raw = std::fs::read_to_string(root.join("testdata/state/raw_v4/terraform.tfstate")).unwrap();
    // A state pulled to any name (`terraform state pull > prod.state`), and piped.
    let dir = temp_tree("states", &[("prod.state", &raw), ("empty.txt", "")]);
    let summary = |o: &Output| {
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let mut addresses: Vec<String> =
            j["findings"].as_array().unwrap().iter().map(|f| f["address"].as_str().unwrap().to_string()).collect();
        addresses.sort();
        let warnings: Vec<String> = j["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{} {}", d["level"].as_str().unwrap(), d["message"].as_str().unwrap()))
            .collect();
        (o.status.code(), addresses, warnings)
    };
    let from_file = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(&dir)
        .args(["prod.state", "--rule", "ecr_nocmk", "--format", "json"])
        .output()
        .unwrap();
    let piped = tfcheck_piped(&dir, &["-", "--rule", "ecr_nocmk", "--format", "json"], &shown);
    let (code, addresses, warnings) = summary(&from_file);
    assert_eq!(code, Some(1));
    assert_eq!(addresses.len(), 8, "{addresses:?}");
    assert!(addresses.contains(&"aws_ecr_repository.kms_default".to_string()));
    assert!(!addresses.contains(&"aws_ecr_repository.own_key".to_string()));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("warning 1 KMS key in prod.state (arn:aws:kms:eu-west-1:444455556666:key/"));
    let (code, piped_addresses, _) = summary(&piped);
    assert_eq!((code, piped_addresses), (Some(1), addresses));
    // A key marked sensitive in the state is not shown, not even in the warning.
    let mut j: serde_json::Value = serde_json::from_str(&shown).unwrap();
    for r in j["values"]["root_module"]["resources"].as_array_mut().unwrap() {
        if r["address"] == "aws_ecr_repository.foreign_key" {
            r["sensitive_values"]["encryption_configuration"] = serde_json::json!([{"kms_key": true}]);
        }
    }
    let o = tfcheck_piped(&dir, &["-"], &j.to_string());
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(!all.contains("444455556666"), "{all}");
    assert!(all.contains("(sensitive value)"), "{all}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn not_a_plan_and_unknown_plan_versions_are_errors() {
    let dir = temp_tree(
        "not-plan",
        &[
            ("data.json", "{\"hello\": 1}\n"),
            ("future.json", "{\n  \"format_version\": \"2.0\",\n  \"planned_values\": {}\n}\n"),
        ],
    );
    let o = tfcheck(&[
        dir.join("data.json").to_str().unwrap(),
        dir.join("future.json").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let msgs: Vec<String> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{}:{} {}", d["file"], d["line"], d["message"]))
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains("data.json") && m.contains("neither a Terraform plan nor a state")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("future.json\":2") && m.contains("format_version \\\"2.0\\\"")),
        "{msgs:#?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn github_annotations_most_severe_first_and_capped() {
    // 12 critical findings (open key policies) and 2 low ones (force_delete).
    let mut tf = String::new();
    for i in 0..12 {
        tf.push_str(&format!(
            "resource \"aws_kms_key\" \"k{i}\" {{\n  enable_key_rotation = true\n  policy = jsonencode({{ Statement = [{{ Effect = \"Allow\", Principal = \"*\", Action = \"kms:*\", Resource = \"*\" }}] }})\n}}\n"
        ));
    }
    tf.push_str("resource \"aws_ecr_repository\" \"a\" {\n  name         = \"a,b:c\"\n  force_delete = true\n}\n");
    tf.push_str("resource \"aws_ecr_repository\" \"b\" {\n  name         = \"b\"\n  force_delete = true\n}\n");
    let dir = temp_tree("github", &[("main.tf", &tf)]);
    let summary = dir.join("summary.md");
    let outputs = dir.join("outputs.txt");
    let o = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(&dir)
        .args([
            ".",
            "--format",
            "github",
            "--rule",
            "kms_key_policy_wildcard",
            "--rule",
            "ecr_force_delete",
            "--sarif",
            "out.sarif",
        ])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    let errors = lines.iter().filter(|l| l.starts_with("::error ")).count();
    let notices: Vec<&&str> = lines.iter().filter(|l| l.starts_with("::notice ")).collect();
    assert_eq!(errors, 10, "GitHub shows 10 per level: {text}");
    assert!(lines[0].starts_with("::error file=main.tf,line=3,"), "{}", lines[0]);
    assert!(lines[0].contains("title=kms_key_policy_wildcard (critical)%3A KMS key policy lets anyone use the key::"));
    // The two low findings are notices, then one notice sums up the 2 hidden errors.
    assert_eq!(notices.len(), 3, "{text}");
    assert!(notices[2].contains("2 more annotations are not shown"));
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("**14 findings** (12 critical, 2 low)"));
    assert_eq!(summary.matches("| critical | [`kms_key_policy_wildcard`]").count(), 12);
    assert_eq!(std::fs::read_to_string(&outputs).unwrap(), "findings=14\nsarif-file=out.sarif\n");
    assert!(dir.join("out.sarif").exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn junit_report() {
    let o = tfcheck(&["testdata/examples/ecr", "--format", "junit"]);
    let xml = stdout(&o);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tfcheck\""));
    assert!(xml.contains("<testsuite name=\"ecr_nocmk\" tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"0\">"));
    assert!(xml.contains(
        "<testcase name=\"module.registry[&quot;api&quot;].aws_ecr_repository.this\" classname=\"ecr_nocmk\""
    ));
    assert_eq!(xml.matches("<failure ").count(), 2);
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    // Many roots, modules, parse errors and findings: enough work for the threads to interleave.
    for format in ["json", "sarif", "human"] {
        let runs: Vec<Output> = ["1", "2", "8"]
            .iter()
            .map(|j| tfcheck(&["testdata/hcl", "testdata/examples", "--format", format, "-j", j]))
            .collect();
        assert!(runs[0].stdout.len() > 10_000, "{format}: the scan should report plenty");
        for r in &runs[1..] {
            assert_eq!(r.status.code(), runs[0].status.code(), "{format}");
            assert!(r.stdout == runs[0].stdout, "{format}: output differs between -j1 and another thread count");
            assert!(r.stderr == runs[0].stderr, "{format}: diagnostics differ between thread counts");
        }
    }
}

/// Runs tfcheck with its stderr on a pseudo-terminal (util-linux `script`), stdout discarded;
/// returns what the terminal showed, or None where `script` is not available.
#[cfg(target_os = "linux")]
fn on_a_terminal(args: &str, env: &[(&str, &str)]) -> Option<String> {
    let probe = Command::new("script").args(["-qec", "true", "/dev/null"]).output().ok()?;
    if !probe.status.success() {
        return None;
    }
    let line = format!("{} {args} > /dev/null", env!("CARGO_BIN_EXE_tfcheck"));
    let mut cmd = Command::new("script");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["-qec", &line, "/dev/null"])
        .env_remove("CI")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Some(stdout(&cmd.output().expect("run script")))
}

#[cfg(target_os = "linux")]
#[test]
fn progress_shows_on_a_terminal_and_nowhere_else() {
    let now = [("TFCHECK_PROGRESS_DELAY_MS", "0")];
    let Some(shown) = on_a_terminal("testdata/examples/ecr", &now) else {
        eprintln!("util-linux script is not available: skipped");
        return;
    };
    assert!(shown.contains("tfcheck: ") && shown.contains(" files read, "), "{shown:?}");
    // Cleared at the end (indicatif erases the whole line: ESC [2K).
    assert!(shown.ends_with("\r\x1b[2K"), "the progress line is cleared at the end: {shown:?}");
    // Not in CI logs, nor with machine-readable output, nor (by default) for a short scan.
    let ci = on_a_terminal("testdata/examples/ecr", &[("TFCHECK_PROGRESS_DELAY_MS", "0"), ("CI", "true")]).unwrap();
    assert!(!ci.contains("files read"), "{ci:?}");
    let json = on_a_terminal("testdata/examples/ecr --format json", &now).unwrap();
    assert!(!json.contains("files read"), "{json:?}");
    let quiet = on_a_terminal("testdata/examples/ecr --quiet", &now).unwrap();
    assert!(!quiet.contains("files read"), "{quiet:?}");
    let short = on_a_terminal("testdata/examples/ecr", &[]).unwrap();
    assert!(!short.contains("files read"), "{short:?}");
    // Nor when stderr is a pipe.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfcheck"));
    let piped = cmd.current_dir(env!("CARGO_MANIFEST_DIR")).arg("testdata/examples/ecr").env_remove("CI");
    let piped = piped.env("TFCHECK_PROGRESS_DELAY_MS", "0").output().unwrap();
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("files read"));
}
