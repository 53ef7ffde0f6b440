//! What a person at a terminal sees: the summary line's grammar, the fix under each finding,
//! `--quiet`, the summary on stderr with `--output`, an empty directory, `tfcheck rules`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs tfcheck in `dir`, with a fixed width and no colour.
fn tfcheck_in(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tfcheck"));
    cmd.current_dir(dir).args(args).env_remove("TF_WORKSPACE").env("NO_COLOR", "1").env("COLUMNS", "100");
    for (k, _) in std::env::vars() {
        if k.starts_with("TF_VAR_") {
            cmd.env_remove(k);
        }
    }
    cmd.output().expect("run tfcheck")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

/// A directory of files, removed when dropped.
struct Tree(PathBuf);

impl Tree {
    fn new(name: &str, files: &[(&str, &str)]) -> Tree {
        let dir = std::env::temp_dir().join(format!("tfcheck-ux-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (path, body) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        }
        Tree(dir)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const ONE_REPOSITORY: &str = "resource \"aws_ecr_repository\" \"app\" {\n  name = \"app\"\n}\n";
/// A module call whose source is missing: a warning (the module cannot be evaluated).
const MISSING_MODULE: &str = "module \"gone\" {\n  source = \"./gone\"\n}\n";

#[test]
fn one_of_each_is_singular_and_each_finding_says_how_to_fix_it() {
    let t = Tree::new("one", &[("main.tf", ONE_REPOSITORY)]);
    let o = tfcheck_in(&t.0, &["--rule", "ecr_nocmk"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(text(&o.stdout));
}

#[test]
fn quiet_prints_findings_and_errors_only() {
    let t = Tree::new("quiet", &[("main.tf", ONE_REPOSITORY), ("calls.tf", MISSING_MODULE)]);
    let loud = tfcheck_in(&t.0, &["--rule", "ecr_nocmk"]);
    assert!(text(&loud.stdout).contains("./gone") && text(&loud.stdout).contains("Scanned "));
    for flag in ["--quiet", "-q"] {
        let o = tfcheck_in(&t.0, &["--rule", "ecr_nocmk", flag]);
        assert_eq!(o.status.code(), Some(1), "exit codes do not change");
        let out = text(&o.stdout);
        assert!(out.contains("ecr_nocmk (medium)") && out.contains("fix: "), "{out}");
        assert!(!out.contains("Scanned ") && !out.contains("./gone"), "no summary, no warnings: {out}");
        assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
    }
    let o = tfcheck_in(&t.0, &["--rule", "ecr_nocmk", "-q", "--write-baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stderr.is_empty() && t.0.join("baseline.json").is_file(), "{}", text(&o.stderr));
    // Errors stay visible, with their exit code.
    std::fs::write(t.0.join("bad.tf"), "resource \"aws_kms_key\" \"k\" {\n  description = \n}\n").unwrap();
    let o = tfcheck_in(&t.0, &["--rule", "ecr_nocmk", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    let out = text(&o.stdout);
    assert!(out.contains("bad.tf:2:") && out.contains("ecr_nocmk (medium)") && !out.contains("Scanned "), "{out}");
}

#[test]
fn a_report_written_to_a_file_still_shows_the_summary() {
    let t = Tree::new("output", &[("main.tf", ONE_REPOSITORY)]);
    for format in ["human", "json", "sarif"] {
        let o = tfcheck_in(&t.0, &["--rule", "ecr_nocmk", "-f", format, "-o", "report"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(o.stdout.is_empty());
        assert_eq!(text(&o.stderr), "Scanned 1 file, 1 module (1 root), 1 resource: 1 finding (1 medium).\n");
        assert!(std::fs::metadata(t.0.join("report")).unwrap().len() > 0);
    }
    let o = tfcheck_in(&t.0, &["--rule", "ecr_nocmk", "-o", "report", "-q"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stderr.is_empty(), "{}", text(&o.stderr));
}

#[test]
fn an_empty_directory_says_so() {
    let t = Tree::new("empty", &[("README.md", "no Terraform here\n")]);
    let o = tfcheck_in(&t.0, &[]);
    // A warning, not a failure: see the README's exit codes.
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    assert!(out.contains("no Terraform files found in ."), "{out}");
    assert!(out.ends_with("Scanned 0 files, 0 modules (0 roots), 0 resources: no findings, 1 warning.\n"), "{out}");
    let o = tfcheck_in(&t.0, &["-f", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["diagnostics"][0]["level"], "warning");
    assert_eq!(j["diagnostics"][0]["message"], "no Terraform files found in .");
    // Not said when there is Terraform, nor on top of an error for a missing path.
    std::fs::write(t.0.join("main.tf"), ONE_REPOSITORY).unwrap();
    assert!(!text(&tfcheck_in(&t.0, &[]).stdout).contains("no Terraform files"));
    assert!(!text(&tfcheck_in(&t.0, &["missing"]).stdout).contains("no Terraform files"));
}

#[test]
fn rules_are_listed_in_aligned_columns_whatever_the_id() {
    let rule = r#"rule "ecr_repository_without_an_owner_tag" {
  title          = "ECR repository has no owner tag"
  severity       = "low"
  resource_types = ["aws_ecr_repository"]
  description    = "Untagged repositories have no owner."
  remediation    = "Add an owner tag."
  check {
    condition = resource.tags != null
    at        = resource
    message   = "no tags"
  }
}
"#;
    let t = Tree::new("rules", &[("policy/owner.hcl", rule)]);
    let o = tfcheck_in(&t.0, &["rules", "--rules", "policy"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!(text(&o.stdout));
}

#[test]
fn rule_texts_from_a_rule_directory_are_escaped() {
    // A rule directory may be in the scanned tree: its id, title and remediation are input.
    let rule = "rule \"owner\" {\n  title = \"no owner\\u001b]0;pwned\\u0007\"\n  severity = \"low\"\n  \
                resource_types = [\"aws_ecr_repository\"]\n  description = \"d\"\n  \
                remediation = \"Tag it\\u001b[2J now.\\nSecond line.\"\n  \
                check {\n    condition = false\n    at = resource\n    message = \"m\"\n  }\n}\n";
    let t = Tree::new("hostile-rule", &[("policy/owner.hcl", rule), ("main.tf", ONE_REPOSITORY)]);
    let listed = tfcheck_in(&t.0, &["rules", "--rules", "policy"]);
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed.stderr));
    let scanned = tfcheck_in(&t.0, &["--rules", "policy", "--rule", "owner"]);
    assert_eq!(scanned.status.code(), Some(1), "{}", text(&scanned.stderr));
    for o in [&listed, &scanned] {
        assert!(!o.stdout.iter().any(|&b| b == 0x1b || b == 0x07), "{:?}", text(&o.stdout));
    }
    assert!(text(&listed.stdout).contains("no owner\\u{1b}]0;pwned\\u{7}"), "{}", text(&listed.stdout));
    assert!(text(&scanned.stdout).contains("fix: Tag it\\u{1b}[2J now."), "{}", text(&scanned.stdout));
}

#[test]
fn where_a_value_was_set_is_said_once() {
    let dir = std::env::temp_dir().join(format!("tfcheck-ux-set-in-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "variable \"encryption\" {\n  default = \"KMS\"\n}\nresource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n  encryption_configuration {\n    encryption_type = var.encryption\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(dir.join("terraform.tfvars"), "encryption = \"AES256\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(&dir)
        .args(["--format", "json", "--rule", "ecr_nocmk", "--no-config", "."])
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = j["findings"][0]["message"].as_str().unwrap().to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(message.ends_with("(variable \"encryption\", set in terraform.tfvars:1)"), "{message}");
}

/// The messages of the findings a scan of `t` reports for `rule`, in JSON.
fn messages(t: &Tree, rule: &str) -> Vec<String> {
    let o = tfcheck_in(&t.0, &["--format", "json", "--rule", rule, "--no-config", "."]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut m: Vec<String> =
        j["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap().to_string()).collect();
    m.sort();
    m
}

const REPOSITORIES_ROOT: &str = r#"variable "repositories" {
  type = map(object({
    mutable = optional(bool, false)
    kms     = optional(string)
  }))
  default = {
    one = {
      kms = "alias/aws/ecr"
    }
  }
}

resource "aws_ecr_repository" "r" {
  for_each             = var.repositories
  name                 = each.key
  image_tag_mutability = each.value.mutable ? "MUTABLE" : "IMMUTABLE"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = each.value.kms
  }
}
"#;

#[test]
fn the_deciding_value_is_the_element_of_a_map_not_its_start() {
    let tfvars = "repositories = {\n  app = {\n    kms = \"alias/team\"\n  }\n  scratch = {\n    mutable = true\n    kms     = \"alias/aws/ecr\"\n  }\n}\n";
    let t = Tree::new("element-hcl", &[("main.tf", REPOSITORIES_ROOT), ("terraform.tfvars", tfvars)]);
    assert_eq!(
        messages(&t, "ecr_mutable_tags"),
        [
            "image_tag_mutability is \"MUTABLE\": anyone who can push can overwrite an existing tag (variable \"repositories\", set in terraform.tfvars:6)"
        ]
    );
    assert_eq!(
        messages(&t, "ecr_nocmk"),
        [
            "kms_key \"alias/aws/ecr\" is the AWS-managed key aws/ecr, whose policy nobody can edit (variable \"repositories\", set in terraform.tfvars:7)"
        ]
    );

    let json = "{\n  \"repositories\": {\n    \"app\": {},\n    \"scratch\": {\n      \"mutable\": true,\n      \"kms\": \"alias/aws/ecr\"\n    }\n  }\n}\n";
    let t = Tree::new("element-json", &[("main.tf", REPOSITORIES_ROOT), ("terraform.tfvars.json", json)]);
    assert_eq!(
        messages(&t, "ecr_mutable_tags"),
        [
            "image_tag_mutability is \"MUTABLE\": anyone who can push can overwrite an existing tag (variable \"repositories\", set in terraform.tfvars.json:5)"
        ]
    );

    // A default's elements too.
    let t = Tree::new("element-default", &[("main.tf", REPOSITORIES_ROOT)]);
    let m = messages(&t, "ecr_nocmk");
    assert_eq!(m.len(), 1);
    assert!(m[0].ends_with("(variable \"repositories\", default at main.tf:8)"), "{m:?}");
}

#[test]
fn an_element_of_a_sensitive_variable_stays_hidden() {
    let root = REPOSITORIES_ROOT.replace("  }))\n  default", "  }))\n  sensitive = true\n  default");
    let tfvars = "repositories = {\n  scratch = {\n    kms = \"alias/aws/ecr\"\n  }\n}\n";
    let t = Tree::new("element-sensitive", &[("main.tf", &root), ("terraform.tfvars", tfvars)]);
    let m = messages(&t, "ecr_nocmk");
    assert_eq!(m.len(), 1);
    assert!(!m[0].contains("alias/aws/ecr"), "{m:?}");
    assert!(m[0].contains("(sensitive value)"), "{m:?}");
}

#[test]
fn a_wildcard_policy_finding_points_at_the_open_statements_principal() {
    // jsonencode({...}), an indented JSON heredoc, and a one-line JSON string; in each the
    // first statement names an account and the second is open to everyone.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/locations/policy_statement");
    let o = tfcheck_in(&dir, &["--format", "json", "--rule", "kms_key_policy_wildcard", "--no-config", "."]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let at: Vec<(String, u64)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["address"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect();
    let want = [("aws_kms_key.a", 16), ("aws_kms_key.b", 32), ("aws_kms_key.c", 43)];
    assert_eq!(at, want.map(|(a, l)| (a.to_string(), l)));
}
