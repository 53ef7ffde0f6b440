//! `terraform.tfvars` for a fixed configuration with typed variables. The checks are in `common.rs`.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check_tfvars(data));
