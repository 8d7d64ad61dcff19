//! munifed: a federated ActivityPub server for networks of local governments.

pub mod api;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod federation;
pub mod ingest;
pub mod service;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod urls;
pub mod web;

pub use startup::Application;
