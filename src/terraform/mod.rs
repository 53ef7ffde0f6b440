//! Terraform's model, independent of how it was read: values, addresses, the configuration
//! (modules, variables, resources, calls), resource instances as rules see them, and the
//! schema facts tfcheck needs.

pub mod addr;
pub mod config;
pub mod instance;
pub mod schema;
pub mod value;
