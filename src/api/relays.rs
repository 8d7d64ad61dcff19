//! `/api/v1/relays`: the relays the instance subscribes to (admins only), as the CLI's
//! `munifed relay`.

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::{
    api::auth::ApiUser,
    db::relays::DbRelay,
    error::{AppError, AppResult},
    i18n::Message,
    service::relays,
    state::AppState,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/relays", web::get().to(http_get_relays))
        .route("/api/v1/relays", web::post().to(http_post_relay))
        .route("/api/v1/relays", web::delete().to(http_delete_relay));
}

#[derive(Debug, Deserialize)]
struct RelayRequest {
    url: String,
}

#[derive(Debug, Serialize)]
struct RelayView {
    inbox: String,
    actor: Option<String>,
    kind: String,
    state: String,
}

impl From<DbRelay> for RelayView {
    fn from(relay: DbRelay) -> RelayView {
        RelayView {
            inbox: relay.inbox,
            actor: relay.actor,
            kind: relay.kind,
            state: relay.state,
        }
    }
}

fn request(body: &[u8]) -> AppResult<RelayRequest> {
    serde_json::from_slice(body).map_err(|e| {
        AppError::bad_request(Message::new("error-relay-body-expected").arg("error", e))
    })
}

async fn http_get_relays(user: ApiUser, data: Data<AppState>) -> AppResult<HttpResponse> {
    let all = relays::list(&data, &user.staff()).await?;
    Ok(HttpResponse::Ok().json(all.into_iter().map(RelayView::from).collect::<Vec<_>>()))
}

async fn http_post_relay(
    user: ApiUser,
    body: web::Bytes,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = request(&body)?;
    let relay = relays::add(&data, &user.staff(), &request.url).await?;
    Ok(HttpResponse::Accepted().json(RelayView::from(relay)))
}

async fn http_delete_relay(
    user: ApiUser,
    body: web::Bytes,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = request(&body)?;
    let relay = relays::remove(&data, &user.staff(), &request.url).await?;
    Ok(HttpResponse::Ok().json(RelayView::from(relay)))
}
