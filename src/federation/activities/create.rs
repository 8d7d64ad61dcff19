//! Create, Update and Delete of posts from the instances we follow.

use activitypub_federation::{
    config::Data,
    kinds::activity::{CreateType, DeleteType, UpdateType},
};

use super::{ObjectActivity, Verb};
use crate::{
    error::AppError,
    federation::objects::actor::{self, ACTOR_KINDS},
    service::timeline,
    state::AppState,
};

pub type Create = ObjectActivity<CreateType>;
pub type Update = ObjectActivity<UpdateType>;
pub type Delete = ObjectActivity<DeleteType>;

#[async_trait::async_trait]
impl Verb for CreateType {
    async fn receive(create: Create, data: &Data<AppState>) -> Result<(), AppError> {
        timeline::receive_post(data, create.actor.inner(), &create.object, false).await
    }
}

#[async_trait::async_trait]
impl Verb for UpdateType {
    async fn receive(update: Update, data: &Data<AppState>) -> Result<(), AppError> {
        let kind = update
            .object
            .get("type")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        if ACTOR_KINDS.contains(&kind) {
            return actor::receive_update(data, update.actor.inner(), update.object).await;
        }
        timeline::receive_post(data, update.actor.inner(), &update.object, true).await
    }
}

#[async_trait::async_trait]
impl Verb for DeleteType {
    async fn receive(delete: Delete, data: &Data<AppState>) -> Result<(), AppError> {
        timeline::receive_delete(data, delete.actor.inner(), &delete.object).await
    }
}
