//! The `tfcheck` binary: everything is in the library; this maps the outcome to an exit code.

fn main() {
    std::process::exit(tfcheck::cli::main());
}

// glibc's allocator grows a worker thread's heap one mprotect at a time (150,000 system calls
// on a large scan); mimalloc does not, and is faster across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
