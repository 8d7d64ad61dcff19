//! Actors on the wire: our accounts as `Organization` (the instance actor as `Application`),
//! and every kind of remote actor read leniently.

use activitypub_federation::{
    config::Data,
    protocol::verification::verify_domains_match,
    traits::{Actor, Object},
};
use chrono::{DateTime, Utc};
use html_escape::{encode_double_quoted_attribute, encode_text};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

use crate::{
    db::{
        self,
        actors::{DbActor, DbActorForm},
    },
    error::AppError,
    federation::lenient,
    i18n::Message,
    ingest::sanitize,
    state::AppState,
    urls::{host_and_port, Urls},
};

/// The actor types we follow and accept follows from.
pub const ACTOR_KINDS: &[&str] = &["Person", "Group", "Organization", "Service", "Application"];

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApubPublicKey {
    pub id: String,
    pub owner: Url,
    pub public_key_pem: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApubEndpoints {
    #[serde(default, deserialize_with = "lenient::optional_url")]
    pub shared_inbox: Option<Url>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApubActor {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub preferred_username: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::optional_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    #[serde(
        default,
        deserialize_with = "lenient::optional_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub inbox: Option<Url>,
    #[serde(
        default,
        deserialize_with = "lenient::optional_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub outbox: Option<Url>,
    #[serde(
        default,
        deserialize_with = "lenient::optional_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub followers: Option<Url>,
    #[serde(
        default,
        deserialize_with = "lenient::optional_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub following: Option<Url>,
    #[serde(
        default,
        deserialize_with = "deserialize_endpoints",
        skip_serializing_if = "Option::is_none"
    )]
    pub endpoints: Option<ApubEndpoints>,
    #[serde(
        default,
        deserialize_with = "deserialize_public_key",
        skip_serializing_if = "Option::is_none"
    )]
    pub public_key: Option<ApubPublicKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Value>,
    #[serde(
        default,
        deserialize_with = "lenient::optional_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub manually_approves_followers: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::optional_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub discoverable: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::optional_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub indexable: Option<bool>,
    #[serde(
        default,
        deserialize_with = "deserialize_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<DateTime<Utc>>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub attachment: Vec<Value>,
    /// The other accounts it says it also is: a Move to it from one of them is believed.
    #[serde(
        default,
        deserialize_with = "lenient::ids",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub also_known_as: Vec<Url>,
    /// Where it moved (an actor id, also when embedded).
    #[serde(
        default,
        deserialize_with = "lenient::optional_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub moved_to: Option<Url>,
}

fn deserialize_endpoints<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ApubEndpoints>, D::Error> {
    let value = Option::<Value>::deserialize(deserializer)?;
    Ok(value.and_then(|v| serde_json::from_value(v).ok()))
}

/// One key, or the first usable one of an array.
fn deserialize_public_key<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ApubPublicKey>, D::Error> {
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::Array(keys)) => keys
            .into_iter()
            .find_map(|k| serde_json::from_value(k).ok()),
        Some(key) => serde_json::from_value(key).ok(),
        None => None,
    })
}

fn deserialize_time<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(lenient::string(deserializer)?
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc)))
}

/// Why a remote actor document cannot be used (a deliberate refusal, never a panic).
pub fn check_remote_actor(json: &ApubActor) -> Result<&ApubPublicKey, Message> {
    if !ACTOR_KINDS.contains(&json.kind.as_str()) {
        return Err(Message::new("error-actor-type-unfollowed").arg("type", &json.kind));
    }
    let inbox = json
        .inbox
        .as_ref()
        .ok_or_else(|| Message::new("error-actor-no-inbox").arg("actor", &json.id))?;
    // Our signed POSTs go there: never to another host than the actor's own.
    if host_and_port(inbox) != host_and_port(&json.id) {
        return Err(Message::new("error-actor-inbox-elsewhere")
            .arg("inbox", inbox)
            .arg("actor", &json.id));
    }
    let key = json
        .public_key
        .as_ref()
        .ok_or_else(|| Message::new("error-actor-no-public-key").arg("actor", &json.id))?;
    if key.owner != json.id {
        return Err(Message::new("error-actor-key-owner")
            .arg("actor", &json.id)
            .arg("owner", &key.owner));
    }
    if !key.public_key_pem.contains("PUBLIC KEY") {
        return Err(Message::new("error-actor-no-pem-key").arg("actor", &json.id));
    }
    Ok(key)
}

