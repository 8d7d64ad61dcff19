//! Follow, and the activities about a Follow: Accept, Reject, Undo.

use activitypub_federation::{
    config::Data,
    kinds::activity::{AcceptType, FollowType, RejectType, UndoType},
};
use serde_json::Value;
use url::Url;

use super::{ObjectActivity, Verb};
use crate::{
    db::{actors::DbActor, reactions},
    error::AppError,
    federation::lenient,
    service::{self, follow::FollowRef, timeline},
    state::AppState,
};

pub type Follow = ObjectActivity<FollowType>;
pub type Accept = ObjectActivity<AcceptType>;
pub type Reject = ObjectActivity<RejectType>;
pub type Undo = ObjectActivity<UndoType>;

impl Follow {
    pub fn new(id: Url, follower: &DbActor, followee: &DbActor) -> Follow {
        ObjectActivity {
            id,
            kind: FollowType::Follow,
            actor: (*follower.ap_id).clone().into(),
            object: Value::String(followee.ap_id.to_string()),
            published: None,
        }
    }
}

impl<Kind: Default> ObjectActivity<Kind> {
    /// Accept, Reject or Undo of `follow`, sent by `actor`.
    pub fn about_follow(id: Url, actor: &DbActor, follow: &Follow) -> Result<Self, AppError> {
        Ok(ObjectActivity {
            id,
            kind: Kind::default(),
            actor: (*actor.ap_id).clone().into(),
            object: serde_json::to_value(follow).map_err(|e| AppError::other(e.into()))?,
            published: None,
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
impl Verb for FollowType {
    fn check(follow: &Follow, data: &Data<AppState>) -> Result<(), AppError> {
        match lenient::id_of(&follow.object) {
            Some(followee) if data.urls.is_local(&followee) => Ok(()),
            _ => Err(AppError::bad_request("error-followee-not-local")),
        }
    }

    async fn receive(follow: Follow, data: &Data<AppState>) -> Result<(), AppError> {
        let followee = lenient::id_of(&follow.object)
            .ok_or_else(|| AppError::bad_request("error-follow-names-no-actor"))?;
        let account = if followee == data.urls.instance_actor()
            && service::relays::is_subscribed_relay(data, follow.actor.inner()).await?
        {
            // A LitePub relay we subscribed to follows our instance actor back.
            service::accounts::instance_actor(data).await?
        } else {
            service::accounts::local_by_ap_id(data, &followee).await?
        };
        let follower = follow.actor.dereference(data).await?;
        service::follow::receive_follow(data, follower, account, follow.id).await
    }
}

#[async_trait::async_trait]
impl Verb for AcceptType {
    async fn receive(accept: Accept, data: &Data<AppState>) -> Result<(), AppError> {
        let follow = accept.follow_ref();
        if let Some(id) = &follow.id {
            if service::relays::receive_answer(data, id, accept.actor.inner(), true).await? {
                return Ok(());
            }
        }
        service::follow::receive_answer(data, accept.actor.inner(), &follow, true).await
    }
}

#[async_trait::async_trait]
impl Verb for RejectType {
    async fn receive(reject: Reject, data: &Data<AppState>) -> Result<(), AppError> {
        let follow = reject.follow_ref();
        if let Some(id) = &follow.id {
            if service::relays::receive_answer(data, id, reject.actor.inner(), false).await? {
                return Ok(());
            }
        }
        service::follow::receive_answer(data, reject.actor.inner(), &follow, false).await
    }
}

#[async_trait::async_trait]
impl Verb for UndoType {
    fn check(undo: &Undo, _data: &Data<AppState>) -> Result<(), AppError> {
        match undo.follow_ref().actor {
            Some(actor) if &actor != undo.actor.inner() => {
                Err(AppError::forbidden("error-undo-own-activities-only"))
            }
            _ => Ok(()),
        }
    }

    async fn receive(undo: Undo, data: &Data<AppState>) -> Result<(), AppError> {
        let undone = undo.follow_ref();
        let actor = undo.actor.inner();
        let reaction = match undone.kind.as_deref() {
            Some("Like") => Some(reactions::LIKE),
            Some("Announce") => Some(reactions::ANNOUNCE),
            _ => None,
        };
        match (undone.kind.as_deref(), reaction) {
            (_, Some(kind)) => {
                timeline::undo_reaction(
                    data,
                    actor,
                    kind,
                    undone.id.as_ref(),
                    undone.object.as_ref(),
                )
                .await
            }
            // A bare IRI: whichever of ours it names.
            (None, None) => {
                timeline::undo_reaction(data, actor, reactions::LIKE, undone.id.as_ref(), None)
                    .await?;
                service::follow::receive_undo_follow(data, actor, &undone).await
            }
            (Some("Follow"), None) => {
                service::follow::receive_undo_follow(data, actor, &undone).await
            }
            _ => Ok(()),
        }
    }
}
