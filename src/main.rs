//! The `tfcheck` binary: runs the command line and turns its outcome into an exit status
//! (0 clean, 1 findings, 2 errors).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

// glibc's allocator grows a worker thread's heap one mprotect at a time (150,000 system calls
// on a large scan); mimalloc does not, and is faster across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
