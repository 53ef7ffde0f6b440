//! The `tfcheck` binary: everything is in the library; this maps the outcome to an exit code.

fn main() {
    std::process::exit(tfcheck::cli::main());
}
