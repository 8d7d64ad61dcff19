//! Use-cases shared by the CLI, the HTTP API, the admin panel and federation.

pub mod accounts;
pub mod follow;
pub mod posts;
pub mod timeline;
pub mod users;
