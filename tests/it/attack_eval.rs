//! Attacker-written configurations aimed at the evaluator's limits: whatever tfcheck cannot
//! finish is an error located where it matters (exit 2), never fewer findings with exit 0,
//! and no input of a few kilobytes takes more than a few seconds.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// Most a scan may take: the bar is 2 s for a release build; debug builds are slower.
fn time_limit() -> Duration {
    if cfg!(debug_assertions) { Duration::from_secs(30) } else { Duration::from_secs(5) }
}

struct Tree(PathBuf);

impl Tree {
    fn new(name: &str) -> Tree {
        let dir = std::env::temp_dir().join(format!("tfcheck-attack-eval-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Tree(dir)
    }

    fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &Tree {
        let p = self.0.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }

    fn scan(&self, args: &[&str]) -> Scan {
        scan_in(&self.0, args)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A finding as (rule, address, file, line), a diagnostic as (level, file, line, message).
type Finding = (String, String, String, u64);
type Diag = (String, String, u64, String);

struct Scan {
    code: i32,
    findings: Vec<Finding>,
    diags: Vec<Diag>,
}

impl Scan {
    /// The error diagnostics located at `file:line`.
    fn errors_at(&self, file: &str, line: u64) -> Vec<&str> {
        self.diags
            .iter()
            .filter(|(level, f, l, _)| level == "error" && f == file && *l == line)
            .map(|(_, _, _, m)| m.as_str())
            .collect()
    }

    /// Asserts an error at `file:line` whose message contains every one of `needles`.
    fn assert_error(&self, file: &str, line: u64, needles: &[&str]) {
        let errors = self.errors_at(file, line);
        assert!(
            errors.iter().any(|m| needles.iter().all(|n| m.contains(n))),
            "no error at {file}:{line} saying {needles:?}; diagnostics: {:#?}",
            self.diags
        );
    }

    fn assert_no_errors(&self) {
        let errors: Vec<&Diag> = self.diags.iter().filter(|d| d.0 == "error").collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

fn scan_in(dir: &std::path::Path, args: &[&str]) -> Scan {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_tfcheck"))
        .current_dir(dir)
        .args(["--format", "json", "--rule", "ecr_nocmk"])
        .args(args)
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    assert!(elapsed < time_limit(), "took {elapsed:?}");
    let j: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let mut findings: Vec<Finding> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (s(&f["rule"]), s(&f["address"]), s(&f["file"]), f["line"].as_u64().unwrap_or(0)))
        .collect();
    findings.sort();
    let diags = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (s(&d["level"]), s(&d["file"]), d["line"].as_u64().unwrap_or(0), s(&d["message"])))
        .collect();
    Scan { code: out.status.code().unwrap_or(-1), findings, diags }
}

fn finding(address: &str, file: &str, line: u64) -> Finding {
    ("ecr_nocmk".into(), address.into(), file.into(), line)
}

/// The line (from 1) of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not in the text")) as u64 + 1
}

/// An argument that takes tens of millions of steps (a billion-element `for`).
const HEAVY: &str = "length(flatten([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]))";

// ---------------------------------------------------------------------------------------
// 1. The evaluation budget: running out is an error on each instance it cut short.

#[test]
fn budget_spent_on_tags_still_finds_every_repository_and_fails() {
    let t = Tree::new("budget-tags");
    let mut src = String::new();
    for i in 0..26 {
        src.push_str(&format!(
            "resource \"aws_ecr_repository\" \"r{i}\" {{\n  name = \"r{i}\"\n  tags = {{ x = {HEAVY} }}\n}}\n"
        ));
    }
    t.write("main.tf", &src);
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2, "{:#?}", r.diags);
    // The rule decides on what it reads: every repository is still found insecure.
    let expected: Vec<Finding> =
        (0..26).map(|i| finding(&format!("aws_ecr_repository.r{i}"), "main.tf", 1 + 4 * i)).collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(r.findings, expected);
    // And each of them carries an error naming the budget.
    for i in 0..26u64 {
        r.assert_error("main.tf", 1 + 4 * i, &[&format!("aws_ecr_repository.r{i} was not fully evaluated"), "budget"]);
    }
}

#[test]
fn budget_spent_in_for_each_is_an_error_at_the_resource() {
    let t = Tree::new("budget-for-each");
    let src = format!(
        "resource \"aws_ecr_repository\" \"fe\" {{\n  for_each = toset([for i in range({HEAVY}) : tostring(i)])\n  name     = each.key\n}}\n"
    );
    t.write("main.tf", &src);
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    // Checked once, whatever the instance: still insecure.
    assert_eq!(r.findings, vec![finding("aws_ecr_repository.fe", "main.tf", 1)]);
    r.assert_error("main.tf", 1, &["aws_ecr_repository.fe was not fully evaluated", "budget"]);
    r.assert_error("main.tf", 2, &["budget"]);
}

#[test]
fn budget_spent_in_a_module_argument_fails_the_resources_that_read_it() {
    let t = Tree::new("budget-module-arg");
    t.write(
        "main.tf",
        format!(
            "module \"m\" {{\n  source = \"./m\"\n  heavy  = {HEAVY} > 0 ? \"alias/aws/ecr\" : \"alias/aws/ecr\"\n}}\n"
        ),
    );
    let child = "variable \"heavy\" {}\nresource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n  encryption_configuration {\n    encryption_type = \"KMS\"\n    kms_key         = var.heavy\n  }\n}\n";
    t.write("m/main.tf", child);
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    // The key could not be evaluated: no finding, but an error on the repository.
    assert_eq!(r.findings, vec![]);
    r.assert_error("m/main.tf", 2, &["module.m.aws_ecr_repository.r was not fully evaluated", "budget"]);
}

#[test]
fn budget_spent_in_a_dynamic_block_is_an_error_at_the_resource() {
    let t = Tree::new("budget-dynamic");
    let src = format!(
        "resource \"aws_ecr_repository\" \"d\" {{\n  name = \"d\"\n  dynamic \"encryption_configuration\" {{\n    for_each = {HEAVY} > 0 ? [1] : []\n    content {{\n      encryption_type = \"AES256\"\n    }}\n  }}\n}}\n"
    );
    t.write("main.tf", &src);
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    assert_eq!(r.findings, vec![]);
    r.assert_error("main.tf", 1, &["aws_ecr_repository.d was not fully evaluated", "budget"]);
    r.assert_error("main.tf", 4, &["budget"]);
}

#[test]
fn try_and_can_do_not_swallow_a_limit() {
    let t = Tree::new("budget-try");
    // try() would fall back to the customer key: a limit must not decide for Terraform.
    let src = format!(
        "resource \"aws_kms_key\" \"k\" {{}}\nresource \"aws_ecr_repository\" \"t\" {{\n  name = \"t\"\n  encryption_configuration {{\n    encryption_type = \"KMS\"\n    kms_key         = try({HEAVY} > 0 ? \"alias/aws/ecr\" : \"x\", aws_kms_key.k.arn)\n  }}\n}}\nresource \"aws_ecr_repository\" \"c\" {{\n  name = \"c\"\n  encryption_configuration {{\n    encryption_type = \"KMS\"\n    kms_key         = can({HEAVY}) ? aws_kms_key.k.arn : \"alias/aws/ecr\"\n  }}\n}}\n"
    );
    t.write("main.tf", &src);
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    assert_eq!(r.findings, vec![]);
    r.assert_error("main.tf", 2, &["aws_ecr_repository.t was not fully evaluated", "budget"]);
    r.assert_error("main.tf", 9, &["aws_ecr_repository.c was not fully evaluated", "budget"]);
}

// ---------------------------------------------------------------------------------------
// 2. Instance caps: an error at the call or block, never a silent skip.

#[test]
fn a_padding_module_cannot_starve_the_real_one() {
    let t = Tree::new("module-padding");
    t.write(
        "main.tf",
        "module \"a_pad\" {\n  source = \"./modules/empty\"\n  count  = 10000\n}\n\nmodule \"real\" {\n  source = \"./modules/repo\"\n}\n",
    );
    t.write("modules/empty/main.tf", "");
    t.write("modules/repo/main.tf", "resource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n}\n");
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    r.assert_error("main.tf", 6, &["module \"real\"", "limit of 10000"]);
}

#[test]
fn a_cap_hit_in_a_child_module_is_an_error_in_the_child() {
    let t = Tree::new("module-cap-child");
    t.write("main.tf", "module \"platform\" {\n  source = \"./platform\"\n}\n");
    t.write(
        "platform/main.tf",
        "module \"pad\" {\n  source   = \"../empty\"\n  for_each = toset([for i in range(1000) : tostring(i)])\n}\nmodule \"pad2\" {\n  source = \"../empty\"\n  count  = 8999\n}\nmodule \"repo\" {\n  source = \"../repo\"\n}\n",
    );
    t.write("empty/main.tf", "");
    t.write("repo/main.tf", "resource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n}\n");
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    r.assert_error("platform/main.tf", 9, &["module \"repo\"", "limit of 10000"]);
}

#[test]
fn count_over_the_expansion_cap_is_checked_once_and_an_error() {
    let t = Tree::new("count-cap");
    let src = "resource \"aws_ecr_repository\" \"many\" {\n  count = 20000\n  name  = \"many-${count.index}\"\n}\n";
    t.write("main.tf", src);
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    assert_eq!(r.findings, vec![finding("aws_ecr_repository.many", "main.tf", 1)]);
    r.assert_error("main.tf", 2, &["limit of 10000"]);
    r.assert_error("main.tf", 1, &["aws_ecr_repository.many was not fully evaluated"]);
}

#[test]
fn dynamic_blocks_over_the_cap_are_an_error() {
    let t = Tree::new("dynamic-cap");
    let src = "resource \"aws_ecr_repository\" \"d\" {\n  name = \"d\"\n  dynamic \"encryption_configuration\" {\n    for_each = [for i in range(1000) : [for j in range(20) : j]][0] == [] ? [] : flatten([for i in range(1000) : [for j in range(20) : j]])\n    content {\n      encryption_type = \"AES256\"\n    }\n  }\n}\n";
    t.write("main.tf", src);
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    assert_eq!(r.findings, vec![]);
    r.assert_error("main.tf", 4, &["limit of 10000 blocks"]);
    r.assert_error("main.tf", 1, &["aws_ecr_repository.d was not fully evaluated"]);
}

#[test]
fn modules_nested_past_the_depth_limit_are_an_error() {
    let t = Tree::new("module-depth");
    for i in 0..70 {
        t.write(&format!("m{i}/main.tf"), format!("module \"next\" {{\n  source = \"../m{}\"\n}}\n", i + 1));
    }
    t.write("m70/main.tf", "resource \"aws_ecr_repository\" \"deep\" {\n  name = \"deep\"\n}\n");
    t.write("main.tf", "module \"first\" {\n  source = \"./m0\"\n}\n");
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    assert!(
        r.diags.iter().any(|(level, _, line, m)| level == "error" && *line == 1 && m.contains("limit of 64 modules")),
        "{:#?}",
        r.diags
    );
}

// ---------------------------------------------------------------------------------------
// 3. Fan-out in plans: references followed once each.

/// A plan whose repository's key comes from `data.aws_kms_alias.d0`, which reads `d1` three
/// times, and so on for `links` data sources; and a plain unencrypted repository.
fn chained_plan(links: usize) -> String {
    let mut resources = Vec::new();
    for i in 0..links {
        let next = format!("data.aws_kms_alias.d{}", i + 1);
        let expressions = if i + 1 < links {
            let r = serde_json::json!({ "references": [format!("{next}.name"), next] });
            serde_json::json!({ "name": r, "target_key_id": r, "arn": r })
        } else {
            serde_json::json!({ "name": { "constant_value": "alias/aws/ecr" } })
        };
        resources.push(serde_json::json!({
            "address": format!("data.aws_kms_alias.d{i}"), "mode": "data", "type": "aws_kms_alias",
            "name": format!("d{i}"), "expressions": expressions
        }));
    }
    for name in ["keyed", "plain"] {
        let mut exprs = serde_json::json!({ "name": { "constant_value": name } });
        if name == "keyed" {
            exprs["encryption_configuration"] = serde_json::json!([{
                "encryption_type": { "constant_value": "KMS" },
                "kms_key": { "references": ["data.aws_kms_alias.d0.target_key_arn", "data.aws_kms_alias.d0"] }
            }]);
        }
        resources.push(serde_json::json!({
            "address": format!("aws_ecr_repository.{name}"), "mode": "managed", "type": "aws_ecr_repository",
            "name": name, "expressions": exprs
        }));
    }
    let change = |name: &str, encrypted: bool| {
        let after = if encrypted {
            serde_json::json!({ "name": name, "encryption_configuration": [{ "encryption_type": "KMS" }] })
        } else {
            serde_json::json!({ "name": name, "encryption_configuration": [{ "encryption_type": "AES256", "kms_key": "" }] })
        };
        let unknown = if encrypted {
            serde_json::json!({ "encryption_configuration": [{ "kms_key": true }] })
        } else {
            serde_json::json!({})
        };
        serde_json::json!({
            "address": format!("aws_ecr_repository.{name}"), "mode": "managed", "type": "aws_ecr_repository",
            "name": name, "change": { "actions": ["create"], "before": null, "after": after, "after_unknown": unknown }
        })
    };
    let plan = serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "resource_changes": [change("keyed", true), change("plain", false)],
        "configuration": { "root_module": { "resources": resources } }
    });
    serde_json::to_string_pretty(&plan).unwrap()
}

