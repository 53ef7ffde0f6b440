//! Generates a corpus shaped like the big real one (about 25,000 files, 55 MB, in 48
//! repositories of modules that call each other), for benchmarking without ../shared.
//!
//! Usage: generate DIR

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

const TYPES: &[&str] = &[
    "aws_ecr_repository",
    "aws_kms_key",
    "aws_s3_bucket",
    "aws_iam_role",
    "aws_security_group",
    "aws_lambda_function",
];

fn resource(rng: &mut Rng, out: &mut String, i: usize) {
    let ty = TYPES[rng.below(TYPES.len() as u64) as usize];
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
    } else {
        for j in 0..rng.below(6) {
            let _ = writeln!(out, "  setting_{j} = lookup(var.settings, \"s{j}\", {})", rng.below(100));
        }
        let _ = writeln!(
            out,
            "  dynamic \"rule\" {{\n    for_each = var.rules\n    content {{\n      name  = rule.key\n      value = rule.value\n    }}\n  }}"
        );
    }
    let _ = writeln!(out, "}}\n");
}

fn module_files(rng: &mut Rng, dir: &Path, calls: &[String]) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut written = 0;
    let vars = "variable \"environment\" {\n  type    = string\n  default = \"dev\"\n}\n\nvariable \"names\" {\n  type    = set(string)\n  default = [\"a\", \"b\"]\n}\n\nvariable \"enabled\" {\n  type    = bool\n  default = true\n}\n\nvariable \"immutable\" {\n  type    = bool\n  default = true\n}\n\nvariable \"kms_key_arn\" {\n  type    = string\n  default = null\n}\n\nvariable \"tags\" {\n  type    = map(string)\n  default = {}\n}\n\nvariable \"settings\" {\n  type    = map(number)\n  default = {}\n}\n\nvariable \"rules\" {\n  type = map(object({\n    value = optional(string, \"x\")\n  }))\n  default = {}\n}\n";
    std::fs::write(dir.join("variables.tf"), vars)?;
    written += vars.len();
    let locals = "locals {\n  prefix    = \"${var.environment}-svc\"\n  component = upper(var.environment)\n  flags     = { for n in var.names : n => length(n) > 1 }\n}\n";
    std::fs::write(dir.join("locals.tf"), locals)?;
    written += locals.len();
    let files = 2 + rng.below(7) as usize;
    for f in 0..files {
        let mut out = String::new();
        for i in 0..(4 + rng.below(9) as usize) {
            resource(rng, &mut out, f * 100 + i);
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
    let outputs = "output \"prefix\" {\n  value = local.prefix\n}\n";
    std::fs::write(dir.join("outputs.tf"), outputs)?;
    Ok(written + outputs.len())
}

fn main() -> std::io::Result<()> {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: generate DIR"));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bytes = 0;
    let mut modules = 0;
    for repo in 0..48 {
        let repo_dir = root.join(format!("repo{repo:02}"));
        // Reusable modules, then environments that call them.
        for m in 0..20 {
            bytes += module_files(&mut rng, &repo_dir.join(format!("modules/m{m}")), &[])?;
            modules += 1;
        }
        for e in 0..40 {
            let calls: Vec<String> = (0..3).map(|_| format!("../../modules/m{}", rng.below(20))).collect();
            bytes += module_files(&mut rng, &repo_dir.join(format!("envs/e{e}")), &calls)?;
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
