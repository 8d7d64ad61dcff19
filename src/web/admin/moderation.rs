//! Moderating posts and actors in the panel (moderators): remove a remote post or reply,
//! block or unblock a remote actor. All through `service::moderation`.

use activitypub_federation::config::Data;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::{
    after_form, after_form_with, non_empty, page, Chrome, Panel, PanelForm, PanelResult, WithCsrf,
};
use crate::{
    i18n::Message,
    service::{
        moderation,
        timeline::{self, Filters, Item},
        users::check_moderator,
    },
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/moderation", web::get().to(http_get_moderation))
        .route("/moderation/remove", web::post().to(http_post_remove))
        .route("/moderation/block", web::post().to(http_post_block))
        .route("/moderation/unblock", web::post().to(http_post_unblock))
        .route("/timeline", web::get().to(http_get_timeline));
}

const PAGE: &str = "/admin/moderation";

#[derive(Template)]
#[template(path = "admin/moderation.html")]
struct ModerationPage {
    chrome: Chrome,
    blocked: Vec<(String, String)>,
    page: i64,
    more: bool,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

async fn http_get_moderation(
    panel: Panel,
    query: web::Query<PageQuery>,
    data: Data<AppState>,
) -> PanelResult {
    let page_number = query.page.unwrap_or(1).clamp(1, 100_000);
    let blocked = moderation::blocked_actors(&data, &panel.session.staff(), page_number).await?;
    let shown_flash = panel.flash.is_some();
    page(
        &ModerationPage {
            chrome: Chrome::new(&data, &panel, "moderation").await?,
            more: blocked.len() as i64 == moderation::BLOCKED_PAGE,
            blocked,
            page: page_number,
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct RemoveForm {
    csrf: String,
    post: String,
    #[serde(default)]
    comment: String,
    /// The panel page to go back to (the timeline, a post's replies).
    back: Option<String>,
}

/// `back` when it is a page of the panel, else the moderation page: never elsewhere.
fn back_to(back: Option<&str>) -> &str {
    back.filter(|b| b.starts_with("/admin/") && !b.contains("//") && !b.contains('\\'))
        .unwrap_or(PAGE)
}

#[derive(Deserialize)]
struct ActorForm {
    csrf: String,
    actor: String,
    #[serde(default)]
    comment: String,
}

with_csrf!(RemoveForm, ActorForm);

async fn http_post_remove(request: PanelForm<RemoveForm>, data: Data<AppState>) -> PanelResult {
    let form = request.form;
    let staff = request.panel.session.staff();
    let removed = moderation::remove_post(&data, &staff, &form.post, &form.comment).await;
    after_form(
        back_to(form.back.as_deref()),
        removed,
        "panel-flash-post-removed",
    )
}

async fn http_post_block(request: PanelForm<ActorForm>, data: Data<AppState>) -> PanelResult {
    let form = request.form;
    let staff = request.panel.session.staff();
    let blocked = moderation::block_actor(&data, &staff, &form.actor, &form.comment).await;
    after_form_with(PAGE, blocked, |actor| {
        Message::new("panel-flash-actor-blocked").arg("actor", actor)
    })
}

async fn http_post_unblock(request: PanelForm<ActorForm>, data: Data<AppState>) -> PanelResult {
    let actor = request.form.actor;
    let unblocked = moderation::unblock_actor(&data, &request.panel.session.staff(), &actor).await;
    after_form(
        PAGE,
        unblocked,
        Message::new("panel-flash-actor-unblocked").arg("actor", &actor),
    )
}

#[derive(Template)]
#[template(path = "admin/timeline.html")]
struct TimelinePage {
    chrome: Chrome,
    items: Vec<Item>,
    domain: String,
    next: Option<String>,
    /// This page's own address, to come back to after a removal.
    here: String,
}

#[derive(Deserialize)]
struct TimelineQuery {
    domain: Option<String>,
    max_id: Option<String>,
}

/// The shared timeline as moderators see it: what other servers sent, newest first, each
/// with Remove and Report.
async fn http_get_timeline(
    req: actix_web::HttpRequest,
    panel: Panel,
    query: web::Query<TimelineQuery>,
    data: Data<AppState>,
) -> PanelResult {
    check_moderator(&panel.session.staff())?;
    let domain = query.domain.as_deref().and_then(non_empty);
    let filters = Filters {
        remote: Some(true),
        domain: domain.clone(),
        max_id: query.max_id.clone(),
        ..Filters::default()
    };
    let page_of = timeline::page(&data, &filters).await?;
    let next = page_of.next.as_ref().map(|cursor| {
        let mut link = url::form_urlencoded::Serializer::new(String::new());
        if let Some(domain) = &domain {
            link.append_pair("domain", domain);
        }
        link.append_pair("max_id", cursor);
        format!("/admin/timeline?{}", link.finish())
    });
    let shown_flash = panel.flash.is_some();
    page(
        &TimelinePage {
            chrome: Chrome::new(&data, &panel, "timeline").await?,
            items: page_of.items.clone(),
            here: req.uri().to_string(),
            domain: domain.unwrap_or_default(),
            next,
        },
        shown_flash,
    )
}
