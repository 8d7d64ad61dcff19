//! Panel sessions (by a hash of the cookie's secret) and failed logins.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    schema::{login_failures, sessions, users},
    users::DbUser,
    AnyConnection,
};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct DbSession {
    pub id: i64,
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    csrf_token: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(csrf_token),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

/// The unexpired session with this hash, and its user when enabled.
pub fn live(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(DbSession, DbUser)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .filter(users::disabled_at.is_null())
        .select((DbSession::as_select(), DbUser::as_select()))
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut AnyConnection, token_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)
}

/// Ends every session of a user (disabled, or its role changed).
pub fn delete_for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// Forgets expired sessions and failures older than `failures_before`.
pub fn prune(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    failures_before: NaiveDateTime,
) -> QueryResult<usize> {
    let sessions =
        diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)?;
    let failures =
        diesel::delete(login_failures::table.filter(login_failures::failed_at.lt(failures_before)))
            .execute(conn)?;
    Ok(sessions + failures)
}

/// Records an attempt as failed until it succeeds (`forget_attempt`): concurrent guesses
/// each count before any password is checked. Its id.
pub fn record_attempt(
    conn: &mut AnyConnection,
    email: &str,
    address: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::email.eq(email),
            login_failures::address.eq(address),
            login_failures::failed_at.eq(now),
        ))
        .returning(login_failures::id)
        .get_result(conn)
}

pub fn forget_attempt(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(login_failures::table.find(id)).execute(conn)
}

/// Failed logins since `since`: for this account from this address, for this account
/// from anywhere, and from this address for any account.
pub fn failures_since(
    conn: &mut AnyConnection,
    email: &str,
    address: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, i64, i64)> {
    let by_pair = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::address.eq(address))
        .filter(login_failures::failed_at.ge(since))
        .count()
        .get_result(conn)?;
    let by_email = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.ge(since))
        .count()
        .get_result(conn)?;
    let by_address = login_failures::table
        .filter(login_failures::address.eq(address))
        .filter(login_failures::failed_at.ge(since))
        .count()
        .get_result(conn)?;
    Ok((by_pair, by_email, by_address))
}

/// A successful login clears the account's failures (not the address's).
pub fn clear_failures(conn: &mut AnyConnection, email: &str) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email))).execute(conn)
}
