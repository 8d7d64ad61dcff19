//! Users in the panel (admins): create, change role, disable or enable, and the accounts an
//! editor publishes as. Everything goes through `service::users`, which audits it.

use activitypub_federation::config::Data;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::{after_form, page, require_admin, Chrome, Panel, PanelForm, PanelResult, WithCsrf};
use crate::{
    i18n::Message,
    service::{accounts, users},
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/users", web::get().to(http_get_users))
        .route("/users", web::post().to(http_post_create))
        .route("/users/role", web::post().to(http_post_role))
        .route("/users/disable", web::post().to(http_post_disable))
        .route("/users/enable", web::post().to(http_post_enable))
        .route("/users/grant", web::post().to(http_post_grant))
        .route("/users/revoke", web::post().to(http_post_revoke));
}

struct UserRow {
    email: String,
    role: String,
    accounts: Vec<String>,
    disabled: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserRow>,
    page: i64,
    more: bool,
    roles: &'static [&'static str],
    accounts: Vec<String>,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
}

async fn http_get_users(
    panel: Panel,
    query: web::Query<PageQuery>,
    data: Data<AppState>,
) -> PanelResult {
    let staff = require_admin(&panel)?;
    let page_number = query.page.unwrap_or(1).clamp(1, 100_000);
    let users: Vec<UserRow> = users::list(&data, &staff, page_number)
        .await?
        .into_iter()
        .map(|(user, accounts)| UserRow {
            email: user.email,
            role: user.role,
            accounts,
            disabled: user.disabled_at.is_some(),
        })
        .collect();
    let accounts = accounts::names(&data).await?;
    let shown_flash = panel.flash.is_some();
    page(
        &UsersPage {
            chrome: Chrome::new(&data, &panel, "users").await?,
            more: users.len() as i64 == users::PAGE,
            users,
            page: page_number,
            roles: users::ROLES,
            accounts,
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct NewUser {
    csrf: String,
    email: String,
    role: String,
    password: String,
}

#[derive(Deserialize)]
struct RoleChange {
    csrf: String,
    email: String,
    role: String,
}

#[derive(Deserialize)]
struct UserRef {
    csrf: String,
    email: String,
}

#[derive(Deserialize)]
struct Grant {
    csrf: String,
    email: String,
    account: String,
}

with_csrf!(NewUser, RoleChange, UserRef, Grant);

async fn http_post_create(request: PanelForm<NewUser>, data: Data<AppState>) -> PanelResult {
    let staff = require_admin(&request.panel)?;
    let form = request.form;
    let created = users::create(&data, &staff, &form.email, &form.role, &form.password).await;
    after_form(
        "/admin/users",
        created,
        Message::new("panel-flash-user-created").arg("email", form.email.trim()),
    )
}

async fn http_post_role(request: PanelForm<RoleChange>, data: Data<AppState>) -> PanelResult {
    let staff = require_admin(&request.panel)?;
    let form = request.form;
    let changed = users::set_role(&data, &staff, &form.email, &form.role).await;
    after_form(
        "/admin/users",
        changed,
        Message::new("panel-flash-user-role")
            .arg("email", &form.email)
            .arg("role", &form.role),
    )
}

async fn http_post_disable(request: PanelForm<UserRef>, data: Data<AppState>) -> PanelResult {
    set_disabled(request, data, true).await
}

async fn http_post_enable(request: PanelForm<UserRef>, data: Data<AppState>) -> PanelResult {
    set_disabled(request, data, false).await
}

async fn set_disabled(
    request: PanelForm<UserRef>,
    data: Data<AppState>,
    disabled: bool,
) -> PanelResult {
    let staff = require_admin(&request.panel)?;
    let email = request.form.email;
    let changed = users::set_disabled(&data, &staff, &email, disabled).await;
    let done = if disabled {
        "panel-flash-user-disabled"
    } else {
        "panel-flash-user-enabled"
    };
    after_form(
        "/admin/users",
        changed,
        Message::new(done).arg("email", &email),
    )
}

async fn http_post_grant(request: PanelForm<Grant>, data: Data<AppState>) -> PanelResult {
    let staff = require_admin(&request.panel)?;
    let form = request.form;
    let granted = users::grant_account(&data, &staff, &form.email, &form.account).await;
    after_form(
        "/admin/users",
        granted,
        Message::new("panel-flash-user-granted")
            .arg("email", &form.email)
            .arg("account", &form.account),
    )
}

async fn http_post_revoke(request: PanelForm<Grant>, data: Data<AppState>) -> PanelResult {
    let staff = require_admin(&request.panel)?;
    let form = request.form;
    let revoked = users::revoke_account(&data, &staff, &form.email, &form.account).await;
    after_form(
        "/admin/users",
        revoked,
        Message::new("panel-flash-user-revoked")
            .arg("email", &form.email)
            .arg("account", &form.account),
    )
}
