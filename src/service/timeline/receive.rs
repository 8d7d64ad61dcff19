//! What other servers send about posts: stored only when it concerns us (as Mastodon
//! decides: from an actor one of our accounts follows, boosted by one, a reply to or a
//! mention of us), cleaned once on the way in, and reflected in the timeline in the same
//! transaction. Repeated and out-of-order deliveries have their expected effect.

use chrono::{DateTime, NaiveDateTime};
use url::Url;

use super::clean;
use crate::{
    db::{
        self, reactions,
        remote_posts::DbRemotePostForm,
        timeline::{self as entries, DbEntryForm},
        AnyConnection,
    },
    domain::remote::PostDetails,
    error::{AppError, AppResult},
    service::{domains, media},
    state::AppState,
    urls::{host_and_port, Urls},
};

/// A post of another server as the federation layer read it from the wire: its origin
/// checked (embedded by its own server, or fetched from it), nothing cleaned yet.
#[derive(Clone, Debug)]
pub struct IncomingPost {
    pub ap_id: Url,
    /// `attributedTo`: whose post it is.
    pub author: Url,
    /// The ActivityStreams type (`Note`, `Article`, `Event`, …).
    pub object_type: String,
    /// news, call, event or note.
    pub kind: String,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub content: Option<String>,
    /// The language of `name`/`summary`/`content` when the sender said it.
    pub language: Option<String>,
    /// The post's page on its own server.
    pub url: Option<Url>,
    /// The summary is a content warning.
    pub sensitive: bool,
    pub in_reply_to: Option<Url>,
    pub published: Option<NaiveDateTime>,
    pub updated: Option<NaiveDateTime>,
    pub details: PostDetails,
}

/// Who boosted the post (an `Announce`), or the group or relay it came through.
#[derive(Clone, Debug)]
pub struct Boost {
    /// The Announce's id.
    pub ap_id: Url,
    pub by: Url,
    pub published: Option<NaiveDateTime>,
}

/// How long after a post a boost of it is not shown when the post itself is.
const SHOWN_ALREADY: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// Reads RFC 3339 as a stored UTC time.
pub fn utc(rfc3339: &str) -> Option<NaiveDateTime> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| db::truncate(t.naive_utc()))
}

fn stored(conn: &mut AnyConnection, id: &str) -> AppResult<bool> {
    Ok(db::remote_posts::by_ap_id(conn, id)?.is_some_and(|p| p.deleted_at.is_none()))
}

/// Whether a local account follows `actor`: what makes its posts and boosts worth a fetch.
pub async fn is_followed_here(data: &AppState, actor: &Url) -> AppResult<bool> {
    let actor = actor.to_string();
    db::run(&data.db, move |conn| {
        Ok(db::follows::is_followed_here(conn, &actor)?)
    })
    .await
}

/// Whether a post with this id is stored, or a local account follows `actor`: what makes
/// a post by `actor` worth reading (one trip to the database for the two).
pub async fn is_stored_or_followed(
    data: &AppState,
    id: Option<&Url>,
    actor: &Url,
) -> AppResult<bool> {
    let (id, actor) = (id.map(Url::to_string), actor.to_string());
    db::run(&data.db, move |conn| {
        if let Some(id) = id {
            if stored(conn, &id)? {
                return Ok(true);
            }
        }
        Ok(db::follows::is_followed_here(conn, &actor)?)
    })
    .await
}

/// Whether a post with this id is stored (its edits and deletions concern us whoever
/// brought it here).
pub async fn is_stored(data: &AppState, id: &Url) -> AppResult<bool> {
    let id = id.to_string();
    db::run(&data.db, move |conn| stored(conn, &id)).await
}

/// A reply that concerns us, as Mastodon decides: to one of our posts, to a post of an
/// actor we follow, or within a thread under one of our posts.
fn replies_to_us(conn: &mut AnyConnection, urls: &Urls, target: &Url) -> AppResult<bool> {
    if urls.is_local(target) {
        return Ok(true);
    }
    let Some(stored) = db::remote_posts::by_ap_id(conn, target.as_str())? else {
        return Ok(false);
    };
    if stored.deleted_at.is_some() {
        return Ok(false);
    }
    let under_ours = stored
        .in_reply_to
        .as_deref()
        .and_then(|t| Url::parse(t).ok())
        .is_some_and(|t| urls.is_local(&t));
    if under_ours {
        return Ok(true);
    }
    let author = db::actors::by_id(conn, stored.actor_id)?;
    Ok(db::follows::is_followed_here(conn, author.ap_id.as_str())?)
}