#[test]
fn a_chain_of_data_sources_in_a_plan_costs_linear_time() {
    for links in [14, 40, 200] {
        let t = Tree::new(&format!("plan-chain-{links}"));
        t.write("plan.json", chained_plan(links));
        let r = t.scan(&["plan.json"]);
        assert_eq!(r.code, 1, "{links} links: {:#?}", r.diags);
        assert_eq!(
            r.findings,
            vec![finding(
                "aws_ecr_repository.plain",
                "plan.json",
                line_of(&chained_plan(links), "\"address\": \"aws_ecr_repository.plain\"")
            )]
        );
        r.assert_no_errors();
    }
}

#[test]
fn a_plan_chain_past_the_trace_limit_is_an_error_on_the_instance() {
    let t = Tree::new("plan-chain-deep");
    let plan = chained_plan(600);
    t.write("plan.json", &plan);
    let r = t.scan(&["plan.json"]);
    assert_eq!(r.code, 2);
    let keyed = line_of(&plan, "\"address\": \"aws_ecr_repository.keyed\"");
    r.assert_error("plan.json", keyed, &["aws_ecr_repository.keyed was not fully read", "limit of 1000"]);
}

#[test]
fn a_chain_through_module_calls_in_a_plan_costs_linear_time() {
    // In module.m{i}, output `k` is `data.aws_kms_alias.d.name`, and that data source reads
    // module.m{i+1}.k three times.
    fn module(i: usize, depth: usize) -> serde_json::Value {
        let mut m = serde_json::json!({
            "outputs": { "k": { "expression": { "references": ["data.aws_kms_alias.d.name", "data.aws_kms_alias.d"] } } }
        });
        let data = |exprs: serde_json::Value| {
            serde_json::json!([{ "address": "data.aws_kms_alias.d", "mode": "data", "type": "aws_kms_alias",
                "name": "d", "expressions": exprs }])
        };
        if i + 1 < depth {
            let r = serde_json::json!({ "references": [format!("module.m{}.k", i + 1), format!("module.m{}", i + 1)] });
            m["resources"] = data(serde_json::json!({ "name": r, "target_key_id": r, "arn": r }));
            m["module_calls"] = serde_json::json!({ format!("m{}", i + 1): {
                "source": "./m", "expressions": {}, "module": module(i + 1, depth)
            }});
        } else {
            m["resources"] = data(serde_json::json!({ "name": { "constant_value": "alias/aws/ecr" } }));
        }
        m
    }
    let depth = 40;
    let change = |name: &str, after: serde_json::Value, unknown: serde_json::Value| {
        serde_json::json!({
            "address": format!("aws_ecr_repository.{name}"), "mode": "managed", "type": "aws_ecr_repository",
            "name": name, "change": { "actions": ["create"], "before": null, "after": after, "after_unknown": unknown }
        })
    };
    let plan = serde_json::json!({
        "format_version": "1.2",
        "resource_changes": [
            change("keyed", serde_json::json!({ "name": "keyed", "encryption_configuration": [{ "encryption_type": "KMS" }] }),
                serde_json::json!({ "encryption_configuration": [{ "kms_key": true }] })),
            change("plain", serde_json::json!({ "name": "plain", "encryption_configuration": [{ "encryption_type": "AES256", "kms_key": "" }] }),
                serde_json::json!({}))
        ],
        "configuration": { "root_module": {
            "resources": [
                { "address": "aws_ecr_repository.keyed", "mode": "managed", "type": "aws_ecr_repository", "name": "keyed",
                  "expressions": { "name": { "constant_value": "keyed" }, "encryption_configuration": [{
                      "encryption_type": { "constant_value": "KMS" },
                      "kms_key": { "references": ["module.m0.k", "module.m0"] } }] } },
                { "address": "aws_ecr_repository.plain", "mode": "managed", "type": "aws_ecr_repository", "name": "plain",
                  "expressions": { "name": { "constant_value": "plain" } } }
            ],
            "module_calls": { "m0": { "source": "./m", "expressions": {}, "module": module(0, depth) } }
        } }
    });
    let text = serde_json::to_string_pretty(&plan).unwrap();
    let t = Tree::new("plan-module-chain");
    t.write("plan.json", &text);
    let r = t.scan(&["plan.json"]);
    assert_eq!(r.code, 1, "{:#?}", r.diags);
    r.assert_no_errors();
    let plain = line_of(&text, "\"address\": \"aws_ecr_repository.plain\"");
    assert_eq!(r.findings, vec![finding("aws_ecr_repository.plain", "plan.json", plain)]);
}

