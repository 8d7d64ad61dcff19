//! Organisation accounts in the panel: the list, a new account (admins), and per account
//! its profile, follow requests, followers and follows (admins, and editors who publish as
//! it). Relays (admins). All through `service::accounts`, `service::follow` and
//! `service::relays`, which check the rights and audit.

use activitypub_federation::config::Data;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::{
    after_form, after_form_with, non_empty, page, Chrome, Panel, PanelForm, PanelResult, WithCsrf,
};
use crate::{
    db::{actors::DbActor, relays::DbRelay},
    error::AppError,
    i18n::Message,
    service::{
        accounts::{self, AccountChanges, AccountSummary, NewAccount},
        follow, relays,
        users::{self, check_admin},
    },
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/accounts", web::get().to(http_get_accounts))
        .route("/accounts", web::post().to(http_post_account))
        .route("/accounts/{name}", web::get().to(http_get_account))
        .route(
            "/accounts/{name}/profile",
            web::post().to(http_post_profile),
        )
        .route(
            "/accounts/{name}/requests",
            web::post().to(http_post_request),
        )
        .route(
            "/accounts/{name}/followers/remove",
            web::post().to(http_post_remove_follower),
        )
        .route("/accounts/{name}/follow", web::post().to(http_post_follow))
        .route(
            "/accounts/{name}/unfollow",
            web::post().to(http_post_unfollow),
        )
        .route("/relays", web::get().to(http_get_relays))
        .route("/relays", web::post().to(http_post_relay))
        .route("/relays/remove", web::post().to(http_post_relay_remove));
}

/// Followers listed on one page of an account.
const FOLLOWERS_PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    chrome: Chrome,
    accounts: Vec<AccountSummary>,
    domain: String,
}

