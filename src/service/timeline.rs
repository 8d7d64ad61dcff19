//! Posts from the instances our accounts follow: cleaned once when they arrive, stored for
//! the shared timeline; updated and deleted only by their author.

use activitypub_federation::config::Data;
use chrono::DateTime;
use serde_json::Value;
use url::Url;

use crate::{
    db::{self, remote_posts::DbRemotePostForm},
    error::{AppError, AppResult},
    federation::lenient::{addresses_public, id_of, url_of},
    ingest::sanitize,
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

fn time(object: &Value, field: &str) -> Option<chrono::NaiveDateTime> {
    let text = object.get(field).and_then(Value::as_str)?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| db::truncate(t.naive_utc()))
}

/// Stores a post `actor` sent (Create, or Update when `update`): public posts of actors
/// that a local account follows; everything else is accepted and ignored.
pub async fn receive_post(
    data: &Data<AppState>,
    actor: &Url,
    object: &Value,
    update: bool,
) -> AppResult<()> {
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !POST_TYPES.contains(&kind) {
        return Ok(());
    }
    let Some(id) = object.get("id").and_then(id_of) else {
        // A bare IRI: not fetched yet (the timeline is built from embedded objects).
        return Ok(());
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
        return Ok(());
    }
    let (name, _) = text_and_language(object, "name");
    let (summary, _) = text_and_language(object, "summary");
    let (content, language) = text_and_language(object, "content");
    let now = db::now();
    let form = DbRemotePostForm {
        ap_id: id.to_string(),
        actor_id: 0,
        object_type: kind.to_string(),
        name: name
            .as_deref()
            .map(sanitize::plain_text)
            .unwrap_or_default(),
        summary: summary
            .as_deref()
            .map(sanitize::clean_html)
            .unwrap_or_default(),
        content: content
            .as_deref()
            .map(sanitize::clean_html)
            .unwrap_or_default(),
        language,
        url: object.get("url").and_then(url_of).map(String::from),
        start_time: object
            .get("startTime")
            .and_then(Value::as_str)
            .map(str::to_string),
        end_time: object
            .get("endTime")
            .and_then(Value::as_str)
            .map(str::to_string),
        published: time(object, "published").unwrap_or(now),
        updated: time(object, "updated").unwrap_or(now),
        received_at: now,
    };
    let actor = actor.to_string();
    db::run(&data.db, move |conn| {
        let Some(author) = db::actors::by_ap_id(conn, &actor)? else {
            return Ok(());
        };
        if db::follows::count_followers(conn, author.id, db::follows::ACCEPTED)? == 0 {
            return Ok(()); // nobody here follows this actor
        }
        let existing = db::remote_posts::by_ap_id(conn, &form.ap_id)?;
        match existing {
            Some(stored) if stored.actor_id != author.id => {
                return Err(AppError::forbidden("only the author may change a post"));
            }
            Some(stored) if stored.deleted_at.is_some() => return Ok(()),
            None if update => {} // an Update of a post we missed stores it
            _ => {}
        }
        db::remote_posts::upsert(
            conn,
            &DbRemotePostForm {
                actor_id: author.id,
                ..form
            },
        )?;
        Ok(())
    })
    .await
}

/// Deletes a stored post when its author asks.
pub async fn receive_delete(data: &Data<AppState>, actor: &Url, object: &Value) -> AppResult<()> {
    let Some(id) = id_of(object) else {
        return Ok(());
    };
    if &id == actor {
        return delete_actor(data, actor).await;
    }
    let (actor, id) = (actor.to_string(), id.to_string());
    db::run(&data.db, move |conn| {
        let (Some(stored), Some(author)) = (
            db::remote_posts::by_ap_id(conn, &id)?,
            db::actors::by_ap_id(conn, &actor)?,
        ) else {
            return Ok(());
        };
        if stored.actor_id != author.id {
            return Err(AppError::forbidden("only the author may delete a post"));
        }
        db::remote_posts::mark_deleted(conn, stored.id, db::now())?;
        Ok(())
    })
    .await
}

/// An actor deleted its account: forget it, its follows both ways and its posts.
async fn delete_actor(data: &Data<AppState>, actor: &Url) -> AppResult<()> {
    let key = actor.to_string();
    let deleted = db::run(&data.db, move |conn| {
        Ok(match db::actors::by_ap_id(conn, &key)? {
            Some(found) if !found.local => db::actors::delete(conn, found.id)?,
            _ => 0,
        })
    })
    .await?;
    data.actor_cache.invalidate(actor).await;
    if deleted > 0 {
        tracing::info!(%actor, "remote actor deleted its account");
    }
    Ok(())
}
