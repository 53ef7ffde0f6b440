//! Reading Terraform's two syntaxes (native HCL and JSON) into one syntax tree.

pub mod ast;
pub mod parser;
pub mod tfjson;
