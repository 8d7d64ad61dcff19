//! What arrives from other servers: cleaned once, at the boundary.

pub mod sanitize;
