//! Objects: conversions between our rows and their ActivityPub form.

pub mod actor;
pub mod post;
pub mod remote_post;
