//! Generates a corpus shaped like the big real one, for benchmarking without ../shared: about
//! 25,000 files and 50 MB in 48 repositories of modules that call each other, about 25,000
//! resources of which 1.5 % are ECR repositories or KMS keys (the real corpus: 25,252 and 357).
//!
//! Usage: generate DIR [--stress]
//! `--stress` writes a denser worst case instead: four times the resources, a third of them
//! ECR repositories or KMS keys, so that evaluation and findings dominate.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (xorshift), so every run writes the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Resource types no rule reads, as most of a real corpus is.
const OTHER_TYPES: &[&str] = &[
    "aws_s3_bucket",
    "aws_iam_role",
    "aws_iam_policy",
    "aws_security_group",
    "aws_lambda_function",
    "aws_cloudwatch_log_group",
    "aws_instance",
    "aws_db_instance",
    "google_compute_instance",
    "azurerm_storage_account",
];

struct Shape {
    /// Per mille of resources that are ECR repositories or KMS keys.
    ecr_kms_permille: u64,
    /// Resources per `main*.tf` file: `min + below(spread)`.
    min_resources: usize,
    spread: u64,
    /// Documented variables per module beyond the ones the resources use.
    extra_variables: usize,
}

const REALISTIC: Shape = Shape { ecr_kms_permille: 15, min_resources: 1, spread: 2, extra_variables: 56 };
const STRESS: Shape = Shape { ecr_kms_permille: 333, min_resources: 4, spread: 9, extra_variables: 0 };

fn resource(rng: &mut Rng, shape: &Shape, out: &mut String, i: usize) {
    let ty = if rng.below(1000) < shape.ecr_kms_permille {
        if rng.below(2) == 0 { "aws_ecr_repository" } else { "aws_kms_key" }
    } else {
        OTHER_TYPES[rng.below(OTHER_TYPES.len() as u64) as usize]
    };
    let _ = writeln!(out, "resource \"{ty}\" \"r{i}\" {{");
    match rng.below(3) {
        0 => {
            let _ = writeln!(out, "  for_each = var.names");
            let _ = writeln!(out, "  name     = \"${{local.prefix}}-${{each.key}}\"");
        }
        1 => {
            let _ = writeln!(out, "  count = var.enabled ? 1 : 0");
            let _ = writeln!(out, "  name  = format(\"%s-%d\", local.prefix, count.index)");
        }
        _ => {
            let _ = writeln!(out, "  name = lower(\"${{var.environment}}-r{i}\")");
        }
    }
    let _ = writeln!(out, "  tags = merge(var.tags, {{ Name = \"r{i}\", Component = local.component }})");
    if ty == "aws_ecr_repository" {
        let _ = writeln!(out, "  image_tag_mutability = var.immutable ? \"IMMUTABLE\" : \"MUTABLE\"\n");
        let _ = writeln!(
            out,
            "  encryption_configuration {{\n    encryption_type = \"KMS\"\n    kms_key         = try(var.kms_key_arn, null)\n  }}"
        );
        let _ = writeln!(out, "  image_scanning_configuration {{\n    scan_on_push = true\n  }}");
    } else if ty == "aws_kms_key" {
        let _ = writeln!(out, "  description         = \"key for ${{local.prefix}}\"");
        let _ = writeln!(out, "  enable_key_rotation = var.enabled");
    } else {
        for j in 0..rng.below(6) {
            let _ = writeln!(out, "  setting_{j} = lookup(var.settings, \"s{j}\", {})", rng.below(100));
        }
        let _ = writeln!(
            out,
            "  dynamic \"rule\" {{\n    for_each = var.rules\n    content {{\n      name  = rule.key\n      value = rule.value\n    }}\n  }}"
        );
        let _ = writeln!(
            out,
            "  lifecycle {{\n    ignore_changes = [tags[\"LastModified\"]]\n  }}\n\n  depends_on = [terraform_data.ready]"
        );
    }
    let _ = writeln!(out, "}}\n");
}

