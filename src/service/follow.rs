//! Following other instances, and being followed by them.

use activitypub_federation::config::Data;
use url::Url;

use crate::{
    db::{
        self,
        actors::DbActor,
        follows::{self, DbFollow, DbFollowForm, ACCEPTED, PENDING},
    },
    error::{AppError, AppResult},
    federation::{
        activities::{follow::FollowRef, Accept, Follow, Reject, Undo},
        delivery, webfinger,
    },
    service::accounts,
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
    account: Option<&str>,
    target: &str,
) -> AppResult<FollowOutcome> {
    let account = accounts::by_name_or_default(data, account).await?;
    let target = webfinger::resolve_actor(data, target).await?;
    if target.local {
        return Err(AppError::bad_request("that account is on this instance"));
    }
    let (account_id, target_id) = (account.id, target.id);
    let existing = db::run(&data.db, move |conn| {
        Ok(follows::find(conn, account_id, target_id)?)
    })
    .await?;
    if let Some(existing) = existing.as_ref().filter(|f| f.is_accepted()) {
        return Ok(FollowOutcome {
            target,
            state: existing.state.clone(),
            sent: false,
        });
    }
    // A pending follow is sent again with its own id, so a lost Follow can be retried.
    let id = match existing {
        Some(pending) => Url::parse(&pending.activity_id)
            .map_err(|e| AppError::other(anyhow::anyhow!("stored follow id: {e}")))?,
        None => data.urls.new_activity(),
    };
    let follow = Follow::new(id.clone(), &account, &target);
    let now = db::now();
    let activity_id = id.to_string();
    db::run(&data.db, move |conn| {
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
        Ok(())
    })
    .await?;
    delivery::send(
        data,
        &account,
        &follow,
        &id,
        "Follow",
        vec![target.inbox.clone()],
        false,
    )
    .await?;
    tracing::info!(account = %account.handle(), target = %target.handle(), "follow sent");
    Ok(FollowOutcome {
        target,
        state: PENDING.into(),
        sent: true,
    })
}

/// Stops following: removes the follow and queues `Undo{Follow}`.
pub async fn unfollow(
    data: &Data<AppState>,
    account: Option<&str>,
    target: &str,
) -> AppResult<DbActor> {
    let account = accounts::by_name_or_default(data, account).await?;
    let target = webfinger::resolve_actor(data, target).await?;
    let (account_id, target_id) = (account.id, target.id);
    let existing = db::run(&data.db, move |conn| {
        let existing = follows::find(conn, account_id, target_id)?;
        follows::delete(conn, account_id, target_id)?;
        Ok(existing)
    })
    .await?
    .ok_or_else(|| {
        AppError::bad_request(format!(
            "{} does not follow {}",
            account.handle(),
            target.handle()
        ))
    })?;
    let follow_id = Url::parse(&existing.activity_id)
        .map_err(|e| AppError::other(anyhow::anyhow!("stored follow id: {e}")))?;
    let undo_id = data.urls.new_activity();
    let undo = Undo::new(
        undo_id.clone(),
        &account,
        &Follow::new(follow_id, &account, &target),
    )?;
    delivery::send(
        data,
        &account,
        &undo,
        &undo_id,
        "Undo",
        vec![target.inbox.clone()],
        false,
    )
    .await?;
    tracing::info!(account = %account.handle(), target = %target.handle(), "unfollowed");
    Ok(target)
}

/// A remote actor asked to follow one of our accounts.
pub async fn receive_follow(
    data: &Data<AppState>,
    follower: DbActor,
    account: DbActor,
    activity_id: Url,
) -> AppResult<()> {
    let (follower_id, account_id) = (follower.id, account.id);
    let manual = account.manually_approves_followers;
    let id = activity_id.to_string();
    let now = db::now();
    let follow = db::run(&data.db, move |conn| {
        // An already accepted follow stays accepted when the Follow is sent again.
        let state = match follows::find(conn, follower_id, account_id)? {
            Some(existing) if existing.is_accepted() => ACCEPTED,
            _ if manual => PENDING,
            _ => ACCEPTED,
        };
        Ok(follows::insert_or_refresh(
            conn,
            &DbFollowForm {
                follower_id,
                followee_id: account_id,
                activity_id: &id,
                state,
                created_at: now,
                updated_at: now,
            },
        )?)
    })
    .await?;
    if follow.is_accepted() {
        send_answer(data, &account, &follower, &follow, true).await?;
    }
    tracing::info!(account = %account.handle(), follower = %follower.handle(), state = %follow.state, "follow received");
    Ok(())
}

/// Sends Accept (or Reject) of a follower's Follow.
async fn send_answer(
    data: &Data<AppState>,
    account: &DbActor,
    follower: &DbActor,
    follow: &DbFollow,
    accept: bool,
) -> AppResult<()> {
    let follow_id = Url::parse(&follow.activity_id)
        .map_err(|e| AppError::bad_request(format!("follow id: {e}")))?;
    let original = Follow::new(follow_id, follower, account);
    let id = data.urls.new_activity();
    let inbox = vec![follower.inbox.clone()];
    if accept {
        let answer = Accept::new(id.clone(), account, &original)?;
        delivery::send(data, account, &answer, &id, "Accept", inbox, false).await
    } else {
        let answer = Reject::new(id.clone(), account, &original)?;
        delivery::send(data, account, &answer, &id, "Reject", inbox, false).await
    }
    .map(|_| ())
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
        return Err(AppError::forbidden(
            "only the followed actor may answer a follow",
        ));
    }
    let now = db::now();
    db::run(&data.db, move |conn| {
        if accepted {
            follows::set_state(conn, row.id, ACCEPTED, now)?;
        } else {
            follows::delete(conn, row.follower_id, row.followee_id)?;
        }
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
        return Err(AppError::forbidden("an actor may only undo its own follow"));
    }
    db::run(&data.db, move |conn| {
        follows::delete(conn, row.follower_id, row.followee_id)?;
        Ok(())
    })
    .await?;
    Ok(())
}

/// Pending follow requests of an account that approves followers by hand.
pub async fn requests(data: &Data<AppState>, account: Option<&str>) -> AppResult<Vec<DbActor>> {
    let account = accounts::by_name_or_default(data, account).await?;
    db::run(&data.db, move |conn| {
        Ok(follows::followers(conn, account.id, PENDING, 1_000, 0)?)
    })
    .await
}

/// Approves (Accept) or refuses (Reject) a pending follow request.
pub async fn decide_request(
    data: &Data<AppState>,
    account: Option<&str>,
    follower: &str,
    approve: bool,
) -> AppResult<DbActor> {
    let account = accounts::by_name_or_default(data, account).await?;
    let follower = webfinger::resolve_actor(data, follower).await?;
    let (account_id, follower_id) = (account.id, follower.id);
    let now = db::now();
    let row = db::run(&data.db, move |conn| {
        let row = follows::find(conn, follower_id, account_id)?
            .filter(|f| f.state == PENDING)
            .ok_or_else(|| AppError::bad_request("there is no pending request from that actor"))?;
        if approve {
            follows::set_state(conn, row.id, ACCEPTED, now)?;
        } else {
            follows::delete(conn, follower_id, account_id)?;
        }
        Ok(row)
    })
    .await?;
    send_answer(data, &account, &follower, &row, approve).await?;
    Ok(follower)
}
