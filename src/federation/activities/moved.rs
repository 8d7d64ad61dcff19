//! Move: an account we follow moved (Mastodon's account migration). Believed only when the
//! target names the mover in its `alsoKnownAs`; then our accounts that followed the mover
//! follow the target instead.

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::MoveType,
    protocol::verification::verify_domains_match, traits::Activity,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::{
    db::actors::DbActor, error::AppError, federation::lenient, service::follow, state::AppState,
};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Move {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: MoveType,
    #[serde(deserialize_with = "lenient::object_id")]
    pub actor: ObjectId<DbActor>,
    pub object: Value,
    pub target: Value,
}

#[async_trait::async_trait]
impl Activity for Move {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    /// From the mover's own instance, about the mover itself, to somewhere else.
    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        verify_domains_match(self.actor.inner(), &self.id)?;
        if lenient::id_of(&self.object).as_ref() != Some(self.actor.inner()) {
            return Err(AppError::bad_request("error-move-only-itself"));
        }
        match lenient::id_of(&self.target) {
            Some(target) if target != *self.actor.inner() => Ok(()),
            _ => Err(AppError::bad_request("error-move-target-is-actor")),
        }
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let target = lenient::id_of(&self.target)
            .ok_or_else(|| AppError::bad_request("error-move-needs-target"))?;
        follow::follow_moved(data, self.actor.inner(), &target).await
    }
}
