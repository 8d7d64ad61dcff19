//! The durable delivery queue: one row per outgoing activity and distinct target inbox.
//! Rows are claimed with a lease, so a crashed worker's rows become due again.

use std::{collections::HashMap, sync::Arc};

use chrono::NaiveDateTime;
use diesel::{
    prelude::*,
    sql_types::{Array, BigInt, Text, Timestamp},
};

use super::{
    activities::DbOutgoingActivity,
    actors::DbActor,
    per_backend,
    schema::{actors, deliveries, outgoing_activities},
    AnyConnection, Reused,
};

/// Waiting to be sent (for the first time or again).
pub const PENDING: &str = "pending";
/// The inbox answered 2xx.
pub const DELIVERED: &str = "delivered";
/// The inbox refused it for good (4xx other than 408/429/410).
pub const REJECTED: &str = "rejected";
/// The inbox answered 410 Gone.
pub const GONE: &str = "gone";
/// Given up: too many attempts, or the domain has failed for longer than `dead_after_hours`.
pub const DEAD: &str = "dead";
/// Not sent: the domain is blocked.
pub const BLOCKED: &str = "blocked";
/// Not sent: the inbox's URL or address is one we never send to (private, http, a port).
pub const REFUSED: &str = "refused";
/// Not sent: the post it was about was deleted first.
pub const WITHDRAWN: &str = "withdrawn";

#[derive(Clone, Debug, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = deliveries)]
pub struct DbDelivery {
    pub id: i64,
    pub activity_id: i64,
    pub inbox: String,
    pub domain: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = deliveries)]
struct DbDeliveryForm<'a> {
    activity_id: i64,
    inbox: &'a str,
    domain: &'a str,
    state: &'a str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A claimed delivery with what is needed to send it.
#[derive(Clone, Debug)]
pub struct ClaimedDelivery {
    pub delivery: DbDelivery,
    pub activity: Arc<DbOutgoingActivity>,
    pub actor: Arc<DbActor>,
}

