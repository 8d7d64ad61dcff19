//! Moderating what the network sends, one post or actor at a time: remove a remote post or
//! reply (from the timeline and from under our posts), block a remote actor (its activities
//! refused, nothing of it fetched, what we stored of it forgotten). Audited.

use activitypub_federation::config::Data;
use url::Url;

use crate::{
    db::{self, posts::PostView},
    error::{AppError, AppResult},
    i18n::Message,
    service::{
        audit, network,
        timeline::{self, Item},
        users::{check_may_publish_as, check_moderator, Staff},
    },
    state::AppState,
};

/// Removes a remote post or reply we store (by its id or URL): it leaves the timeline and
/// the pages, and is not stored again (moderators and admins).
pub async fn remove_post(
    state: &AppState,
    staff: &Staff,
    id: &str,
    comment: &str,
) -> AppResult<()> {
    check_moderator(staff)?;
    let (staff, id, comment) = (
        staff.clone(),
        id.trim().to_string(),
        comment.trim().to_string(),
    );
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let stored = db::remote_posts::by_id_or_url(conn, &id)?.ok_or_else(|| {
                AppError::bad_request(Message::new("error-unknown-remote-post").arg("id", &id))
            })?;
            timeline::receive::forget_post(conn, stored.id)?;
            db::remote_posts::mark_removed(conn, &stored.ap_id, db::now())?;
            audit::record(conn, &staff, "post.remove", &stored.ap_id, &comment)?;
            Ok(())
        })
    })
    .await?;
    timeline::changed(state);
    Ok(())
}

/// The replies under one of our posts with whether each is hidden, for those who may hide
/// them: who publishes as its account, and moderators.
pub async fn replies_under(
    state: &AppState,
    staff: &Staff,
    post: &PostView,
) -> AppResult<Vec<(Item, bool)>> {
    check_may_hide(state, staff, post).await?;
    let url = state.urls.post(post.kind(), post.post.id);
    timeline::replies::for_publishers(state, &url).await
}

/// 403 unless `staff` may see and hide the replies under `post`: moderators, and those who
/// publish as its account.
pub async fn check_may_hide(state: &AppState, staff: &Staff, post: &PostView) -> AppResult<()> {
    if staff.may_moderate() {
        Ok(())
    } else {
        check_may_publish_as(state, staff, &post.account).await
    }
}

/// Hides (or shows again) a reply under one of our posts, or an answer to such a reply: it
/// is kept, and no longer shown under the post nor counted. For those who publish as the
/// post's account, and for moderators.
pub async fn hide_reply(
    state: &AppState,
    staff: &Staff,
    post: &PostView,
    reply: &str,
    hide: bool,
) -> AppResult<()> {
    check_may_hide(state, staff, post).await?;
    let post_url = state.urls.post(post.kind(), post.post.id).to_string();
    let (staff, reply) = (staff.clone(), reply.trim().to_string());
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let under_post = |conn: &mut db::AnyConnection, id: &str| -> AppResult<bool> {
                Ok(db::remote_posts::by_ap_id(conn, id)?
                    .and_then(|p| p.in_reply_to)
                    .is_some_and(|parent| parent == post_url))
            };
            let stored = db::remote_posts::by_ap_id(conn, &reply)?;
            let parent = stored.as_ref().and_then(|p| p.in_reply_to.clone());
            let in_thread = match parent {
                Some(parent) => parent == post_url || under_post(conn, &parent)?,
                None => false,
            };
            if !in_thread {
                return Err(AppError::bad_request(
                    Message::new("error-not-a-reply-under")
                        .arg("reply", &reply)
                        .arg("post", &post_url),
                ));
            }
            let who = staff.name();
            let changed = if hide {
                db::remote_posts::hide_reply(conn, &reply, &who, db::now())?
            } else {
                db::remote_posts::show_reply(conn, &reply)?
            };
            if changed {
                let action = if hide { "reply.hide" } else { "reply.show" };
                audit::record(conn, &staff, action, &reply, &post_url)?;
            }
            Ok(())
        })
    })
    .await
}

/// Blocks a remote actor (a handle or an actor URL): its activities get 403, nothing of it
/// is fetched, and its posts, follows both ways and boosts are forgotten (moderators and
/// admins). The actor's id, blocked.
pub async fn block_actor(
    data: &Data<AppState>,
    staff: &Staff,
    actor: &str,
    comment: &str,
) -> AppResult<String> {
    check_moderator(staff)?;
    // An address is looked up for the actor's real id (a profile page, an alias); one that
    // cannot be read is blocked as given.
    let ap_id = match Url::parse(actor.trim()) {
        Ok(mut url) if matches!(url.scheme(), "http" | "https") => {
            url.set_fragment(None);
            match network::resolve_actor(data, url.as_str()).await {
                Ok(found) => found.ap_id.to_string(),
                Err(e) => {
                    tracing::info!(%url, error = %e, "blocking an actor that could not be read");
                    url.to_string()
                }
            }
        }
        _ => network::resolve_actor(data, actor).await?.ap_id.to_string(),
    };
    if data
        .urls
        .is_local(&Url::parse(&ap_id).map_err(|_| AppError::not_found())?)
    {
        return Err(AppError::invalid("actor", "error-own-accounts-not-blocked"));
    }
    let (staff, blocked, comment) = (staff.clone(), ap_id.clone(), comment.trim().to_string());
    db::run(&data.db, move |conn| {
        db::write_transaction(conn, |conn| {
            db::domains::block_actor(conn, &blocked, &comment, db::now())?;
            if let Some(known) = db::actors::by_ap_id(conn, &blocked)?.filter(|a| !a.local) {
                db::timeline::forget_actor(conn, known.id)?;
                db::actors::delete_many(conn, &[known.id])?;
            }
            audit::record(conn, &staff, "actor.block", &blocked, &comment)?;
            Ok::<_, AppError>(())
        })
    })
    .await?;
    changed(data);
    Ok(ap_id)
}

/// Lifts an actor's block (400 when it was not blocked).
pub async fn unblock_actor(state: &AppState, staff: &Staff, actor: &str) -> AppResult<()> {
    check_moderator(staff)?;
    let (staff, actor) = (staff.clone(), actor.trim().to_string());
    db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            if db::domains::unblock_actor(conn, &actor)? == 0 {
                return Err(AppError::bad_request(
                    Message::new("error-actor-not-blocked").arg("actor", &actor),
                ));
            }
            audit::record(conn, &staff, "actor.unblock", &actor, "")?;
            Ok(())
        })
    })
    .await?;
    changed(state);
    Ok(())
}

/// Blocked actors listed on one page.
pub const BLOCKED_PAGE: i64 = 100;

/// One page (from 1) of blocked actors and why, newest first.
pub async fn blocked_actors(
    state: &AppState,
    staff: &Staff,
    page: i64,
) -> AppResult<Vec<(String, String)>> {
    check_moderator(staff)?;
    let offset = (page.max(1) - 1) * BLOCKED_PAGE;
    db::run(&state.db, move |conn| {
        Ok(db::domains::blocked_actors(conn, BLOCKED_PAGE, offset)?)
    })
    .await
}

fn changed(state: &AppState) {
    state.block_list.invalidate_all();
    state.actor_cache.invalidate_all();
    timeline::changed(state);
}
