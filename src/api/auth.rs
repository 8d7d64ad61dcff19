//! Bearer-token authentication of API requests.

use std::{future::Future, pin::Pin};

use activitypub_federation::config::Data;
use actix_web::{dev::Payload, FromRequest, HttpRequest};

use crate::{
    db::users::DbUser,
    error::AppError,
    service::users::{self, Staff},
    state::AppState,
};

/// The user behind the request's `Authorization: Bearer TOKEN` (401 without a valid one).
pub struct ApiUser(pub DbUser);

impl ApiUser {
    /// The user as the services know staff.
    pub fn staff(self) -> Staff {
        Staff::User(self.0)
    }
}

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<ApiUser, AppError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::to_string);
        let data = Data::<AppState>::extract(req).into_inner();
        Box::pin(async move {
            let data = data.map_err(|_| AppError::other(anyhow::anyhow!("no application data")))?;
            let token = token.ok_or_else(|| AppError::unauthorized("error-api-token-required"))?;
            users::by_token(&data, &token)
                .await?
                .map(ApiUser)
                .ok_or_else(|| AppError::unauthorized("error-api-token-invalid"))
        })
    }
}
