//! Activities, one module per verb, and the inbox's enum over the ones we act on.

pub mod create;
pub mod flag;
pub mod follow;
pub mod forwarded;
pub mod moved;

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, protocol::verification::verify_domains_match,
    traits::Activity,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::{
    db::{self, actors::DbActor},
    error::AppError,
    federation::lenient,
    state::AppState,
    urls::host_and_port,
};

/// An activity whose object is kept as sent (an IRI or an embedded object) and read
/// leniently by the verb that handles it: Follow, Accept, Reject, Undo, Create, Update,
/// Delete, Announce, Like. (Flag carries a comment too: `flag::Flag`.)
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectActivity<Kind> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: Kind,
    #[serde(deserialize_with = "lenient::object_id")]
    pub actor: ObjectId<DbActor>,
    pub object: Value,
    /// When it happened (Announce: when the boost was made).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub published: Option<String>,
}

/// What differs between the verbs: extra checks and the effect.
#[async_trait::async_trait]
pub trait Verb: Sized + Send + Sync {
    fn check(_activity: &ObjectActivity<Self>, _data: &Data<AppState>) -> Result<(), AppError> {
        Ok(())
    }
    async fn receive(activity: ObjectActivity<Self>, data: &Data<AppState>)
        -> Result<(), AppError>;
}

#[async_trait::async_trait]
impl<Kind: Verb> Activity for ObjectActivity<Kind> {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    /// The activity comes from its actor's instance, and passes the verb's own checks.
    async fn verify(&self, data: &Data<AppState>) -> Result<(), AppError> {
        verify_domains_match(self.actor.inner(), &self.id)?;
        Kind::check(self, data)
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        Kind::receive(self, data).await
    }
}

pub use create::{Announce, Create, Delete, Like, Update};
pub use flag::Flag;
pub use follow::{Accept, Follow, Reject, Undo};
pub use moved::Move;

/// Activity types the inbox acts on; anything else is answered 202 and ignored.
pub const HANDLED_TYPES: &[&str] = &[
    "Follow", "Accept", "Reject", "Undo", "Create", "Update", "Delete", "Announce", "Like", "Flag",
    "Move",
];

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum InboxActivity {
    Follow(Follow),
    Accept(Accept),
    Reject(Reject),
    Undo(Undo),
    Create(Create),
    Update(Update),
    Delete(Delete),
    Announce(Announce),
    Like(Like),
    Flag(Flag),
    Move(Move),
}

/// Calls the same method on whichever activity the enum holds.
macro_rules! each {
    ($activity:expr, |$a:ident| $body:expr) => {
        match $activity {
            InboxActivity::Follow($a) => $body,
            InboxActivity::Accept($a) => $body,
            InboxActivity::Reject($a) => $body,
            InboxActivity::Undo($a) => $body,
            InboxActivity::Create($a) => $body,
            InboxActivity::Update($a) => $body,
            InboxActivity::Delete($a) => $body,
            InboxActivity::Announce($a) => $body,
            InboxActivity::Like($a) => $body,
            InboxActivity::Flag($a) => $body,
            InboxActivity::Move($a) => $body,
        }
    };
}

impl InboxActivity {
    /// A Create or Update of a post has its id recorded in the transaction that stores the
    /// post (`timeline::receive_post`): one write for both instead of two, and a failure
    /// undoes both. One that never reaches the store (no post, gone at its origin, of
    /// no concern and needing a fetch) is not recorded: its repeat has no effect either.
    fn records_where_stored(&self) -> bool {
        match self {
            InboxActivity::Create(_) => true,
            InboxActivity::Update(update) => !create::updates_actor(update),
            _ => false,
        }
    }
}

#[async_trait::async_trait]
impl Activity for InboxActivity {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        each!(self, |a| a.id())
    }

    fn actor(&self) -> &Url {
        each!(self, |a| a.actor())
    }

    async fn verify(&self, data: &Data<AppState>) -> Result<(), AppError> {
        each!(self, |a| a.verify(data).await)
    }

    /// Each activity id has one effect: its id is recorded first, and only the request that
    /// recorded it acts (two deliveries of one activity at once included). When acting
    /// fails, the id is forgotten again so that the sender's retry can take effect. A
    /// Create or Update of a post records its id where the post is stored instead.
    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let id = self.id().to_string();
        let domain = host_and_port(self.actor());
        // Hearing from a domain proves it is alive again for deliveries (recorded once a
        // minute at most, unless a delivery to it failed since).
        if !data.answering_domains.contains_key(&domain) {
            let answering = domain.clone();
            data.writer
                .write_statement(move |conn| {
                    Ok(db::domains::record_success(conn, &answering, db::now())?)
                })
                .await?;
            data.answering_domains.insert(domain, ()).await;
        }
        if self.records_where_stored() {
            return each!(self, |a| a.receive(data).await);
        }
        let first = {
            let id = id.clone();
            data.writer
                .write_statement(move |conn| {
                    Ok(db::activities::mark_received(conn, &id, db::now())?)
                })
                .await?
        };
        if !first {
            tracing::debug!(%id, "activity already processed");
            return Ok(());
        }
        let result = each!(self, |a| a.receive(data).await);
        if result.is_err() {
            data.writer
                .write_statement(move |conn| Ok(db::activities::forget_received(conn, &id)?))
                .await?;
        }
        result
    }
}
