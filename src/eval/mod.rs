//! Evaluation of Terraform expressions and modules.

pub mod access;
pub mod budget;
pub mod call;
pub mod calls;
pub mod conditional;
pub mod error;
pub mod expr;
pub mod functions;
pub mod inputs;
pub mod module;
pub mod provenance;
pub mod references;
pub mod resource;
pub mod template;
pub mod types;