// ---------------------------------------------------------------------------------------
// 4. Fan-out in HCL: shared values are not walked 2^n times; too large is an error, fast.

/// `locals { a0 = "x"  a1 = [local.a0, local.a0] ... }` up to `a{levels}`.
fn doubling_locals(levels: usize) -> String {
    let mut s = String::from("locals {\n  a0 = \"x\"\n");
    for i in 1..=levels {
        s.push_str(&format!("  a{i} = [local.a{}, local.a{}]\n", i - 1, i - 1));
    }
    s.push_str("}\n");
    s
}

#[test]
fn doubling_locals_are_an_error_not_an_exponential_walk() {
    for (levels, uses) in [
        (30, "length(local.a30)"),
        (32, "length(flatten(local.a32))"),
        (64, "jsonencode(local.a64)"),
        (40, "[for x in local.a40 : x]"),
        (40, "toset(local.a40)"),
        (40, "local.a40 == local.a40"),
        (40, "length(local.a40[0][0])"),
    ] {
        let t = Tree::new(&format!("fanout-{levels}"));
        let src = format!(
            "{}resource \"aws_ecr_repository\" \"r\" {{\n  name = \"r\"\n  tags = {{ n = {uses} }}\n}}\n",
            doubling_locals(levels)
        );
        t.write("main.tf", &src);
        let r = t.scan(&["."]);
        let resource = line_of(&src, "resource \"aws_ecr_repository\" \"r\"");
        assert_eq!(r.code, 2, "{uses}: {:#?}", r.diags);
        assert_eq!(r.findings, vec![finding("aws_ecr_repository.r", "main.tf", resource)], "{uses}");
        r.assert_error("main.tf", resource, &["aws_ecr_repository.r was not fully evaluated", "limit of 1000000"]);
    }
}

