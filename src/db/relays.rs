//! Relays this instance subscribes to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{schema::relays, AnyConnection};

pub const MASTODON: &str = "mastodon";
pub const LITEPUB: &str = "litepub";

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = relays)]
pub struct DbRelay {
    pub id: i64,
    pub inbox: String,
    pub actor: Option<String>,
    pub kind: String,
    pub state: String,
    pub follow_activity_id: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut AnyConnection,
    inbox: &str,
    actor: Option<&str>,
    kind: &str,
    follow_activity_id: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(relays::table)
        .values((
            relays::inbox.eq(inbox),
            relays::actor.eq(actor),
            relays::kind.eq(kind),
            relays::state.eq(super::follows::PENDING),
            relays::follow_activity_id.eq(follow_activity_id),
            relays::created_at.eq(now),
            relays::updated_at.eq(now),
        ))
        .returning(relays::id)
        .get_result(conn)
}

pub fn all(conn: &mut AnyConnection) -> QueryResult<Vec<DbRelay>> {
    relays::table
        .order(relays::id.asc())
        .select(DbRelay::as_select())
        .load(conn)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> QueryResult<DbRelay> {
    relays::table
        .find(id)
        .select(DbRelay::as_select())
        .first(conn)
}

pub fn by_inbox(conn: &mut AnyConnection, inbox: &str) -> QueryResult<Option<DbRelay>> {
    relays::table
        .filter(relays::inbox.eq(inbox))
        .select(DbRelay::as_select())
        .first(conn)
        .optional()
}

pub fn by_follow(
    conn: &mut AnyConnection,
    follow_activity_id: &str,
) -> QueryResult<Option<DbRelay>> {
    relays::table
        .filter(relays::follow_activity_id.eq(follow_activity_id))
        .select(DbRelay::as_select())
        .first(conn)
        .optional()
}

/// The relay's answer: its state, and its actor (a Mastodon-style relay names it here).
/// Only a pending subscription can be accepted (a replayed Accept cannot undo a Reject);
/// a Reject ends it in any state.
pub fn answer(
    conn: &mut AnyConnection,
    id: i64,
    state: &str,
    actor: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let answerable: &[&str] = if state == super::follows::ACCEPTED {
        &[super::follows::PENDING]
    } else {
        &[super::follows::PENDING, super::follows::ACCEPTED]
    };
    diesel::update(
        relays::table
            .find(id)
            .filter(relays::state.eq_any(answerable)),
    )
    .set((
        relays::state.eq(state),
        relays::actor.eq(actor),
        relays::updated_at.eq(now),
    ))
    .execute(conn)
}

pub fn delete(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(relays::table.find(id)).execute(conn)
}

/// Whether `actor` is a relay that accepted us (its Announces enter the timeline).
pub fn is_accepted_relay(conn: &mut AnyConnection, actor: &str) -> QueryResult<bool> {
    is_relay_in(conn, actor, &[super::follows::ACCEPTED])
}

/// Whether `actor` is a relay we subscribed to in one of `states`.
pub fn is_relay_in(conn: &mut AnyConnection, actor: &str, states: &[&str]) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        relays::table
            .filter(relays::actor.eq(actor))
            .filter(relays::state.eq_any(states)),
    ))
    .get_result(conn)
}

/// Inboxes of the relays that accepted us (public posts go there too).
pub fn accepted_inboxes(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    relays::table
        .filter(relays::state.eq(super::follows::ACCEPTED))
        .select(relays::inbox)
        .load(conn)
}
