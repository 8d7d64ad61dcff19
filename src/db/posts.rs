//! Posts (news, calls, events) with their translations and topics.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::{
    post::PostKind,
    time::{parse_zone, LocalTime},
};

use super::{
    actors::DbActor,
    schema::{actors, change_counters, post_topics, post_translations, posts},
    AnyConnection,
};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = posts)]
pub struct DbPost {
    pub id: i64,
    pub account_id: i64,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub body_html: String,
    pub language: String,
    pub image_url: Option<String>,
    pub image_alt: Option<String>,
    pub call_kind: Option<String>,
    pub timezone: Option<String>,
    pub deadline_local: Option<String>,
    pub deadline_utc: Option<NaiveDateTime>,
    pub eligibility: Option<String>,
    pub apply_url: Option<String>,
    pub start_local: Option<String>,
    pub start_utc: Option<NaiveDateTime>,
    pub end_local: Option<String>,
    pub end_utc: Option<NaiveDateTime>,
    pub location_name: Option<String>,
    pub location_street: Option<String>,
    pub location_postal_code: Option<String>,
    pub location_locality: Option<String>,
    pub location_region: Option<String>,
    pub location_country: Option<String>,
    pub location_latitude: Option<f64>,
    pub location_longitude: Option<f64>,
    pub online_url: Option<String>,
    pub registration_url: Option<String>,
    pub event_status: Option<String>,
    pub published: NaiveDateTime,
    pub updated: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

/// Insert and update of a post's own columns (`published` is set once, on insert).
#[derive(Clone, Debug, Insertable, AsChangeset)]
#[diesel(table_name = posts, treat_none_as_null = true)]
pub struct DbPostForm {
    pub account_id: i64,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub body_html: String,
    pub language: String,
    pub image_url: Option<String>,
    pub image_alt: Option<String>,
    pub call_kind: Option<String>,
    pub timezone: Option<String>,
    pub deadline_local: Option<String>,
    pub deadline_utc: Option<NaiveDateTime>,
    pub eligibility: Option<String>,
    pub apply_url: Option<String>,
    pub start_local: Option<String>,
    pub start_utc: Option<NaiveDateTime>,
    pub end_local: Option<String>,
    pub end_utc: Option<NaiveDateTime>,
    pub location_name: Option<String>,
    pub location_street: Option<String>,
    pub location_postal_code: Option<String>,
    pub location_locality: Option<String>,
    pub location_region: Option<String>,
    pub location_country: Option<String>,
    pub location_latitude: Option<f64>,
    pub location_longitude: Option<f64>,
    pub online_url: Option<String>,
    pub registration_url: Option<String>,
    pub event_status: Option<String>,
    pub updated: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = post_translations)]
pub struct DbTranslation {
    pub post_id: i64,
    pub language: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub body_html: String,
}

/// A post with everything shown and federated with it.
#[derive(Clone, Debug)]
pub struct PostView {
    pub post: DbPost,
    pub account: DbActor,
    pub translations: Vec<DbTranslation>,
    pub topics: Vec<String>,
}

impl PostView {
    /// The post's kind (rows were validated when written).
    pub fn kind(&self) -> PostKind {
        PostKind::parse(&self.post.kind).unwrap_or(PostKind::News)
    }

    /// Whether a call is open at `now` (its deadline has not passed); `None` for others.
    pub fn is_open(&self, now: NaiveDateTime) -> Option<bool> {
        self.post.deadline_utc.map(|deadline| deadline >= now)
    }

    /// A call's deadline in its time zone.
    pub fn deadline(&self) -> Option<LocalTime> {
        self.local_time(&self.post.deadline_local)
    }

    /// An event's start in its time zone.
    pub fn start(&self) -> Option<LocalTime> {
        self.local_time(&self.post.start_local)
    }

    /// An event's end in its time zone.
    pub fn end(&self) -> Option<LocalTime> {
        self.local_time(&self.post.end_local)
    }

    fn local_time(&self, local: &Option<String>) -> Option<LocalTime> {
        let zone = parse_zone(self.post.timezone.as_deref()?).ok()?;
        LocalTime::parse(local.as_deref()?, zone).ok()
    }
}

/// Which posts a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    /// Calls whose deadline has not passed / events that have not ended (soonest first).
    Upcoming(NaiveDateTime),
    /// Calls whose deadline passed / events that ended (latest first).
    Past(NaiveDateTime),
}

