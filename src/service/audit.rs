//! The audit log: who did what, to what, when and why. Recorded in the transaction of the
//! action it describes; read by moderators and admins; never edited.

use crate::{
    db::{
        self,
        audit::{AuditQuery, DbAuditEntry, NewAuditEntry},
        AnyConnection,
    },
    error::AppResult,
    service::users::{self, Staff},
    state::AppState,
};

/// Entries on one page of the log.
pub const PAGE: i64 = 50;

/// Records that `staff` did `action` to `target`. Call inside the action's transaction.
pub fn record(
    conn: &mut AnyConnection,
    staff: &Staff,
    action: &str,
    target: &str,
    comment: &str,
) -> diesel::QueryResult<usize> {
    let user_id = match staff {
        Staff::User(user) => Some(user.id),
        Staff::Operator => None,
    };
    db::audit::insert(
        conn,
        &NewAuditEntry {
            user_id,
            who: &staff.name(),
            action,
            target,
            comment,
            created_at: db::now(),
        },
    )
}

/// A page of the log, newest first, with the actions there are to filter by.
pub async fn list(
    state: &AppState,
    staff: &Staff,
    query: AuditQuery,
) -> AppResult<(Vec<DbAuditEntry>, Vec<String>)> {
    users::check_moderator(staff)?;
    db::run(&state.db, move |conn| {
        Ok((
            db::audit::list(conn, &query, PAGE)?,
            db::audit::actions(conn)?,
        ))
    })
    .await
}
