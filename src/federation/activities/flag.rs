//! Flag: a report from another server about our accounts or posts (Mastodon, GoToSocial,
//! Misskey, Lemmy, Mbin send one object or a list: the actor, then the posts).

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::FlagType,
    protocol::verification::verify_domains_match, traits::Activity,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::{
    db::actors::DbActor,
    error::AppError,
    federation::lenient::{self, id_of},
    service::reports,
    state::AppState,
};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FlagType,
    #[serde(deserialize_with = "lenient::object_id")]
    pub actor: ObjectId<DbActor>,
    pub object: Value,
    /// The reporter's comment (Mastodon, GoToSocial, Mbin).
    #[serde(default, deserialize_with = "lenient::string")]
    pub content: Option<String>,
    /// The reporter's comment (Lemmy).
    #[serde(default, deserialize_with = "lenient::string")]
    pub summary: Option<String>,
}

impl Flag {
    /// The reported ids: one object or a list, as IRIs or embedded objects.
    fn objects(&self) -> Vec<Url> {
        match &self.object {
            Value::Array(items) => items.iter().filter_map(id_of).collect(),
            object => id_of(object).into_iter().collect(),
        }
    }
}

#[async_trait::async_trait]
impl Activity for Flag {
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
        let comment = self
            .content
            .as_deref()
            .or(self.summary.as_deref())
            .unwrap_or_default();
        reports::receive(data, &self.id, self.actor.inner(), self.objects(), comment).await
    }
}
