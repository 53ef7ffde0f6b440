//! HCL's native syntax: the syntax tree (shared with `.tf.json`, see
//! `input::config::tfjson`) and its parser.

pub mod ast;
pub mod parser;
