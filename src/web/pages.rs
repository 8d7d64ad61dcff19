//! Server-rendered pages (askama templates escape every value).

use activitypub_federation::config::Data;
use actix_web::{http::header, web, HttpResponse};
use askama::Template;

use crate::{
    db::{self, actors::DbActor, follows, posts::PostView},
    domain::post::PostKind,
    error::{AppError, AppResult},
    federation::objects::post::{human_time, local_time, when_and_where},
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

/// A post's text in one language.
struct PostText<'a> {
    language: &'a str,
    title: &'a str,
    summary: &'a str,
    body_html: &'a str,
}

#[derive(Template)]
#[template(path = "post.html")]
struct PostPage<'a> {
    instance_name: &'a str,
    view: &'a PostView,
    kind: PostKind,
    url: String,
    account_url: String,
    text: PostText<'a>,
    /// Every language the post is available in, with its page URL.
    languages: Vec<(String, String)>,
    facts: Vec<String>,
    deadline: Option<String>,
    open: Option<bool>,
    start: Option<String>,
    end: Option<String>,
    topics: Vec<(String, String)>,
}

#[derive(serde::Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

/// A post's page, in the language asked with `?lang=` when there is a translation.
pub async fn post(
    data: &Data<AppState>,
    view: PostView,
    lang: Option<&str>,
) -> AppResult<HttpResponse> {
    let kind = PostKind::parse(&view.post.kind).unwrap_or(PostKind::News);
    let url = data.urls.post(kind, view.post.id);
    let text = match lang.and_then(|l| view.translations.iter().find(|t| t.language == l)) {
        Some(t) => PostText {
            language: &t.language,
            title: &t.title,
            summary: &t.summary,
            body_html: &t.body_html,
        },
        None => PostText {
            language: &view.post.language,
            title: &view.post.title,
            summary: &view.post.summary,
            body_html: &view.post.body_html,
        },
    };
    let mut languages = vec![(view.post.language.clone(), url.to_string())];
    for t in &view.translations {
        let mut translated = url.clone();
        translated
            .query_pairs_mut()
            .append_pair("lang", &t.language);
        languages.push((t.language.clone(), translated.to_string()));
    }
    let zone = view.post.timezone.clone().unwrap_or_default();
    let with_zone = |t: crate::domain::time::LocalTime| format!("{} ({zone})", human_time(&t));
    let page = PostPage {
        instance_name: &data.settings.instance.name,
        kind,
        account_url: view
            .account
            .url
            .clone()
            .unwrap_or_else(|| view.account.ap_id.to_string()),
        url: url.to_string(),
        text,
        languages,
        facts: when_and_where(&view),
        deadline: local_time(&view, &view.post.deadline_local).map(with_zone),
        open: view
            .post
            .deadline_utc
            .map(|d| d.and_utc() >= chrono::Utc::now()),
        start: local_time(&view, &view.post.start_local).map(with_zone),
        end: local_time(&view, &view.post.end_local).map(with_zone),
        topics: view
            .topics
            .iter()
            .map(|t| (t.clone(), data.urls.topic(t).to_string()))
            .collect(),
        view: &view,
    };
    render(&page)
}
