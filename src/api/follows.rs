//! `/api/v1/follows`: whom an account follows, with the state of each follow; follow and
//! unfollow by handle or actor URL (the same service as `munifed follow`).

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::{
    api::auth::ApiUser,
    db::actors::DbActor,
    error::{AppError, AppResult},
    i18n::Message,
    service::follow,
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/follows", web::get().to(http_get_follows))
        .route("/api/v1/follows", web::post().to(http_post_follow))
        .route("/api/v1/follows", web::delete().to(http_delete_follow));
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// The local account (default: the instance's).
    account: Option<String>,
    /// From 1.
    page: Option<i64>,
    limit: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct FollowRequest {
    /// `@name@host`, `name@host` or an actor URL.
    target: String,
    account: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FollowView {
    pub handle: String,
    pub actor: String,
    pub name: String,
    /// pending, accepted, rejected, or none after an unfollow.
    pub state: String,
}

impl FollowView {
    fn new(actor: &DbActor, state: &str) -> FollowView {
        FollowView {
            handle: actor.handle(),
            actor: actor.ap_id.to_string(),
            name: actor.display_name_or_username().to_string(),
            state: state.to_string(),
        }
    }
}

fn request(body: &[u8]) -> AppResult<FollowRequest> {
    serde_json::from_slice(body).map_err(|e| {
        AppError::bad_request(Message::new("error-follow-body-expected").arg("error", e))
    })
}

async fn http_get_follows(
    user: ApiUser,
    query: web::Query<ListQuery>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let page = query.page.unwrap_or(1);
    let limit = query.limit.unwrap_or(follow::FOLLOWING_PAGE);
    let account = query.account.as_deref();
    let (_, follows) = follow::following(&data, &user.staff(), account, page, limit).await?;
    let views: Vec<FollowView> = follows
        .iter()
        .map(|(actor, state)| FollowView::new(actor, state))
        .collect();
    let mut response = HttpResponse::Ok();
    if views.len() as i64 == limit {
        let mut next = data
            .urls
            .base()
            .join("/api/v1/follows")
            .map_err(anyhow::Error::from)?;
        {
            let mut pairs = next.query_pairs_mut();
            if let Some(account) = account {
                pairs.append_pair("account", account);
            }
            pairs.append_pair("page", &(page + 1).to_string());
            pairs.append_pair("limit", &limit.to_string());
        }
        response.insert_header(("Link", format!("<{next}>; rel=\"next\"")));
    }
    Ok(response.json(views))
}

async fn http_post_follow(
    user: ApiUser,
    body: web::Bytes,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = request(&body)?;
    let outcome = follow::follow(
        &data,
        &user.staff(),
        request.account.as_deref(),
        &request.target,
    )
    .await?;
    let view = FollowView::new(&outcome.target, &outcome.state);
    Ok(if outcome.sent {
        HttpResponse::Accepted().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

async fn http_delete_follow(
    user: ApiUser,
    body: web::Bytes,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = request(&body)?;
    let target = follow::unfollow(
        &data,
        &user.staff(),
        request.account.as_deref(),
        &request.target,
    )
    .await?;
    Ok(HttpResponse::Ok().json(FollowView::new(&target, "none")))
}
