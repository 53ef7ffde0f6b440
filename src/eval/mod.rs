//! Evaluation of Terraform expressions and modules.

#[path = "stub/functions.rs"]
pub mod functions;
#[path = "stub/types.rs"]
pub mod types;
pub mod expr;
pub mod module;
