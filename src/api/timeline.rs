//! `/api/v1/timeline` (the shared timeline, filtered, paged by a cursor with a `Link`
//! header as Mastodon's API does), `/api/v1/network/events` and `/api/v1/network/calls`.
//! Public reads, like the pages.

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};

use crate::{
    error::AppResult,
    service::timeline::{self, Filters, NETWORK_ITEMS},
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Before `/api/v1/{kind}`, which would match these too.
    cfg.route("/api/v1/timeline", web::get().to(http_get_timeline))
        .route("/api/v1/network/events", web::get().to(http_get_events))
        .route("/api/v1/network/calls", web::get().to(http_get_calls));
}

async fn http_get_timeline(
    query: web::Query<Filters>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let filters = query.into_inner();
    let page = timeline::page(&data, &filters).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next {
        let next = Filters {
            max_id: Some(cursor.clone()),
            ..filters.first_page()
        };
        let url = data
            .urls
            .base()
            .join(&format!("/api/v1/timeline{}", next.query_string()));
        if let Ok(url) = url {
            response.insert_header(("Link", format!("<{url}>; rel=\"next\"")));
        }
    }
    Ok(response.json(&page.items))
}

async fn http_get_events(data: Data<AppState>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(&timeline::network_events(&data, NETWORK_ITEMS).await?.items))
}

async fn http_get_calls(data: Data<AppState>) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(&timeline::network_calls(&data, NETWORK_ITEMS).await?.items))
}
