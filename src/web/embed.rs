//! Lists for municipal websites to embed in an `<iframe>`: the upcoming events and open
//! calls (on one topic with `?topic=`), framed only by the origins in
//! `embed.allowed_origins`. Their JSON twins are the API's (`api::embed`).

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::{
    domain::post::PostKind,
    error::AppResult,
    i18n::Tr,
    service::posts::{self, EmbedQuery},
    state::AppState,
    web::{
        pages::PostItem,
        site::{render_framed, Site},
    },
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
    empty: String,
    items: Vec<PostItem>,
    /// The full list on this instance.
    more_url: String,
}

async fn http_get_events(
    query: web::Query<EmbedQuery>,
    data: Data<AppState>,
    tr: Tr,
) -> AppResult<HttpResponse> {
    embed(data, tr, PostKind::Event, query.into_inner()).await
}

async fn http_get_calls(
    query: web::Query<EmbedQuery>,
    data: Data<AppState>,
    tr: Tr,
) -> AppResult<HttpResponse> {
    embed(data, tr, PostKind::Call, query.into_inner()).await
}

async fn embed(
    data: Data<AppState>,
    tr: Tr,
    kind: PostKind,
    query: EmbedQuery,
) -> AppResult<HttpResponse> {
    let views = posts::embedded(&data, kind, &query).await?;
    let (heading, empty) = match kind {
        PostKind::Event => (tr.t("list-upcoming-events"), tr.t("embed-events-empty")),
        _ => (tr.t("list-open-calls"), tr.t("embed-calls-empty")),
    };
    let listing = data.urls.listing(kind);
    let topic = query.topic();
    let page = EmbedPage {
        site: Site::new(&data, listing.path(), tr).await?,
        heading: match &topic {
            Some(topic) => format!("{heading}: #{topic}"),
            None => heading.to_string(),
        },
        empty,
        items: views.iter().map(|v| PostItem::new(v, &data, tr)).collect(),
        more_url: match &topic {
            Some(topic) => data.urls.topic(topic).to_string(),
            None => listing.to_string(),
        },
    };
    let origins = data.settings.embed.origins();
    let frame_ancestors = if origins.is_empty() {
        "'none'".to_string()
    } else {
        origins.join(" ")
    };
    render_framed(&page, &frame_ancestors)
}
