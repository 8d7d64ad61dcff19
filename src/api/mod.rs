//! The JSON API under `/api/v1`, for staff tools and scripts (bearer tokens).

pub mod auth;
pub mod embed;
pub mod follows;
pub mod instance;
pub mod openapi;
pub mod posts;
pub mod relays;
pub mod timeline;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    embed::configure(cfg);
    openapi::configure(cfg);
    follows::configure(cfg);
    instance::configure(cfg);
    relays::configure(cfg);
    timeline::configure(cfg);
    posts::configure(cfg);
}
