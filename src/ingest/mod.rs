//! What arrives from other servers: cleaned once, at the boundary, and the bounded caches
//! that keep it.

pub mod cache;
pub mod sanitize;