/// A mention of one of our accounts (not just any URL on our host).
fn mentions_us(conn: &mut AnyConnection, urls: &Urls, details: &PostDetails) -> AppResult<bool> {
    for mention in &details.mentions {
        let Ok(href) = Url::parse(&mention.href) else {
            continue;
        };
        if urls.is_local(&href)
            && db::actors::by_ap_id(conn, href.as_str())?.is_some_and(|a| a.local)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

fn form(post: &IncomingPost, details: &PostDetails) -> AppResult<DbRemotePostForm> {
    let now = db::now();
    Ok(DbRemotePostForm {
        ap_id: post.ap_id.to_string(),
        actor_id: 0,
        object_type: clean::text(&post.object_type),
        name: post.name.as_deref().map(clean::text).unwrap_or_default(),
        summary: post.summary.as_deref().map(clean::text).unwrap_or_default(),
        content: post.content.as_deref().map(clean::html).unwrap_or_default(),
        language: clean::language(post.language.clone()),
        url: clean::url(post.url.as_ref().map(Url::to_string)),
        start_time: details.event.as_ref().map(|e| e.start.clone()),
        end_time: details.event.as_ref().and_then(|e| e.end.clone()),
        // A time in the future would pin the post to the top of the timeline.
        published: post.published.unwrap_or(now).min(now),
        updated: post.updated.or(post.published).unwrap_or(now).min(now),
        received_at: now,
        kind: clean::kind(&post.kind),
        sensitive: post.sensitive,
        in_reply_to: post.in_reply_to.as_ref().map(Url::to_string),
        details: serde_json::to_string(details).map_err(anyhow::Error::from)?,
    })
}

/// Stores a post (from a Create, an Update, or a boost) when it concerns us; otherwise it
/// is accepted and ignored. Whether it was stored. `activity`, the Create or Update that
/// carried it, is recorded in the same transaction: only its first delivery has an effect
/// (a retried Create cannot undo a later edit), and a failure forgets it with the rest.
pub async fn receive_post(
    data: &AppState,
    post: IncomingPost,
    boost: Option<Boost>,
    activity: Option<&Url>,
) -> AppResult<bool> {
    let activity = activity.map(Url::to_string);
    let details = clean::details(post.details.clone());
    let form = form(&post, &details)?;
    let urls = data.urls.clone();
    let silenced = domains::is_silenced(data, &host_and_port(&post.author)).await?;
    let stored = data
        .writer
        .write(move |conn| {
            if let Some(activity) = &activity {
                if !db::activities::mark_received(conn, activity, db::now())? {
                    tracing::debug!(%activity, "activity already processed");
                    return Ok(false);
                }
            }
            store(
                conn,
                &urls,
                &post,
                form.clone(),
                &details,
                boost.as_ref(),
                silenced,
            )
        })
        .await?;
    if stored {
        super::changed(data);
    }
    Ok(stored)
}

fn store(
    conn: &mut AnyConnection,
    urls: &Urls,
    post: &IncomingPost,
    form: DbRemotePostForm,
    details: &PostDetails,
    boost: Option<&Boost>,
    author_silenced: bool,
) -> AppResult<bool> {
    let Some(db::remote_posts::Weighed {
        author,
        author_followed,
        removed,
        stored,
    }) = db::remote_posts::weigh(conn, post.author.as_str(), &form.ap_id)?
    else {
        return Ok(false); // the federation layer stores the author before it asks
    };
    if author.local {
        return Err(AppError::forbidden("error-own-post-sent-back"));
    }
    let (booster, booster_followed) = match boost {
        Some(boost) => match db::follows::actor_and_followed(conn, boost.by.as_str())? {
            Some((booster, followed)) => (Some(booster), followed),
            None => (None, false),
        },
        None => (None, false),
    };
    let reply_to_us = match &post.in_reply_to {
        Some(target) => replies_to_us(conn, urls, target)?,
        None => false,
    };
    if removed {
        return Ok(false); // moderators removed it
    }
    match &stored {
        Some(stored) if stored.actor_id != author.id => {
            return Err(AppError::forbidden("error-only-author-changes"));
        }
        Some(stored) if stored.deleted_at.is_some() => return Ok(false),
        // An older copy (a late Create, a stale embedded version) never undoes an edit.
        Some(stored) if boost.is_none() && stored.updated > form.updated => return Ok(false),
        _ => {}
    }
    let concerns_us = stored.is_some()
        || author_followed
        || booster_followed
        || reply_to_us
        || mentions_us(conn, urls, details)?;
    if !concerns_us {
        return Ok(false);
    }
    let form = DbRemotePostForm {
        actor_id: author.id,
        ..form
    };
    let upserted = db::remote_posts::upsert(conn, &form)?;
    let (id, published) = (upserted.id, upserted.published);
    // Stored just now: no entry shows it yet. (Absent when read, yet replaced: another
    // transaction stored it meanwhile, on PostgreSQL. Should both have read the clock in
    // the same microsecond, the entry's insert falls back to an upsert.)
    let new = stored.is_none() && !upserted.replaced;
    // Images are fetched into the media cache when first shown, never hot-linked.
    let mut images: Vec<String> = details
        .attachments
        .iter()
        .filter(|a| a.is_image())
        .map(|a| a.url.clone())
        .collect();
    images.extend(author.icon_url.iter().cloned());
    if let Some(booster) = &booster {
        images.extend(booster.icon_url.iter().cloned());
    }
    media::register(conn, &images)?;
    let entry = |key: String, boosted_by: Option<i64>, published: NaiveDateTime| DbEntryForm {
        entry_key: key,
        post_id: None,
        remote_post_id: Some(id),
        author_id: author.id,
        boosted_by,
        kind: form.kind.clone(),
        language: form.language.clone(),
        domain: author.domain.clone(),
        local: false,
        published,
        starts_at: details.event.as_ref().and_then(|e| utc(&e.start)),
        ends_at: details
            .event
            .as_ref()
            .and_then(|e| e.end.as_deref().and_then(utc)),
        deadline_at: details.call.as_ref().and_then(|c| utc(&c.deadline)),
    };
    // An edit reaches every entry already showing the post (its own, its boosts').
    let own = entry(entries::remote_key(id), None, published);
    if !new {
        entries::refresh_remote(conn, id, &own, &details.topics)?;
    }
    // Replies are shown under what they answer, not in the timeline.
    let shown = post.in_reply_to.is_none();
    if shown && author_followed {
        if new {
            entries::insert(conn, &own, &details.topics)?;
        } else {
            entries::upsert(conn, &own, &details.topics)?;
        }
    }
    if let (Some(boost), Some(booster)) = (boost, &booster) {
        // A boost id already recorded for another booster or post is not taken over.
        if let Some(known) = reactions::by_ap_id(conn, boost.ap_id.as_str())? {
            if known.actor_id != booster.id || known.object_ap_id != form.ap_id {
                return Ok(true);
            }
        }
        reactions::insert(
            conn,
            boost.ap_id.as_str(),
            reactions::ANNOUNCE,
            booster.id,
            &form.ap_id,
            db::now(),
        )?;
        let boosted_at = boost.published.unwrap_or_else(db::now).min(db::now());
        // As Mastodon does: a boost of a post the timeline shows near the top already (its
        // author is followed and it is recent) is not shown a second time.
        let shown_already = author_followed && boosted_at - published < SHOWN_ALREADY;
        // A silenced domain's posts reach the timeline only through a follow of their author.
        if booster_followed && shown && !shown_already && !author_silenced {
            let published = boosted_at;
            entries::upsert(
                conn,
                &entry(
                    entries::boost_key(boost.ap_id.as_str()),
                    Some(booster.id),
                    published,
                ),
                &details.topics,
            )?;
        }
    }
    Ok(true)
}

/// Deletes a stored post when its author asks (a Delete of something never seen is fine).
pub async fn receive_delete(data: &AppState, actor: &Url, id: &Url) -> AppResult<()> {
    if id == actor {
        return delete_actor(data, actor).await;
    }
    let (actor, id) = (actor.to_string(), id.to_string());
    let forgotten = db::run(&data.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let (Some(stored), Some(author)) = (
                db::remote_posts::by_ap_id(conn, &id)?,
                db::actors::by_ap_id(conn, &actor)?,
            ) else {
                return Ok(false);
            };
            if stored.actor_id != author.id {
                return Err(AppError::forbidden("error-only-author-deletes"));
            }
            forget_post(conn, stored.id)
        })
    })
    .await?;
    if forgotten {
        super::changed(data);
    }
    Ok(())
}

