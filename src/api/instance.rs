//! `/api/v1/instance/stats`: how the in-memory caches are doing (hits, misses, entries),
//! for operators until `/metrics` exists.

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::{
    api::auth::ApiUser,
    error::{AppError, AppResult},
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/instance/stats", web::get().to(http_get_stats));
}

/// Admins only: how busy the instance is is not for every visitor.
async fn http_get_stats(user: ApiUser, data: Data<AppState>) -> AppResult<HttpResponse> {
    if user.0.role != "admin" {
        return Err(AppError::forbidden("error-stats-admins-only"));
    }
    Ok(HttpResponse::Ok().json(json!({ "caches": data.cache_stats() })))
}
