//! Use-cases shared by the CLI, the HTTP API, the admin panel and federation.

pub mod accounts;
pub mod audit;
pub mod domains;
pub mod follow;
pub mod health;
pub mod instance;
pub mod markdown;
pub mod media;
pub mod moderation;
pub mod network;
pub mod posts;
pub mod relays;
pub mod reports;
pub mod sessions;
pub mod timeline;
pub mod users;
