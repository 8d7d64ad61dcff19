//! The embeddable lists as JSON (`/embed/events.json`, `/embed/calls.json`), readable by
//! the scripts of the websites in `embed.allowed_origins` (CORS). Public: what they list
//! is on the public pages too.

use activitypub_federation::config::Data;
use actix_web::{http::header, web, HttpRequest, HttpResponse};

use crate::{
    api::posts::PostResponse,
    domain::post::PostKind,
    error::AppResult,
    service::posts::{self, EmbedQuery},
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/embed/events.json", web::get().to(http_get_events))
        .route("/embed/calls.json", web::get().to(http_get_calls));
}

async fn http_get_events(
    req: HttpRequest,
    query: web::Query<EmbedQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    embed(req, data, PostKind::Event, query.into_inner()).await
}

async fn http_get_calls(
    req: HttpRequest,
    query: web::Query<EmbedQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    embed(req, data, PostKind::Call, query.into_inner()).await
}

async fn embed(
    req: HttpRequest,
    data: Data<AppState>,
    kind: PostKind,
    query: EmbedQuery,
) -> AppResult<HttpResponse> {
    let views = posts::embedded(&data, kind, &query).await?;
    let items: Vec<PostResponse> = views.iter().map(|v| PostResponse::new(v, &data)).collect();
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        // The answer differs by origin: caches keep one per origin.
        .insert_header((header::VARY, "Origin"));
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|origin| data.settings.embed.allows(origin));
    if let Some(origin) = origin {
        response.insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin));
    }
    Ok(response.json(serde_json::json!({ "items": items })))
}
