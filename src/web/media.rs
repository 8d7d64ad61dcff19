//! `/media/{id}` and `/media/{id}/thumbnail`: remote images served from our own origin
//! (fetched into the cache on first view), so that readers never contact other servers.

use activitypub_federation::config::Data;
use actix_web::{http::header, web, HttpRequest, HttpResponse};

use crate::{
    error::{AppError, AppResult},
    service::media,
    state::AppState,
    web::site::matches_if_none_match,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/media/{id}", web::get().to(http_get_media))
        .route("/media/{id}/thumbnail", web::get().to(http_get_thumbnail));
}

async fn serve(
    request: HttpRequest,
    data: Data<AppState>,
    id: i64,
    thumbnail: bool,
) -> AppResult<HttpResponse> {
    let file = media::file(&data, id, thumbnail).await?;
    let etag = format!("\"{}{}\"", file.sha256, if thumbnail { "-t" } else { "" });
    let unchanged = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        // Answered here rather than by `site::not_modified`, so the file is not read.
        .is_some_and(|v| matches_if_none_match(v, &etag));
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        // The bytes behind an id change only if the cache evicts and refetches them.
        .insert_header((header::CACHE_CONTROL, "public, max-age=604800"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        ));
    if unchanged {
        return Ok(response.finish());
    }
    let bytes = tokio::fs::read(&file.path)
        .await
        .map_err(|_| AppError::not_found())?;
    Ok(response.content_type(file.content_type).body(bytes))
}

async fn http_get_media(
    request: HttpRequest,
    id: web::Path<i64>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    serve(request, data, id.into_inner(), false).await
}

async fn http_get_thumbnail(
    request: HttpRequest,
    id: web::Path<i64>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    serve(request, data, id.into_inner(), true).await
}
