//! A `.tf` file scanned with every built-in rule. The checks are in `common.rs`.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check_hcl(data));
