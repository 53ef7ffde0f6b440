//! tfcheck: a Terraform security analyzer. Loads HCL and plans, evaluates them the way
//! Terraform does, runs rules written as data, and reports findings.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod diag;
pub mod eval;
pub mod finding;
pub mod hcl;
pub mod instance;
pub mod json;
pub mod loader;
pub mod parallel;
pub mod plan;
pub mod progress;
pub mod report;
pub mod rules;
pub mod scan;
pub mod schema;
pub mod settings;
pub mod source;
pub mod state;
pub mod suppress;
pub mod value;
pub mod workspace;
