//! What happens to findings after the rules: ignore comments, the configuration file's
//! reviewed ignores, and baselines.

pub mod baseline;
pub mod ignores;
pub mod scope;
pub mod suppress;
