//! Plans whose keys are known only through chains of references that fan out (see
//! `common::chain_plan`): linear cost, and the `plan` target's checks.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::check_plan_chain(data));
