//! `/api/v1/instance/stats`: how the in-memory caches are doing (hits, misses, entries),
//! for operators until `/metrics` exists.

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/instance/stats", web::get().to(http_get_stats));
}

async fn http_get_stats(data: Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "caches": data.cache_stats() }))
}
