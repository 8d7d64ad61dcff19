//! Integration tests: one binary, one module per feature. Every test runs against SQLite,
//! or against PostgreSQL when MUNIFED_TEST_DATABASE_URL is set (CI runs both).
#![allow(clippy::unwrap_used)]

mod authorized_fetch;
mod backup;
mod bad_input;
mod browser;
mod cli;
mod crash;
mod delivery;
mod discovery;
mod embed;
mod feeds;
mod fixtures;
mod follow;
mod helpers;
mod i18n;
mod layering;
mod media;
mod metrics;
mod moderation;
mod moving;
mod openapi;
mod panel;
mod panel_instance;
mod panel_posts;
mod postgres;
mod production_guards;
mod properties;
mod public_site;
mod publishing;
mod relays;
mod reports;
mod signatures;
mod storage;
mod timeline;
