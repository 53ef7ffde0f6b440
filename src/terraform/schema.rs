//! What tfcheck knows of provider schemas: which names inside a resource are nested blocks.
//!
//! Terraform needs this to read JSON syntax (an object may be a block or a map attribute) and
//! to give an absent block the value `[]` rather than null. tfcheck has no provider schemas,
//! so it keeps the block names of the resource types its rules inspect.

/// Nested block paths (`rule`, `rule.repository_filter`) of a resource type.
pub fn nested_blocks(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "aws_ecr_repository" => &["encryption_configuration", "image_scanning_configuration", "timeouts"],
        "aws_ecr_repository_creation_template" => &["encryption_configuration"],
        "aws_ecr_registry_scanning_configuration" => &["rule", "rule.repository_filter"],
        "aws_ecr_replication_configuration" => &[
            "replication_configuration",
            "replication_configuration.rule",
            "replication_configuration.rule.destination",
            "replication_configuration.rule.repository_filter",
        ],
        "aws_ecr_pull_through_cache_rule" => &[],
        "aws_kms_key" | "aws_kms_replica_key" | "aws_kms_external_key" => &["timeouts"],
        "aws_iam_policy_document" => {
            &["statement", "statement.principals", "statement.not_principals", "statement.condition"]
        }
        _ => &[],
    }
}

/// Primitive attribute types, for the conversions Terraform applies from the schema
/// (`scan_on_push = "true"` is the bool `true` by the time a provider sees it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Primitive {
    Bool,
    Number,
}

/// The type of a bool or number attribute (dotted path without indexes), when known.
pub fn attribute_type(resource_type: &str, path: &str) -> Option<Primitive> {
    use Primitive::*;
    let t = match (resource_type, path) {
        ("aws_ecr_repository", "force_delete") => Bool,
        ("aws_ecr_repository", "image_scanning_configuration.scan_on_push") => Bool,
        (
            "aws_kms_key" | "aws_kms_replica_key" | "aws_kms_external_key",
            "enable_key_rotation" | "is_enabled" | "multi_region" | "bypass_policy_lockout_safety_check",
        ) => Bool,
        (
            "aws_kms_key" | "aws_kms_replica_key" | "aws_kms_external_key",
            "deletion_window_in_days" | "rotation_period_in_days",
        ) => Number,
        ("aws_kms_key_policy", "bypass_policy_lockout_safety_check") => Bool,
        _ => return None,
    };
    Some(t)
}

/// Whether `path` (dotted block path inside the resource) names a nested block.
pub fn is_block(resource_type: &str, path: &str) -> bool {
    nested_blocks(resource_type).contains(&path)
}

/// Arguments Terraform itself interprets in resource and data blocks.
pub const META_ARGUMENTS: &[&str] = &["count", "for_each", "provider", "depends_on"];
