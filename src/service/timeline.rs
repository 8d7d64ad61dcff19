//! Posts from the instances our accounts follow: cleaned once when they arrive, stored for
//! the shared timeline; updated and deleted only by their author.

use chrono::NaiveDateTime;
use url::Url;

use crate::{
    db::{self, remote_posts::DbRemotePostForm},
    error::{AppError, AppResult},
    ingest::sanitize,
    state::AppState,
};

/// A public post of another server as the federation layer read it from the wire: its
/// origin checked, its HTML not yet cleaned.
#[derive(Clone, Debug)]
pub struct IncomingPost {
    pub ap_id: Url,
    /// The ActivityStreams type (`Note`, `Article`, `Event`, …).
    pub object_type: String,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: Option<String>,
    /// The language of `content` when the sender said it.
    pub language: Option<String>,
    /// The post's page on its own server.
    pub url: Option<Url>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub published: Option<NaiveDateTime>,
    pub updated: Option<NaiveDateTime>,
}

/// Stores a post `actor` sent (Create, or Update when `update`) when a local account follows
/// the actor; otherwise it is accepted and ignored.
pub async fn receive_post(
    data: &AppState,
    actor: &Url,
    post: IncomingPost,
    update: bool,
) -> AppResult<()> {
    let now = db::now();
    let form = DbRemotePostForm {
        ap_id: post.ap_id.to_string(),
        actor_id: 0,
        object_type: post.object_type,
        name: post
            .name
            .as_deref()
            .map(sanitize::plain_text)
            .unwrap_or_default(),
        summary: post
            .summary
            .as_deref()
            .map(sanitize::clean_html)
            .unwrap_or_default(),
        content: post
            .content
            .as_deref()
            .map(sanitize::clean_html)
            .unwrap_or_default(),
        language: post.language,
        url: post.url.map(String::from),
        start_time: post.start_time,
        end_time: post.end_time,
        published: post.published.unwrap_or(now),
        updated: post.updated.unwrap_or(now),
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
pub async fn receive_delete(data: &AppState, actor: &Url, id: &Url) -> AppResult<()> {
    if id == actor {
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
async fn delete_actor(data: &AppState, actor: &Url) -> AppResult<()> {
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
