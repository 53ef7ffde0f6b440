//! The `tfcheck` command: arguments, the run that maps a scan to reports and an exit status,
//! and the terminal's progress line. Everything else is the library.

mod args;
mod progress;
mod run;

pub use run::run;