pub fn insert(
    conn: &mut AnyConnection,
    form: &DbPostForm,
    published: NaiveDateTime,
    translations: &[DbTranslation],
    topics: &[String],
) -> QueryResult<i64> {
    super::write_transaction(conn, |conn| {
        let id: i64 = diesel::insert_into(posts::table)
            .values((form, posts::published.eq(published)))
            .returning(posts::id)
            .get_result(conn)?;
        replace_children(conn, id, translations, topics)?;
        count_change(conn)?;
        reflect_in_timeline(conn, id, topics)?;
        Ok(id)
    })
}

pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    form: &DbPostForm,
    translations: &[DbTranslation],
    topics: &[String],
) -> QueryResult<()> {
    super::write_transaction(conn, |conn| {
        // A post deleted meanwhile stays deleted.
        let updated = diesel::update(posts::table.find(id).filter(posts::deleted_at.is_null()))
            .set(form)
            .execute(conn)?;
        if updated == 0 {
            return Err(diesel::result::Error::NotFound);
        }
        replace_children(conn, id, translations, topics)?;
        count_change(conn)?;
        reflect_in_timeline(conn, id, topics)?;
        Ok(())
    })
}

/// The post's entry in the shared timeline, as the post now is.
fn reflect_in_timeline(conn: &mut AnyConnection, id: i64, topics: &[String]) -> QueryResult<i64> {
    let (post, domain): (DbPost, String) = posts::table
        .inner_join(actors::table)
        .filter(posts::id.eq(id))
        .select((DbPost::as_select(), actors::domain))
        .first(conn)?;
    let entry = super::timeline::DbEntryForm {
        entry_key: super::timeline::local_key(id),
        post_id: Some(id),
        remote_post_id: None,
        author_id: post.account_id,
        boosted_by: None,
        kind: post.kind,
        language: Some(post.language),
        domain,
        local: true,
        published: post.published,
        starts_at: post.start_utc,
        ends_at: post.end_utc,
        deadline_at: post.deadline_utc,
    };
    super::timeline::upsert(conn, &entry, topics)
}

