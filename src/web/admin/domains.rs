//! Domain moderation in the panel (moderators; the mode and the allow list: admins):
//! rules, block list import and export, the allow list. All through `service::domains`.

use activitypub_federation::config::Data;
use actix_web::{http::header, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{
    after_form, after_form_with, page, Chrome, Panel, PanelError, PanelForm, PanelResult, WithCsrf,
};
use crate::{
    domain::moderation::{DomainRule, FederationMode, Severity},
    error::AppError,
    i18n::{Message, Tr},
    service::{domains, users::check_moderator},
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/domains", web::get().to(http_get_domains))
        .route("/domains", web::post().to(http_post_rule))
        .route("/domains/unblock", web::post().to(http_post_unblock))
        .route("/domains/import", web::post().to(http_post_import))
        .route("/domains/blocks.csv", web::get().to(http_get_export))
        .route("/domains/mode", web::post().to(http_post_mode))
        .route("/domains/allow", web::post().to(http_post_allow))
        .route("/domains/disallow", web::post().to(http_post_disallow))
        .route("/domains/allowed.txt", web::get().to(http_get_allowed));
}

const PAGE: &str = "/admin/domains";

#[derive(Template)]
#[template(path = "admin/domains.html")]
struct DomainsPage {
    chrome: Chrome,
    mode: &'static str,
    rules: Vec<DomainRule>,
    allowed: Vec<(String, String)>,
    page: i64,
    more: bool,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

async fn http_get_domains(
    panel: Panel,
    query: web::Query<PageQuery>,
    data: Data<AppState>,
) -> PanelResult {
    let staff = panel.session.staff();
    let page_number = query.page.unwrap_or(1);
    let (rules, allowed) = domains::page(&data, &staff, page_number).await?;
    let more = rules.len() as i64 == domains::PAGE || allowed.len() as i64 == domains::PAGE;
    let mode = domains::mode(&data).await?.as_str();
    let shown_flash = panel.flash.is_some();
    page(
        &DomainsPage {
            chrome: Chrome::new(&data, &panel, "domains").await?,
            mode,
            rules,
            allowed,
            page: page_number,
            more,
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct RuleForm {
    csrf: String,
    domain: String,
    severity: String,
    reject_media: Option<String>,
    reject_reports: Option<String>,
    obfuscate: Option<String>,
    #[serde(default)]
    public_comment: String,
    #[serde(default)]
    private_comment: String,
}

#[derive(Deserialize)]
struct DomainForm {
    csrf: String,
    domain: String,
}

#[derive(Deserialize)]
struct ImportForm {
    csrf: String,
    csv: String,
    overwrite: Option<String>,
}

#[derive(Deserialize)]
struct ModeForm {
    csrf: String,
    mode: String,
}

#[derive(Deserialize)]
struct AllowForm {
    csrf: String,
    domains: String,
}

with_csrf!(RuleForm, DomainForm, ImportForm, ModeForm, AllowForm);

async fn http_post_rule(request: PanelForm<RuleForm>, data: Data<AppState>) -> PanelResult {
    let form = request.form;
    let outcome = match Severity::parse(&form.severity) {
        Some(severity) => {
            let input = domains::RuleInput {
                domain: form.domain,
                severity,
                reject_media: form.reject_media.is_some(),
                reject_reports: form.reject_reports.is_some(),
                public_comment: form.public_comment,
                private_comment: form.private_comment,
                obfuscate: form.obfuscate.is_some(),
            };
            domains::set_rule(&data, &request.panel.session.staff(), input).await
        }
        None => Err(AppError::invalid("severity", "error-severity")),
    };
    after_form_with(PAGE, outcome, |rule| {
        Message::new("panel-flash-rule-saved")
            .arg("domain", &rule.domain)
            .arg("severity", rule.severity.as_str())
    })
}

async fn http_post_unblock(request: PanelForm<DomainForm>, data: Data<AppState>) -> PanelResult {
    let domain = request.form.domain;
    let outcome = domains::remove_rule(&data, &request.panel.session.staff(), &domain).await;
    after_form(
        PAGE,
        outcome,
        Message::new("panel-flash-rule-lifted").arg("domain", &domain),
    )
}

async fn http_post_import(request: PanelForm<ImportForm>, data: Data<AppState>) -> PanelResult {
    let outcome = domains::import_rules(
        &data,
        &request.panel.session.staff(),
        &request.form.csv,
        request.form.overwrite.is_some(),
    )
    .await;
    let tr = request.panel.tr;
    after_form_with(PAGE, outcome, |summary| imported(summary, tr))
}

/// "Imported: 3 added, … Lines not read: 4 (…)." The reasons are written in the staff
/// member's language here: the notice holds them as text.
fn imported(summary: &domains::ImportSummary, tr: Tr) -> Message {
    let message = if summary.invalid.is_empty() {
        Message::new("panel-flash-imported")
    } else {
        let lines: Vec<String> = summary
            .invalid
            .iter()
            .take(5)
            .map(|(line, why)| format!("{line} ({})", why.text(tr)))
            .collect();
        Message::new("panel-flash-imported-lines").arg("lines", lines.join(", "))
    };
    message
        .count("added", summary.added)
        .count("updated", summary.updated)
        .count("unchanged", summary.unchanged)
        .count("unread", summary.invalid.len())
}

async fn http_get_export(panel: Panel, data: Data<AppState>) -> PanelResult {
    let csv = domains::export_rules(&data, &panel.session.staff()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"domain_blocks.csv\"",
        ))
        .body(csv))
}

async fn http_post_mode(request: PanelForm<ModeForm>, data: Data<AppState>) -> PanelResult {
    let outcome = match FederationMode::parse(&request.form.mode) {
        Some(mode) => domains::set_mode(&data, &request.panel.session.staff(), mode)
            .await
            .map(|()| mode),
        None => Err(AppError::invalid("mode", "error-federation-mode")),
    };
    let done = match &outcome {
        Ok(FederationMode::Allowlist) => "panel-flash-mode-closed",
        _ => "panel-flash-mode-open",
    };
    after_form(PAGE, outcome, done)
}

async fn http_post_allow(request: PanelForm<AllowForm>, data: Data<AppState>) -> PanelResult {
    let outcome =
        domains::import_allowed(&data, &request.panel.session.staff(), &request.form.domains).await;
    let tr = request.panel.tr;
    after_form_with(PAGE, outcome, |summary| imported(summary, tr))
}

async fn http_post_disallow(request: PanelForm<DomainForm>, data: Data<AppState>) -> PanelResult {
    let domain = request.form.domain;
    let outcome = domains::disallow(&data, &request.panel.session.staff(), &domain).await;
    after_form(
        PAGE,
        outcome,
        Message::new("panel-flash-disallowed").arg("domain", &domain),
    )
}

async fn http_get_allowed(panel: Panel, data: Data<AppState>) -> PanelResult {
    let staff = panel.session.staff();
    check_moderator(&staff).map_err(PanelError)?;
    let text = domains::export_allowed(&data, &staff).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"allowed_domains.txt\"",
        ))
        .body(text))
}
