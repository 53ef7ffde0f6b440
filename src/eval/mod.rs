//! Evaluation of Terraform expressions and modules.

pub mod calls;
pub mod expr;
pub mod functions;
pub mod inputs;
pub mod module;
pub mod provenance;
pub mod references;
pub mod resource;
pub mod types;
