//! Create, Update and Delete of posts from the instances we follow.

use activitypub_federation::{
    config::Data,
    kinds::activity::{CreateType, DeleteType, UpdateType},
};

use super::{ObjectActivity, Verb};
use crate::{
    error::AppError,
    federation::{
        lenient::id_of,
        objects::{
            actor::{self, ACTOR_KINDS},
            remote_post,
        },
    },
    service::timeline,
    state::AppState,
};

pub type Create = ObjectActivity<CreateType>;
pub type Update = ObjectActivity<UpdateType>;
pub type Delete = ObjectActivity<DeleteType>;

#[async_trait::async_trait]
impl Verb for CreateType {
    async fn receive(create: Create, data: &Data<AppState>) -> Result<(), AppError> {
        remote_post::receive(data, create.actor.inner(), &create.object, false).await
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
        remote_post::receive(data, update.actor.inner(), &update.object, true).await
    }
}

#[async_trait::async_trait]
impl Verb for DeleteType {
    async fn receive(delete: Delete, data: &Data<AppState>) -> Result<(), AppError> {
        match id_of(&delete.object) {
            Some(id) => timeline::receive_delete(data, delete.actor.inner(), &id).await,
            None => Ok(()),
        }
    }
}
