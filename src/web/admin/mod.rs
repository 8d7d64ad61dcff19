//! The admin panel: plain HTML forms over the same services as the API and the CLI.
//! Every page checks the role on the server, every form carries the session's CSRF token
//! (`PanelForm`), and every response forbids inline script, framing and sniffing.

/// Every form struct of the panel names its CSRF field `csrf`.
macro_rules! with_csrf {
    ($($form:ty),*) => {$(
        impl WithCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        }
    )*};
}

mod accounts;
mod domains;
mod moderation;
mod posts;
mod reports;
mod session;
mod settings;
mod users;

use activitypub_federation::config::Data;
use actix_web::{
    http::header, middleware::DefaultHeaders, web, HttpRequest, HttpResponse, ResponseError,
};
use askama::Template;
use serde::Deserialize;

use crate::{
    db::audit::{AuditQuery, DbAuditEntry},
    error::AppError,
    i18n::Tr,
    service::{
        audit, instance, sessions,
        users::{self as staff_users, Staff},
    },
    state::AppState,
};
pub use session::{
    after_form, after_form_with, check_origin, client_address, page, redirect_with, Flash, Panel,
    PanelError, PanelForm, PanelResult, WithCsrf, SESSION_COOKIE,
};

const STYLESHEET: &str = include_str!("../static/panel.css");
/// The largest form accepted (a pasted block list of some ten thousand domains).
const FORM_LIMIT: usize = 4 * 1024 * 1024;

/// The headers of every panel response.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::CACHE_CONTROL, "no-store"))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .wrap(security_headers())
            // Pasted block lists are large; the body limit applies as elsewhere.
            .app_data(
                web::FormConfig::default()
                    .limit(FORM_LIMIT)
                    .error_handler(crate::error::bad_form),
            )
            .route("", web::get().to(http_get_home))
            .route("/", web::get().to(http_get_home))
            .route("/login", web::get().to(http_get_login))
            .route("/login", web::post().to(http_post_login))
            .route("/logout", web::post().to(http_post_logout))
            .route("/audit", web::get().to(http_get_audit))
            .route("/static/panel.css", web::get().to(http_get_stylesheet))
            .configure(users::configure)
            .configure(domains::configure)
            .configure(accounts::configure)
            .configure(moderation::configure)
            .configure(posts::configure)
            .configure(settings::configure)
            .configure(reports::configure)
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(PanelError(AppError::not_found()))
            })),
    );
}

/// What every panel page shows around its content.
pub struct Chrome {
    pub instance_name: String,
    pub me: Option<String>,
    pub role: String,
    pub csrf: String,
    pub is_admin: bool,
    pub may_moderate: bool,
    pub section: &'static str,
    pub flash: Option<session::Flash>,
    /// Reports waiting for a moderator (shown to moderators only).
    pub open_reports: i64,
    /// The staff member's language: every text of the page comes through it.
    pub tr: Tr,
    /// The language switch: (code, name in itself, whether it is in use).
    pub languages: Vec<(&'static str, &'static str, bool)>,
}

impl Chrome {
    pub async fn new(
        data: &AppState,
        panel: &Panel,
        section: &'static str,
    ) -> Result<Chrome, AppError> {
        let staff = panel.session.staff();
        Ok(Chrome {
            instance_name: instance::info(data).await?.name.clone(),
            me: Some(panel.session.user.email.clone()),
            role: panel.session.user.role.clone(),
            csrf: panel.session.csrf_token.clone(),
            is_admin: staff.is_admin(),
            may_moderate: staff.may_moderate(),
            section,
            flash: panel.flash.clone(),
            open_reports: if staff.may_moderate() {
                crate::service::reports::count_open(data, &staff).await?
            } else {
                0
            },
            tr: panel.tr,
            languages: crate::web::language::switch(panel.tr),
        })
    }

    fn anonymous(instance_name: &str, tr: Tr) -> Chrome {
        Chrome {
            instance_name: instance_name.to_string(),
            me: None,
            role: String::new(),
            csrf: String::new(),
            is_admin: false,
            may_moderate: false,
            section: "",
            flash: None,
            open_reports: 0,
            tr,
            languages: crate::web::language::switch(tr),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    heading: String,
    message: String,
}

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/home.html")]
struct HomePage {
    chrome: Chrome,
    accounts: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<DbAuditEntry>,
    actions: Vec<String>,
    filter_action: String,
    filter_who: String,
    filter_target: String,
    filtered: bool,
    next: Option<String>,
}

async fn http_get_stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLESHEET)
}