/// The most `alsoKnownAs` entries kept of a remote actor: a Move needs the mover among
/// them, and real accounts list one or two.
const MAX_ALIASES: usize = 20;

/// The row for a verified remote actor document.
pub fn remote_actor_form(json: ApubActor) -> Result<DbActorForm, String> {
    let key = check_remote_actor(&json)
        .map_err(|why| why.to_string())?
        .public_key_pem
        .clone();
    let now = db::now();
    let username = json
        .preferred_username
        .as_deref()
        .map(sanitize::plain_text)
        .filter(|u| !u.is_empty())
        .or_else(|| {
            json.id
                .path_segments()
                .and_then(|mut s| s.next_back().map(str::to_string))
        })
        .unwrap_or_else(|| json.id.to_string());
    // A few aliases are all a Move needs; a document listing thousands is not kept whole.
    let aliases: Vec<&Url> = json.also_known_as.iter().take(MAX_ALIASES).collect();
    let also_known_as = serde_json::to_string(&aliases).map_err(|e| e.to_string())?;
    Ok(DbActorForm {
        also_known_as,
        moved_to: json.moved_to.as_ref().map(Url::to_string),
        ap_id: json.id.to_string(),
        kind: json.kind.clone(),
        username,
        domain: host_and_port(&json.id),
        display_name: json
            .name
            .as_deref()
            .map(sanitize::plain_text)
            .unwrap_or_default(),
        summary: json
            .summary
            .as_deref()
            .map(sanitize::clean_html)
            .unwrap_or_default(),
        url: json.url.map(String::from),
        inbox: json.inbox.map(String::from).unwrap_or_default(),
        // A shared inbox on another host is not used: the actor's own inbox is.
        shared_inbox: json
            .endpoints
            .and_then(|e| e.shared_inbox)
            .filter(|shared| host_and_port(shared) == host_and_port(&json.id))
            .map(String::from),
        outbox: json.outbox.map(String::from),
        followers_url: json.followers.map(String::from),
        following_url: json.following.map(String::from),
        icon_url: json
            .icon
            .as_ref()
            .and_then(lenient::url_of)
            .map(String::from),
        image_url: json
            .image
            .as_ref()
            .and_then(lenient::url_of)
            .map(String::from),
        website: None,
        contact: None,
        public_key: key,
        private_key: None,
        manually_approves_followers: json.manually_approves_followers.unwrap_or(false),
        discoverable: json.discoverable.unwrap_or(false),
        local: false,
        published: json
            .published
            .map(|t| db::truncate(t.naive_utc()))
            .unwrap_or(now),
        updated: now,
        last_refreshed_at: now,
    })
}

fn parse_url(value: &str) -> Result<Url, AppError> {
    Url::parse(value).map_err(|e| AppError::other(anyhow::anyhow!("stored URL {value:?}: {e}")))
}

fn optional_url(value: &Option<String>) -> Result<Option<Url>, AppError> {
    value.as_deref().map(parse_url).transpose()
}

fn image(url: &Option<String>) -> Option<Value> {
    url.as_ref().map(|url| {
        let mut image = json!({ "type": "Image", "url": url });
        if let Some(media_type) = image_media_type(url) {
            image["mediaType"] = json!(media_type);
        }
        image
    })
}

/// The media type of an image URL by its extension (Mastodon shows images without one too).
fn image_media_type(url: &str) -> Option<&'static str> {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let extension = path.rsplit_once('.').map(|(_, ext)| ext)?;
    Some(match extension {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        _ => return None,
    })
}

/// `PropertyValue`s for the profile table, as Mastodon shows them (the website with
/// `rel="me"` for verification).
fn profile_fields(actor: &DbActor) -> Vec<Value> {
    let mut fields = vec![];
    if let Some(website) = &actor.website {
        let shown = website
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        fields.push(json!({
            "type": "PropertyValue",
            "name": "Website",
            "value": format!(
                r#"<a href="{}" target="_blank" rel="nofollow noopener noreferrer me">{}</a>"#,
                encode_double_quoted_attribute(website),
                encode_text(shown)
            ),
        }));
    }
    if let Some(contact) = &actor.contact {
        fields.push(json!({
            "type": "PropertyValue",
            "name": "Contact",
            "value": encode_text(contact),
        }));
    }
    fields
}