/// A post gone at its origin (a group or relay said it was deleted, and its server
/// confirms): forgotten whoever relayed the news.
pub async fn receive_gone(data: &AppState, id: &Url) -> AppResult<()> {
    let id = id.to_string();
    let forgotten = db::run(&data.db, move |conn| {
        db::write_transaction(conn, |conn| match db::remote_posts::by_ap_id(conn, &id)? {
            Some(stored) => forget_post(conn, stored.id),
            None => Ok(false),
        })
    })
    .await?;
    if forgotten {
        super::changed(data);
    }
    Ok(())
}

/// Marks a stored post deleted and takes it out of the timeline: whether it was shown.
pub(crate) fn forget_post(conn: &mut AnyConnection, id: i64) -> AppResult<bool> {
    db::remote_posts::mark_deleted(conn, id, db::now())?;
    Ok(entries::delete_for_remote_post(conn, id)? > 0)
}

/// An actor deleted its account: forget it, its follows both ways and its posts.
async fn delete_actor(data: &AppState, actor: &Url) -> AppResult<()> {
    let key = actor.to_string();
    let deleted = db::run(&data.db, move |conn| {
        db::write_transaction(conn, |conn| {
            Ok(match db::actors::by_ap_id(conn, &key)? {
                Some(found) if !found.local => {
                    entries::forget_actor(conn, found.id)?;
                    db::actors::delete(conn, found.id)?
                }
                _ => 0,
            })
        })
    })
    .await?;
    data.actor_cache.invalidate(actor).await;
    if deleted > 0 {
        super::changed(data);
        tracing::info!(%actor, "remote actor deleted its account");
    }
    Ok(())
}

