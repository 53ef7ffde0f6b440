//! The integration tests, in one binary (one link instead of one per file): each module is
//! one area, and each fixture under `testdata/` is a test of its own (`cargo test --test it
//! fixtures::hcl::eval_count_two`).

mod action;
mod architecture;
mod attack_eval;
mod attack_output;
mod attack_reads;
mod cli;
mod corpus;
mod docs;
mod fix;
mod fixtures;
mod fuzz_regressions;
mod hostile;
mod in_memory;
mod migrate;
mod oracle;
mod rule_examples;
mod ux;
mod workflow;
