//! Rules as data: loading rule files, and running their checks on resources.

pub mod docs;
pub mod engine;
mod joins;
pub mod load;
pub mod model;
pub mod policy;
pub mod select;

pub use model::{Input, Rule, Severity};
