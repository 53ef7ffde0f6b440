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

const INSECURE: &str = r#"variable "mutability" {
  default = "MUTABLE"
}

resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = var.mutability
  force_delete         = true
}

module "legacy" {
  source = "./legacy"
}
"#;

const LEGACY: &str = "resource \"aws_ecr_repository\" \"old\" {\n  name                 = \"old\"\n  image_tag_mutability = \"IMMUTABLE\"\n}\n";

fn rules_of(j: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = active(j).into_iter().map(|(r, a, _)| format!("{r} {a}")).collect();
    v.sort();
    v
}

#[test]
fn configuration_file_every_key() {
    let t = Tree::new("config");
    t.write("infra/main.tf", INSECURE);
    t.write("infra/legacy/main.tf", LEGACY);
    t.write("infra/examples/demo/main.tf", "resource \"aws_ecr_repository\" \"demo\" {\n  name = \"demo\"\n}\n");
    t.write("infra/prod.tfvars", "mutability = \"IMMUTABLE\"\n");
    t.write(
        "policy/owner.hcl",
        "rule \"ecr_owner\" {\n  title = \"no owner tag\"\n  severity = \"low\"\n  resource_types = [\"aws_ecr_repository\"]\n  description = \"d\"\n  remediation = \"r\"\n  check {\n    condition = try(resource.tags.owner, null) != null\n    at = resource\n    message = \"no owner\"\n  }\n}\n",
    );
    // Without a configuration file: every rule, everything scanned.
    let (_, j) = t.json(&["--no-config", "infra"]);
    assert!(rules_of(&j).contains(&"ecr_mutable_tags aws_ecr_repository.api".to_string()));
    assert!(rules_of(&j).contains(&"ecr_nocmk aws_ecr_repository.demo".to_string()));
    t.write(
        ".tfcheck.hcl",
        r#"# Found by walking up from the scanned path.
fail_on   = "high"
exclude   = ["examples"]
rule_dirs = ["policy"]
var_files = ["infra/prod.tfvars"]
workspace = "prod"

rules {
  disable  = ["ecr_no_scan_on_push", "CKV_AWS_136"]
  severity = { ecr_force_delete = "high" }
}

ignore {
  rule    = "ecr_owner"
  address = "module.legacy.*"
  reason  = "the legacy registry is being retired"
  expires = "2999-01-01"
}
"#,
    );
    let (code, j) = t.json(&["infra"]);
    // exclude: no demo; var_files: mutability is IMMUTABLE; rules: no scan/nocmk findings;
    // rule_dirs: ecr_owner runs; ignore: not on the legacy module.
    assert_eq!(rules_of(&j), vec!["ecr_force_delete aws_ecr_repository.api", "ecr_owner aws_ecr_repository.api"]);
    let suppressed: Vec<&serde_json::Value> =
        j["findings"].as_array().unwrap().iter().filter(|f| f["suppressed"] == true).collect();
    assert_eq!(suppressed.len(), 1, "{}", j["diagnostics"]);
    assert_eq!(suppressed[0]["suppressed_by"], "config");
    assert_eq!(suppressed[0]["suppression_reason"], "the legacy registry is being retired");
    // severity: force_delete is high now; fail_on high: the run fails on it.
    let fd = j["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "ecr_force_delete").unwrap();
    assert_eq!(fd["severity"], "high");
    assert_eq!(code, 1, "{}", j["diagnostics"]);
    // A flag wins over the file: --fail-on critical passes the run.
    let (code, _) = t.json(&["infra", "--fail-on", "critical"]);
    assert_eq!(code, 0);
    // --var after the file's var_files wins.
    let (_, j) = t.json(&["infra", "--var", "mutability=MUTABLE"]);
    assert!(rules_of(&j).contains(&"ecr_mutable_tags aws_ecr_repository.api".to_string()));
    // --no-ignores shows the ignored finding again.
    let (_, j) = t.json(&["infra", "--no-ignores"]);
    assert!(rules_of(&j).contains(&"ecr_owner module.legacy.aws_ecr_repository.old".to_string()));
    // An expired ignore reports its findings again, and says so.
    let text = std::fs::read_to_string(t.0.join(".tfcheck.hcl")).unwrap().replace("2999-01-01", "2001-01-01");
    t.write(".tfcheck.hcl", &text);
    let (_, j) = t.json(&["infra"]);
    assert!(rules_of(&j).contains(&"ecr_owner module.legacy.aws_ecr_repository.old".to_string()));
    assert!(
        j["diagnostics"].as_array().unwrap().iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .contains("expired on 2001-01-01")
            && d["line"] == 13)
    );
    // --config names the file; --no-config ignores it.
    t.write("other.hcl", "fail_on = \"critical\"\n");
    let (code, _) = t.json(&["infra", "--config", "other.hcl"]);
    assert_eq!(code, 0);
}