async fn http_get_login(req: HttpRequest, data: Data<AppState>) -> PanelResult {
    // Already signed in: straight to the overview.
    if let Some(secret) = req.cookie(SESSION_COOKIE) {
        if sessions::current(&data, secret.value()).await?.is_some() {
            return Ok(redirect_with("/admin", None));
        }
    }
    page(
        &LoginPage {
            chrome: Chrome::anonymous(
                &instance::info(&data).await?.name,
                crate::web::language::of(&req),
            ),
            email: String::new(),
            error: None,
        },
        false,
    )
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
}

async fn http_post_login(
    req: HttpRequest,
    form: web::Form<LoginForm>,
    data: Data<AppState>,
) -> PanelResult {
    check_origin(&req)?;
    let address = client_address(&req, &data.settings.server.proxies());
    match sessions::login(&data, &form.email, &form.password, &address).await {
        Ok(logged_in) => {
            let secure = data.urls.base().scheme() == "https";
            let mut response = redirect_with("/admin", None);
            response
                .add_cookie(&session::session_cookie(
                    &logged_in.cookie_secret,
                    secure,
                    sessions::SESSION_HOURS,
                ))
                .map_err(|e| AppError::other(anyhow::anyhow!("cookie: {e}")))?;
            Ok(response)
        }
        Err(error) if error.status_code().is_client_error() => {
            let tr = crate::web::language::of(&req);
            let html = LoginPage {
                chrome: Chrome::anonymous(&instance::info(&data).await?.name, tr),
                email: form.email.clone(),
                error: Some(error.text(tr)),
            }
            .render()
            .map_err(|e| AppError::other(anyhow::anyhow!("template: {e}")))?;
            Ok(HttpResponse::build(error.status_code())
                .content_type("text/html; charset=utf-8")
                .body(html))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

impl WithCsrf for CsrfOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn http_post_logout(
    req: HttpRequest,
    form: PanelForm<CsrfOnly>,
    data: Data<AppState>,
) -> PanelResult {
    if let Some(secret) = req.cookie(SESSION_COOKIE) {
        sessions::logout(&data, secret.value()).await?;
    }
    let _ = form.panel;
    let mut response = redirect_with("/admin/login", None);
    response
        .add_removal_cookie(&session::session_removal())
        .map_err(|e| AppError::other(anyhow::anyhow!("cookie: {e}")))?;
    Ok(response)
}

async fn http_get_home(panel: Panel, data: Data<AppState>) -> PanelResult {
    let accounts = staff_users::publishing_accounts(&data, &panel.session.user).await?;
    let shown_flash = panel.flash.is_some();
    page(
        &HomePage {
            chrome: Chrome::new(&data, &panel, "home").await?,
            accounts,
        },
        shown_flash,
    )
}

#[derive(Deserialize)]
struct AuditFilter {
    action: Option<String>,
    who: Option<String>,
    target: Option<String>,
    before: Option<i64>,
}

/// A form or query field, trimmed; `None` when nothing is left.
fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

async fn http_get_audit(
    panel: Panel,
    filter: web::Query<AuditFilter>,
    data: Data<AppState>,
) -> PanelResult {
    let query = AuditQuery {
        action: filter.action.as_deref().and_then(non_empty),
        who: filter.who.as_deref().and_then(non_empty),
        target: filter.target.as_deref().and_then(non_empty),
        before_id: filter.before,
    };
    let (entries, actions) = audit::list(&data, &panel.session.staff(), query.clone()).await?;
    let next = (entries.len() as i64 == audit::PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten()
        .map(|before| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (key, value) in [
                ("action", &query_value(&filter.action)),
                ("who", &query_value(&filter.who)),
                ("target", &query_value(&filter.target)),
            ] {
                if !value.is_empty() {
                    query.append_pair(key, value);
                }
            }
            query.append_pair("before", &before.to_string());
            format!("/admin/audit?{}", query.finish())
        });
    let shown_flash = panel.flash.is_some();
    page(
        &AuditPage {
            chrome: Chrome::new(&data, &panel, "audit").await?,
            entries,
            actions,
            filter_action: query_value(&filter.action),
            filter_who: query_value(&filter.who),
            filter_target: query_value(&filter.target),
            filtered: query.action.is_some() || query.who.is_some() || query.target.is_some(),
            next,
        },
        shown_flash,
    )
}

fn query_value(value: &Option<String>) -> String {
    value.as_deref().and_then(non_empty).unwrap_or_default()
}

/// 403 unless the signed-in user is an admin.
pub fn require_admin(panel: &Panel) -> Result<Staff, PanelError> {
    let staff = panel.session.staff();
    staff_users::check_admin(&staff)?;
    Ok(staff)
}
