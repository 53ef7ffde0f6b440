//! What tfcheck knows of the AWS provider's schema: for each resource and data source type,
//! its nested blocks and its bool and number attributes.
//!
//! Terraform needs the blocks to read JSON syntax (an object may be a block or a map
//! attribute) and to give an absent block the value `[]` rather than null; it converts
//! `"true"` to `true` for a bool attribute before a provider sees it. The facts come from the
//! provider's own schema (`terraform providers schema -json`), generated into
//! `aws_schema.tsv` by `tools/aws-schema/generate.py`: a rule on a new resource type needs no
//! Rust.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A resource block or a data block: the two have separate schemas (`aws_kms_key` is both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Resource,
    Data,
}

/// Primitive attribute types, for the conversions Terraform applies from the schema
/// (`scan_on_push = "true"` is the bool `true` by the time a provider sees it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Primitive {
    Bool,
    Number,
}

/// One type's facts: dotted paths without indexes (`rule.repository_filter`).
#[derive(Default)]
struct TypeSchema {
    blocks: Vec<&'static str>,
    bools: Vec<&'static str>,
    numbers: Vec<&'static str>,
}

const DATA: &str = include_str!("aws_schema.tsv");

/// By type name: the resource's schema and the data source's.
type Schemas = HashMap<&'static str, [Option<TypeSchema>; 2]>;

fn schemas() -> &'static Schemas {
    static MAP: OnceLock<Schemas> = OnceLock::new();
    MAP.get_or_init(|| {
        let list = |s: &'static str| s.split(',').filter(|p| !p.is_empty()).collect::<Vec<_>>();
        let mut map = HashMap::new();
        for line in DATA.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(kind), Some(name)) = (cols.next(), cols.next()) else { continue };
            let mut next = || list(cols.next().unwrap_or(""));
            let (blocks, bools, numbers) = (next(), next(), next());
            let entry: &mut [Option<TypeSchema>; 2] = map.entry(name).or_default();
            entry[usize::from(kind == "data")] = Some(TypeSchema { blocks, bools, numbers });
        }
        map
    })
}

fn schema(mode: Mode, type_name: &str) -> Option<&'static TypeSchema> {
    schemas().get(type_name)?[usize::from(mode == Mode::Data)].as_ref()
}

/// Nested block paths (`rule`, `rule.repository_filter`) of a type.
pub fn nested_blocks(mode: Mode, type_name: &str) -> &'static [&'static str] {
    schema(mode, type_name).map_or(&[], |s| s.blocks.as_slice())
}

/// The type of a bool or number attribute (dotted path without indexes), when known.
pub fn attribute_type(mode: Mode, type_name: &str, path: &str) -> Option<Primitive> {
    let s = schema(mode, type_name)?;
    if s.bools.contains(&path) {
        Some(Primitive::Bool)
    } else if s.numbers.contains(&path) {
        Some(Primitive::Number)
    } else {
        None
    }
}

/// Whether `path` (dotted block path inside the block) names a nested block.
pub fn is_block(mode: Mode, type_name: &str, path: &str) -> bool {
    nested_blocks(mode, type_name).contains(&path)
}

/// Arguments Terraform itself interprets in resource and data blocks.
pub const META_ARGUMENTS: &[&str] = &["count", "for_each", "provider", "depends_on"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_schema_knows_what_the_rules_read() {
        assert!(schemas().len() > 1000, "{} types", schemas().len());
        assert!(is_block(Mode::Resource, "aws_ecr_repository", "encryption_configuration"));
        assert!(is_block(
            Mode::Resource,
            "aws_ecr_replication_configuration",
            "replication_configuration.rule.destination"
        ));
        assert!(is_block(Mode::Data, "aws_iam_policy_document", "statement.principals"));
        assert_eq!(attribute_type(Mode::Resource, "aws_kms_key", "enable_key_rotation"), Some(Primitive::Bool));
        assert_eq!(attribute_type(Mode::Resource, "aws_kms_key", "deletion_window_in_days"), Some(Primitive::Number));
        assert_eq!(
            attribute_type(Mode::Resource, "aws_ecr_repository", "image_scanning_configuration.scan_on_push"),
            Some(Primitive::Bool)
        );
        // The data source of the same name has its own schema.
        assert!(!is_block(Mode::Data, "aws_kms_key", "timeouts"));
        assert!(is_block(Mode::Resource, "aws_kms_key", "timeouts"));
        // Beyond ECR: the key-ownership family's types need no Rust.
        assert!(is_block(Mode::Resource, "aws_dynamodb_table", "server_side_encryption"));
        assert_eq!(attribute_type(Mode::Resource, "aws_sqs_queue", "sqs_managed_sse_enabled"), Some(Primitive::Bool));
        assert!(nested_blocks(Mode::Resource, "aws_not_a_type").is_empty());
    }
}
