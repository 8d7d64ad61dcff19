//! munifed: a federated ActivityPub server for networks of local governments.
//!
//! Layers, each depending only on the ones before it (`tests/it/layering.rs` checks it):
//!
//! - `domain`: validated types and rules (posts, deadlines, time zones, account names).
//! - `error`, `urls`, `ingest`, `crypto`, `metrics`: the one error type; every local URL;
//!   the one HTML sanitiser policy; RSA signatures; the Prometheus counters.
//! - `db`: the pool over SQLite or PostgreSQL, migrations, one module per table group.
//! - `config`: settings from files and the environment, validated once (the database URL
//!   by `db`'s own parser).
//! - `service` (with `state`, its context): the use cases shared by the API, the pages,
//!   the CLI and federation. A use case that must tell other servers something returns an
//!   `Outbound` event with its change (`service::network::commit`); it never builds
//!   ActivityPub itself.
//! - `federation`, `api`, `web`, `cli`: the ways in. `federation` implements
//!   `service::network::Network` (activities, delivery queue, actor lookups) and may call
//!   services; of the four only `cli` names another (it runs the delivery queue).
//! - `startup`, `telemetry`: wiring, the HTTP server, logging.

pub mod api;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod error;
pub mod federation;
pub mod i18n;
pub mod ingest;
pub mod metrics;
pub mod service;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod urls;
pub mod web;

pub use startup::Application;
