//! tfcheck: a Terraform security analyzer. Loads HCL and plans, evaluates them the way
//! Terraform does, runs rules written as data, and reports findings.

pub mod eval;
pub mod hcl;
pub mod json;
pub mod schema;
pub mod source;
pub mod value;
pub mod config;
pub mod diag;
pub mod loader;
pub mod rules;
pub mod finding;
pub mod scan;
pub mod suppress;
pub mod cli;
pub mod report;
