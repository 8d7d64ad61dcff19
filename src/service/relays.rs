//! Relays: Mastodon-style (the instance actor follows Public at the relay's inbox) and
//! LitePub-style (it follows the relay's actor). Once a relay accepts, our public posts go
//! to it too, and what it announces enters the timeline as boosted by the relay.

use activitypub_federation::config::Data;
use url::Url;

use crate::{
    db::{
        self,
        follows::{ACCEPTED, PENDING, REJECTED},
        relays::{DbRelay, LITEPUB, MASTODON},
    },
    error::{AppError, AppResult},
    i18n::Message,
    service::{
        network::{self, Outbound},
        users::{check_admin, Staff},
    },
    state::AppState,
    urls::host_and_port,
};

fn parse(url: &str) -> AppResult<Url> {
    Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| {
            AppError::bad_request(Message::new("error-not-http-url").arg("url", format!("{url:?}")))
        })
}

/// Subscribes to the relay at `url`: an inbox URL (`…/inbox`, Mastodon-style) or the
/// relay's actor (LitePub-style). Adding a known relay changes nothing.
pub async fn add(data: &Data<AppState>, staff: &Staff, url: &str) -> AppResult<DbRelay> {
    check_admin(staff)?;
    let url = parse(url)?;
    let (kind, inbox, actor) = if url.path().ends_with("/inbox") {
        (MASTODON, url.to_string(), None)
    } else {
        let actor = network::resolve_actor(data, url.as_str()).await?;
        (LITEPUB, actor.inbox.clone(), Some(actor.ap_id.to_string()))
    };
    let follow_id = data.urls.new_activity().to_string();
    let staff = staff.clone();
    let relay_id = network::commit(data, move |conn| {
        if let Some(known) = db::relays::by_inbox(conn, &inbox)? {
            return Ok((known.id, vec![]));
        }
        let id = db::relays::insert(conn, &inbox, actor.as_deref(), kind, &follow_id, db::now())?;
        crate::service::audit::record(conn, &staff, "relay.add", &inbox, kind)?;
        Ok((id, vec![Outbound::RelayFollowed { relay_id: id }]))
    })
    .await?;
    let relay = db::run(&data.db, move |conn| Ok(db::relays::by_id(conn, relay_id)?)).await?;
    tracing::info!(inbox = %relay.inbox, kind = %relay.kind, "relay subscribed");
    Ok(relay)
}

pub async fn list(data: &AppState, staff: &Staff) -> AppResult<Vec<DbRelay>> {
    check_admin(staff)?;
    db::run(&data.db, |conn| Ok(db::relays::all(conn)?)).await
}

/// Unsubscribes (an `Undo` of our Follow goes to the relay).
pub async fn remove(data: &AppState, staff: &Staff, url: &str) -> AppResult<DbRelay> {
    check_admin(staff)?;
    let url = parse(url)?.to_string();
    let staff = staff.clone();
    network::commit(data, move |conn| {
        let relay = db::relays::all(conn)?
            .into_iter()
            .find(|r| r.inbox == url || r.actor.as_deref() == Some(url.as_str()))
            .ok_or_else(|| {
                AppError::bad_request(Message::new("error-no-relay-at").arg("url", &url))
            })?;
        db::relays::delete(conn, relay.id)?;
        crate::service::audit::record(conn, &staff, "relay.remove", &relay.inbox, "")?;
        let event = Outbound::RelayUnfollowed {
            inbox: relay.inbox.clone(),
            object: relay.actor.clone().filter(|_| relay.kind == LITEPUB),
            follow_activity_id: relay.follow_activity_id.clone(),
        };
        Ok((relay, vec![event]))
    })
    .await
}

/// Whether `actor` is a relay that accepted our subscription.
pub async fn is_accepted_relay(data: &AppState, actor: &Url) -> AppResult<bool> {
    is_relay_in(data, actor, &[ACCEPTED]).await
}

/// Whether `actor` is a relay we subscribed to and that has not refused us (a LitePub
/// relay may follow us back before it accepts).
pub async fn is_subscribed_relay(data: &AppState, actor: &Url) -> AppResult<bool> {
    is_relay_in(data, actor, &[PENDING, ACCEPTED]).await
}

async fn is_relay_in(
    data: &AppState,
    actor: &Url,
    states: &'static [&'static str],
) -> AppResult<bool> {
    let actor = actor.to_string();
    db::run(&data.db, move |conn| {
        Ok(db::relays::is_relay_in(conn, &actor, states)?)
    })
    .await
}

/// An Accept or Reject of our Follow of a relay: whether `follow` named one. The answer
/// must come from the relay (its actor, or for a Mastodon-style relay, its host).
pub async fn receive_answer(
    data: &AppState,
    follow: &Url,
    answered_by: &Url,
    accepted: bool,
) -> AppResult<bool> {
    let (follow, answered_by) = (follow.to_string(), answered_by.clone());
    let answered = db::run(&data.db, move |conn| {
        let Some(relay) = db::relays::by_follow(conn, &follow)? else {
            return Ok(None);
        };
        let from_relay = match &relay.actor {
            Some(actor) if relay.kind == LITEPUB => actor == answered_by.as_str(),
            _ => Url::parse(&relay.inbox)
                .is_ok_and(|inbox| host_and_port(&inbox) == host_and_port(&answered_by)),
        };
        if !from_relay {
            return Err(AppError::forbidden("error-relay-answer-relay-only"));
        }
        let state = if accepted { ACCEPTED } else { REJECTED };
        let changed = db::relays::answer(conn, relay.id, state, answered_by.as_str(), db::now())?;
        Ok(Some(changed > 0))
    })
    .await?;
    let Some(changed) = answered else {
        return Ok(false);
    };
    if changed {
        // Its announces now concern us.
        super::timeline::changed(data);
    }
    Ok(true)
}
