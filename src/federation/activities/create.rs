//! Create, Update and Delete of posts; Announce (boosts, and what groups relay); Like.

use activitypub_federation::{
    config::Data,
    fetch::object_id::ObjectId,
    kinds::activity::{AnnounceType, CreateType, DeleteType, LikeType, UpdateType},
};
use serde_json::Value;
use url::Url;

use super::{ObjectActivity, Verb};
use crate::{
    db::{actors::DbActor, reactions},
    error::AppError,
    federation::{
        lenient::id_of,
        objects::{
            actor::{self, ACTOR_KINDS},
            remote_post::{
                self, embedded_by_origin, from_origin, kind_of, read_post, Origin, POST_TYPES,
            },
        },
    },
    service::{
        domains,
        timeline::{self, Boost},
    },
    state::AppState,
};

pub type Create = ObjectActivity<CreateType>;
pub type Update = ObjectActivity<UpdateType>;
pub type Delete = ObjectActivity<DeleteType>;
pub type Announce = ObjectActivity<AnnounceType>;
pub type Like = ObjectActivity<LikeType>;

/// Whether an embedded object may concern us though its author is not followed: a reply,
/// or a mention of one of our accounts (a bare IRI from an actor nobody here follows is
/// not worth a fetch).
fn may_concern_us(data: &Data<AppState>, object: &Value) -> bool {
    let mentions_us = object
        .get("tag")
        .into_iter()
        .flat_map(|tags| match tags {
            Value::Array(items) => items.iter().collect(),
            tag => vec![tag],
        })
        .filter(|tag| kind_of(tag) == "Mention")
        .filter_map(|tag| tag.get("href").and_then(id_of))
        .any(|href| data.urls.is_local(&href));
    mentions_us || object.get("inReplyTo").is_some_and(|r| !r.is_null())
}

/// A Create or Update of a post by `actor`, its object as its origin has it. `activity` is
/// recorded where the post is stored (`InboxActivity::records_where_stored`).
async fn receive_post(
    data: &Data<AppState>,
    activity: &Url,
    actor: &Url,
    object: &Value,
) -> Result<(), AppError> {
    if object.is_object() && !POST_TYPES.contains(&kind_of(object)) {
        return Ok(());
    }
    // A post to be fetched is fetched only when it may concern us. One embedded by its own
    // server needs no fetch: where it is stored decides whether it concerns us, and a
    // check here would cost a trip to the database for every post received.
    if !embedded_by_origin(actor, object)
        && !may_concern_us(data, object)
        && !timeline::is_stored_or_followed(data, id_of(object).as_ref(), actor).await?
    {
        return Ok(());
    }
    let Origin::Found(object) = from_origin(data, actor, object).await? else {
        return Ok(());
    };
    let Some(post) = read_post(&object) else {
        return Ok(());
    };
    if &post.author != actor {
        return Err(AppError::forbidden("error-object-attributed-elsewhere"));
    }
    timeline::receive_post(data, post, None, Some(activity)).await?;
    Ok(())
}

#[async_trait::async_trait]
impl Verb for CreateType {
    async fn receive(create: Create, data: &Data<AppState>) -> Result<(), AppError> {
        receive_post(data, &create.id, create.actor.inner(), &create.object).await
    }
}

/// Whether an Update is of an actor's profile (else of a post).
pub(super) fn updates_actor(update: &Update) -> bool {
    ACTOR_KINDS.contains(&kind_of(&update.object))
}

