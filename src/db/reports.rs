//! Reports: Flags received from other servers, and those our moderators made.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{per_backend, schema::reports, AnyConnection};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = reports)]
pub struct DbReport {
    pub id: i64,
    pub activity_id: String,
    pub incoming: bool,
    pub reporter: String,
    pub target_actor: String,
    /// The reported posts' ids, as a JSON array.
    pub objects: String,
    pub comment: String,
    pub forwarded: bool,
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub resolved_by: Option<String>,
    pub resolution: String,
}

impl DbReport {
    /// The reported posts' ids (a row that does not parse reports none).
    pub fn object_ids(&self) -> Vec<String> {
        serde_json::from_str(&self.objects).unwrap_or_default()
    }
}

pub struct NewReport<'a> {
    pub activity_id: &'a str,
    pub incoming: bool,
    pub reporter: &'a str,
    pub target_actor: &'a str,
    pub objects: &'a [String],
    pub comment: &'a str,
    pub forwarded: bool,
    pub created_at: NaiveDateTime,
}

/// Stores a report; `None` when one with this activity id is stored already.
pub fn insert(conn: &mut AnyConnection, report: &NewReport<'_>) -> QueryResult<Option<i64>> {
    let objects = serde_json::to_string(report.objects).unwrap_or_else(|_| "[]".into());
    per_backend!(conn, |c| diesel::insert_into(reports::table)
        .values((
            reports::activity_id.eq(report.activity_id),
            reports::incoming.eq(report.incoming),
            reports::reporter.eq(report.reporter),
            reports::target_actor.eq(report.target_actor),
            reports::objects.eq(&objects),
            reports::comment.eq(report.comment),
            reports::forwarded.eq(report.forwarded),
            reports::created_at.eq(report.created_at),
            reports::resolution.eq(""),
        ))
        .on_conflict(reports::activity_id)
        .do_nothing()
        .returning(reports::id)
        .get_result(c)
        .optional())
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<DbReport>> {
    reports::table
        .find(id)
        .select(DbReport::as_select())
        .first(conn)
        .optional()
}

/// Open (unresolved) or resolved reports, newest first, older than `before_id`.
pub fn list(
    conn: &mut AnyConnection,
    resolved: bool,
    before_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<DbReport>> {
    let mut query = reports::table.into_boxed();
    query = if resolved {
        query.filter(reports::resolved_at.is_not_null())
    } else {
        query.filter(reports::resolved_at.is_null())
    };
    if let Some(before) = before_id {
        query = query.filter(reports::id.lt(before));
    }
    query
        .order(reports::id.desc())
        .limit(limit)
        .select(DbReport::as_select())
        .load(conn)
}

pub fn count_open(conn: &mut AnyConnection) -> QueryResult<i64> {
    reports::table
        .filter(reports::resolved_at.is_null())
        .count()
        .get_result(conn)
}

/// Marks an open report resolved; false when it was resolved already.
pub fn resolve(
    conn: &mut AnyConnection,
    id: i64,
    by: &str,
    resolution: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        reports::table
            .filter(reports::id.eq(id))
            .filter(reports::resolved_at.is_null()),
    )
    .set((
        reports::resolved_at.eq(now),
        reports::resolved_by.eq(by),
        reports::resolution.eq(resolution),
    ))
    .execute(conn)?;
    Ok(updated > 0)
}
