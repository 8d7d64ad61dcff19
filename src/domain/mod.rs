//! Validated domain types and rules.

pub mod account_name;
pub mod post;
pub mod remote;
pub mod time;
