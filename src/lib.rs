//! tfcheck: a Terraform security analyzer. Loads HCL and plans, evaluates them the way
//! Terraform does, runs rules written as data, and reports findings.

pub mod check;
pub mod cli;
pub mod diag;
pub mod eval;
pub mod finding;
pub mod input;
pub mod parallel;
pub mod progress;
pub mod report;
pub mod rules;
pub mod scan;
pub mod settings;
pub mod syntax;
pub mod terraform;
pub mod triage;
pub mod workspace;