/// Queues `activity_id` for each `(inbox, domain)`; the caller passes distinct inboxes.
pub fn enqueue(
    conn: &mut AnyConnection,
    activity_id: i64,
    targets: &[(String, String)],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let forms: Vec<DbDeliveryForm<'_>> = targets
        .iter()
        .map(|(inbox, domain)| DbDeliveryForm {
            activity_id,
            inbox,
            domain,
            state: PENDING,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
        })
        .collect();
    let mut inserted = 0;
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for chunk in forms.chunks(500) {
        inserted += per_backend!(&mut *conn, |c| diesel::insert_into(deliveries::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(inserted)
}

/// The activities (with their senders) of deliveries claimed so far, read once each: a
/// fan-out claims thousands of deliveries of one activity.
pub type ClaimedActivities = HashMap<i64, (Arc<DbOutgoingActivity>, Arc<DbActor>)>;

/// Claims up to `limit` due deliveries until `lease_until`, none to the domains in `skip`.
/// On PostgreSQL several processes may claim at once (`SKIP LOCKED`); on SQLite the single
/// UPDATE is atomic. Activities not yet in `known` are read and added to it.
pub fn claim_due(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
    skip: &[String],
    known: &mut ClaimedActivities,
) -> QueryResult<Vec<ClaimedDelivery>> {
    // PostgreSQL gets the ids as one array: with `IN (SELECT …)`, the generic plan it keeps
    // for a prepared statement (the LIMIT unknown) joins the ids to the whole table, which
    // holds weeks of finished deliveries. SQLite reads the subquery's few rows either way.
    // The domains skipped are one bound array (a JSON one on SQLite). SQLite numbers the
    // parameters in the order they appear in the text, whatever their names: they appear
    // in the order they are bound.
    let (open, skipped, lock, close) = match conn {
        AnyConnection::Postgresql(_) => (
            "= ANY(ARRAY(",
            "domain <> ALL($3)",
            "FOR UPDATE SKIP LOCKED",
            "))",
        ),
        AnyConnection::Sqlite(_) => (
            "IN (",
            "domain NOT IN (SELECT value FROM json_each($3))",
            "",
            ")",
        ),
    };
    // One text per backend, kept prepared: the LIMIT is bound. The columns are named (a
    // prepared `*` breaks on PostgreSQL when a migration adds one while workers run).
    let sql = format!(
        "UPDATE deliveries SET locked_until = $1 WHERE id {open}\
           SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $2 \
           AND (locked_until IS NULL OR locked_until < $2) AND {skipped} \
           ORDER BY next_attempt_at, id LIMIT $4 {lock}{close} \
         RETURNING id, activity_id, inbox, domain, state, attempts, next_attempt_at, \
           locked_until, last_status, last_error, created_at, updated_at"
    );
    let query = diesel::sql_query(sql)
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(now);
    let mut claimed: Vec<DbDelivery> = match &mut *conn {
        AnyConnection::Postgresql(c) => {
            Reused(query.bind::<Array<Text>, _>(skip).bind::<BigInt, _>(limit)).load(c)?
        }
        AnyConnection::Sqlite(c) => {
            let skip = serde_json::to_string(skip)
                .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
            Reused(query.bind::<Text, _>(skip).bind::<BigInt, _>(limit)).load(c)?
        }
    };
    claimed.sort_by_key(|delivery| delivery.id);
    let mut unknown: Vec<i64> = claimed
        .iter()
        .map(|delivery| delivery.activity_id)
        .filter(|id| !known.contains_key(id))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    if !unknown.is_empty() {
        let read: Vec<(DbOutgoingActivity, DbActor)> = outgoing_activities::table
            .inner_join(actors::table)
            .filter(outgoing_activities::id.eq_any(&unknown))
            .select((DbOutgoingActivity::as_select(), DbActor::as_select()))
            .load(conn)?;
        for (activity, actor) in read {
            known.insert(activity.id, (Arc::new(activity), Arc::new(actor)));
        }
    }
    Ok(claimed
        .into_iter()
        .filter_map(|delivery| {
            let (activity, actor) = known.get(&delivery.activity_id)?.clone();
            Some(ClaimedDelivery {
                delivery,
                activity,
                actor,
            })
        })
        .collect())
}

/// A delivery as the worker that claimed it holds it: outcomes are recorded only while its
/// lease is the one on the row.
#[derive(Clone, Copy, Debug)]
pub struct Claim {
    pub id: i64,
    pub lease: NaiveDateTime,
}

/// How deliveries ended for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ending<'a> {
    pub state: &'a str,
    pub status: Option<i32>,
    pub error: Option<&'a str>,
    pub attempts: i32,
}

/// Ends the deliveries `ids` claimed under `lease` in a final state. Returns those written:
/// a delivery whose lease ran out, and which another worker claimed since, is left alone.
pub fn finish(
    conn: &mut AnyConnection,
    lease: NaiveDateTime,
    ids: &[i64],
    ending: &Ending,
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    let mut written = Vec::with_capacity(ids.len());
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for chunk in ids.chunks(500) {
        let update = diesel::update(
            deliveries::table
                .filter(deliveries::id.eq_any(chunk))
                .filter(deliveries::locked_until.eq(lease)),
        )
        .set((
            deliveries::state.eq(ending.state),
            deliveries::attempts.eq(ending.attempts),
            deliveries::last_status.eq(ending.status),
            deliveries::last_error.eq(ending.error),
            deliveries::locked_until.eq(None::<NaiveDateTime>),
            deliveries::updated_at.eq(now),
        ))
        .returning(deliveries::id);
        written.extend(match &mut *conn {
            // The ids are one array there (`= ANY($7)`): one text, kept prepared. SQLite
            // lists them, a text for each count.
            AnyConnection::Postgresql(c) => Reused(update).load::<i64>(c)?,
            AnyConnection::Sqlite(c) => update.get_results::<i64>(c)?,
        });
    }
    Ok(written)
}

/// Gives back the leases of the deliveries `ids` claimed under `lease` and not sent: they
/// are due again at once. Returns how many were given back.
pub fn release(conn: &mut AnyConnection, lease: NaiveDateTime, ids: &[i64]) -> QueryResult<usize> {
    let mut released = 0;
    for chunk in ids.chunks(500) {
        released += diesel::update(
            deliveries::table
                .filter(deliveries::id.eq_any(chunk))
                .filter(deliveries::locked_until.eq(lease)),
        )
        .set((
            deliveries::locked_until.eq(None::<NaiveDateTime>),
            deliveries::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
    }
    Ok(released)
}

/// Puts a failed delivery back in the queue for `next_attempt_at` (0 when the claim was
/// lost).
pub fn retry_at(
    conn: &mut AnyConnection,
    claim: Claim,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    status: Option<i32>,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let updated: Vec<i64> = per_backend!(conn, |c| Reused(
        diesel::update(
            deliveries::table
                .find(claim.id)
                .filter(deliveries::locked_until.eq(claim.lease)),
        )
        .set((
            deliveries::attempts.eq(attempts),
            deliveries::next_attempt_at.eq(next_attempt_at),
            deliveries::last_status.eq(status),
            deliveries::last_error.eq(error),
            deliveries::locked_until.eq(None::<NaiveDateTime>),
            deliveries::updated_at.eq(now),
        ))
        .returning(deliveries::id),
    )
    .load(c))?;
    Ok(updated.len())
}

/// Withdraws the pending deliveries of `activity_ids` (their post was deleted first).
pub fn withdraw_pending(
    conn: &mut AnyConnection,
    activity_ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        deliveries::table
            .filter(deliveries::activity_id.eq_any(activity_ids))
            .filter(deliveries::state.eq(PENDING)),
    )
    .set((
        deliveries::state.eq(WITHDRAWN),
        deliveries::locked_until.eq(None::<NaiveDateTime>),
        deliveries::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Frees every lease: safe only when no other process is sending (SQLite, at start-up),
/// so that deliveries claimed by a process that was killed go out at once.
pub fn release_leases(conn: &mut AnyConnection) -> QueryResult<usize> {
    diesel::update(deliveries::table.filter(deliveries::locked_until.is_not_null()))
        .set(deliveries::locked_until.eq(None::<NaiveDateTime>))
        .execute(conn)
}

/// Makes every pending delivery due now (operator's "retry now").
pub fn make_pending_due(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(deliveries::table.filter(deliveries::state.eq(PENDING)))
        .set(deliveries::next_attempt_at.eq(now))
        .execute(conn)
}

/// Gives up the pending deliveries to `domain` (its data is being forgotten).
pub fn give_up_domain(
    conn: &mut AnyConnection,
    domain: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        deliveries::table
            .filter(deliveries::domain.eq(domain))
            .filter(deliveries::state.eq(PENDING)),
    )
    .set((
        deliveries::state.eq(DEAD),
        deliveries::locked_until.eq(None::<NaiveDateTime>),
        deliveries::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Pending deliveries per domain, the most first.
pub fn pending_by_domain(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<(String, i64)>> {
    let count = diesel::dsl::count_star();
    deliveries::table
        .filter(deliveries::state.eq(PENDING))
        .group_by(deliveries::domain)
        .select((deliveries::domain, count))
        .order((count.desc(), deliveries::domain.asc()))
        .limit(limit)
        .load(conn)
}

/// The latest error of a pending delivery to each of `domains` that has one.
pub fn last_errors(
    conn: &mut AnyConnection,
    domains: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    let rows: Vec<(String, Option<String>)> = deliveries::table
        .filter(deliveries::domain.eq_any(domains))
        .filter(deliveries::state.eq(PENDING))
        .filter(deliveries::last_error.is_not_null())
        .order(deliveries::updated_at.desc())
        .limit(5_000)
        .select((deliveries::domain, deliveries::last_error))
        .load(conn)?;
    let mut errors = std::collections::HashMap::new();
    for (domain, error) in rows {
        if let Some(error) = error {
            errors.entry(domain).or_insert(error);
        }
    }
    Ok(errors)
}

/// Number of deliveries in each state.
pub fn count_by_state(conn: &mut AnyConnection) -> QueryResult<Vec<(String, i64)>> {
    deliveries::table
        .group_by(deliveries::state)
        .select((deliveries::state, diesel::dsl::count_star()))
        .order(deliveries::state.asc())
        .load(conn)
}

/// The pending deliveries, soonest first.
pub fn pending(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<DbDelivery>> {
    deliveries::table
        .filter(deliveries::state.eq(PENDING))
        .order((deliveries::next_attempt_at.asc(), deliveries::id.asc()))
        .limit(limit)
        .select(DbDelivery::as_select())
        .load(conn)
}

pub fn for_activity(conn: &mut AnyConnection, activity_id: i64) -> QueryResult<Vec<DbDelivery>> {
    deliveries::table
        .filter(deliveries::activity_id.eq(activity_id))
        .order(deliveries::id.asc())
        .select(DbDelivery::as_select())
        .load(conn)
}

/// Deletes finished deliveries (every state but pending) last touched before `before`.
pub fn prune_finished(conn: &mut AnyConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        deliveries::table
            .filter(deliveries::state.ne(PENDING))
            .filter(deliveries::updated_at.lt(before)),
    )
    .execute(conn)
}
