//! Posts received from other instances (the material of the shared timeline).

use chrono::NaiveDateTime;
use diesel::{prelude::*, upsert::excluded};

use super::{actors::DbActor, per_backend, schema::remote_posts, AnyConnection, Reused};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = remote_posts)]
pub struct DbRemotePost {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub object_type: String,
    pub name: String,
    pub summary: String,
    pub content: String,
    pub language: Option<String>,
    pub url: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub published: NaiveDateTime,
    pub updated: NaiveDateTime,
    pub received_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    /// news, call, event or note.
    pub kind: String,
    /// The summary is a content warning: the content is shown collapsed.
    pub sensitive: bool,
    pub in_reply_to: Option<String>,
    /// `domain::remote::PostDetails` as JSON.
    pub details: String,
}

/// `None` is inserted as NULL, not as DEFAULT (no nullable column has another default), so
/// that the upsert is one statement text, prepared once, whichever fields are empty.
#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = remote_posts, treat_none_as_default_value = false)]
pub struct DbRemotePostForm {
    pub ap_id: String,
    pub actor_id: i64,
    pub object_type: String,
    pub name: String,
    pub summary: String,
    pub content: String,
    pub language: Option<String>,
    pub url: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub published: NaiveDateTime,
    pub updated: NaiveDateTime,
    pub received_at: NaiveDateTime,
    pub kind: String,
    pub sensitive: bool,
    pub in_reply_to: Option<String>,
    pub details: String,
}

/// A post as `upsert` left it.
#[derive(Clone, Copy, Debug)]
pub struct Upserted {
    pub id: i64,
    /// Its publication time as first stored (an edit keeps its place).
    pub published: NaiveDateTime,
    /// Received before (this call replaced it): its receipt time is not the form's.
    pub replaced: bool,
}

/// Stores a received post, or replaces the stored one with the same id.
pub fn upsert(conn: &mut AnyConnection, form: &DbRemotePostForm) -> QueryResult<Upserted> {
    let (id, published, received_at) = upsert_returning(conn, form)?;
    Ok(Upserted {
        id,
        published,
        replaced: received_at != form.received_at,
    })
}

fn upsert_returning(
    conn: &mut AnyConnection,
    form: &DbRemotePostForm,
) -> QueryResult<(i64, NaiveDateTime, NaiveDateTime)> {
    per_backend!(conn, |c| Reused(
        diesel::insert_into(remote_posts::table)
            .values(form)
            .on_conflict(remote_posts::ap_id)
            .do_update()
            .set((
                remote_posts::object_type.eq(excluded(remote_posts::object_type)),
                remote_posts::name.eq(excluded(remote_posts::name)),
                remote_posts::summary.eq(excluded(remote_posts::summary)),
                remote_posts::content.eq(excluded(remote_posts::content)),
                remote_posts::language.eq(excluded(remote_posts::language)),
                remote_posts::url.eq(excluded(remote_posts::url)),
                remote_posts::start_time.eq(excluded(remote_posts::start_time)),
                remote_posts::end_time.eq(excluded(remote_posts::end_time)),
                remote_posts::updated.eq(excluded(remote_posts::updated)),
                remote_posts::kind.eq(excluded(remote_posts::kind)),
                remote_posts::sensitive.eq(excluded(remote_posts::sensitive)),
                remote_posts::in_reply_to.eq(excluded(remote_posts::in_reply_to)),
                remote_posts::details.eq(excluded(remote_posts::details)),
            ))
            .returning((
                remote_posts::id,
                remote_posts::published,
                remote_posts::received_at
            ))
    )
    .get_result(c))
}

pub fn by_ap_id(conn: &mut AnyConnection, ap_id: &str) -> QueryResult<Option<DbRemotePost>> {
    remote_posts::table
        .filter(remote_posts::ap_id.eq(ap_id))
        .select(DbRemotePost::as_select())
        .first(conn)
        .optional()
}

