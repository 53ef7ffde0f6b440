//! Evaluation of Terraform expressions and modules.

pub mod expr;
pub mod functions;
pub mod module;
pub mod provenance;
pub mod types;
