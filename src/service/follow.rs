//! Following other instances, and being followed by them.

use activitypub_federation::config::Data;
use url::Url;

use crate::{
    db::{
        self,
        actors::DbActor,
        follows::{self, DbFollow, DbFollowForm, ACCEPTED, PENDING, REJECTED},
    },
    error::{AppError, AppResult},
    i18n::Message,
    service::{
        accounts, audit,
        network::{self, FollowParties, Outbound},
        users::{self, Staff},
    },
    state::AppState,
};

/// What a follow request led to.
#[derive(Clone, Debug)]
pub struct FollowOutcome {
    pub target: DbActor,
    pub state: String,
    /// False when the follow was already accepted and nothing was sent.
    pub sent: bool,
}

/// `account` (default: the instance's account) follows `target` (a handle or an actor URL):
/// resolves it, records a pending follow and queues the `Follow`.
pub async fn follow(
    data: &Data<AppState>,
    staff: &Staff,
    account: Option<&str>,
    target: &str,
) -> AppResult<FollowOutcome> {
    let account = accounts::by_name_or_default(data, account).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let target = network::resolve_actor(data, target).await?;
    if target.local {
        return Err(AppError::bad_request("error-follow-target-local"));
    }
    let (account_id, target_id) = (account.id, target.id);
    let new_id = data.urls.new_activity().to_string();
    let now = db::now();
    let (staff, audited) = (
        staff.clone(),
        format!("{} to {}", account.handle(), target.handle()),
    );
    // Read and written in one transaction, so that an Accept arriving meanwhile is kept.
    let sent = network::commit(data, move |conn| {
        let existing = follows::find(conn, account_id, target_id)?;
        if existing.as_ref().is_some_and(DbFollow::is_accepted) {
            return Ok((false, vec![]));
        }
        // A pending follow is sent again with its own id, so a lost Follow can be retried;
        // a rejected one is a new request, with a new id (the old one was answered).
        let activity_id = match existing {
            Some(pending) if pending.state == PENDING => pending.activity_id,
            _ => new_id,
        };
        follows::insert_or_refresh(
            conn,
            &DbFollowForm {
                follower_id: account_id,
                followee_id: target_id,
                activity_id: &activity_id,
                state: PENDING,
                created_at: now,
                updated_at: now,
            },
        )?;
        let parties = FollowParties {
            follower_id: account_id,
            followee_id: target_id,
            activity_id,
        };
        audit::record(conn, &staff, "follow.request", &audited, "")?;
        Ok((true, vec![Outbound::FollowRequested(parties)]))
    })
    .await?;
    if !sent {
        return Ok(FollowOutcome {
            target,
            state: ACCEPTED.into(),
            sent: false,
        });
    }
    tracing::info!(account = %account.handle(), target = %target.handle(), "follow sent");
    Ok(FollowOutcome {
        target,
        state: PENDING.into(),
        sent: true,
    })
}

/// Follows listed on one page, unless asked otherwise, and at most.
pub const FOLLOWING_PAGE: i64 = 80;
pub const FOLLOWING_PAGE_MAX: i64 = 200;

/// Whom `account` follows or asked to follow, with the state of each follow (pending,
/// accepted, rejected), oldest first: page `page` (from 1) of `limit`.
pub async fn following(
    data: &Data<AppState>,
    staff: &Staff,
    account: Option<&str>,
    page: i64,
    limit: i64,
) -> AppResult<(DbActor, Vec<(DbActor, String)>)> {
    if !(1..=FOLLOWING_PAGE_MAX).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            Message::new("error-limit-range").count("max", FOLLOWING_PAGE_MAX),
        ));
    }
    if page < 1 {
        return Err(AppError::invalid("page", "error-one-or-more"));
    }
    let account = accounts::by_name_or_default(data, account).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let id = account.id;
    let offset = (page - 1).saturating_mul(limit);
    let rows = db::run(&data.db, move |conn| {
        Ok(follows::following(conn, id, None, limit, offset)?)
    })
    .await?;
    Ok((
        account,
        rows.into_iter()
            .map(|(follow, actor)| (actor, follow.state))
            .collect(),
    ))
}