fn module_files(rng: &mut Rng, shape: &Shape, dir: &Path, calls: &[String]) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut written = 0;
    let mut vars = String::from(
        "variable \"environment\" {\n  type    = string\n  default = \"dev\"\n}\n\nvariable \"names\" {\n  type    = set(string)\n  default = [\"a\", \"b\"]\n}\n\nvariable \"enabled\" {\n  type    = bool\n  default = true\n}\n\nvariable \"immutable\" {\n  type    = bool\n  default = true\n}\n\nvariable \"kms_key_arn\" {\n  type    = string\n  default = null\n}\n\nvariable \"tags\" {\n  type    = map(string)\n  default = {}\n}\n\nvariable \"settings\" {\n  type    = map(number)\n  default = {}\n}\n\nvariable \"rules\" {\n  type = map(object({\n    value = optional(string, \"x\")\n  }))\n  default = {}\n}\n",
    );
    for v in 0..shape.extra_variables {
        let _ = write!(
            vars,
            "\nvariable \"option_{v}\" {{\n  description = \"Option {v} of the module: see the provider documentation for the values it accepts. Defaults to null, which leaves the provider default.\"\n  type        = {}\n  default     = null\n}}\n",
            ["string", "number", "bool", "list(string)", "map(string)"][v % 5]
        );
    }
    std::fs::write(dir.join("variables.tf"), &vars)?;
    written += vars.len();
    let locals = "locals {\n  prefix    = \"${var.environment}-svc\"\n  component = upper(var.environment)\n  flags     = { for n in var.names : n => length(n) > 1 }\n}\n\nresource \"terraform_data\" \"ready\" {\n  input = local.prefix\n}\n";
    std::fs::write(dir.join("locals.tf"), locals)?;
    written += locals.len();
    let files = 2 + rng.below(7) as usize;
    for f in 0..files {
        let mut out = String::new();
        for i in 0..(shape.min_resources + rng.below(shape.spread) as usize) {
            resource(rng, shape, &mut out, f * 100 + i);
        }
        if f == 0 {
            for (i, c) in calls.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "module \"m{i}\" {{\n  source      = \"{c}\"\n  environment = var.environment\n  names       = var.names\n  tags        = var.tags\n}}\n"
                );
            }
        }
        written += out.len();
        std::fs::write(dir.join(format!("main{f}.tf")), out)?;
    }
    let mut outputs = String::from(
        "output \"prefix\" {\n  description = \"The name prefix of every resource\"\n  value       = local.prefix\n}\n",
    );
    for o in 0..shape.extra_variables / 3 {
        let _ = write!(
            outputs,
            "\noutput \"option_{o}\" {{\n  description = \"Option {o} as the module resolved it\"\n  value       = try(var.option_{o}, null)\n}}\n"
        );
    }
    std::fs::write(dir.join("outputs.tf"), &outputs)?;
    Ok(written + outputs.len())
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("usage: generate DIR [--stress]"));
    let shape = if args.next().as_deref() == Some("--stress") { &STRESS } else { &REALISTIC };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bytes = 0;
    let mut modules = 0;
    for repo in 0..48 {
        let repo_dir = root.join(format!("repo{repo:02}"));
        // Reusable modules, then environments that call them.
        for m in 0..20 {
            bytes += module_files(&mut rng, shape, &repo_dir.join(format!("modules/m{m}")), &[])?;
            modules += 1;
        }
        for e in 0..40 {
            let calls: Vec<String> = (0..3).map(|_| format!("../../modules/m{}", rng.below(20))).collect();
            bytes += module_files(&mut rng, shape, &repo_dir.join(format!("envs/e{e}")), &calls)?;
            std::fs::write(
                repo_dir.join(format!("envs/e{e}/terraform.tfvars")),
                "environment = \"prod\"\nimmutable   = false\n",
            )?;
            modules += 1;
        }
    }
    eprintln!("generated {modules} modules, {:.1} MB under {}", bytes as f64 / 1e6, root.display());
    Ok(())
}
