//! Validated domain types and rules.

pub mod account_name;
