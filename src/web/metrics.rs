//! `GET /metrics`, served on `metrics.bind` only (`startup`): the counters, and the queues,
//! pool and caches as they are at the scrape.

use actix_web::{web, HttpResponse};

use crate::{service::health, state::AppState};

pub async fn http_get_metrics(state: web::Data<AppState>) -> HttpResponse {
    let text = state.metrics.render(health::snapshot(&state).await);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text)
}