#[test]
fn configuration_file_errors_are_located() {
    let t = Tree::new("config-errors");
    t.write("main.tf", LEGACY);
    t.write(".tfcheck.hcl", "fail_on = \"severe\"\nrules {\n  disable = [\"no_such_rule\"]\n}\ncolour = true\n");
    let (code, j) = t.json(&["."]);
    assert_eq!(code, 2);
    let errors: Vec<(u64, String)> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["level"] == "error")
        .map(|d| (d["line"].as_u64().unwrap(), d["message"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(errors[0].0, 1);
    assert!(errors[0].1.contains("unknown severity \"severe\""));
    assert_eq!(errors[1].0, 3);
    assert!(errors[1].1.contains("no rule or family named \"no_such_rule\""));
    assert_eq!(errors[2].0, 5);
    assert!(errors[2].1.contains("unknown setting `colour`"));
    // The findings are still reported.
    assert!(!j["findings"].as_array().unwrap().is_empty());
}

#[test]
fn named_files_keep_their_module_context() {
    let t = Tree::new("named-files");
    t.write(".git/HEAD", "ref: refs/heads/main\n");
    t.write(
        "envs/prod/main.tf",
        "resource \"aws_kms_key\" \"ecr\" {\n  enable_key_rotation = true\n}\n\nmodule \"registry\" {\n  source      = \"../../modules/registry\"\n  kms_key_arn = aws_kms_key.ecr.arn\n}\n",
    );
    t.write("envs/dev/main.tf", "module \"registry\" {\n  source = \"../../modules/registry\"\n  encryption = var.encryption\n}\n\nvariable \"encryption\" {\n  default = \"AES256\"\n}\n");
    t.write("envs/dev/terraform.tfvars", "encryption = \"AES256\"\n");
    t.write(
        "modules/registry/main.tf",
        "variable \"kms_key_arn\" {\n  default = null\n}\n\nvariable \"encryption\" {\n  default = \"KMS\"\n}\n\nresource \"aws_ecr_repository\" \"this\" {\n  name = \"app\"\n  encryption_configuration {\n    encryption_type = var.encryption\n    kms_key         = var.kms_key_arn\n  }\n}\n",
    );
    t.write("unrelated/main.tf", "resource \"aws_ecr_repository\" \"other\" {\n  name = \"other\"\n}\n");
    // The module's file alone: both environments that call it are evaluated, and only the
    // findings in the named file are reported.
    let (code, j) = t.json(&["--rule", "ecr_nocmk", "modules/registry/main.tf"]);
    assert_eq!(code, 1);
    let found: Vec<(String, String)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["address"].as_str().unwrap().to_string(), f["file"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        found,
        vec![("module.registry.aws_ecr_repository.this".to_string(), "modules/registry/main.tf".to_string())]
    );
    let f = &j["findings"][0];
    assert_eq!(f["root"], "envs/dev");
    assert_eq!(f["line"], 12);
    // prod passes its key: no finding from that root. The unrelated module is not scanned.
    assert_eq!(j["summary"]["modules"], 3);
    // A changed tfvars file: the findings its values decide.
    let (_, j) = t.json(&["--rule", "ecr_nocmk", "envs/dev/terraform.tfvars"]);
    let found: Vec<&str> = j["findings"].as_array().unwrap().iter().map(|f| f["address"].as_str().unwrap()).collect();
    assert_eq!(found, vec!["module.registry.aws_ecr_repository.this"]);
}

#[test]
fn a_plan_source_that_does_not_exist_is_an_error() {
    let t = Tree::new("plan-source");
    let plan = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plan/rule_aws_managed_key/plan.json"),
    )
    .unwrap();
    t.write("plan.json", &plan);
    let (code, j) = t.json(&["plan.json", "--source", "missing"]);
    assert_eq!(code, 2, "{j:#}");
    let diags: Vec<(&str, &str)> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["level"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(diags, [("error", "--source missing: not a directory with the plan's .tf files")]);
    // The plan itself is still checked.
    assert!(!j["findings"].as_array().unwrap().is_empty());
}

#[test]
fn an_ignore_comment_naming_an_unknown_rule_is_a_warning() {
    let t = Tree::new("unknown-ignore");
    t.write(
        "main.tf",
        "# tfcheck:ignore:ecr_nocmk_strict typo\nresource \"aws_ecr_repository\" \"a\" {\n  name = \"a\" # tfcheck:ignore:*\n}\n\
         # tfcheck:ignore:CKV_AWS_136 an alias\nresource \"aws_ecr_repository\" \"b\" {\n  name = \"b\" # trivy:ignore:AVD-AWS-9999 not ours\n}\n",
    );
    let (_, j) = t.json(&["--rule", "ecr_nocmk"]);
    let diags: Vec<(&str, &str, u64)> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["level"].as_str().unwrap(), d["message"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        diags,
        [(
            "warning",
            "tfcheck:ignore names rule \"ecr_nocmk_strict\", which tfcheck does not have; it suppresses nothing",
            1
        )]
    );
}

/// (level, message, file, line) of each diagnostic.
fn diagnostics(j: &serde_json::Value) -> Vec<(String, String, String, u64, u64)> {
    j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["level"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn bad_variable_values_are_errors_where_they_are_set() {
    let t = Tree::new("bad-values");
    t.write(
        "main.tf",
        "variable \"repositories\" {\n  type = map(object({ mutable = bool }))\n}\n\
         resource \"aws_ecr_repository\" \"r\" {\n  for_each             = var.repositories\n  name                 = each.key\n  image_tag_mutability = each.value.mutable ? \"MUTABLE\" : \"IMMUTABLE\"\n}\n",
    );
    t.write("terraform.tfvars", "repositories = {\n  a = { mutable = \"maybe\" }\n}\nrepositorys = {}\n");
    let (code, j) = t.json(&["--rule", "ecr_mutable_tags"]);
    assert_eq!(code, 2);
    let d = diagnostics(&j);
    assert_eq!(d.len(), 2, "{d:#?}");
    // At the element that does not fit the type, not the start of the map.
    assert_eq!((d[0].0.as_str(), d[0].2.as_str(), d[0].3), ("error", "terraform.tfvars", 2), "{d:#?}");
    assert_eq!(d[0].4, 9, "{d:#?}");
    assert!(d[0].1.starts_with("invalid value for variable \"repositories\" (set in terraform.tfvars): "), "{d:#?}");
    // Terraform warns about a value for a variable nobody declared (here a typo).
    assert_eq!(
        d[1],
        (
            "warning".to_string(),
            "value for undeclared variable \"repositorys\": the root module . declares no such variable".to_string(),
            "terraform.tfvars".to_string(),
            4,
            1
        )
    );
    // A --var that does not parse is an error too.
    std::fs::remove_file(t.0.join("terraform.tfvars")).unwrap();
    let (code, j) = t.json(&["--rule", "ecr_mutable_tags", "--var", "repositories={a="]);
    assert_eq!(code, 2);
    let d = diagnostics(&j);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].0, "error");
    assert!(
        d[0].1.starts_with("invalid value for variable \"repositories\" (from --var): not a valid expression"),
        "{d:#?}"
    );
}

#[test]
fn plans_are_recognised_by_content_whatever_their_name() {
    let t = Tree::new("plan-names");
    let plan = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plan/rule_aws_managed_key/plan.json"),
    )
    .unwrap();
    t.write("tfplan", &plan);
    let (code, j) = t.json(&["--rule", "ecr_nocmk", "tfplan"]);
    assert_eq!(code, 1, "{j:#}");
    assert!(!j["findings"].as_array().unwrap().is_empty(), "{j:#}");
    // A binary plan (a zip file) gets a hint instead of a UTF-8 error.
    std::fs::write(t.0.join("tfplan.bin"), b"PK\x03\x04\x14\x00\x08\x00binary").unwrap();
    let (code, j) = t.json(&["tfplan.bin"]);
    assert_eq!(code, 2);
    let d = diagnostics(&j);
    assert_eq!(
        d,
        [(
            "error".to_string(),
            "cannot read plan tfplan.bin: it is a binary plan: scan the JSON that `terraform show -json PLANFILE` (or `tofu show -json`) prints".to_string(),
            "tfplan.bin".to_string(),
            0,
            0
        )]
    );
}

#[test]
fn findings_in_excluded_paths_are_not_reported() {
    let t = Tree::new("exclude");
    t.write(
        "infra/main.tf",
        "module \"ecr\" {\n  source = \"./modules/ecr\"\n}\nresource \"aws_ecr_repository\" \"root\" {\n  name = \"root\"\n}\n",
    );
    t.write("infra/modules/ecr/main.tf", "resource \"aws_ecr_repository\" \"this\" {\n  name = \"m\"\n}\n");
    let addresses = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--rule", "ecr_nocmk"];
        all.extend_from_slice(args);
        let (_, j) = t.json(&all);
        j["findings"].as_array().unwrap().iter().map(|f| f["address"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(addresses(&["infra"]), ["aws_ecr_repository.root", "module.ecr.aws_ecr_repository.this"]);
    // Relative to the working directory, or to the scanned directory, as the walk matches.
    for glob in ["infra/modules", "modules", "modules/ecr/main.tf", "**/modules/**"] {
        assert_eq!(addresses(&["infra", "--exclude", glob]), ["aws_ecr_repository.root"], "{glob}");
    }
}

#[test]
fn a_named_module_file_is_evaluated_with_its_roots_tfvars() {
    // The small infra repository of a new user: a root with terraform.tfvars calling
    // modules/ecr with a for_each over the repositories it lists.
    let t = Tree::new("named-tfvars");
    t.write(".git/HEAD", "ref: refs/heads/main\n");
    t.write(
        "infra/main.tf",
        "variable \"repositories\" {\n  type    = map(object({ mutable = bool }))\n  default = {}\n}\n\nmodule \"ecr\" {\n  source   = \"./modules/ecr\"\n  for_each = var.repositories\n  name     = each.key\n  mutable  = each.value.mutable\n}\n",
    );
    t.write(
        "infra/terraform.tfvars",
        "repositories = {\n  api     = { mutable = false }\n  scratch = { mutable = true }\n}\n",
    );
    t.write(
        "infra/modules/ecr/main.tf",
        "variable \"name\" {}\nvariable \"mutable\" {}\n\nresource \"aws_ecr_repository\" \"this\" {\n  name                 = var.name\n  image_tag_mutability = var.mutable ? \"MUTABLE\" : \"IMMUTABLE\"\n}\n",
    );
    let found = |args: &[&str]| -> Vec<(String, String)> {
        let (_, j) = t.json(args);
        j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["rule"].as_str().unwrap().to_string(), f["address"].as_str().unwrap().to_string()))
            .collect()
    };
    let all = found(&["--rule", "ecr_nocmk", "--rule", "ecr_mutable_tags", "infra"]);
    assert_eq!(all.len(), 3, "{all:#?}");
    // Whichever file a commit touches, its findings are the full scan's.
    for named in ["infra/modules/ecr/main.tf", "infra/main.tf", "infra/terraform.tfvars"] {
        let got = found(&["--rule", "ecr_nocmk", "--rule", "ecr_mutable_tags", named]);
        // The module's file locates them; the root's main.tf makes the calls; the tfvars file
        // decides which instances exist.
        assert_eq!(got, all, "{named}");
    }
}

#[test]
fn directories_files_and_plans_together_report_the_union() {
    let t = Tree::new("union");
    t.write(".git/HEAD", "ref: refs/heads/main\n");
    t.write("infra/main.tf", "resource \"aws_ecr_repository\" \"a\" {\n  name = \"a\"\n}\n");
    t.write("infra/b.tf", "resource \"aws_ecr_repository\" \"b\" {\n  name = \"b\"\n}\n");
    t.write("pc-repo/ecr.tf", "resource \"aws_ecr_repository\" \"c\" {\n  name = \"c\"\n}\n");
    t.write("pc-repo/other.tf", "resource \"aws_ecr_repository\" \"d\" {\n  name = \"d\"\n}\n");
    let plan = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/plan/rule_aws_managed_key/plan.json"),
    )
    .unwrap();
    t.write("plan.json", &plan);
    let files = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--rule", "ecr_nocmk"];
        all.extend_from_slice(args);
        let (_, j) = t.json(&all);
        let mut f: Vec<String> =
            j["findings"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap().to_string()).collect();
        f.dedup();
        f
    };
    let infra = files(&["infra"]);
    let ecr = files(&["pc-repo/ecr.tf"]);
    let plan = files(&["plan.json"]);
    assert_eq!(infra, ["infra/b.tf", "infra/main.tf"]);
    assert_eq!(ecr, ["pc-repo/ecr.tf"]);
    assert!(!plan.is_empty());
    let mut union: Vec<String> = infra.iter().chain(&ecr).chain(&plan).cloned().collect();
    union.sort();
    let mut both = files(&["infra", "pc-repo/ecr.tf", "plan.json"]);
    both.sort();
    assert_eq!(both, union);
}

