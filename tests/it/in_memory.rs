//! Scanning configuration and plans held in memory (what the fuzz targets and embedders use).

use tfcheck::{EvalOptions, ScanOptions, load_rules, scan_in_memory, scan_plan_text};

#[test]
fn configuration_in_memory() {
    let rules = load_rules(&ScanOptions::default()).unwrap();
    let files = [
        (
            "main.tf",
            "variable \"enc\" {}\nresource \"aws_ecr_repository\" \"r\" {\n  name = \"r\"\n  image_tag_mutability = \"IMMUTABLE\"\n  encryption_configuration {\n    encryption_type = var.enc\n  }\n}\n",
        ),
        ("terraform.tfvars", "enc = \"AES256\"\n"),
    ];
    let r = scan_in_memory(&files, &rules, &EvalOptions::default());
    let found: Vec<(&str, &str)> = r.findings.iter().map(|f| (f.rule.id.as_str(), f.address.as_str())).collect();
    assert!(found.contains(&("ecr_nocmk", "aws_ecr_repository.r")), "{found:?}");
    assert!(r.findings.iter().any(|f| f.message.contains("set in terraform.tfvars")));
    assert!(r.diagnostics.is_empty());
}

#[test]
fn plan_in_memory() {
    let rules = load_rules(&ScanOptions::default()).unwrap();
    let plan = r#"{"format_version": "1.2", "resource_changes": [{"address": "aws_ecr_repository.r", "mode": "managed", "type": "aws_ecr_repository", "name": "r", "change": {"actions": ["create"], "after": {"name": "r", "encryption_configuration": []}}}]}"#;
    let r = scan_plan_text(plan, &rules);
    assert!(r.findings.iter().any(|f| f.rule.id == "ecr_nocmk"));
    let broken = scan_plan_text("{\"format_version\": ", &rules);
    assert_eq!(broken.diagnostics.len(), 1);
}
