//! People with access to the panel, the API and the CLI, and their API tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    schema::{api_tokens, users},
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
) -> QueryResult<usize> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::created_at.eq(now),
        ))
        .execute(conn)
}

/// The user a token belongs to, noting its use.
pub fn by_token_hash(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<DbUser>> {
    let user = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
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
