//! Activities, one module per verb, and the inbox's enum over the ones we act on.

pub mod create;
pub mod follow;

use activitypub_federation::{config::Data, traits::Activity};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{db, error::AppError, state::AppState, urls::host_and_port};

pub use create::{Create, Delete, Update};
pub use follow::{Accept, Follow, Reject, Undo};

/// Activity types the inbox acts on; anything else is answered 202 and ignored.
pub const HANDLED_TYPES: &[&str] = &[
    "Follow", "Accept", "Reject", "Undo", "Create", "Update", "Delete",
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
        }
    };
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

    /// Each activity id has one effect: a repeat is accepted and ignored.
    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let id = self.id().to_string();
        let domain = host_and_port(self.actor());
        let seen = {
            let id = id.clone();
            db::run(&data.db, move |conn| {
                // Hearing from a domain proves it is alive again for deliveries.
                db::domains::record_success(conn, &domain, db::now())?;
                Ok(db::activities::was_received(conn, &id)?)
            })
            .await?
        };
        if seen {
            tracing::debug!(%id, "activity already processed");
            return Ok(());
        }
        each!(self, |a| a.receive(data).await?);
        db::run(&data.db, move |conn| {
            db::activities::mark_received(conn, &id, db::now())?;
            Ok(())
        })
        .await
    }
}