async fn http_get_accounts(panel: Panel, data: Data<AppState>) -> PanelResult {
    let mine = users::publishing_accounts(&data, &panel.session.user).await?;
    let accounts = accounts::list(&data)
        .await?
        .into_iter()
        .filter(|summary| mine.contains(&summary.account.username))
        .collect();
    let shown_flash = panel.flash.is_some();
    page(
        &AccountsPage {
            chrome: Chrome::new(&data, &panel, "accounts").await?,
            accounts,
            domain: data.urls.domain(),
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct NewAccountForm {
    csrf: String,
    name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    summary: String,
    manual_approval: Option<String>,
}

async fn http_post_account(
    request: PanelForm<NewAccountForm>,
    data: Data<AppState>,
) -> PanelResult {
    let form = request.form;
    let name = form.name.trim().to_string();
    let created = accounts::create(
        &data,
        &request.panel.session.staff(),
        NewAccount {
            name: name.clone(),
            display_name: non_empty(&form.display_name),
            summary: non_empty(&form.summary),
            manual_approval: form.manual_approval.is_some(),
            ..NewAccount::default()
        },
    )
    .await;
    let to = match &created {
        Ok(account) => format!("/admin/accounts/{}", account.username),
        Err(_) => "/admin/accounts".to_string(),
    };
    after_form_with(&to, created, |account| {
        Message::new("panel-flash-account-created").arg("name", &account.username)
    })
}

#[derive(Template)]
#[template(path = "admin/account.html")]
struct AccountPage {
    chrome: Chrome,
    account: DbActor,
    handle: String,
    requests: Vec<DbActor>,
    followers: Vec<DbActor>,
    following: Vec<(DbActor, String)>,
    page: i64,
    more: bool,
    follow_prefill: String,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<i64>,
    /// An address to follow, filled in (from our WebFinger's subscribe template).
    follow: Option<String>,
}

async fn http_get_account(
    panel: Panel,
    name: web::Path<String>,
    query: web::Query<PageQuery>,
    data: Data<AppState>,
) -> PanelResult {
    let staff = panel.session.staff();
    let name = Some(name.as_str());
    let page_number = query.page.unwrap_or(1);
    let (account, followers) =
        follow::followers(&data, &staff, name, page_number, FOLLOWERS_PAGE).await?;
    let requests = follow::requests(&data, &staff, name).await?;
    let (_, following) =
        follow::following(&data, &staff, name, 1, follow::FOLLOWING_PAGE_MAX).await?;
    let shown_flash = panel.flash.is_some();
    page(
        &AccountPage {
            chrome: Chrome::new(&data, &panel, "accounts").await?,
            handle: account.handle(),
            more: followers.len() as i64 == FOLLOWERS_PAGE,
            account,
            requests,
            followers,
            following,
            page: page_number,
            follow_prefill: query.follow.clone().unwrap_or_default(),
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct ProfileForm {
    csrf: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    icon_url: String,
    manual_approval: Option<String>,
}

async fn http_post_profile(
    request: PanelForm<ProfileForm>,
    name: web::Path<String>,
    data: Data<AppState>,
) -> PanelResult {
    let form = request.form;
    let changes = AccountChanges {
        display_name: Some(form.display_name),
        // An empty text keeps the current one.
        summary: non_empty(&form.summary),
        manual_approval: Some(form.manual_approval.is_some()),
        website: Some(form.website),
        contact: Some(form.contact),
        icon_url: Some(form.icon_url),
        header_url: None,
    };
    let updated = accounts::update(&data, &request.panel.session.staff(), &name, changes).await;
    after_form(
        &format!("/admin/accounts/{name}"),
        updated,
        "panel-flash-profile-saved",
    )
}

#[derive(Deserialize)]
struct RequestForm {
    csrf: String,
    follower: String,
    decision: String,
}

async fn http_post_request(
    request: PanelForm<RequestForm>,
    name: web::Path<String>,
    data: Data<AppState>,
) -> PanelResult {
    let form = request.form;
    let approve = match form.decision.as_str() {
        "approve" => Ok(true),
        "reject" => Ok(false),
        _ => Err(AppError::invalid("decision", "error-approve-or-reject")),
    };
    let staff = request.panel.session.staff();
    let outcome = match approve {
        Ok(approve) => follow::decide_request(&data, &staff, Some(&name), &form.follower, approve)
            .await
            .map(|follower| (follower, approve)),
        Err(e) => Err(e),
    };
    after_form_with(
        &format!("/admin/accounts/{name}"),
        outcome,
        |(follower, approved)| {
            let message = if *approved {
                "panel-flash-request-approved"
            } else {
                "panel-flash-request-refused"
            };
            Message::new(message)
                .arg("follower", follower.handle())
                .arg("account", name.as_str())
        },
    )
}

#[derive(Deserialize)]
struct FollowerForm {
    csrf: String,
    follower: String,
}

async fn http_post_remove_follower(
    request: PanelForm<FollowerForm>,
    name: web::Path<String>,
    data: Data<AppState>,
) -> PanelResult {
    let staff = request.panel.session.staff();
    let removed = follow::remove_follower(&data, &staff, Some(&name), &request.form.follower).await;
    after_form_with(&format!("/admin/accounts/{name}"), removed, |follower| {
        Message::new("panel-flash-follower-removed")
            .arg("follower", follower.handle())
            .arg("account", name.as_str())
    })
}

#[derive(Deserialize)]
struct TargetForm {
    csrf: String,
    target: String,
}

async fn http_post_follow(
    request: PanelForm<TargetForm>,
    name: web::Path<String>,
    data: Data<AppState>,
) -> PanelResult {
    let staff = request.panel.session.staff();
    let outcome = follow::follow(&data, &staff, Some(&name), request.form.target.trim()).await;
    after_form_with(&format!("/admin/accounts/{name}"), outcome, |outcome| {
        Message::new("panel-flash-follow")
            .arg("account", name.as_str())
            .arg("target", outcome.target.handle())
            .arg("state", &outcome.state)
    })
}

async fn http_post_unfollow(
    request: PanelForm<TargetForm>,
    name: web::Path<String>,
    data: Data<AppState>,
) -> PanelResult {
    let staff = request.panel.session.staff();
    let outcome = follow::unfollow(&data, &staff, Some(&name), request.form.target.trim()).await;
    after_form_with(&format!("/admin/accounts/{name}"), outcome, |target| {
        Message::new("panel-flash-unfollow")
            .arg("account", name.as_str())
            .arg("target", target.handle())
    })
}

#[derive(Template)]
#[template(path = "admin/relays.html")]
struct RelaysPage {
    chrome: Chrome,
    relays: Vec<DbRelay>,
}

async fn http_get_relays(panel: Panel, data: Data<AppState>) -> PanelResult {
    let staff = panel.session.staff();
    check_admin(&staff)?;
    let relays = relays::list(&data, &staff).await?;
    let shown_flash = panel.flash.is_some();
    page(
        &RelaysPage {
            chrome: Chrome::new(&data, &panel, "relays").await?,
            relays,
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct RelayForm {
    csrf: String,
    url: String,
}

async fn http_post_relay(request: PanelForm<RelayForm>, data: Data<AppState>) -> PanelResult {
    let added = relays::add(&data, &request.panel.session.staff(), &request.form.url).await;
    after_form_with("/admin/relays", added, |relay| {
        Message::new("panel-flash-relay-subscribed")
            .arg("inbox", &relay.inbox)
            .arg("state", &relay.state)
    })
}

async fn http_post_relay_remove(
    request: PanelForm<RelayForm>,
    data: Data<AppState>,
) -> PanelResult {
    let removed = relays::remove(&data, &request.panel.session.staff(), &request.form.url).await;
    after_form_with("/admin/relays", removed, |relay| {
        Message::new("panel-flash-relay-unsubscribed").arg("inbox", &relay.inbox)
    })
}

with_csrf!(
    NewAccountForm,
    ProfileForm,
    RequestForm,
    FollowerForm,
    TargetForm,
    RelayForm
);
