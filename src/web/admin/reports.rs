//! Reports in the panel (moderators): the open and resolved lists, a report with what it is
//! about, acting from it (remove a post, block the actor, suspend or silence a domain, all
//! through the same services as the moderation pages), resolving it with a note, and
//! reporting a remote post, optionally forwarded to its server.

use activitypub_federation::config::Data;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::{after_form, after_form_with, page, Chrome, Panel, PanelForm, PanelResult, WithCsrf};
use crate::{
    db::reports::DbReport,
    domain::moderation::Severity,
    error::AppError,
    i18n::Message,
    service::{
        reports::{self, ReportAction, ReportDetail},
        users::check_moderator,
    },
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports", web::get().to(http_get_reports))
        .route("/reports", web::post().to(http_post_report))
        .route("/reports/{id}", web::get().to(http_get_report))
        .route("/reports/{id}/act", web::post().to(http_post_act))
        .route("/reports/{id}/resolve", web::post().to(http_post_resolve));
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct ReportsPage {
    chrome: Chrome,
    reports: Vec<DbReport>,
    resolved: bool,
    next: Option<String>,
    prefill: String,
}

#[derive(Deserialize)]
struct ListQuery {
    resolved: Option<String>,
    before: Option<i64>,
    /// A post to report, from a link elsewhere in the panel.
    post: Option<String>,
}

async fn http_get_reports(
    panel: Panel,
    query: web::Query<ListQuery>,
    data: Data<AppState>,
) -> PanelResult {
    let resolved = query.resolved.is_some();
    let reports = reports::list(&data, &panel.session.staff(), resolved, query.before).await?;
    let next = (reports.len() as i64 == reports::PAGE)
        .then(|| reports.last().map(|r| r.id))
        .flatten()
        .map(|before| {
            let which = if resolved { "resolved=1&" } else { "" };
            format!("/admin/reports?{which}before={before}")
        });
    let shown_flash = panel.flash.is_some();
    page(
        &ReportsPage {
            chrome: Chrome::new(&data, &panel, "reports").await?,
            reports,
            resolved,
            next,
            prefill: query.post.clone().unwrap_or_default(),
        },
        shown_flash,
    )
}

#[derive(Template)]
#[template(path = "admin/report.html")]
struct ReportPage {
    chrome: Chrome,
    detail: ReportDetail,
    /// Domains a rule could be set on from here: the reported actor's, and the reporter's
    /// for a report another server sent.
    domains: Vec<String>,
}

async fn http_get_report(panel: Panel, id: web::Path<i64>, data: Data<AppState>) -> PanelResult {
    let detail = reports::get(&data, &panel.session.staff(), *id).await?;
    let domains = reports::domains_of(&detail.report, &data.urls.domain());
    let shown_flash = panel.flash.is_some();
    page(
        &ReportPage {
            chrome: Chrome::new(&data, &panel, "reports").await?,
            detail,
            domains,
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct NewReportForm {
    csrf: String,
    post: String,
    #[serde(default)]
    comment: String,
    forward: Option<String>,
}

async fn http_post_report(request: PanelForm<NewReportForm>, data: Data<AppState>) -> PanelResult {
    let form = request.form;
    let staff = request.panel.session.staff();
    let created = reports::create(
        &data,
        &staff,
        &form.post,
        &form.comment,
        form.forward.is_some(),
    )
    .await;
    let (to, done) = match &created {
        Ok(id) if form.forward.is_some() => (
            format!("/admin/reports/{id}"),
            "panel-flash-reported-forwarded",
        ),
        Ok(id) => (format!("/admin/reports/{id}"), "panel-flash-reported"),
        Err(_) => ("/admin/reports".to_string(), ""),
    };
    after_form(&to, created, done)
}

#[derive(Deserialize)]
struct ActForm {
    csrf: String,
    /// `remove`, `block_actor`, `suspend` or `silence`
    action: String,
    /// The post to remove, or the domain of a rule.
    #[serde(default)]
    target: String,
}

async fn http_post_act(
    request: PanelForm<ActForm>,
    id: web::Path<i64>,
    data: Data<AppState>,
) -> PanelResult {
    let staff = request.panel.session.staff();
    // An editor gets 403, not a message on the page.
    check_moderator(&staff)?;
    let form = request.form;
    let action = match form.action.as_str() {
        "remove" => Ok(ReportAction::Remove(form.target)),
        "block_actor" => Ok(ReportAction::BlockActor),
        "silence" => Ok(ReportAction::Restrict(form.target, Severity::Silence)),
        "suspend" => Ok(ReportAction::Restrict(form.target, Severity::Suspend)),
        _ => Err(AppError::invalid("action", "error-report-action")),
    };
    let outcome = match action {
        Ok(action) => reports::act(&data, &staff, *id, action).await,
        Err(e) => Err(e),
    };
    after_form_with(&format!("/admin/reports/{id}"), outcome, Message::clone)
}

#[derive(Deserialize)]
struct ResolveForm {
    csrf: String,
    #[serde(default)]
    note: String,
}

with_csrf!(NewReportForm, ActForm, ResolveForm);

async fn http_post_resolve(
    request: PanelForm<ResolveForm>,
    id: web::Path<i64>,
    data: Data<AppState>,
) -> PanelResult {
    let staff = request.panel.session.staff();
    let resolved = reports::resolve(&data, &staff, *id, &request.form.note).await;
    after_form(
        &format!("/admin/reports/{id}"),
        resolved,
        "panel-flash-report-resolved",
    )
}
