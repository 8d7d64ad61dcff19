//! The shared timeline's read model: one entry per local post, remote post or boost, with
//! the columns every filter needs, written in the transaction of the change it reflects.

use chrono::NaiveDateTime;
use diesel::{prelude::*, upsert::excluded};

use super::{
    per_backend,
    schema::{timeline_entries, timeline_topics},
    AnyConnection, Reused,
};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = timeline_entries)]
pub struct DbEntry {
    pub id: i64,
    pub entry_key: String,
    pub post_id: Option<i64>,
    pub remote_post_id: Option<i64>,
    pub author_id: i64,
    pub boosted_by: Option<i64>,
    pub kind: String,
    pub language: Option<String>,
    pub domain: String,
    pub local: bool,
    pub published: NaiveDateTime,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub deadline_at: Option<NaiveDateTime>,
}

/// `None` is inserted as NULL, not as DEFAULT (no nullable column has another default), so
/// that the insert is one statement text, prepared once, whichever fields are empty.
#[derive(Clone, Debug, Insertable, AsChangeset)]
#[diesel(
    table_name = timeline_entries,
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
pub struct DbEntryForm {
    pub entry_key: String,
    pub post_id: Option<i64>,
    pub remote_post_id: Option<i64>,
    pub author_id: i64,
    pub boosted_by: Option<i64>,
    pub kind: String,
    pub language: Option<String>,
    pub domain: String,
    pub local: bool,
    pub published: NaiveDateTime,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub deadline_at: Option<NaiveDateTime>,
}

pub fn local_key(post_id: i64) -> String {
    format!("local:{post_id}")
}

pub fn remote_key(remote_post_id: i64) -> String {
    format!("remote:{remote_post_id}")
}

pub fn boost_key(announce_id: &str) -> String {
    format!("boost:{announce_id}")
}

/// Stores an entry, or replaces the one with the same key, with its topics. Call inside the
/// transaction of the change. One statement, so that two deliveries of the same post
/// racing on PostgreSQL cannot both insert.
pub fn upsert(conn: &mut AnyConnection, form: &DbEntryForm, topics: &[String]) -> QueryResult<i64> {
    use timeline_entries as t;
    let id: i64 = per_backend!(&mut *conn, |c| Reused(
        diesel::insert_into(t::table)
            .values(form)
            .on_conflict(t::entry_key)
            .do_update()
            .set((
                t::post_id.eq(excluded(t::post_id)),
                t::remote_post_id.eq(excluded(t::remote_post_id)),
                t::author_id.eq(excluded(t::author_id)),
                t::boosted_by.eq(excluded(t::boosted_by)),
                t::kind.eq(excluded(t::kind)),
                t::language.eq(excluded(t::language)),
                t::domain.eq(excluded(t::domain)),
                t::local.eq(excluded(t::local)),
                t::published.eq(excluded(t::published)),
                t::starts_at.eq(excluded(t::starts_at)),
                t::ends_at.eq(excluded(t::ends_at)),
                t::deadline_at.eq(excluded(t::deadline_at)),
            ))
            .returning(t::id)
    )
    .get_result(c))?;
    diesel::delete(timeline_topics::table.filter(timeline_topics::entry_id.eq(id)))
        .execute(conn)?;
    insert_topics(conn, id, topics)?;
    Ok(id)
}

/// Stores an entry expected to be new (that of a post stored just now) with its topics,
/// without first deleting topics it cannot have; `upsert` when its key is taken after all.
pub fn insert(conn: &mut AnyConnection, form: &DbEntryForm, topics: &[String]) -> QueryResult<i64> {
    let inserted: Option<i64> = per_backend!(&mut *conn, |c| Reused(
        diesel::insert_into(timeline_entries::table)
            .values(form)
            .on_conflict(timeline_entries::entry_key)
            .do_nothing()
            .returning(timeline_entries::id)
    )
    .get_result(c)
    .optional())?;
    match inserted {
        Some(id) => {
            insert_topics(conn, id, topics)?;
            Ok(id)
        }
        None => upsert(conn, form, topics),
    }
}