#[test]
fn a_baseline_written_in_one_directory_matches_a_scan_from_another() {
    let t = Tree::new("baseline-dirs");
    t.write(".git/HEAD", "ref: refs/heads/main\n");
    t.write("infra/main.tf", "resource \"aws_ecr_repository\" \"a\" {\n  name = \"a\"\n}\n");
    let infra = t.0.join("infra");
    let out = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(&infra)
        .args(["--rule", "ecr_nocmk", "--write-baseline", "b.json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(infra.join("b.json")).unwrap();
    assert!(written.contains("\"file\": \"infra/main.tf\""), "{written}");
    // The Action and pre-commit run from the repository root.
    let (code, j) = t.json(&["--rule", "ecr_nocmk", "infra", "--baseline", "infra/b.json"]);
    assert_eq!(code, 0, "{j:#}");
    assert_eq!(j["summary"]["baselined"], 1);
    // A new finding is still new.
    t.write("infra/b.tf", "resource \"aws_ecr_repository\" \"b\" {\n  name = \"b\"\n}\n");
    let (code, j) = t.json(&["--rule", "ecr_nocmk", "infra", "--baseline", "infra/b.json"]);
    assert_eq!((code, j["summary"]["findings"].as_u64()), (1, Some(1)), "{j:#}");
}

#[test]
fn baselines_of_version_1_are_still_read() {
    let t = Tree::new("baseline-v1");
    t.write("main.tf", "resource \"aws_ecr_repository\" \"a\" {\n  name = \"a\"\n}\n");
    // Version 1's fingerprint: FNV-1a over rule, address and file as shown, NUL-separated.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in ["ecr_nocmk", "aws_ecr_repository.a", "main.tf"] {
        for b in part.bytes().chain([0u8]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    t.write(
        "old.json",
        &format!("{{\"tfcheck_baseline\": 1, \"findings\": [{{\"fingerprint\": \"{h:016x}\", \"rule\": \"ecr_nocmk\", \"address\": \"aws_ecr_repository.a\", \"file\": \"main.tf\"}}]}}"),
    );
    let (code, j) = t.json(&["--rule", "ecr_nocmk", "--baseline", "old.json", "."]);
    assert_eq!((code, j["summary"]["baselined"].as_u64()), (0, Some(1)), "{j:#}");
}

#[test]
fn a_family_is_selected_skipped_and_ranked_by_its_name() {
    let t = Tree::new("family");
    t.write(
        "infra/main.tf",
        "resource \"aws_ecr_repository\" \"api\" {\n  name = \"api\"\n}\n\nresource \"aws_sns_topic\" \"events\" {\n  name = \"events\"\n}\n\nresource \"aws_kms_key\" \"k\" {}\n",
    );
    let all = |j: &serde_json::Value| rules_of(j);
    // --rule cmk: the key-ownership rules only, on every service.
    let (_, j) = t.json(&["--no-config", "infra", "--rule", "cmk"]);
    assert_eq!(all(&j), vec!["ecr_nocmk aws_ecr_repository.api", "sns_nocmk aws_sns_topic.events"]);
    // --skip-rule cmk: everything else.
    let (_, j) = t.json(&["--no-config", "infra", "--skip-rule", "cmk"]);
    let rules = all(&j);
    assert!(rules.contains(&"kms_key_no_rotation aws_kms_key.k".to_string()), "{rules:?}");
    assert!(!rules.iter().any(|r| r.contains("nocmk")), "{rules:?}");
    // In the configuration file: a family's severity, with a rule's own entry winning.
    t.write(
        ".tfcheck.hcl",
        "rules {\n  enable   = [\"cmk\"]\n  severity = { cmk = \"high\", sns_nocmk = \"low\" }\n}\n",
    );
    let (_, j) = t.json(&["infra"]);
    let severity = |rule: &str| {
        j["findings"].as_array().unwrap().iter().find(|f| f["rule"] == rule).map(|f| f["severity"].clone()).unwrap()
    };
    assert_eq!(severity("ecr_nocmk"), "high");
    assert_eq!(severity("sns_nocmk"), "low");
    // A name that is neither a rule nor a family is an error.
    let o = t.run(&["--no-config", "infra", "--rule", "cmkk"]);
    assert_eq!(o.status.code(), Some(2));
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("no rule or family named \"cmkk\""), "{out}");
}

#[test]
fn a_family_may_not_take_a_rule_id() {
    let t = Tree::new("family-clash");
    t.write("main.tf", "resource \"aws_ecr_repository\" \"api\" {\n  name = \"api\"\n}\n");
    t.write(
        "policy/clash.hcl",
        "rule \"mine\" {\n  title = \"t\"\n  severity = \"low\"\n  family = \"ecr_nocmk\"\n  resource_types = [\"aws_ecr_repository\"]\n  description = \"d\"\n  remediation = \"r\"\n  check {\n    condition = true\n    at = resource\n    message = \"m\"\n  }\n}\n",
    );
    let o = t.run(&["--no-config", ".", "--rules", "policy"]);
    assert_eq!(o.status.code(), Some(2));
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("family \"ecr_nocmk\" has the name of the rule defined at"), "{out}");
}

#[test]
fn an_alias_names_one_rule() {
    let t = Tree::new("alias-clash");
    t.write("main.tf", "resource \"aws_ecr_repository\" \"api\" {\n  name = \"api\"\n}\n");
    t.write(
        "policy/clash.hcl",
        "rule \"mine\" {\n  title = \"t\"\n  severity = \"low\"\n  aliases = [\"ckv_aws_136\"]\n  resource_types = [\"aws_ecr_repository\"]\n  description = \"d\"\n  remediation = \"r\"\n  check {\n    condition = true\n    at = resource\n    message = \"m\"\n  }\n}\n",
    );
    let o = t.run(&["--no-config", ".", "--rules", "policy"]);
    assert_eq!(o.status.code(), Some(2));
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("alias \"ckv_aws_136\" already names the rule \"ecr_nocmk\""), "{out}");
}

