//! Follow, and the activities about a Follow: Accept, Reject, Undo.

use activitypub_federation::{
    config::Data,
    fetch::object_id::ObjectId,
    kinds::activity::{AcceptType, FollowType, RejectType, UndoType},
    traits::Activity,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use super::{ObjectActivity, Verb};
use crate::{
    db::actors::DbActor,
    error::AppError,
    federation::lenient,
    service::{self, follow::FollowRef},
    state::AppState,
};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    #[serde(deserialize_with = "lenient::object_id")]
    pub actor: ObjectId<DbActor>,
    #[serde(deserialize_with = "lenient::object_id")]
    pub object: ObjectId<DbActor>,
}

impl Follow {
    pub fn new(id: Url, actor: &DbActor, object: &DbActor) -> Follow {
        Follow {
            id,
            kind: FollowType::Follow,
            actor: (*actor.ap_id).clone().into(),
            object: (*object.ap_id).clone().into(),
        }
    }
}

pub type Accept = ObjectActivity<AcceptType>;
pub type Reject = ObjectActivity<RejectType>;
pub type Undo = ObjectActivity<UndoType>;

impl<Kind: Default> ObjectActivity<Kind> {
    pub fn new(id: Url, actor: &DbActor, follow: &Follow) -> Result<Self, AppError> {
        Ok(ObjectActivity {
            id,
            kind: Kind::default(),
            actor: (*actor.ap_id).clone().into(),
            object: serde_json::to_value(follow).map_err(|e| AppError::other(e.into()))?,
        })
    }

    /// What the object says about the Follow it names.
    pub fn follow_ref(&self) -> FollowRef {
        FollowRef {
            id: lenient::id_of(&self.object),
            kind: self
                .object
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_string),
            actor: self.object.get("actor").and_then(lenient::id_of),
            object: self.object.get("object").and_then(lenient::id_of),
        }
    }
}

#[async_trait::async_trait]
impl Activity for Follow {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &Data<AppState>) -> Result<(), AppError> {
        if !self.object.is_local(data) {
            return Err(AppError::bad_request(
                "the followed actor is not on this instance",
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let account = service::accounts::local_by_ap_id(data, self.object.inner()).await?;
        let follower = self.actor.dereference(data).await?;
        service::follow::receive_follow(data, follower, account, self.id).await
    }
}

#[async_trait::async_trait]
impl Verb for AcceptType {
    async fn receive(accept: Accept, data: &Data<AppState>) -> Result<(), AppError> {
        service::follow::receive_answer(data, accept.actor.inner(), &accept.follow_ref(), true)
            .await
    }
}

#[async_trait::async_trait]
impl Verb for RejectType {
    async fn receive(reject: Reject, data: &Data<AppState>) -> Result<(), AppError> {
        service::follow::receive_answer(data, reject.actor.inner(), &reject.follow_ref(), false)
            .await
    }
}

#[async_trait::async_trait]
impl Verb for UndoType {
    fn check(undo: &Undo) -> Result<(), AppError> {
        match undo.follow_ref().actor {
            Some(actor) if &actor != undo.actor.inner() => Err(AppError::forbidden(
                "an actor may only undo its own activities",
            )),
            _ => Ok(()),
        }
    }

    async fn receive(undo: Undo, data: &Data<AppState>) -> Result<(), AppError> {
        let follow = undo.follow_ref();
        // Undo of a Like, Announce and the rest is not acted on yet.
        if follow.kind.as_deref().is_some_and(|kind| kind != "Follow") {
            return Ok(());
        }
        service::follow::receive_undo_follow(data, undo.actor.inner(), &follow).await
    }
}