/// Stops following: removes the follow and queues `Undo{Follow}`.
pub async fn unfollow(
    data: &Data<AppState>,
    staff: &Staff,
    account: Option<&str>,
    target: &str,
) -> AppResult<DbActor> {
    let account = accounts::by_name_or_default(data, account).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let target = network::resolve_actor(data, target).await?;
    let (account_id, target_id) = (account.id, target.id);
    let not_following = Message::new("error-not-following")
        .arg("account", account.handle())
        .arg("target", target.handle());
    let (staff, audited) = (
        staff.clone(),
        format!("{} to {}", account.handle(), target.handle()),
    );
    network::commit(data, move |conn| {
        let existing = follows::find(conn, account_id, target_id)?
            .ok_or_else(|| AppError::bad_request(not_following))?;
        follows::delete(conn, account_id, target_id)?;
        audit::record(conn, &staff, "follow.withdraw", &audited, "")?;
        Ok((
            (),
            vec![Outbound::FollowWithdrawn(FollowParties::from(&existing))],
        ))
    })
    .await?;
    tracing::info!(account = %account.handle(), target = %target.handle(), "unfollowed");
    Ok(target)
}

/// How long a mover's later Moves are ignored (Mastodon and GoToSocial wait 7 days): two
/// accounts naming each other cannot keep our accounts following back and forth.
pub const MOVE_COOLDOWN: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// An actor some of our accounts follow moved to `target` (a verified `Move`): believed
/// only when `target`, fetched again now, is at that very id, has not moved itself, and
/// names the mover among the accounts it also is (`alsoKnownAs`), as Mastodon requires.
/// Then each of our accounts that followed the mover follows the target and stops
/// following the mover. Nothing is fetched for a mover none of our accounts follows.
pub async fn follow_moved(data: &Data<AppState>, mover: &Url, target: &Url) -> AppResult<()> {
    let mover_id = mover.to_string();
    let found = db::run(&data.db, move |conn| {
        let Some(old) = db::actors::by_ap_id(conn, &mover_id)? else {
            return Ok(None);
        };
        let followers = follows::local_followers(conn, old.id)?;
        Ok(Some((old, followers)))
    })
    .await?;
    let Some((old, followers)) = found.filter(|(_, followers)| !followers.is_empty()) else {
        return Ok(());
    };
    // Not `old.moved_to`: the mover's Update (with movedTo) usually arrives first.
    if data.recent_moves.contains_key(mover.as_str()) {
        tracing::info!(%mover, %target, "a repeated Move is ignored");
        return Ok(());
    }
    if data.urls.is_local(target) {
        return Err(AppError::bad_request("error-move-to-local-account"));
    }
    let new = network::refresh_actor(data, target).await?;
    if *new.ap_id != *target {
        return Err(AppError::bad_request(
            Message::new("error-move-target-not-own-id").arg("target", target),
        ));
    }
    if new.moved_to.is_some() {
        return Err(AppError::bad_request(
            Message::new("error-move-target-moved").arg("target", target),
        ));
    }
    if !new.names_alias(mover.as_str()) {
        return Err(AppError::bad_request(
            Message::new("error-move-target-no-alias")
                .arg("target", target)
                .arg("mover", mover),
        ));
    }
    // Claimed atomically: of two Moves checked at once, only one goes on.
    let claimed = data
        .recent_moves
        .entry(mover.to_string())
        .or_insert(())
        .await
        .is_fresh();
    if !claimed {
        return Ok(());
    }
    let (old_id, target_id) = (old.id, new.ap_id.to_string());
    let recorded = data
        .writer
        .write(move |conn| Ok(db::actors::set_moved_to(conn, old_id, &target_id)?))
        .await;
    if let Err(e) = recorded {
        // Nothing was done: the sender's retry may be acted on.
        data.recent_moves.invalidate(mover.as_str()).await;
        return Err(e);
    }
    data.actor_cache.invalidate(mover).await;
    for account in followers {
        let name = Some(account.username.as_str());
        let moved = async {
            follow(data, &Staff::Operator, name, new.ap_id.as_str()).await?;
            unfollow(data, &Staff::Operator, name, mover.as_str()).await
        };
        match moved.await {
            Ok(_) => {
                tracing::info!(account = %account.handle(), from = %mover, to = %target, "followed a moved account")
            }
            Err(e) => {
                tracing::warn!(account = %account.handle(), from = %mover, to = %target, error = %e, "could not follow a moved account")
            }
        }
    }
    Ok(())
}

