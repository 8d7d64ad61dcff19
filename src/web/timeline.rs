//! The shared timeline as a page (`/timeline`, filters as links and a plain form) and as
//! Atom (`/timeline.atom`, same filters); the network's upcoming events and open calls.

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::{
    domain::remote::ITEM_KINDS,
    error::AppResult,
    i18n::Tr,
    service::timeline::{self, Filters, Item, NETWORK_ITEMS},
    state::AppState,
    web::{
        feeds, ical,
        site::{render, Site},
    },
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/timeline", web::get().to(http_get_timeline))
        .route("/timeline.atom", web::get().to(http_get_timeline_atom))
        .route("/network/events", web::get().to(http_get_network_events))
        .route(
            "/network/events.ics",
            web::get().to(http_get_network_events_ics),
        )
        .route("/network/calls", web::get().to(http_get_network_calls))
        .route(
            "/network/calls.atom",
            web::get().to(http_get_network_calls_atom),
        );
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage<'a> {
    site: Site,
    heading: String,
    show_filters: bool,
    /// (label, link, current)
    kinds: Vec<(String, String, bool)>,
    kind_names: [&'static str; 4],
    filters: Filters,
    items: &'a [Item],
    empty: String,
    next: Option<String>,
    feed: Option<String>,
}

async fn http_get_timeline(
    query: web::Query<Filters>,
    data: Data<AppState>,
    tr: Tr,
) -> AppResult<HttpResponse> {
    let filters = query.into_inner();
    let page = timeline::page(&data, &filters).await?;
    let first = filters.first_page();
    let kinds = std::iter::once(("timeline-all", None))
        .chain([
            ("nav-news", Some("news")),
            ("nav-calls", Some("call")),
            ("nav-events", Some("event")),
            ("timeline-notes", Some("note")),
        ])
        .map(|(label, kind)| {
            let link = Filters {
                kind: kind.map(str::to_string),
                ..first.clone()
            };
            let current = first.kind.as_deref().filter(|k| !k.is_empty()) == kind;
            (
                tr.t(label),
                format!("/timeline{}", link.query_string()),
                current,
            )
        })
        .collect();
    let next = page.next.as_ref().map(|cursor| {
        let next = Filters {
            max_id: Some(cursor.clone()),
            ..first.clone()
        };
        format!("/timeline{}", next.query_string())
    });
    render(&TimelinePage {
        site: Site::new(&data, "/timeline", tr).await?,
        heading: tr.t("timeline-heading"),
        show_filters: true,
        kinds,
        kind_names: ITEM_KINDS,
        feed: Some(format!("/timeline.atom{}", first.query_string())),
        filters: first,
        items: &page.items,
        empty: tr.t("timeline-empty"),
        next,
    })
}

async fn http_get_timeline_atom(
    query: web::Query<Filters>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let filters = query.into_inner().first_page();
    let page = timeline::page(&data, &filters).await?;
    let path = format!("/timeline.atom{}", filters.query_string());
    let title = feeds::feed_title(&data, "feed-timeline").await?;
    feeds::atom_of_items(&data, &path, "/timeline", title, &page.items)
}

/// The network's lists, as tabs: (message, link).
const NETWORK_TABS: [(&str, &str); 2] = [
    ("list-upcoming-events", "/network/events"),
    ("list-open-calls", "/network/calls"),
];

/// A list of the network; `heading` and `empty` are messages.
async fn network_page(
    data: &Data<AppState>,
    tr: Tr,
    path: &'static str,
    heading: &'static str,
    items: &[Item],
    empty: &'static str,
    feed: Option<String>,
) -> AppResult<HttpResponse> {
    let kinds = NETWORK_TABS
        .into_iter()
        .map(|(label, link)| (tr.t(label), link.to_string(), link == path))
        .collect();
    render(&TimelinePage {
        site: Site::new(data, path, tr).await?,
        heading: tr.t(heading),
        show_filters: false,
        kinds,
        kind_names: ITEM_KINDS,
        filters: Filters::default(),
        items,
        empty: tr.t(empty),
        next: None,
        feed,
    })
}

async fn http_get_network_events(data: Data<AppState>, tr: Tr) -> AppResult<HttpResponse> {
    let page = timeline::network_events(&data, NETWORK_ITEMS).await?;
    network_page(
        &data,
        tr,
        "/network/events",
        "network-events-heading",
        &page.items,
        "network-events-empty",
        Some("/network/events.ics".to_string()),
    )
    .await
}

async fn http_get_network_events_ics(data: Data<AppState>) -> AppResult<HttpResponse> {
    let page = timeline::network_events(&data, NETWORK_ITEMS).await?;
    let name = feeds::feed_title(&data, "feed-network-events").await?;
    Ok(feeds::calendar_response(ical::network_calendar(
        &page.items,
        &name,
    )))
}

async fn http_get_network_calls(data: Data<AppState>, tr: Tr) -> AppResult<HttpResponse> {
    let page = timeline::network_calls(&data, NETWORK_ITEMS).await?;
    network_page(
        &data,
        tr,
        "/network/calls",
        "network-calls-heading",
        &page.items,
        "network-calls-empty",
        Some("/network/calls.atom".to_string()),
    )
    .await
}

async fn http_get_network_calls_atom(data: Data<AppState>) -> AppResult<HttpResponse> {
    let page = timeline::network_calls(&data, NETWORK_ITEMS).await?;
    let title = feeds::feed_title(&data, "feed-network-calls").await?;
    feeds::atom_of_items(
        &data,
        "/network/calls.atom",
        "/network/calls",
        title,
        &page.items,
    )
}