fn insert_topics(conn: &mut AnyConnection, entry_id: i64, topics: &[String]) -> QueryResult<()> {
    let mut seen: Vec<&String> = vec![];
    for topic in topics {
        if seen.contains(&topic) {
            continue;
        }
        seen.push(topic);
        diesel::insert_into(timeline_topics::table)
            .values((
                timeline_topics::entry_id.eq(entry_id),
                timeline_topics::topic.eq(topic),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Removes the entry with `key` (a boost undone).
pub fn delete_by_key(conn: &mut AnyConnection, key: &str) -> QueryResult<usize> {
    let deleted =
        diesel::delete(timeline_entries::table.filter(timeline_entries::entry_key.eq(key)))
            .execute(conn)?;
    Ok(deleted)
}

/// Removes every entry showing a local post.
pub fn delete_for_post(conn: &mut AnyConnection, post_id: i64) -> QueryResult<usize> {
    let deleted =
        diesel::delete(timeline_entries::table.filter(timeline_entries::post_id.eq(post_id)))
            .execute(conn)?;
    Ok(deleted)
}

/// Removes every entry showing a remote post (the post itself and its boosts).
pub fn delete_for_remote_post(conn: &mut AnyConnection, remote_post_id: i64) -> QueryResult<usize> {
    let deleted = diesel::delete(
        timeline_entries::table.filter(timeline_entries::remote_post_id.eq(remote_post_id)),
    )
    .execute(conn)?;
    Ok(deleted)
}

/// Brings every entry showing a remote post (its own and its boosts') up to date after an
/// edit: what filters read, and the topics.
pub fn refresh_remote(
    conn: &mut AnyConnection,
    remote_post_id: i64,
    form: &DbEntryForm,
    topics: &[String],
) -> QueryResult<usize> {
    let ids: Vec<i64> = timeline_entries::table
        .filter(timeline_entries::remote_post_id.eq(remote_post_id))
        .select(timeline_entries::id)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::update(timeline_entries::table.filter(timeline_entries::id.eq_any(&ids)))
        .set((
            timeline_entries::kind.eq(&form.kind),
            timeline_entries::language.eq(&form.language),
            timeline_entries::starts_at.eq(form.starts_at),
            timeline_entries::ends_at.eq(form.ends_at),
            timeline_entries::deadline_at.eq(form.deadline_at),
        ))
        .execute(conn)?;
    diesel::delete(timeline_topics::table.filter(timeline_topics::entry_id.eq_any(&ids)))
        .execute(conn)?;
    for id in &ids {
        insert_topics(conn, *id, topics)?;
    }
    Ok(ids.len())
}

/// Removes every entry by or boosted by an actor (its account is going).
pub fn forget_actor(conn: &mut AnyConnection, actor_id: i64) -> QueryResult<usize> {
    let deleted = diesel::delete(
        timeline_entries::table.filter(
            timeline_entries::author_id
                .eq(actor_id)
                .or(timeline_entries::boosted_by.eq(actor_id)),
        ),
    )
    .execute(conn)?;
    Ok(deleted)
}

/// Which of `remote_post_ids` an entry shows as published since `since` (a recent boost of
/// an old post).
pub fn shown_since(
    conn: &mut AnyConnection,
    remote_post_ids: &[i64],
    since: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    timeline_entries::table
        .filter(timeline_entries::remote_post_id.eq_any(remote_post_ids))
        .filter(timeline_entries::published.ge(since))
        .select(timeline_entries::remote_post_id.assume_not_null())
        .distinct()
        .load(conn)
}

/// Removes every remote entry by or boosted by an actor on `domain` or a subdomain of it,
/// whatever the port (the domain is blocked, as `domains::block_candidates` reads a block).
pub fn forget_domain(conn: &mut AnyConnection, domain: &str) -> QueryResult<usize> {
    let actors = super::actors::remote_ids_on_domain(conn, domain)?;
    let mut deleted = 0;
    for chunk in actors.chunks(500) {
        deleted += diesel::delete(
            timeline_entries::table
                .filter(timeline_entries::local.eq(false))
                .filter(
                    timeline_entries::author_id
                        .eq_any(chunk)
                        .or(timeline_entries::boosted_by.eq_any(chunk)),
                ),
        )
        .execute(conn)?;
    }
    Ok(deleted)
}

/// Removes the boosts of posts by authors on `domain` (it is silenced: its posts reach the
/// timeline only through a follow of their author, whose own entries stay).
pub fn forget_boosts_of_domain(conn: &mut AnyConnection, domain: &str) -> QueryResult<usize> {
    let authors = super::actors::remote_ids_on_domain(conn, domain)?;
    let mut deleted = 0;
    for chunk in authors.chunks(500) {
        deleted += diesel::delete(
            timeline_entries::table
                .filter(timeline_entries::author_id.eq_any(chunk))
                .filter(timeline_entries::boosted_by.is_not_null()),
        )
        .execute(conn)?;
    }
    Ok(deleted)
}

/// Which entries a timeline page shows; every filter is optional and they combine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Query {
    pub kind: Option<String>,
    pub topic: Option<String>,
    pub language: Option<String>,
    pub domain: Option<String>,
    pub author_id: Option<i64>,
    pub local: Option<bool>,
    /// Entries older than this (published, id): the cursor of the next page.
    pub before: Option<(NaiveDateTime, i64)>,
}

/// Newest first, by keyset (never OFFSET): `limit` entries after the cursor.
pub fn page(conn: &mut AnyConnection, query: &Query, limit: i64) -> QueryResult<Vec<DbEntry>> {
    let mut select = timeline_entries::table.into_boxed();
    if let Some(kind) = &query.kind {
        select = select.filter(timeline_entries::kind.eq(kind.clone()));
    }
    if let Some(language) = &query.language {
        select = select.filter(timeline_entries::language.eq(language.clone()));
    }
    if let Some(domain) = &query.domain {
        select = select.filter(timeline_entries::domain.eq(domain.clone()));
    }
    if let Some(author) = query.author_id {
        select = select.filter(timeline_entries::author_id.eq(author));
    }
    if let Some(local) = query.local {
        select = select.filter(timeline_entries::local.eq(local));
    }
    if let Some(topic) = &query.topic {
        select = select.filter(
            timeline_entries::id.eq_any(
                timeline_topics::table
                    .filter(timeline_topics::topic.eq(topic.clone()))
                    .select(timeline_topics::entry_id),
            ),
        );
    }
    if let Some((published, id)) = query.before {
        // `(published, id) < (p, i)`, written so that the index on published bounds the
        // scan (an OR alone makes SQLite read the whole table).
        select = select
            .filter(timeline_entries::published.le(published))
            .filter(
                timeline_entries::published
                    .lt(published)
                    .or(timeline_entries::id.lt(id)),
            );
    }
    select
        .order((
            timeline_entries::published.desc(),
            timeline_entries::id.desc(),
        ))
        .limit(limit)
        .select(DbEntry::as_select())
        .load(conn)
}

/// Upcoming events of the whole network (not ended yet), soonest first.
pub fn upcoming_events(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DbEntry>> {
    timeline_entries::table
        .filter(timeline_entries::kind.eq("event"))
        .filter(timeline_entries::boosted_by.is_null())
        .filter(
            timeline_entries::ends_at
                .ge(now)
                .or(timeline_entries::ends_at
                    .is_null()
                    .and(timeline_entries::starts_at.ge(now))),
        )
        .order((
            timeline_entries::starts_at.asc(),
            timeline_entries::id.asc(),
        ))
        .limit(limit)
        .select(DbEntry::as_select())
        .load(conn)
}

/// Open calls of the whole network (deadline not passed), closing first.
pub fn open_calls(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DbEntry>> {
    timeline_entries::table
        .filter(timeline_entries::kind.eq("call"))
        .filter(timeline_entries::boosted_by.is_null())
        .filter(timeline_entries::deadline_at.ge(now))
        .order((
            timeline_entries::deadline_at.asc(),
            timeline_entries::id.asc(),
        ))
        .limit(limit)
        .select(DbEntry::as_select())
        .load(conn)
}

/// The topics of `entries`, as (entry id, topic) in topic order.
pub fn topics_of(conn: &mut AnyConnection, entries: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    timeline_topics::table
        .filter(timeline_topics::entry_id.eq_any(entries))
        .order((
            timeline_topics::entry_id.asc(),
            timeline_topics::topic.asc(),
        ))
        .select((timeline_topics::entry_id, timeline_topics::topic))
        .load(conn)
}
