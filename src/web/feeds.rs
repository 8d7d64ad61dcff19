//! Feeds: Atom for news, calls and topics; iCalendar for events.

use std::sync::Arc;

use activitypub_federation::config::Data;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;

use crate::{
    db::posts::{Filter, PostView},
    domain::post::{topic_slug, PostKind},
    domain::time::rfc3339_utc,
    error::{AppError, AppResult},
    i18n::Tr,
    service::{
        instance,
        posts::{self, when_and_where},
        timeline::{self, Item},
    },
    state::{AppState, RenderedFeed},
    web::{ical, site::revalidated},
};

/// Entries in a feed.
const FEED_ITEMS: i64 = 50;
/// Events in the calendar feed.
const CALENDAR_ITEMS: i64 = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Before the pages: `/topics/{topic}` would match `x.atom` too.
    cfg.route("/news.atom", web::get().to(http_get_news_atom))
        .route("/calls.atom", web::get().to(http_get_calls_atom))
        .route("/topics/{topic}.atom", web::get().to(http_get_topic_atom))
        .route("/events.ics", web::get().to(http_get_events_ics))
        .route("/events/{id:\\d+}.ics", web::get().to(http_get_event_ics));
}

struct Entry {
    url: String,
    title: String,
    published: String,
    updated: String,
    author: String,
    summary: String,
    content: String,
    topics: Vec<String>,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct AtomFeed {
    id: String,
    title: String,
    page: String,
    updated: String,
    entries: Vec<Entry>,
}

fn atom(
    data: &Data<AppState>,
    path: &str,
    page: &str,
    title: String,
    views: &[PostView],
) -> AppResult<HttpResponse> {
    let entries: Vec<Entry> = views
        .iter()
        .map(|view| {
            let kind = view.kind();
            let mut summary = when_and_where(view, Tr::around(&view.post.language));
            if !view.post.summary.is_empty() {
                summary.push(view.post.summary.clone());
            }
            Entry {
                url: data.urls.post(kind, view.post.id).to_string(),
                title: view.post.title.clone(),
                published: rfc3339_utc(view.post.published),
                updated: rfc3339_utc(view.post.updated),
                author: view.account.display_name_or_username().to_string(),
                summary: summary.join(" · "),
                content: view.post.body_html.clone(),
                topics: view.topics.clone(),
            }
        })
        .collect();
    let updated = views.iter().map(|v| v.post.updated).max();
    render_atom(data, path, page, title, entries, updated)
}

/// Atom of timeline items (local and remote; remote HTML was cleaned when it arrived).
pub fn atom_of_items(
    data: &Data<AppState>,
    path: &str,
    page: &str,
    title: String,
    items: &[Item],
) -> AppResult<HttpResponse> {
    let entries = items
        .iter()
        .map(|item| {
            let tr = Tr::around(item.language.as_deref().unwrap_or_default());
            let mut summary = vec![];
            if let Some(deadline) = item.deadline_human(tr) {
                summary.push(tr.t1("feed-deadline", "deadline", deadline));
            }
            if let Some(start) = item.start_human(tr) {
                summary.push(start);
            }
            if let Some(place) = item.place_line() {
                summary.push(place);
            }
            if !item.summary.is_empty() {
                summary.push(item.summary.clone());
            }
            Entry {
                url: item.url.clone(),
                title: if item.title.is_empty() {
                    tr.t2(
                        "feed-untitled",
                        "kind",
                        tr.t1("kind", "kind", item.kind.as_str()),
                        "handle",
                        &item.author.handle,
                    )
                } else {
                    item.title.clone()
                },
                published: item.published.clone(),
                updated: item.published.clone(),
                author: format!("{} ({})", item.author.name, item.author.handle),
                summary: summary.join(" · "),
                content: if item.sensitive {
                    String::new()
                } else {
                    item.content.clone()
                },
                topics: item.details.topics.clone(),
            }
        })
        .collect();
    let updated = items
        .iter()
        .filter_map(|i| timeline::receive::utc(&i.published))
        .max();
    render_atom(data, path, page, title, entries, updated)
}

fn render_atom(
    data: &Data<AppState>,
    path: &str,
    page: &str,
    title: String,
    entries: Vec<Entry>,
    updated: Option<chrono::NaiveDateTime>,
) -> AppResult<HttpResponse> {
    let updated = rfc3339_utc(updated.unwrap_or_else(crate::db::now));
    let feed = AtomFeed {
        id: data
            .urls
            .base()
            .join(path)
            .map(String::from)
            .unwrap_or_default(),
        page: data
            .urls
            .base()
            .join(page)
            .map(String::from)
            .unwrap_or_default(),
        title,
        updated,
        entries,
    };
    let xml = feed
        .render()
        .map_err(|e| AppError::other(anyhow::anyhow!("feed template: {e}")))?;
    Ok(revalidated(StatusCode::OK, "application/atom+xml; charset=utf-8", &xml).body(xml))
}

async fn http_get_news_atom(data: Data<AppState>) -> AppResult<HttpResponse> {
    let views = posts::latest(&data, PostKind::News, Filter::All, None, FEED_ITEMS).await?;
    atom(
        &data,
        "/news.atom",
        "/news",
        feed_title(&data, "feed-news").await?,
        &views,
    )
}

async fn http_get_calls_atom(data: Data<AppState>) -> AppResult<HttpResponse> {
    let views = posts::latest(&data, PostKind::Call, Filter::All, None, FEED_ITEMS).await?;
    atom(
        &data,
        "/calls.atom",
        "/calls",
        feed_title(&data, "feed-calls").await?,
        &views,
    )
}

async fn http_get_topic_atom(
    topic: web::Path<String>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let topic = topic_slug(&topic);
    if topic.is_empty() {
        return Err(AppError::not_found());
    }
    let views = posts::with_topic(&data, &topic, FEED_ITEMS).await?;
    let title = format!("{}: #{topic}", instance::info(&data).await?.name);
    atom(
        &data,
        &format!("/topics/{topic}.atom"),
        &format!("/topics/{topic}"),
        title,
        &views,
    )
}

/// A feed's title, `message` with the instance's name, in the instance's default language
/// (a feed is one document for every reader).
pub async fn feed_title(data: &Data<AppState>, message: &str) -> AppResult<String> {
    let tr = Tr(data.settings.instance.default_language);
    Ok(tr.t1(message, "instance", &instance::info(data).await?.name))
}

pub fn calendar_response(body: String) -> HttpResponse {
    revalidated(StatusCode::OK, "text/calendar; charset=utf-8", &body).body(body)
}

/// The calendar of every event, rendered again only after a post changed (computing time
/// zones is the costly part of a feed an anonymous visitor can ask for).
async fn http_get_events_ics(data: Data<AppState>) -> AppResult<HttpResponse> {
    const KEY: &str = "/events.ics";
    let post_changes = posts::changes(&data).await?;
    if let Some(feed) = data.rendered_feeds.get(KEY).await {
        if feed.post_changes == post_changes {
            return Ok(calendar_response(feed.body.clone()));
        }
    }
    let views = posts::latest(&data, PostKind::Event, Filter::All, None, CALENDAR_ITEMS).await?;
    let name = feed_title(&data, "feed-events").await?;
    let body = ical::calendar(&views, &data.urls, &name);
    let feed = RenderedFeed {
        post_changes,
        body: body.clone(),
    };
    data.rendered_feeds
        .insert(KEY.to_string(), Arc::new(feed))
        .await;
    Ok(calendar_response(body))
}

async fn http_get_event_ics(id: web::Path<i64>, data: Data<AppState>) -> AppResult<HttpResponse> {
    let view = posts::get(&data, PostKind::Event, id.into_inner()).await?;
    let name = view.post.title.clone();
    Ok(calendar_response(ical::calendar(
        &[view],
        &data.urls,
        &name,
    )))
}