#[test]
fn small_shared_values_still_evaluate() {
    let t = Tree::new("fanout-small");
    let src = format!(
        "{}resource \"aws_ecr_repository\" \"r\" {{\n  name = \"r-${{length(flatten(local.a12))}}\"\n  tags = {{ n = jsonencode(local.a10) }}\n}}\n",
        doubling_locals(12)
    );
    t.write("main.tf", &src);
    let r = t.scan(&["."]);
    assert_eq!(r.code, 1, "{:#?}", r.diags);
    r.assert_no_errors();
}

#[test]
fn doubling_through_module_outputs_and_variables_is_an_error() {
    // local -> module argument -> variable -> output -> next module's argument, doubling.
    let t = Tree::new("fanout-modules");
    let mut root = String::from(
        "locals {\n  seed = [\"x\", \"x\"]\n}\nmodule \"m0\" {\n  source = \"./m\"\n  v      = local.seed\n}\n",
    );
    for i in 1..40 {
        root.push_str(&format!("module \"m{i}\" {{\n  source = \"./m\"\n  v      = module.m{}.doubled\n}}\n", i - 1));
    }
    root.push_str(
        "resource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n  tags = { n = length(module.m39.doubled) }\n}\n",
    );
    t.write("main.tf", &root);
    t.write(
        "m/main.tf",
        "variable \"v\" {\n  type = list(any)\n}\noutput \"doubled\" {\n  value = [var.v, var.v]\n}\n",
    );
    let r = t.scan(&["."]);
    let resource = line_of(&root, "resource \"aws_ecr_repository\" \"r\"");
    assert_eq!(r.code, 2, "{:#?}", r.diags);
    assert_eq!(r.findings, vec![finding("aws_ecr_repository.r", "main.tf", resource)]);
    r.assert_error("main.tf", resource, &["aws_ecr_repository.r was not fully evaluated"]);
}

