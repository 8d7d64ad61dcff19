//! Posts of other servers read from the wire: the types the timeline keeps, their origin
//! checked, their fields read leniently; the timeline service cleans and stores them.

use chrono::{DateTime, NaiveDateTime};
use serde_json::Value;
use url::Url;

use crate::{
    db,
    error::{AppError, AppResult},
    federation::lenient::{addresses_public, id_of, url_of},
    service::timeline::{self, IncomingPost},
    state::AppState,
    urls::host_and_port,
};

/// Object types the timeline keeps.
pub const POST_TYPES: &[&str] = &[
    "Note", "Article", "Page", "Event", "Question", "Video", "Image",
];

/// `field`, or the first value of `fieldMap`, with the map's language.
fn text_and_language(object: &Value, field: &str) -> (Option<String>, Option<String>) {
    let map = object.get(format!("{field}Map")).and_then(Value::as_object);
    let language = map.and_then(|m| m.keys().next().cloned());
    let text = object
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            map.and_then(|m| m.values().find_map(Value::as_str))
                .map(str::to_string)
        });
    (text, language)
}

fn time(object: &Value, field: &str) -> Option<NaiveDateTime> {
    let text = object.get(field).and_then(Value::as_str)?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| db::truncate(t.naive_utc()))
}

fn string(object: &Value, field: &str) -> Option<String> {
    object
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The post in a Create or Update from `actor`: `None` for what the timeline does not keep
/// (other types, bare IRIs, posts not addressed to the public), a refusal for an object
/// on another host or by another author.
pub fn incoming_post(actor: &Url, object: &Value) -> AppResult<Option<IncomingPost>> {
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !POST_TYPES.contains(&kind) {
        return Ok(None);
    }
    let Some(id) = object.get("id").and_then(id_of) else {
        // A bare IRI: not fetched yet (the timeline is built from embedded objects).
        return Ok(None);
    };
    if host_and_port(&id) != host_and_port(actor) {
        return Err(AppError::forbidden(
            "the object is not on the actor's instance",
        ));
    }
    let author = object.get("attributedTo").and_then(id_of);
    if author.as_ref().is_some_and(|a| a != actor) {
        return Err(AppError::forbidden(
            "the object is attributed to another actor",
        ));
    }
    let public = ["to", "cc", "audience"]
        .iter()
        .any(|field| object.get(*field).is_some_and(addresses_public));
    if !public {
        return Ok(None);
    }
    let (name, _) = text_and_language(object, "name");
    let (summary, _) = text_and_language(object, "summary");
    let (content, language) = text_and_language(object, "content");
    Ok(Some(IncomingPost {
        ap_id: id,
        object_type: kind.to_string(),
        name,
        summary,
        content,
        language,
        url: object.get("url").and_then(url_of),
        start_time: string(object, "startTime"),
        end_time: string(object, "endTime"),
        published: time(object, "published"),
        updated: time(object, "updated"),
    }))
}

/// Reads the post in a Create (or Update when `update`) from `actor` and hands it to the
/// timeline.
pub async fn receive(data: &AppState, actor: &Url, object: &Value, update: bool) -> AppResult<()> {
    match incoming_post(actor, object)? {
        Some(post) => timeline::receive_post(data, actor, post, update).await,
        None => Ok(()),
    }
}
