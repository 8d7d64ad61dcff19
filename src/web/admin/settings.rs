//! The instance in the panel (admins): its description (name, description, contact, rules,
//! how posts are federated, federation mode) and its health (the delivery queue, retry
//! now, forgetting dead domains, the caches). Through `service::instance`,
//! `service::health` and `service::domains`.

use activitypub_federation::config::Data;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::{
    after_form, after_form_with, page, require_admin, Chrome, Panel, PanelForm, PanelResult,
    WithCsrf,
};
use crate::{
    domain::moderation::FederationMode,
    i18n::Message,
    service::{
        domains, health,
        instance::{self, InstanceChanges, InstanceInfo},
    },
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/instance", web::get().to(http_get_instance))
        .route("/instance", web::post().to(http_post_instance))
        .route("/health", web::get().to(http_get_health))
        .route("/health/retry", web::post().to(http_post_retry))
        .route("/health/forget", web::post().to(http_post_forget));
}

#[derive(Template)]
#[template(path = "admin/instance.html")]
struct InstancePage {
    chrome: Chrome,
    info: InstanceInfo,
    rules: String,
    allowlist: bool,
}

async fn http_get_instance(panel: Panel, data: Data<AppState>) -> PanelResult {
    require_admin(&panel)?;
    let info = instance::info(&data).await?.as_ref().clone();
    let allowlist = domains::mode(&data).await? == FederationMode::Allowlist;
    let shown_flash = panel.flash.is_some();
    page(
        &InstancePage {
            chrome: Chrome::new(&data, &panel, "instance").await?,
            rules: info.rules.join("\n"),
            info,
            allowlist,
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct InstanceForm {
    csrf: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    rules: String,
    publish_as: String,
    /// Absent (a form of an earlier version): the colour stays as it is.
    accent: Option<String>,
    mode: String,
}

async fn http_post_instance(request: PanelForm<InstanceForm>, data: Data<AppState>) -> PanelResult {
    let staff = require_admin(&request.panel)?;
    let form = request.form;
    let outcome = instance::update(
        &data,
        &staff,
        InstanceChanges {
            name: form.name,
            description: form.description,
            contact: form.contact,
            rules: form.rules,
            publish_as: form.publish_as,
            accent: match form.accent {
                Some(accent) => accent,
                None => instance::info(&data).await?.accent.hex(),
            },
            mode: form.mode,
        },
    )
    .await;
    after_form("/admin/instance", outcome, "panel-flash-instance-saved")
}

#[derive(Template)]
#[template(path = "admin/health.html")]
struct HealthPage {
    chrome: Chrome,
    queue: health::QueueHealth,
}

impl HealthPage {
    /// A cache's hit rate in per cent, when it was asked at all.
    fn hit_rate(stats: &crate::ingest::cache::CacheStats) -> String {
        let asked = stats.hits + stats.misses;
        if asked == 0 {
            return "–".to_string();
        }
        format!("{:.1} %", stats.hits as f64 * 100.0 / asked as f64)
    }
}

async fn http_get_health(panel: Panel, data: Data<AppState>) -> PanelResult {
    let staff = require_admin(&panel)?;
    let queue = health::status(&data, &staff).await?;
    let shown_flash = panel.flash.is_some();
    page(
        &HealthPage {
            chrome: Chrome::new(&data, &panel, "health").await?,
            queue,
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn http_post_retry(request: PanelForm<CsrfForm>, data: Data<AppState>) -> PanelResult {
    let staff = require_admin(&request.panel)?;
    let due = health::retry_now(&data, &staff).await;
    after_form_with("/admin/health", due, |count| {
        Message::new("panel-flash-retry").count("count", *count)
    })
}

#[derive(Deserialize)]
struct DomainForm {
    csrf: String,
    domain: String,
}

with_csrf!(InstanceForm, CsrfForm, DomainForm);

async fn http_post_forget(request: PanelForm<DomainForm>, data: Data<AppState>) -> PanelResult {
    let staff = require_admin(&request.panel)?;
    let domain = request.form.domain;
    let forgotten = domains::forget_dead(&data, &staff, &domain).await;
    after_form_with("/admin/health", forgotten, |count| {
        Message::new("panel-flash-forgotten")
            .arg("domain", &domain)
            .count("count", *count)
    })
}
