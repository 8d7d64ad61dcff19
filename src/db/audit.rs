//! The audit log: every staff action, appended, never edited.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{schema::audit_log, AnyConnection};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct DbAuditEntry {
    pub id: i64,
    pub user_id: Option<i64>,
    pub who: String,
    pub action: String,
    pub target: String,
    pub comment: String,
    pub created_at: NaiveDateTime,
}

pub struct NewAuditEntry<'a> {
    pub user_id: Option<i64>,
    pub who: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub comment: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, entry: &NewAuditEntry<'_>) -> QueryResult<usize> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::user_id.eq(entry.user_id),
            audit_log::who.eq(entry.who),
            audit_log::action.eq(entry.action),
            audit_log::target.eq(entry.target),
            audit_log::comment.eq(entry.comment),
            audit_log::created_at.eq(entry.created_at),
        ))
        .execute(conn)
}

/// Which entries a listing shows; every filter is optional.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub action: Option<String>,
    pub who: Option<String>,
    /// A part of the target (a domain, a handle, a URL).
    pub target: Option<String>,
    /// Entries older than this id (the next page).
    pub before_id: Option<i64>,
}

/// Newest first, at most `limit`.
pub fn list(
    conn: &mut AnyConnection,
    query: &AuditQuery,
    limit: i64,
) -> QueryResult<Vec<DbAuditEntry>> {
    let mut select = audit_log::table.into_boxed();
    if let Some(action) = &query.action {
        select = select.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(who) = &query.who {
        select = select.filter(audit_log::who.eq(who.clone()));
    }
    if let Some(target) = &query.target {
        let escaped = target
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        select = select.filter(audit_log::target.like(format!("%{escaped}%")).escape('\\'));
    }
    if let Some(before) = query.before_id {
        select = select.filter(audit_log::id.lt(before));
    }
    select
        .order(audit_log::id.desc())
        .limit(limit)
        .select(DbAuditEntry::as_select())
        .load(conn)
}

/// The actions recorded so far (for the filter's choices).
pub fn actions(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action.asc())
        .load(conn)
}
