//! Create, Update and Delete of posts from the instances we follow.

use activitypub_federation::{
    config::Data,
    fetch::object_id::ObjectId,
    kinds::activity::{CreateType, DeleteType, UpdateType},
    protocol::verification::verify_domains_match,
    traits::Activity,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::{
    db::actors::DbActor, error::AppError, federation::lenient, service::timeline, state::AppState,
};

/// An activity about an object, kept as sent and read leniently by the timeline service.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectActivity<Kind> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: Kind,
    #[serde(deserialize_with = "lenient::object_id")]
    pub actor: ObjectId<DbActor>,
    pub object: Value,
}

pub type Create = ObjectActivity<CreateType>;
pub type Update = ObjectActivity<UpdateType>;
pub type Delete = ObjectActivity<DeleteType>;

/// What each verb does with its object.
#[async_trait::async_trait]
pub trait ObjectVerb: Sized + Send + Sync {
    async fn receive(activity: ObjectActivity<Self>, data: &Data<AppState>)
        -> Result<(), AppError>;
}

#[async_trait::async_trait]
impl<Kind: ObjectVerb> Activity for ObjectActivity<Kind> {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        verify_domains_match(self.actor.inner(), &self.id)?;
        Ok(())
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        Kind::receive(self, data).await
    }
}

#[async_trait::async_trait]
impl ObjectVerb for CreateType {
    async fn receive(create: Create, data: &Data<AppState>) -> Result<(), AppError> {
        timeline::receive_post(data, create.actor.inner(), &create.object, false).await
    }
}

#[async_trait::async_trait]
impl ObjectVerb for UpdateType {
    async fn receive(update: Update, data: &Data<AppState>) -> Result<(), AppError> {
        timeline::receive_post(data, update.actor.inner(), &update.object, true).await
    }
}

#[async_trait::async_trait]
impl ObjectVerb for DeleteType {
    async fn receive(delete: Delete, data: &Data<AppState>) -> Result<(), AppError> {
        timeline::receive_delete(data, delete.actor.inner(), &delete.object).await
    }
}
