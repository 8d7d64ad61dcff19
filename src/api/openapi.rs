//! `/api/v1/openapi.json`: the API described in OpenAPI 3.1, written by hand beside the
//! handlers (`openapi.json`); `tests/it/openapi.rs` checks that it names every route and
//! that real answers match its schemas.

use actix_web::{http::header, web, HttpResponse};

const DOCUMENT: &str = include_str!("openapi.json");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/openapi.json", web::get().to(http_get_openapi));
}

async fn http_get_openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        // A public, unchanging document: API tools running in a browser may read it.
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(DOCUMENT)
}
