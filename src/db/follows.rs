//! Follow relationships: `follower` follows `followee`, pending until accepted.

use chrono::NaiveDateTime;
use diesel::{prelude::*, upsert::excluded};

use super::{
    actors::DbActor,
    per_backend,
    schema::{actors, follows, relays},
    AnyConnection,
};

pub const PENDING: &str = "pending";
pub const ACCEPTED: &str = "accepted";
/// Our follow of a remote actor that it refused (kept so that staff see the answer).
pub const REJECTED: &str = "rejected";

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = follows)]
pub struct DbFollow {
    pub id: i64,
    pub follower_id: i64,
    pub followee_id: i64,
    pub activity_id: String,
    pub state: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl DbFollow {
    pub fn is_accepted(&self) -> bool {
        self.state == ACCEPTED
    }
}

#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = follows)]
pub struct DbFollowForm<'a> {
    pub follower_id: i64,
    pub followee_id: i64,
    pub activity_id: &'a str,
    pub state: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn find(
    conn: &mut AnyConnection,
    follower_id: i64,
    followee_id: i64,
) -> QueryResult<Option<DbFollow>> {
    follows::table
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::followee_id.eq(followee_id))
        .select(DbFollow::as_select())
        .first(conn)
        .optional()
}

pub fn by_activity_id(
    conn: &mut AnyConnection,
    activity_id: &str,
) -> QueryResult<Option<DbFollow>> {
    follows::table
        .filter(follows::activity_id.eq(activity_id))
        .select(DbFollow::as_select())
        .first(conn)
        .optional()
}

/// Records a follow, or refreshes the activity id and state of an existing one; returns the
/// row.
/// One statement: a read-then-write transaction can fail at once on a busy SQLite.
pub fn insert_or_refresh(
    conn: &mut AnyConnection,
    form: &DbFollowForm<'_>,
) -> QueryResult<DbFollow> {
    per_backend!(&mut *conn, |c| diesel::insert_into(follows::table)
        .values(form)
        .on_conflict((follows::follower_id, follows::followee_id))
        .do_update()
        .set((
            follows::activity_id.eq(excluded(follows::activity_id)),
            follows::state.eq(excluded(follows::state)),
            follows::updated_at.eq(excluded(follows::updated_at)),
        ))
        .execute(c))?;
    find(conn, form.follower_id, form.followee_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn set_state(
    conn: &mut AnyConnection,
    id: i64,
    state: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(follows::table.find(id))
        .set((follows::state.eq(state), follows::updated_at.eq(now)))
        .execute(conn)
}

pub fn delete(conn: &mut AnyConnection, follower_id: i64, followee_id: i64) -> QueryResult<usize> {
    diesel::delete(
        follows::table
            .filter(follows::follower_id.eq(follower_id))
            .filter(follows::followee_id.eq(followee_id)),
    )
    .execute(conn)
}

/// Who follows `followee_id` in the given state, oldest first, one page.
pub fn followers(
    conn: &mut AnyConnection,
    followee_id: i64,
    state: &str,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<DbActor>> {
    follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::followee_id.eq(followee_id))
        .filter(follows::state.eq(state))
        .order(follows::id.asc())
        .limit(limit)
        .offset(offset)
        .select(DbActor::as_select())
        .load(conn)
}

/// Our accounts that follow `followee_id` or asked to (pending or accepted).
pub fn local_followers(conn: &mut AnyConnection, followee_id: i64) -> QueryResult<Vec<DbActor>> {
    follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::followee_id.eq(followee_id))
        .filter(follows::state.eq_any([PENDING, ACCEPTED]))
        .filter(actors::local.eq(true))
        .order(follows::id.asc())
        .select(DbActor::as_select())
        .load(conn)
}

pub fn count_followers(
    conn: &mut AnyConnection,
    followee_id: i64,
    state: &str,
) -> QueryResult<i64> {
    follows::table
        .filter(follows::followee_id.eq(followee_id))
        .filter(follows::state.eq(state))
        .count()
        .get_result(conn)
}

// The actors table under another name, in `followed_here`'s subquery: the query around it
// may read actors too.
diesel::alias!(actors as followees: Followees);

/// Whether one of our accounts follows the actor `ap_id` (accepted), or it is a relay that
/// accepted us: what it sends or announces concerns us.
#[diesel::dsl::auto_type]
pub(super) fn followed_here<'a>(ap_id: &'a str) -> _ {
    let accepted: &'static str = ACCEPTED;
    let aliased: diesel::query_source::Alias<Followees> = followees;
    let followee = aliased
        .filter(aliased.field(actors::ap_id).eq(ap_id))
        .select(aliased.field(actors::id));
    diesel::dsl::exists(
        follows::table
            .filter(follows::followee_id.eq_any(followee))
            .filter(follows::state.eq(accepted)),
    )
    .or(diesel::dsl::exists(
        relays::table
            .filter(relays::actor.eq(ap_id))
            .filter(relays::state.eq(accepted)),
    ))
}

/// `followed_here` as one query.
pub fn is_followed_here(conn: &mut AnyConnection, ap_id: &str) -> QueryResult<bool> {
    diesel::select(followed_here(ap_id)).get_result(conn)
}

/// The actor `ap_id`, and whether it is `followed_here`, in one query.
pub fn actor_and_followed(
    conn: &mut AnyConnection,
    ap_id: &str,
) -> QueryResult<Option<(DbActor, bool)>> {
    actors::table
        .filter(actors::ap_id.eq(ap_id))
        .select((DbActor::as_select(), followed_here(ap_id)))
        .first(conn)
        .optional()
}

/// Whom `follower_id` follows, with each follow's state, oldest first, one page.
pub fn following(
    conn: &mut AnyConnection,
    follower_id: i64,
    state: Option<&str>,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<(DbFollow, DbActor)>> {
    let mut query = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::followee_id)))
        .filter(follows::follower_id.eq(follower_id))
        .into_boxed();
    if let Some(state) = state {
        query = query.filter(follows::state.eq(state));
    }
    query
        .order(follows::id.asc())
        .limit(limit)
        .offset(offset)
        .select((DbFollow::as_select(), DbActor::as_select()))
        .load(conn)
}

pub fn count_following(
    conn: &mut AnyConnection,
    follower_id: i64,
    state: &str,
) -> QueryResult<i64> {
    follows::table
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::state.eq(state))
        .count()
        .get_result(conn)
}

/// Removes the follows of the remote actor whose own inbox is `inbox`: it answered 410 Gone.
/// (A shared inbox that answers 410 speaks for no single follower.)
pub fn remove_followers_at_inbox(conn: &mut AnyConnection, inbox: &str) -> QueryResult<usize> {
    let followers = actors::table
        .filter(actors::local.eq(false))
        .filter(actors::inbox.eq(inbox))
        .select(actors::id);
    diesel::delete(follows::table.filter(follows::follower_id.eq_any(followers))).execute(conn)
}

/// The distinct inboxes (shared inbox when there is one) of an account's accepted followers.
pub fn follower_inboxes(conn: &mut AnyConnection, followee_id: i64) -> QueryResult<Vec<String>> {
    let rows: Vec<(String, Option<String>)> = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::followee_id.eq(followee_id))
        .filter(follows::state.eq(ACCEPTED))
        .filter(actors::local.eq(false))
        .select((actors::inbox, actors::shared_inbox))
        .load(conn)?;
    let mut inboxes: Vec<String> = rows
        .into_iter()
        .map(|(inbox, shared)| shared.unwrap_or(inbox))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}