fn replace_children(
    conn: &mut AnyConnection,
    id: i64,
    translations: &[DbTranslation],
    topics: &[String],
) -> QueryResult<()> {
    diesel::delete(post_translations::table.filter(post_translations::post_id.eq(id)))
        .execute(conn)?;
    diesel::delete(post_topics::table.filter(post_topics::post_id.eq(id))).execute(conn)?;
    for translation in translations {
        let row = DbTranslation {
            post_id: id,
            ..translation.clone()
        };
        diesel::insert_into(post_translations::table)
            .values(&row)
            .execute(conn)?;
    }
    for topic in topics {
        diesel::insert_into(post_topics::table)
            .values((post_topics::post_id.eq(id), post_topics::topic.eq(topic)))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks a post deleted: its URL answers 410 with a Tombstone from now on.
pub fn mark_deleted(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    super::write_transaction(conn, |conn| {
        let deleted = diesel::update(posts::table.find(id).filter(posts::deleted_at.is_null()))
            .set((posts::deleted_at.eq(now), posts::updated.eq(now)))
            .execute(conn)?;
        if deleted > 0 {
            count_change(conn)?;
            super::timeline::delete_for_post(conn, id)?;
        }
        Ok(deleted)
    })
}

/// One post (deleted ones too: callers decide between 404, 410 and showing it).
pub fn get(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<PostView>> {
    let found: Option<(DbPost, DbActor)> = posts::table
        .inner_join(actors::table)
        .filter(posts::id.eq(id))
        .select((DbPost::as_select(), DbActor::as_select()))
        .first(conn)
        .optional()?;
    match found {
        Some(row) => Ok(views(conn, vec![row])?.pop()),
        None => Ok(None),
    }
}

/// Live posts by id, in no particular order.
pub fn get_many(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<PostView>> {
    let rows: Vec<(DbPost, DbActor)> = posts::table
        .inner_join(actors::table)
        .filter(posts::id.eq_any(ids))
        .filter(posts::deleted_at.is_null())
        .select((DbPost::as_select(), DbActor::as_select()))
        .load(conn)?;
    views(conn, rows)
}

/// A page of live posts of one kind, optionally of one account and one topic.
pub fn list(
    conn: &mut AnyConnection,
    kind: &str,
    filter: Filter,
    topic: Option<&str>,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<PostView>> {
    let mut query = posts::table
        .inner_join(actors::table)
        .filter(posts::kind.eq(kind.to_string()))
        .filter(posts::deleted_at.is_null())
        .into_boxed();
    if let Some(topic) = topic {
        query = query.filter(
            posts::id.eq_any(
                post_topics::table
                    .filter(post_topics::topic.eq(topic.to_string()))
                    .select(post_topics::post_id),
            ),
        );
    }
    // Calls are ordered by deadline, events by start; news by publication.
    query = match (kind, filter) {
        (_, Filter::All) | ("news", _) => query.order((posts::published.desc(), posts::id.desc())),
        ("call", Filter::Upcoming(now)) => query
            .filter(posts::deadline_utc.ge(now))
            .order((posts::deadline_utc.asc(), posts::id.asc())),
        ("call", Filter::Past(now)) => query
            .filter(posts::deadline_utc.lt(now))
            .order((posts::deadline_utc.desc(), posts::id.desc())),
        (_, Filter::Upcoming(now)) => query
            .filter(posts::end_utc.ge(now))
            .order((posts::start_utc.asc(), posts::id.asc())),
        (_, Filter::Past(now)) => query
            .filter(posts::end_utc.lt(now))
            .order((posts::start_utc.desc(), posts::id.desc())),
    };
    let rows: Vec<(DbPost, DbActor)> = query
        .limit(limit)
        .offset(offset)
        .select((DbPost::as_select(), DbActor::as_select()))
        .load(conn)?;
    views(conn, rows)
}

/// Every live post of one account, oldest first (what an export holds).
pub fn of_account(conn: &mut AnyConnection, account_id: i64) -> QueryResult<Vec<PostView>> {
    let rows: Vec<(DbPost, DbActor)> = posts::table
        .inner_join(actors::table)
        .filter(posts::account_id.eq(account_id))
        .filter(posts::deleted_at.is_null())
        .order((posts::published.asc(), posts::id.asc()))
        .select((DbPost::as_select(), DbActor::as_select()))
        .load(conn)?;
    views(conn, rows)
}

/// Every live post's kind, id and last change, newest first, at most `limit` (the sitemap).
pub fn live_index(
    conn: &mut AnyConnection,
    limit: i64,
) -> QueryResult<Vec<(String, i64, NaiveDateTime)>> {
    posts::table
        .filter(posts::deleted_at.is_null())
        .order((posts::published.desc(), posts::id.desc()))
        .limit(limit)
        .select((posts::kind, posts::id, posts::updated))
        .load(conn)
}

/// How many times posts changed (published, edited or deleted): what a cached rendering of
/// posts is valid for. Bumped in the transaction of each change, so every process sees it.
pub fn changes(conn: &mut AnyConnection) -> QueryResult<i64> {
    change_counters::table
        .find("posts")
        .select(change_counters::value)
        .first(conn)
}

fn count_change(conn: &mut AnyConnection) -> QueryResult<usize> {
    diesel::update(change_counters::table.find("posts"))
        .set(change_counters::value.eq(change_counters::value + 1))
        .execute(conn)
}

/// Live posts of every kind (NodeInfo's `localPosts`).
pub fn count_live(conn: &mut AnyConnection) -> QueryResult<i64> {
    posts::table
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)
}

fn views(conn: &mut AnyConnection, rows: Vec<(DbPost, DbActor)>) -> QueryResult<Vec<PostView>> {
    let ids: Vec<i64> = rows.iter().map(|(p, _)| p.id).collect();
    let translations: Vec<DbTranslation> = post_translations::table
        .filter(post_translations::post_id.eq_any(&ids))
        .order((
            post_translations::post_id.asc(),
            post_translations::language.asc(),
        ))
        .select(DbTranslation::as_select())
        .load(conn)?;
    let topics: Vec<(i64, String)> = post_topics::table
        .filter(post_topics::post_id.eq_any(&ids))
        .order((post_topics::post_id.asc(), post_topics::topic.asc()))
        .select((post_topics::post_id, post_topics::topic))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(post, account)| PostView {
            translations: translations
                .iter()
                .filter(|t| t.post_id == post.id)
                .cloned()
                .collect(),
            topics: topics
                .iter()
                .filter(|(id, _)| *id == post.id)
                .map(|(_, t)| t.clone())
                .collect(),
            post,
            account,
        })
        .collect())
}
