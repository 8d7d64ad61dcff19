//! Lists for municipal websites to embed in an `<iframe>`: the upcoming events and open
//! calls (on one topic with `?topic=`), framed only by the origins in
//! `embed.allowed_origins`. Their JSON twins are the API's (`api::embed`).

use activitypub_federation::config::Data;
use actix_web::{http::header, web, HttpResponse};
use askama::Template;

use crate::{
    domain::post::PostKind,
    error::{AppError, AppResult},
    service::posts::{self, EmbedQuery},
    state::AppState,
    web::{pages::PostItem, site::Site},
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/embed/events", web::get().to(http_get_events))
        .route("/embed/calls", web::get().to(http_get_calls));
}

#[derive(Template)]
#[template(path = "embed.html")]
struct EmbedPage {
    site: Site,
    heading: String,
    empty: &'static str,
    items: Vec<PostItem>,
    /// The full list on this instance.
    more_url: String,
}

async fn http_get_events(
    query: web::Query<EmbedQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    embed(data, PostKind::Event, query.into_inner()).await
}

async fn http_get_calls(
    query: web::Query<EmbedQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    embed(data, PostKind::Call, query.into_inner()).await
}

async fn embed(data: Data<AppState>, kind: PostKind, query: EmbedQuery) -> AppResult<HttpResponse> {
    let views = posts::embedded(&data, kind, &query).await?;
    let (heading, empty, path) = match kind {
        PostKind::Event => ("Upcoming events", "No upcoming events.", "/events"),
        _ => ("Open calls", "No open calls.", "/calls"),
    };
    let topic = query.topic();
    let heading = match &topic {
        Some(topic) => format!("{heading}: #{topic}"),
        None => heading.to_string(),
    };
    let more_path = match &topic {
        Some(topic) => format!("/topics/{topic}"),
        None => path.to_string(),
    };
    let page = EmbedPage {
        site: Site::new(&data, path).await?,
        heading,
        empty,
        items: views.iter().map(|v| PostItem::new(v, &data)).collect(),
        more_url: data
            .urls
            .base()
            .join(&more_path)
            .map_or_else(|_| more_path.clone(), |url| url.to_string()),
    };
    let html = page
        .render()
        .map_err(|e| AppError::other(anyhow::anyhow!("template: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            format!(
                "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
                 frame-ancestors {}",
                frame_ancestors(&data.settings.embed.origins())
            ),
        ))
        .insert_header((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(html))
}

/// The `frame-ancestors` sources: the allowed origins, else none.
fn frame_ancestors(origins: &[String]) -> String {
    if origins.is_empty() {
        "'none'".to_string()
    } else {
        origins.join(" ")
    }
}