#[test]
fn long_strings_copied_many_times_are_bounded() {
    // Each local is a new 16 MiB string: the budget pays for the bytes copied.
    let t = Tree::new("strings");
    let mut src = String::from(
        "locals {\n  s0 = join(\"\", [for i in range(1000) : \"${i}\"])\n  s1 = join(\"\", [for i in range(1000) : local.s0])\n",
    );
    for i in 2..60 {
        src.push_str(&format!("  s{i} = \"${{local.s{}}}${{local.s{}}}\"\n", i - 1, i - 1));
    }
    src.push_str("}\nresource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n  tags = { n = length(local.s59) }\n}\n");
    t.write("main.tf", &src);
    let r = t.scan(&["."]);
    let resource = line_of(&src, "resource \"aws_ecr_repository\" \"r\"");
    assert_eq!(r.code, 2, "{:#?}", r.diags);
    assert_eq!(r.findings, vec![finding("aws_ecr_repository.r", "main.tf", resource)]);
    r.assert_error("main.tf", resource, &["aws_ecr_repository.r was not fully evaluated"]);
}

// ---------------------------------------------------------------------------------------
// 5. terraform_data: `input` and `output` are known at plan time.

#[test]
fn terraform_data_input_and_output_are_known() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/attack/eval/terraform_data");
    let src = std::fs::read_to_string(dir.join("main.tf")).unwrap();
    let r = scan_in(&dir, &["."]);
    assert_eq!(r.code, 1, "{:#?}", r.diags);
    let mut expected = vec![
        finding("aws_ecr_repository.from_input", "main.tf", line_of(&src, "kms_key = terraform_data.key.input")),
        finding("aws_ecr_repository.from_output", "main.tf", line_of(&src, "kms_key = terraform_data.key.output")),
        finding(
            "aws_ecr_repository.counted[1]",
            "main.tf",
            line_of(&src, "kms_key = terraform_data.keys[count.index].output"),
        ),
    ];
    expected.sort();
    assert_eq!(r.findings, expected);
    r.assert_no_errors();
}