#[async_trait::async_trait]
impl Verb for UpdateType {
    async fn receive(update: Update, data: &Data<AppState>) -> Result<(), AppError> {
        if updates_actor(&update) {
            return actor::receive_update(data, update.actor.inner(), update.object).await;
        }
        receive_post(data, &update.id, update.actor.inner(), &update.object).await
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

#[async_trait::async_trait]
impl Verb for AnnounceType {
    async fn receive(announce: Announce, data: &Data<AppState>) -> Result<(), AppError> {
        let actor = announce.actor.inner().clone();
        let object = &announce.object;
        match kind_of(object) {
            // A group relays what its members post (Lemmy, Mobilizon, Guppe): the post is
            // shown by its author, via the group.
            "Create" => match object.get("object") {
                Some(inner) => {
                    let published = announce.published.as_deref();
                    boost(data, &actor, &announce.id, published, inner).await
                }
                None => Ok(()),
            },
            // An edit relayed by a group refreshes the post; it is no new boost.
            "Update" => match object.get("object") {
                Some(inner) => relayed_update(data, &actor, inner).await,
                None => Ok(()),
            },
            "Delete" => match object.get("object").and_then(id_of) {
                Some(id) => relayed_delete(data, &id).await,
                None => Ok(()),
            },
            kind if !kind.is_empty() && !POST_TYPES.contains(&kind) => Ok(()),
            _ => match id_of(object) {
                Some(id) if data.urls.is_local(&id) => {
                    timeline::receive_reaction(data, &announce.id, reactions::ANNOUNCE, &actor, &id)
                        .await
                }
                Some(_) => {
                    let published = announce.published.as_deref();
                    boost(data, &actor, &announce.id, published, object).await
                }
                None => Ok(()),
            },
        }
    }
}

/// A deletion a group or relay passes on, of a post we store: believed once the origin
/// confirms it.
pub(super) async fn relayed_delete(data: &Data<AppState>, id: &Url) -> Result<(), AppError> {
    if timeline::is_stored(data, id).await? {
        if let Origin::Gone = remote_post::fetch(data, id).await? {
            timeline::receive_gone(data, id).await?;
        }
    }
    Ok(())
}

/// An edit a group or relay passes on, of a post we store: read from its origin.
pub(super) async fn relayed_update(
    data: &Data<AppState>,
    group: &Url,
    object: &Value,
) -> Result<(), AppError> {
    let Some(id) = id_of(object) else {
        return Ok(());
    };
    if !timeline::is_stored(data, &id).await? {
        return Ok(());
    }
    if let Origin::Found(object) = from_origin(data, group, object).await? {
        if let Some(post) = read_post(&object) {
            timeline::receive_post(data, post, None, None).await?;
        }
    }
    Ok(())
}

/// A boost (activity `boost_id`, made at `published`) by an actor one of our accounts
/// follows or an accepted relay: the post as its origin has it, by its author (stored
/// first), shown boosted.
pub(super) async fn boost(
    data: &Data<AppState>,
    booster: &Url,
    boost_id: &Url,
    published: Option<&str>,
    object: &Value,
) -> Result<(), AppError> {
    if !timeline::is_followed_here(data, booster).await? {
        return Ok(());
    }
    let Origin::Found(object) = from_origin(data, booster, object).await? else {
        return Ok(());
    };
    let Some(post) = read_post(&object) else {
        return Ok(());
    };
    if data.urls.is_local(&post.author) || domains::refuses_actor(data, &post.author).await? {
        return Ok(()); // ours, or by someone we refuse: dropped, and the booster told 202
    }
    ObjectId::<DbActor>::from(post.author.clone())
        .dereference(data)
        .await?;
    let published = published.and_then(timeline::receive::utc);
    let boost = Boost {
        ap_id: boost_id.clone(),
        by: booster.clone(),
        published,
    };
    timeline::receive_post(data, post, Some(boost), None).await?;
    Ok(())
}

#[async_trait::async_trait]
impl Verb for LikeType {
    async fn receive(like: Like, data: &Data<AppState>) -> Result<(), AppError> {
        match id_of(&like.object) {
            Some(object) => {
                timeline::receive_reaction(
                    data,
                    &like.id,
                    reactions::LIKE,
                    like.actor.inner(),
                    &object,
                )
                .await
            }
            None => Ok(()),
        }
    }
}
