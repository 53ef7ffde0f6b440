//! Inputs: each turns its source into the resource instances the rules see. Terraform
//! configuration (HCL and `.tf.json`, evaluated), plans and states.

pub mod config;
pub mod plan;
pub mod state;
