//! The `tfcheck` binary: runs the command line and turns its outcome into an exit status
//! (0 clean, 1 findings, 2 errors).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    no_huge_pages();
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Transparent huge pages cost a short-lived process more than they give: each first touch
/// of one zeroes 2 MiB, most of it never used (on the big corpus, CPU time 2.1-4.3 s with
/// them and 1.7-2.2 s without; peak 250 -> 234 MB; see BENCHMARKS.md).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

// glibc's allocator grows a worker thread's heap one mprotect at a time (150,000 system calls
// on a large scan); mimalloc does not, and is faster across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