/// A Follow named by an Accept, Reject or Undo: its id, and when embedded, its parties.
#[derive(Clone, Debug, Default)]
pub struct FollowRef {
    pub id: Option<Url>,
    pub kind: Option<String>,
    pub actor: Option<Url>,
    pub object: Option<Url>,
}

/// A remote actor asked to follow one of our accounts.
pub async fn receive_follow(
    data: &Data<AppState>,
    follower: DbActor,
    account: DbActor,
    activity_id: Url,
) -> AppResult<()> {
    let (follower_id, account_id) = (follower.id, account.id);
    // Only relays we subscribed to may follow the instance actor: accepted at once. A
    // silenced domain's follows wait for approval.
    let silenced = super::domains::is_silenced(data, &follower.domain).await?;
    let manual = (account.manually_approves_followers && !account.is_instance_actor()) || silenced;
    let id = activity_id.to_string();
    let now = db::now();
    let follow = network::commit(data, move |conn| {
        // An already accepted follow stays accepted when the Follow is sent again.
        let state = match follows::find(conn, follower_id, account_id)? {
            Some(existing) if existing.is_accepted() => ACCEPTED,
            _ if manual => PENDING,
            _ => ACCEPTED,
        };
        let follow = follows::insert_or_refresh(
            conn,
            &DbFollowForm {
                follower_id,
                followee_id: account_id,
                activity_id: &id,
                state,
                created_at: now,
                updated_at: now,
            },
        )?;
        let events = if follow.is_accepted() {
            vec![Outbound::FollowAccepted(FollowParties::from(&follow))]
        } else {
            vec![]
        };
        Ok((follow, events))
    })
    .await?;
    tracing::info!(account = %account.handle(), follower = %follower.handle(), state = %follow.state, "follow received");
    Ok(())
}

/// The follow of ours that an Accept/Reject/Undo names: by its id, or by its parties.
async fn find_follow(
    data: &Data<AppState>,
    follow: &FollowRef,
    follower: Option<Url>,
    followee: Option<Url>,
) -> AppResult<Option<(DbFollow, DbActor, DbActor)>> {
    let id = follow.id.as_ref().map(Url::to_string);
    let follower = follower.map(String::from);
    let followee = followee.map(String::from);
    db::run(&data.db, move |conn| {
        let found = match id.as_deref() {
            Some(id) => follows::by_activity_id(conn, id)?,
            None => None,
        };
        let found = match (found, follower, followee) {
            (Some(found), _, _) => Some(found),
            (None, Some(follower), Some(followee)) => {
                match (
                    db::actors::by_ap_id(conn, &follower)?,
                    db::actors::by_ap_id(conn, &followee)?,
                ) {
                    (Some(a), Some(b)) => follows::find(conn, a.id, b.id)?,
                    _ => None,
                }
            }
            _ => None,
        };
        found
            .map(|f| {
                let follower = db::actors::by_id(conn, f.follower_id)?;
                let followee = db::actors::by_id(conn, f.followee_id)?;
                Ok((f, follower, followee))
            })
            .transpose()
    })
    .await
}

/// A remote actor accepted or rejected one of our follows (or, with Reject, removed us
/// from its followers).
pub async fn receive_answer(
    data: &Data<AppState>,
    answered_by: &Url,
    follow: &FollowRef,
    accepted: bool,
) -> AppResult<()> {
    let found = find_follow(
        data,
        follow,
        follow.actor.clone(),
        Some(answered_by.clone()),
    )
    .await?;
    let Some((row, follower, followee)) = found else {
        tracing::debug!(%answered_by, "answer to an unknown follow ignored");
        return Ok(());
    };
    // Only the followed actor may answer, and only for a follow by one of our accounts.
    if &*followee.ap_id != answered_by || !follower.local {
        return Err(AppError::forbidden("error-follow-answer-followee-only"));
    }
    let now = db::now();
    db::run(&data.db, move |conn| {
        follows::set_state(
            conn,
            row.id,
            if accepted { ACCEPTED } else { REJECTED },
            now,
        )?;
        Ok(())
    })
    .await?;
    tracing::info!(follower = %follower.handle(), followee = %followee.handle(), accepted, "follow answered");
    Ok(())
}

