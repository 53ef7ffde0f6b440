//! A rule file, and the rules it defines run on a small configuration. The checks are in `common.rs`.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check_rule(data));
