//! Source text and its syntaxes: the source map with byte spans, a span-keeping JSON parser,
//! and Terraform's native and JSON syntaxes read into one syntax tree.

pub mod hcl;
pub mod json;
pub mod source;