/// A like or boost of one of our posts (others' posts' reactions are not counted here).
pub async fn receive_reaction(
    data: &AppState,
    ap_id: &Url,
    kind: &'static str,
    actor: &Url,
    object: &Url,
) -> AppResult<()> {
    let Some((kind_of_post, post_id)) = data.urls.post_of(object) else {
        return Ok(()); // not one of our posts' ids
    };
    let (ap_id, actor, object) = (ap_id.to_string(), actor.to_string(), object.to_string());
    db::run(&data.db, move |conn| {
        let live = db::posts::get(conn, post_id)?
            .is_some_and(|p| p.post.deleted_at.is_none() && p.kind() == kind_of_post);
        if !live {
            return Ok(());
        }
        if let Some(actor) = db::actors::by_ap_id(conn, &actor)? {
            reactions::insert(conn, &ap_id, kind, actor.id, &object, db::now())?;
        }
        Ok(())
    })
    .await
}

/// Undo of a like or boost: by the undone activity's id, else by who reacted to what.
/// Only its actor may undo it; undoing what we never saw changes nothing.
pub async fn undo_reaction(
    data: &AppState,
    actor: &Url,
    kind: &'static str,
    undone: Option<&Url>,
    object: Option<&Url>,
) -> AppResult<()> {
    let actor = actor.to_string();
    let undone = undone.map(Url::to_string);
    let object = object.map(Url::to_string);
    let unboosted = db::run(&data.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let Some(actor) = db::actors::by_ap_id(conn, &actor)? else {
                return Ok(false);
            };
            let mut found = match &undone {
                Some(id) => reactions::by_ap_id(conn, id)?,
                None => None,
            };
            if found.is_none() {
                if let Some(object) = &object {
                    found = reactions::by_actor_and_object(conn, kind, actor.id, object)?;
                }
            }
            let Some(reaction) = found else {
                return Ok(false);
            };
            if reaction.actor_id != actor.id {
                return Err(AppError::forbidden("error-only-actor-undoes-reaction"));
            }
            reactions::delete(conn, reaction.id)?;
            Ok(entries::delete_by_key(conn, &entries::boost_key(&reaction.ap_id))? > 0)
        })
    })
    .await?;
    if unboosted {
        super::changed(data);
    }
    Ok(())
}