#[test]
fn terraform_data_output_in_a_plan_is_traced_to_its_input() {
    let text = serde_json::to_string_pretty(&serde_json::json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "aws_ecr_repository.r", "mode": "managed", "type": "aws_ecr_repository", "name": "r",
            "change": { "actions": ["create"], "before": null,
                "after": { "name": "r", "encryption_configuration": [{ "encryption_type": "KMS" }] },
                "after_unknown": { "encryption_configuration": [{ "kms_key": true }] } }
        }],
        "configuration": { "root_module": { "resources": [
            { "address": "terraform_data.k", "mode": "managed", "type": "terraform_data", "name": "k",
              "expressions": { "input": { "constant_value": "alias/aws/ecr" } } },
            { "address": "aws_ecr_repository.r", "mode": "managed", "type": "aws_ecr_repository", "name": "r",
              "expressions": { "name": { "constant_value": "r" }, "encryption_configuration": [{
                  "encryption_type": { "constant_value": "KMS" },
                  "kms_key": { "references": ["terraform_data.k.output", "terraform_data.k"] } }] } }
        ] } }
    }))
    .unwrap();
    let t = Tree::new("plan-terraform-data");
    t.write("plan.json", &text);
    let r = t.scan(&["plan.json"]);
    assert_eq!(r.code, 1, "{:#?}", r.diags);
    assert_eq!(
        r.findings,
        vec![finding("aws_ecr_repository.r", "plan.json", line_of(&text, "\"address\": \"aws_ecr_repository.r\""))]
    );
}