/// The AS2 form of one of our actors.
pub fn local_actor_json(actor: &DbActor) -> Result<ApubActor, AppError> {
    let id: Url = (*actor.ap_id).clone();
    Ok(ApubActor {
        preferred_username: Some(actor.username.clone()),
        name: Some(actor.display_name_or_username().to_string()),
        summary: Some(actor.summary.clone()),
        url: optional_url(&actor.url)?,
        inbox: Some(parse_url(&actor.inbox)?),
        outbox: optional_url(&actor.outbox)?,
        followers: optional_url(&actor.followers_url)?,
        following: optional_url(&actor.following_url)?,
        endpoints: Some(ApubEndpoints {
            shared_inbox: optional_url(&actor.shared_inbox)?,
        }),
        public_key: Some(ApubPublicKey {
            id: Urls::key_id(&id),
            owner: id.clone(),
            public_key_pem: actor.public_key.clone(),
        }),
        icon: image(&actor.icon_url),
        image: image(&actor.image_url),
        manually_approves_followers: Some(actor.manually_approves_followers),
        discoverable: Some(actor.discoverable),
        indexable: Some(actor.discoverable),
        published: Some(actor.published.and_utc()),
        attachment: profile_fields(actor),
        also_known_as: actor
            .aliases()
            .iter()
            .filter_map(|alias| Url::parse(alias).ok())
            .collect(),
        moved_to: optional_url(&actor.moved_to)?,
        kind: actor.kind.clone(),
        id,
    })
}

#[async_trait::async_trait]
impl Object for DbActor {
    type DataType = AppState;
    type Kind = ApubActor;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        (!self.local).then(|| self.last_refreshed_at.and_utc())
    }

    async fn read_from_id(object_id: Url, data: &Data<AppState>) -> Result<Option<Self>, AppError> {
        if let Some(actor) = data.actor_cache.get(&object_id).await {
            return Ok(Some(actor));
        }
        let key = object_id.to_string();
        let found = db::run(&data.db, move |conn| Ok(db::actors::by_ap_id(conn, &key)?)).await?;
        if let Some(actor) = &found {
            data.actor_cache.insert(object_id, actor.clone()).await;
        }
        Ok(found)
    }

    async fn delete(&self, data: &Data<AppState>) -> Result<(), AppError> {
        if self.local {
            return Ok(());
        }
        let id = self.id;
        db::run(&data.db, move |conn| Ok(db::actors::delete(conn, id)?)).await?;
        data.actor_cache.invalidate(&*self.ap_id).await;
        Ok(())
    }

    async fn into_json(self, _data: &Data<AppState>) -> Result<ApubActor, AppError> {
        local_actor_json(&self)
    }

    async fn verify(
        json: &ApubActor,
        expected_domain: &Url,
        _data: &Data<AppState>,
    ) -> Result<(), AppError> {
        verify_domains_match(&json.id, expected_domain)?;
        check_remote_actor(json).map_err(AppError::bad_request)?;
        Ok(())
    }

    async fn from_json(json: ApubActor, data: &Data<AppState>) -> Result<Self, AppError> {
        if data.urls.is_local(&json.id) {
            return Err(AppError::bad_request("error-remote-claims-local-id"));
        }
        let id = json.id.clone();
        let form = remote_actor_form(json).map_err(|why| {
            AppError::bad_request(Message::new("error-actor-unusable").arg("reason", why))
        })?;
        let actor = db::run(&data.db, move |conn| {
            Ok(db::actors::upsert_remote(conn, &form)?)
        })
        .await?;
        data.actor_cache.invalidate(&id).await;
        Ok(actor)
    }
}

impl Actor for DbActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key
    }

    /// Never read from an actor row: outgoing requests are signed by our own client.
    fn private_key_pem(&self) -> Option<String> {
        None
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.inbox).unwrap_or_else(|_| (*self.ap_id).clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.shared_inbox
            .as_deref()
            .and_then(|s| Url::parse(s).ok())
    }
}

/// An actor sent its new profile (Update of itself): store it as a fetch would.
pub async fn receive_update(
    data: &Data<AppState>,
    actor: &Url,
    object: Value,
) -> Result<(), AppError> {
    let json: ApubActor = serde_json::from_value(object)
        .map_err(|e| AppError::bad_request(Message::new("error-actor-invalid").arg("error", e)))?;
    if &json.id != actor {
        return Err(AppError::forbidden("error-actor-updates-only-itself"));
    }
    <DbActor as Object>::verify(&json, actor, data).await?;
    DbActor::from_json(json, data).await?;
    Ok(())
}