/// A post by the URL of its page (what a moderator copies from a browser).
pub fn by_url(conn: &mut AnyConnection, url: &str) -> QueryResult<Option<DbRemotePost>> {
    remote_posts::table
        .filter(remote_posts::url.eq(url))
        .select(DbRemotePost::as_select())
        .first(conn)
        .optional()
}

/// A post by its id, else by the URL of its page (what staff copy from a browser).
pub fn by_id_or_url(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<DbRemotePost>> {
    match by_ap_id(conn, id)? {
        Some(post) => Ok(Some(post)),
        None => by_url(conn, id),
    }
}

pub fn mark_deleted(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(remote_posts::table.find(id))
        .set((
            remote_posts::deleted_at.eq(now),
            remote_posts::name.eq(""),
            remote_posts::summary.eq(""),
            remote_posts::content.eq(""),
            remote_posts::details.eq("{}"),
        ))
        .execute(conn)
}

/// Live posts by id, in no particular order.
pub fn get_many(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<DbRemotePost>> {
    remote_posts::table
        .filter(remote_posts::id.eq_any(ids))
        .filter(remote_posts::deleted_at.is_null())
        .select(DbRemotePost::as_select())
        .load(conn)
}

/// Live replies to any of `ap_ids` (our posts, or replies to them), oldest first, at most
/// `limit`.
pub fn replies_to(
    conn: &mut AnyConnection,
    ap_ids: &[String],
    replies: Replies,
    limit: i64,
) -> QueryResult<Vec<DbRemotePost>> {
    use super::schema::hidden_replies;
    let mut query = remote_posts::table
        .filter(remote_posts::in_reply_to.eq_any(ap_ids))
        .filter(remote_posts::deleted_at.is_null())
        .into_boxed();
    if replies == Replies::Shown {
        query = query.filter(diesel::dsl::not(
            remote_posts::ap_id.eq_any(hidden_replies::table.select(hidden_replies::ap_id)),
        ));
    }
    query
        .order((remote_posts::published.asc(), remote_posts::id.asc()))
        .limit(limit)
        .select(DbRemotePost::as_select())
        .load(conn)
}

/// Which replies a query reads: those shown, or also those hidden by our publishers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replies {
    Shown,
    WithHidden,
}

/// How many live replies `ap_id` shows (hidden ones are not counted).
pub fn count_replies_to(conn: &mut AnyConnection, ap_id: &str) -> QueryResult<i64> {
    use super::schema::hidden_replies;
    remote_posts::table
        .filter(remote_posts::in_reply_to.eq(ap_id))
        .filter(remote_posts::deleted_at.is_null())
        .filter(diesel::dsl::not(
            remote_posts::ap_id.eq_any(hidden_replies::table.select(hidden_replies::ap_id)),
        ))
        .count()
        .get_result(conn)
}

/// Hides the reply `ap_id` under our post (kept, not shown). False when it was hidden.
pub fn hide_reply(
    conn: &mut AnyConnection,
    ap_id: &str,
    hidden_by: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    use super::schema::hidden_replies;
    let inserted = per_backend!(conn, |c| diesel::insert_into(hidden_replies::table)
        .values((
            hidden_replies::ap_id.eq(ap_id),
            hidden_replies::hidden_by.eq(hidden_by),
            hidden_replies::created_at.eq(now)
        ))
        .on_conflict(hidden_replies::ap_id)
        .do_nothing()
        .execute(c))?;
    Ok(inserted > 0)
}

/// Shows a hidden reply again. False when it was not hidden.
pub fn show_reply(conn: &mut AnyConnection, ap_id: &str) -> QueryResult<bool> {
    use super::schema::hidden_replies;
    let deleted = diesel::delete(hidden_replies::table.filter(hidden_replies::ap_id.eq(ap_id)))
        .execute(conn)?;
    Ok(deleted > 0)
}

/// Which of `ap_ids` are hidden replies.
pub fn hidden_among(conn: &mut AnyConnection, ap_ids: &[String]) -> QueryResult<Vec<String>> {
    use super::schema::hidden_replies;
    hidden_replies::table
        .filter(hidden_replies::ap_id.eq_any(ap_ids))
        .select(hidden_replies::ap_id)
        .load(conn)
}

/// Posts published before `before`, by id after `after_id`: the candidates for pruning.
pub fn older_than(
    conn: &mut AnyConnection,
    before: NaiveDateTime,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<DbRemotePost>> {
    remote_posts::table
        .filter(remote_posts::published.lt(before))
        .filter(remote_posts::id.gt(after_id))
        .order(remote_posts::id.asc())
        .limit(limit)
        .select(DbRemotePost::as_select())
        .load(conn)
}

/// Forgets posts for good, with the boosts recorded of them (their timeline entries go
/// with them by the foreign key).
pub fn delete_many(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<usize> {
    let ap_ids: Vec<String> = remote_posts::table
        .filter(remote_posts::id.eq_any(ids))
        .select(remote_posts::ap_id)
        .load(conn)?;
    super::reactions::delete_for_objects(conn, &ap_ids)?;
    diesel::delete(remote_posts::table.filter(remote_posts::id.eq_any(ids))).execute(conn)
}

/// Records that moderators removed the post `ap_id` (it is never stored again).
pub fn mark_removed(conn: &mut AnyConnection, ap_id: &str, now: NaiveDateTime) -> QueryResult<()> {
    use super::schema::removed_posts;
    per_backend!(conn, |c| diesel::insert_into(removed_posts::table)
        .values((
            removed_posts::ap_id.eq(ap_id),
            removed_posts::created_at.eq(now)
        ))
        .on_conflict(removed_posts::ap_id)
        .do_nothing()
        .execute(c))?;
    Ok(())
}

/// A stored copy of a post, as the inbox weighs a new one against it.
#[derive(Clone, Copy, Debug)]
pub struct StoredCopy {
    pub actor_id: i64,
    pub deleted_at: Option<NaiveDateTime>,
    pub updated: NaiveDateTime,
}

/// What the inbox weighs a received post against.
#[derive(Debug)]
pub struct Weighed {
    pub author: DbActor,
    /// Whether the author is `followed_here`.
    pub author_followed: bool,
    /// Whether moderators removed the post (it is never stored again).
    pub removed: bool,
    pub stored: Option<StoredCopy>,
}

/// The author `author_ap_id` of the post `ap_id` as the inbox weighs it, or None when the
/// author is not known: one query, since the inbox asks all of it of every post it receives
/// (a round trip each on PostgreSQL).
pub fn weigh(
    conn: &mut AnyConnection,
    author_ap_id: &str,
    ap_id: &str,
) -> QueryResult<Option<Weighed>> {
    use super::schema::{actors, removed_posts};
    let copy = || remote_posts::table.filter(remote_posts::ap_id.eq(ap_id));
    // The author, followed, removed, and the stored copy's actor, deletion and update.
    type Row = (
        DbActor,
        bool,
        bool,
        Option<i64>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let row: Option<Row> = actors::table
        .filter(actors::ap_id.eq(author_ap_id))
        .select((
            DbActor::as_select(),
            super::follows::followed_here(author_ap_id),
            diesel::dsl::exists(removed_posts::table.filter(removed_posts::ap_id.eq(ap_id))),
            copy().select(remote_posts::actor_id).single_value(),
            copy().select(remote_posts::deleted_at).single_value(),
            copy().select(remote_posts::updated).single_value(),
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(
        |(author, author_followed, removed, actor_id, deleted_at, updated)| Weighed {
            author,
            author_followed,
            removed,
            stored: actor_id.zip(updated).map(|(actor_id, updated)| StoredCopy {
                actor_id,
                deleted_at,
                updated,
            }),
        },
    ))
}
