//! Server-rendered pages (askama templates escape every value).

use activitypub_federation::config::Data;
use actix_web::{http::header, web, HttpResponse};
use askama::Template;

use crate::{
    db::{self, actors::DbActor, follows},
    error::{AppError, AppResult},
    service::accounts::{self, AccountSummary},
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(http_get_home))
        .route("/healthz", web::get().to(http_get_healthz));
}

fn render(template: &impl Template) -> AppResult<HttpResponse> {
    let html = template
        .render()
        .map_err(|e| AppError::other(anyhow::anyhow!("template: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::VARY, "Accept"))
        .body(html))
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    instance_name: &'a str,
    account: &'a DbActor,
    handle: String,
    followers: i64,
    following: i64,
}

/// An organisation's profile page; its website carries `rel="me"` for verification.
pub async fn profile(data: &Data<AppState>, account: DbActor) -> AppResult<HttpResponse> {
    let id = account.id;
    let (followers, following) = db::run(&data.db, move |conn| {
        Ok((
            follows::count_followers(conn, id, follows::ACCEPTED)?,
            follows::count_following(conn, id, follows::ACCEPTED)?,
        ))
    })
    .await?;
    render(&ProfilePage {
        instance_name: &data.settings.instance.name,
        handle: account.handle(),
        account: &account,
        followers,
        following,
    })
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    instance_name: &'a str,
    description: &'a str,
    domain: String,
    accounts: Vec<AccountSummary>,
}

async fn http_get_home(data: Data<AppState>) -> AppResult<HttpResponse> {
    let accounts = accounts::list(&data).await?;
    render(&HomePage {
        instance_name: &data.settings.instance.name,
        description: &data.settings.instance.description,
        domain: data.urls.domain(),
        accounts,
    })
}

/// 200 when the database answers, 503 otherwise.
async fn http_get_healthz(data: Data<AppState>) -> HttpResponse {
    let check = db::run(&data.db, |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT 1").execute(conn)?;
        Ok(())
    })
    .await;
    match check {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "database unavailable" }))
        }
    }
}