#[test]
fn resource_instances_past_the_root_cap_are_an_error() {
    let t = Tree::new("resource-cap");
    let mut src = String::new();
    for i in 0..6 {
        src.push_str(&format!(
            "resource \"aws_ecr_repository\" \"r{i}\" {{\n  count = 10000\n  name  = \"r{i}-${{count.index}}\"\n}}\n"
        ));
    }
    t.write("main.tf", &src);
    let r = t.scan(&["."]);
    assert_eq!(r.code, 2);
    // The first 50000 instances are checked; the sixth block's are not, and it says so.
    assert_eq!(r.findings.len(), 50_000);
    assert!(r.findings.iter().all(|f| !f.1.starts_with("aws_ecr_repository.r5")));
    r.assert_error("main.tf", 21, &["aws_ecr_repository.r5[0]", "limit of 50000 resource instances"]);
}

#[test]
fn references_chained_past_the_lookup_depth_are_an_error() {
    let t = Tree::new("lookup-depth");
    let mut src = String::from("locals {\n");
    for i in 0..300 {
        src.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    src.push_str("  l300 = \"alias/aws/ecr\"\n}\n");
    src.push_str("resource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n  encryption_configuration {\n    encryption_type = \"KMS\"\n    kms_key         = local.l0\n  }\n}\n");
    t.write("main.tf", &src);
    let r = t.scan(&["."]);
    let resource = line_of(&src, "resource \"aws_ecr_repository\" \"r\"");
    assert_eq!(r.code, 2);
    // The key is not known to tfcheck: no finding, and an error saying why.
    assert_eq!(r.findings, vec![]);
    r.assert_error("main.tf", resource, &["aws_ecr_repository.r was not fully evaluated", "limit of 256"]);
}