/// A remote follower withdrew its follow.
pub async fn receive_undo_follow(
    data: &Data<AppState>,
    actor: &Url,
    follow: &FollowRef,
) -> AppResult<()> {
    let found = find_follow(data, follow, Some(actor.clone()), follow.object.clone()).await?;
    let Some((row, follower, _)) = found else {
        return Ok(());
    };
    if &*follower.ap_id != actor {
        return Err(AppError::forbidden("error-undo-own-follow-only"));
    }
    db::run(&data.db, move |conn| {
        follows::delete(conn, row.follower_id, row.followee_id)?;
        Ok(())
    })
    .await?;
    Ok(())
}

/// Pending follow requests of an account that approves followers by hand (oldest first,
/// at most 1,000).
pub async fn requests(
    data: &Data<AppState>,
    staff: &Staff,
    account: Option<&str>,
) -> AppResult<Vec<DbActor>> {
    let account = accounts::by_name_or_default(data, account).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    db::run(&data.db, move |conn| {
        Ok(follows::followers(conn, account.id, PENDING, 1_000, 0)?)
    })
    .await
}

/// Accepted followers of an account, oldest first: page `page` (from 1) of `limit`.
pub async fn followers(
    data: &Data<AppState>,
    staff: &Staff,
    account: Option<&str>,
    page: i64,
    limit: i64,
) -> AppResult<(DbActor, Vec<DbActor>)> {
    if !(1..=FOLLOWING_PAGE_MAX).contains(&limit) || page < 1 {
        return Err(AppError::invalid("page", "error-page-and-limit"));
    }
    let account = accounts::by_name_or_default(data, account).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let (id, offset) = (account.id, (page - 1).saturating_mul(limit));
    let rows = db::run(&data.db, move |conn| {
        Ok(follows::followers(conn, id, ACCEPTED, limit, offset)?)
    })
    .await?;
    Ok((account, rows))
}

/// Removes a follower: its follow is forgotten and a `Reject` of it tells its server, as
/// Mastodon's "remove follower" does.
pub async fn remove_follower(
    data: &Data<AppState>,
    staff: &Staff,
    account: Option<&str>,
    follower: &str,
) -> AppResult<DbActor> {
    let account = accounts::by_name_or_default(data, account).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let follower = network::resolve_actor(data, follower).await?;
    let (account_id, follower_id, staff) = (account.id, follower.id, staff.clone());
    let target = format!("{} from {}", follower.handle(), account.handle());
    network::commit(data, move |conn| {
        let row = follows::find(conn, follower_id, account_id)?
            .ok_or_else(|| AppError::bad_request("error-not-a-follower"))?;
        follows::delete(conn, follower_id, account_id)?;
        audit::record(conn, &staff, "follower.remove", &target, "")?;
        Ok((
            (),
            vec![Outbound::FollowRejected(FollowParties::from(&row))],
        ))
    })
    .await?;
    Ok(follower)
}

/// Approves (Accept) or refuses (Reject) a pending follow request.
pub async fn decide_request(
    data: &Data<AppState>,
    staff: &Staff,
    account: Option<&str>,
    follower: &str,
    approve: bool,
) -> AppResult<DbActor> {
    let account = accounts::by_name_or_default(data, account).await?;
    users::check_may_publish_as(data, staff, &account).await?;
    let follower = network::resolve_actor(data, follower).await?;
    let (account_id, follower_id) = (account.id, follower.id);
    let now = db::now();
    let staff = staff.clone();
    let target = format!("{} to {}", follower.handle(), account.handle());
    network::commit(data, move |conn| {
        let row = follows::find(conn, follower_id, account_id)?
            .filter(|f| f.state == PENDING)
            .ok_or_else(|| AppError::bad_request("error-no-pending-request"))?;
        let event = if approve {
            follows::set_state(conn, row.id, ACCEPTED, now)?;
            Outbound::FollowAccepted(FollowParties::from(&row))
        } else {
            follows::delete(conn, follower_id, account_id)?;
            Outbound::FollowRejected(FollowParties::from(&row))
        };
        let action = if approve {
            "follow.approve"
        } else {
            "follow.reject"
        };
        audit::record(conn, &staff, action, &target, "")?;
        Ok(((), vec![event]))
    })
    .await?;
    Ok(follower)
}
