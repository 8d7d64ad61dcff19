//! Activities: the ones this instance sends (stored once, delivered per inbox) and the ids
//! of the ones it received (so that each has one effect).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    per_backend,
    schema::{outgoing_activities, received_activities},
    AnyConnection,
};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = outgoing_activities)]
pub struct DbOutgoingActivity {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub kind: String,
    pub payload: String,
    pub public: bool,
    pub created_at: NaiveDateTime,
    pub object_id: Option<String>,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = outgoing_activities)]
pub struct DbOutgoingActivityForm<'a> {
    pub ap_id: &'a str,
    pub actor_id: i64,
    pub kind: &'a str,
    pub payload: &'a str,
    pub public: bool,
    pub created_at: NaiveDateTime,
    /// The object the activity is about (a post), for withdrawing it.
    pub object_id: Option<&'a str>,
}

pub fn insert_outgoing(
    conn: &mut AnyConnection,
    form: &DbOutgoingActivityForm<'_>,
) -> QueryResult<i64> {
    diesel::insert_into(outgoing_activities::table)
        .values(form)
        .returning(outgoing_activities::id)
        .get_result(conn)
}

/// Takes the earlier activities about `object_id` (its Create and Updates) out of the
/// outbox and empties their payload, once the object is deleted; returns their row ids.
pub fn withdraw_object(conn: &mut AnyConnection, object_id: &str) -> QueryResult<Vec<i64>> {
    let ids: Vec<i64> = outgoing_activities::table
        .filter(outgoing_activities::object_id.eq(object_id))
        .filter(outgoing_activities::kind.ne("Delete"))
        .select(outgoing_activities::id)
        .load(conn)?;
    diesel::update(outgoing_activities::table.filter(outgoing_activities::id.eq_any(&ids)))
        .set((
            outgoing_activities::public.eq(false),
            outgoing_activities::payload.eq("{}"),
        ))
        .execute(conn)?;
    Ok(ids)
}

/// An actor's public activities, newest first: its outbox.
pub fn outbox(
    conn: &mut AnyConnection,
    actor_id: i64,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<DbOutgoingActivity>> {
    outgoing_activities::table
        .filter(outgoing_activities::actor_id.eq(actor_id))
        .filter(outgoing_activities::public.eq(true))
        .order(outgoing_activities::id.desc())
        .limit(limit)
        .offset(offset)
        .select(DbOutgoingActivity::as_select())
        .load(conn)
}

pub fn count_outbox(conn: &mut AnyConnection, actor_id: i64) -> QueryResult<i64> {
    outgoing_activities::table
        .filter(outgoing_activities::actor_id.eq(actor_id))
        .filter(outgoing_activities::public.eq(true))
        .count()
        .get_result(conn)
}

/// Forgets an activity id whose processing failed, so that a retry is processed.
pub fn forget_received(conn: &mut AnyConnection, ap_id: &str) -> QueryResult<usize> {
    diesel::delete(received_activities::table.filter(received_activities::ap_id.eq(ap_id)))
        .execute(conn)
}

/// Records an activity id about to be processed; false when it was already recorded.
pub fn mark_received(
    conn: &mut AnyConnection,
    ap_id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let inserted = per_backend!(conn, |c| diesel::insert_into(received_activities::table)
        .values((
            received_activities::ap_id.eq(ap_id),
            received_activities::received_at.eq(now),
        ))
        .on_conflict(received_activities::ap_id)
        .do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// Forgets received activity ids older than `before` (a repeat that late is harmless: every
/// effect is itself idempotent or refused).
pub fn prune_received(conn: &mut AnyConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(received_activities::table.filter(received_activities::received_at.lt(before)))
        .execute(conn)
}
