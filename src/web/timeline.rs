//! The shared timeline as a page (`/timeline`, filters as links and a plain form) and as
//! Atom (`/timeline.atom`, same filters); the network's upcoming events and open calls.

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::{
    domain::remote::ITEM_KINDS,
    error::AppResult,
    service::{
        instance,
        timeline::{self, Filters, Item, NETWORK_ITEMS},
    },
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
    kinds: Vec<(&'static str, String, bool)>,
    kind_names: [&'static str; 4],
    filters: Filters,
    items: &'a [Item],
    empty: &'static str,
    next: Option<String>,
    feed: Option<String>,
}

async fn http_get_timeline(
    query: web::Query<Filters>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let filters = query.into_inner();
    let page = timeline::page(&data, &filters).await?;
    let first = filters.first_page();
    let kinds = std::iter::once(("All", None))
        .chain([
            ("News", Some("news")),
            ("Calls", Some("call")),
            ("Events", Some("event")),
            ("Notes", Some("note")),
        ])
        .map(|(label, kind)| {
            let link = Filters {
                kind: kind.map(str::to_string),
                ..first.clone()
            };
            let current = first.kind.as_deref().filter(|k| !k.is_empty()) == kind;
            (label, format!("/timeline{}", link.query_string()), current)
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
        site: Site::new(&data, "/timeline").await?,
        heading: "Network timeline".to_string(),
        show_filters: true,
        kinds,
        kind_names: ITEM_KINDS,
        feed: Some(format!("/timeline.atom{}", first.query_string())),
        filters: first,
        items: &page.items,
        empty: "Nothing yet: news, calls and events of the accounts this instance follows, \
                and its own, appear here.",
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
    let title = format!("{}: network timeline", instance::info(&data).await?.name);
    feeds::atom_of_items(&data, &path, "/timeline", title, &page.items)
}

/// The network's lists, as tabs: (label, link).
const NETWORK_TABS: [(&str, &str); 2] = [
    ("Upcoming events", "/network/events"),
    ("Open calls", "/network/calls"),
];

async fn network_page(
    data: &Data<AppState>,
    path: &'static str,
    heading: &'static str,
    items: &[Item],
    empty: &'static str,
    feed: Option<String>,
) -> AppResult<HttpResponse> {
    let kinds = NETWORK_TABS
        .into_iter()
        .map(|(label, link)| (label, link.to_string(), link == path))
        .collect();
    render(&TimelinePage {
        site: Site::new(data, path).await?,
        heading: heading.to_string(),
        show_filters: false,
        kinds,
        kind_names: ITEM_KINDS,
        filters: Filters::default(),
        items,
        empty,
        next: None,
        feed,
    })
}

async fn http_get_network_events(data: Data<AppState>) -> AppResult<HttpResponse> {
    let page = timeline::network_events(&data, NETWORK_ITEMS).await?;
    network_page(
        &data,
        "/network/events",
        "Upcoming events in the network",
        &page.items,
        "No upcoming events: events published here or by the accounts this instance follows \
         appear here, soonest first.",
        Some("/network/events.ics".to_string()),
    )
    .await
}

async fn http_get_network_events_ics(data: Data<AppState>) -> AppResult<HttpResponse> {
    let page = timeline::network_events(&data, NETWORK_ITEMS).await?;
    let name = format!(
        "{}: events in the network",
        instance::info(&data).await?.name
    );
    Ok(feeds::calendar_response(ical::network_calendar(
        &page.items,
        &name,
    )))
}

async fn http_get_network_calls(data: Data<AppState>) -> AppResult<HttpResponse> {
    let page = timeline::network_calls(&data, NETWORK_ITEMS).await?;
    network_page(
        &data,
        "/network/calls",
        "Open calls in the network",
        &page.items,
        "No open calls: calls published here or by the accounts this instance follows appear \
         here, closing first.",
        Some("/network/calls.atom".to_string()),
    )
    .await
}

async fn http_get_network_calls_atom(data: Data<AppState>) -> AppResult<HttpResponse> {
    let page = timeline::network_calls(&data, NETWORK_ITEMS).await?;
    let title = format!(
        "{}: open calls in the network",
        instance::info(&data).await?.name
    );
    feeds::atom_of_items(
        &data,
        "/network/calls.atom",
        "/network/calls",
        title,
        &page.items,
    )
}
