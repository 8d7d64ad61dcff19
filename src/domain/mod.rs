//! Validated domain types and rules.

pub mod accent;
pub mod account_name;
pub mod moderation;
pub mod post;
pub mod remote;
pub mod time;