/// First false check = the finding, so a later false check decides even when an earlier one
/// is only known at apply; a later check's error there means "undecided", not a warning.
#[test]
fn a_later_false_check_decides_past_an_undecided_one() {
    let t = Tree::new("undecided-then-false");
    t.write(
        "main.tf",
        r#"variable "mutability" {
  type = string
}

resource "aws_ecr_repository" "a" {
  name                 = "bad"
  image_tag_mutability = var.mutability
  tags                 = { owner = "x" }
}

resource "aws_ecr_repository" "b" {
  name                 = "good"
  image_tag_mutability = var.mutability
}

resource "aws_ecr_repository" "c" {
  name                 = "good"
  image_tag_mutability = var.mutability
  tags                 = { owner = "x" }
}

resource "aws_ecr_repository" "d" {
  name                 = "good"
  image_tag_mutability = "IMMUTABLE"
}
"#,
    );
    t.write(
        "policy/mine.hcl",
        r#"rule "mine" {
  title          = "Repository is not named well"
  severity       = "low"
  resource_types = ["aws_ecr_repository"]
  description    = "d"
  remediation    = "r"
  check {
    condition = resource.image_tag_mutability == "IMMUTABLE"
    at        = resource.image_tag_mutability
    message   = "mutable"
  }
  check {
    condition = length(resource.tags) > 0
    at        = resource.tags
    message   = "no owner"
  }
  check {
    condition = resource.name != "bad"
    at        = resource.name
    message   = "the name is ${resource.name}"
  }
}
"#,
    );
    let (code, j) = t.json(&["--no-config", ".", "--rules", "policy", "--rule", "mine"]);
    assert_eq!(code, 1);
    let found: Vec<(&str, &str)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["address"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        vec![(
            "aws_ecr_repository.a",
            "Repository is not named well, whatever the values tfcheck cannot decide turn out to be (if they pass the rule's earlier checks: the name is bad)"
        )]
    );
    // d: the tags check fails to evaluate with the first check known true, as before; b: the
    // same error past the undecided first check is not reported.
    let diags: Vec<String> =
        j["diagnostics"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap().to_string()).collect();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].starts_with("rule mine could not be evaluated on aws_ecr_repository.d"), "{diags:?}");
}
