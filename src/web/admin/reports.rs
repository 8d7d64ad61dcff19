//! Reports in the panel (moderators): the open and resolved lists, a report with what it is
//! about, acting from it (remove a post, block the actor, suspend or silence a domain, all
//! through the same services as the moderation pages), resolving it with a note, and
//! reporting a remote post, optionally forwarded to its server.

use activitypub_federation::config::Data;
use actix_web::web;
use askama::Template;
use serde::Deserialize;
use url::Url;

use super::{after_form, page, Chrome, Panel, PanelForm, PanelResult, WithCsrf};
use crate::{
    db::reports::DbReport,
    domain::moderation::Severity,
    error::AppError,
    service::{
        domains::{self, RuleInput},
        moderation,
        reports::{self, ReportDetail},
        users::check_moderator,
    },
    state::AppState,
    urls::host_and_port,
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

/// The remote domains a report's actions may concern.
fn domains_of(detail: &ReportDetail, ours: &str) -> Vec<String> {
    let mut domains = vec![];
    let mut add = |id: &str| {
        if let Ok(url) = Url::parse(id) {
            let domain = host_and_port(&url);
            if domain != ours && !domains.contains(&domain) {
                domains.push(domain);
            }
        }
    };
    add(&detail.report.target_actor);
    if detail.report.incoming {
        add(&detail.report.reporter);
    }
    domains
}

async fn http_get_report(panel: Panel, id: web::Path<i64>, data: Data<AppState>) -> PanelResult {
    let detail = reports::get(&data, &panel.session.staff(), *id).await?;
    let domains = domains_of(&detail, &data.urls.domain());
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
            "Reported, and sent to its server.",
        ),
        Ok(id) => (format!("/admin/reports/{id}"), "Reported."),
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
    check_moderator(&staff)?;
    let detail = reports::get(&data, &staff, *id).await?;
    let form = request.form;
    let why = format!("report {}", detail.report.id);
    // Only what the report is about may be acted on from it.
    let outcome: Result<String, AppError> = match form.action.as_str() {
        "remove" if detail.report.object_ids().contains(&form.target) => {
            moderation::remove_post(&data, &staff, &form.target, &why)
                .await
                .map(|()| "The post is removed.".to_string())
        }
        "block_actor" if !detail.about_us() => {
            moderation::block_actor(&data, &staff, &detail.report.target_actor, &why)
                .await
                .map(|actor| format!("{actor} is blocked."))
        }
        "suspend" | "silence"
            if domains_of(&detail, &data.urls.domain()).contains(&form.target) =>
        {
            let severity = if form.action == "suspend" {
                Severity::Suspend
            } else {
                Severity::Silence
            };
            domains::set_rule(
                &data,
                &staff,
                RuleInput {
                    domain: form.target.clone(),
                    severity,
                    reject_media: false,
                    reject_reports: false,
                    public_comment: String::new(),
                    private_comment: why.clone(),
                    obfuscate: false,
                },
            )
            .await
            .map(|rule| format!("{} is {}.", rule.domain, past_tense(severity)))
        }
        _ => Err(AppError::bad_request(
            "this action does not apply to what the report is about",
        )),
    };
    let done = outcome.as_ref().cloned().unwrap_or_default();
    after_form(
        &format!("/admin/reports/{}", detail.report.id),
        outcome,
        &done,
    )
}

fn past_tense(severity: Severity) -> &'static str {
    match severity {
        Severity::Suspend => "suspended",
        Severity::Silence => "silenced",
        Severity::Noop => "left as is",
    }
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
        "The report is resolved.",
    )
}
