//! What the use cases tell other servers and ask of them, without knowing ActivityPub.
//!
//! A use case describes what happened as an [`Outbound`] value and hands it to [`commit`]
//! with its change, so both land in one transaction (a transactional outbox). The federation
//! layer implements [`Network`]: it decides which activity an event is and whom it goes
//! to. The model is Lemmy's `SendActivityData`, drained by its apub crate; here the drain is
//! synchronous, on the same connection, so a change is never saved without its activity.

use activitypub_federation::config::Data;
use url::Url;

use crate::{
    db::{self, actors::DbActor, follows::DbFollow, AnyConnection},
    error::AppResult,
    state::AppState,
};

/// Something other servers must hear about. Rows are named by id and read back by the
/// federation layer in the same transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outbound {
    /// A post was published.
    PostCreated { post_id: i64 },
    /// A post was edited.
    PostUpdated { post_id: i64 },
    /// A post was deleted (its row is kept as a tombstone).
    PostDeleted { post_id: i64 },
    /// A local account's profile changed.
    ProfileUpdated { account_id: i64 },
    /// One of our accounts asks to follow a remote actor.
    FollowRequested(FollowParties),
    /// One of our accounts stopped following a remote actor (the follow row is gone).
    FollowWithdrawn(FollowParties),
    /// One of our accounts accepted a remote follower.
    FollowAccepted(FollowParties),
    /// One of our accounts refused a remote follower's request.
    FollowRejected(FollowParties),
    /// The instance subscribed to a relay (its row holds the Follow's id).
    RelayFollowed { relay_id: i64 },
    /// The instance unsubscribed from a relay (its row is gone).
    RelayUnfollowed {
        inbox: String,
        /// The relay's actor for a LitePub relay; Public for a Mastodon-style one.
        object: Option<String>,
        follow_activity_id: String,
    },
    /// A moderator's report, to be sent to the reported actor's server as a `Flag`.
    ReportForwarded { report_id: i64 },
    /// A local account moved to `target` (its row says so): its followers' servers are
    /// told with a `Move`.
    AccountMoved { account_id: i64, target: String },
}

/// A follow between two stored actors, named by the id of the activity that asked for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowParties {
    pub follower_id: i64,
    pub followee_id: i64,
    pub activity_id: String,
}

impl From<&DbFollow> for FollowParties {
    fn from(follow: &DbFollow) -> FollowParties {
        FollowParties {
            follower_id: follow.follower_id,
            followee_id: follow.followee_id,
            activity_id: follow.activity_id.clone(),
        }
    }
}

/// What the federation layer does for the use cases.
#[async_trait::async_trait]
pub trait Network: Send + Sync {
    /// Queues what `event` tells other servers, on `conn`, inside the caller's transaction.
    fn queue(&self, conn: &mut AnyConnection, event: &Outbound) -> AppResult<()>;

    /// The actor behind `@name@host`, `name@host` or an actor URL: a local account, or a
    /// remote actor fetched (and stored) when it is not known yet.
    async fn resolve_actor(&self, data: &Data<AppState>, input: &str) -> AppResult<DbActor>;

    /// The actor at `id` fetched again from its server (not from the cache): what it says
    /// about itself now.
    async fn refresh_actor(&self, data: &Data<AppState>, id: &Url) -> AppResult<DbActor>;

    /// Where to send a visitor who wants to follow or answer `uri` (one of ours) from their
    /// own account or server.
    async fn interaction_url(
        &self,
        data: &Data<AppState>,
        input: &str,
        uri: &Url,
    ) -> AppResult<Url>;

    /// The bytes at `url` (an image for the media cache), at most `max_bytes`, fetched under
    /// the same address and domain rules as every other request.
    async fn fetch_file(
        &self,
        state: &AppState,
        url: &url::Url,
        max_bytes: u64,
    ) -> Result<Vec<u8>, FetchFailure>;
}

/// Why a file could not be fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchFailure {
    /// It will not work later either: refused by policy, 4xx, too large.
    Permanent(String),
    /// Its domain is blocked: not fetched now, and fetched once it is unblocked.
    Blocked,
    /// It may work later: network errors, timeouts, 5xx.
    Transient(String),
}

/// Applies `change` and queues the events it returns in one write transaction, then wakes
/// the delivery worker.
pub async fn commit<T, F>(state: &AppState, change: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> AppResult<(T, Vec<Outbound>)> + Send + 'static,
{
    let network = state.network.clone();
    let (value, queued) = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let (value, events) = change(conn)?;
            for event in &events {
                network.queue(conn, event)?;
            }
            Ok((value, !events.is_empty()))
        })
    })
    .await?;
    if queued {
        state.delivery_wakeup.notify_one();
    }
    Ok(value)
}

/// See [`Network::refresh_actor`].
pub async fn refresh_actor(data: &Data<AppState>, id: &Url) -> AppResult<DbActor> {
    data.network.refresh_actor(data, id).await
}

/// See [`Network::interaction_url`].
pub async fn interaction_url(data: &Data<AppState>, input: &str, uri: &Url) -> AppResult<Url> {
    data.network.interaction_url(data, input, uri).await
}

/// See [`Network::resolve_actor`].
pub async fn resolve_actor(data: &Data<AppState>, input: &str) -> AppResult<DbActor> {
    data.network.resolve_actor(data, input).await
}
