//! People with access to the panel, the API and the CLI, and their API tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    actors::DbActor,
    schema::{actors, api_tokens, user_accounts, users},
    AnyConnection,
};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct DbUser {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub password_hash: String,
    pub created_at: NaiveDateTime,
    pub disabled_at: Option<NaiveDateTime>,
}

pub fn insert(
    conn: &mut AnyConnection,
    email: &str,
    role: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::role.eq(role),
            users::password_hash.eq(password_hash),
            users::created_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)
}

pub fn by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<DbUser>> {
    users::table
        .filter(users::email.eq(email))
        .select(DbUser::as_select())
        .first(conn)
        .optional()
}

pub fn insert_token(
    conn: &mut AnyConnection,
    user_id: i64,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: Option<NaiveDateTime>,
) -> QueryResult<i64> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::created_at.eq(now),
            api_tokens::expires_at.eq(expires_at),
        ))
        .returning(api_tokens::id)
        .get_result(conn)
}

/// An API token as listed (never its secret, which is not stored).
#[derive(Clone, Debug, Queryable)]
pub struct DbTokenListing {
    pub id: i64,
    pub email: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
}

pub fn tokens(conn: &mut AnyConnection) -> QueryResult<Vec<DbTokenListing>> {
    api_tokens::table
        .inner_join(users::table)
        .order(api_tokens::id.asc())
        .select((
            api_tokens::id,
            users::email,
            api_tokens::created_at,
            api_tokens::last_used_at,
            api_tokens::expires_at,
        ))
        .load(conn)
}

pub fn delete_token(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(api_tokens::table.find(id)).execute(conn)
}

/// Lets an editor publish as `account_id` (nothing when it already may).
pub fn grant_account(
    conn: &mut AnyConnection,
    user_id: i64,
    account_id: i64,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO user_accounts (user_id, account_id) VALUES ($1, $2) \
         ON CONFLICT DO NOTHING",
    )
    .bind::<diesel::sql_types::BigInt, _>(user_id)
    .bind::<diesel::sql_types::BigInt, _>(account_id)
    .execute(conn)
}

/// Takes back an account from an editor; the number of grants removed (0 or 1).
pub fn revoke_account(
    conn: &mut AnyConnection,
    user_id: i64,
    account_id: i64,
) -> QueryResult<usize> {
    diesel::delete(
        user_accounts::table
            .filter(user_accounts::user_id.eq(user_id))
            .filter(user_accounts::account_id.eq(account_id)),
    )
    .execute(conn)
}

/// The accounts a user was given (admins may publish as every account without any).
pub fn granted_accounts(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<DbActor>> {
    user_accounts::table
        .inner_join(actors::table)
        .filter(user_accounts::user_id.eq(user_id))
        .order(actors::username.asc())
        .select(DbActor::as_select())
        .load(conn)
}

pub fn is_granted(conn: &mut AnyConnection, user_id: i64, account_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        user_accounts::table
            .filter(user_accounts::user_id.eq(user_id))
            .filter(user_accounts::account_id.eq(account_id)),
    ))
    .get_result(conn)
}

/// Users by e-mail, `limit` from `offset`.
pub fn page(conn: &mut AnyConnection, limit: i64, offset: i64) -> QueryResult<Vec<DbUser>> {
    users::table
        .order(users::email.asc())
        .limit(limit)
        .offset(offset)
        .select(DbUser::as_select())
        .load(conn)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<DbUser>> {
    users::table
        .find(id)
        .select(DbUser::as_select())
        .first(conn)
        .optional()
}

pub fn set_role(conn: &mut AnyConnection, id: i64, role: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::role.eq(role))
        .execute(conn)
}

/// Disables (with the time) or enables a user.
pub fn set_disabled(
    conn: &mut AnyConnection,
    id: i64,
    disabled_at: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::disabled_at.eq(disabled_at))
        .execute(conn)
}

/// How many enabled admins there are (the last one may not be disabled or demoted). Call
/// in the write transaction of the change: on PostgreSQL their rows stay locked until it
/// ends, so that two demotions at once cannot leave none (SQLite's writer is alone).
pub fn count_active_admins(conn: &mut AnyConnection) -> QueryResult<i64> {
    let admins = users::table
        .filter(users::role.eq("admin"))
        .filter(users::disabled_at.is_null())
        .select(users::id);
    let ids: Vec<i64> = match conn {
        AnyConnection::Postgresql(c) => admins.for_update().load(c)?,
        AnyConnection::Sqlite(c) => admins.load(c)?,
    };
    Ok(ids.len() as i64)
}

/// The enabled user an unexpired token belongs to, noting its use.
pub fn by_token_hash(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<DbUser>> {
    let user = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(users::disabled_at.is_null())
        .filter(
            api_tokens::expires_at
                .is_null()
                .or(api_tokens::expires_at.gt(now)),
        )
        .select(DbUser::as_select())
        .first(conn)
        .optional()?;
    if user.is_some() {
        diesel::update(api_tokens::table.filter(api_tokens::token_hash.eq(token_hash)))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(user)
}
