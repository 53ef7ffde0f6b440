//! The parsers alone, at thousands of inputs a second (the `hcl` target scans, at tens): the
//! checks are in `common.rs`.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check_parse(data));
