//! Remote images kept in the media cache: one row per remote URL, its file named by the
//! SHA-256 of its bytes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{per_backend, schema::media, AnyConnection};

pub const PENDING: &str = "pending";
pub const STORED: &str = "stored";
pub const REFUSED: &str = "refused";

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = media)]
pub struct DbMedia {
    pub id: i64,
    pub remote_url: String,
    pub state: String,
    pub sha256: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub error: Option<String>,
    pub retry_after: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub last_access: NaiveDateTime,
}

/// What was stored for a fetched image.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub sha256: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub width: i64,
    pub height: i64,
}

/// Makes each URL known to the cache (not fetched yet); known ones are left as they are.
pub fn register(conn: &mut AnyConnection, urls: &[String], now: NaiveDateTime) -> QueryResult<()> {
    for url in urls {
        let row = (
            media::remote_url.eq(url),
            media::state.eq(PENDING),
            media::size_bytes.eq(0i64),
            media::created_at.eq(now),
            media::last_access.eq(now),
        );
        per_backend!(conn, |c| diesel::insert_into(media::table)
            .values(row)
            .on_conflict(media::remote_url)
            .do_nothing()
            .execute(c))?;
    }
    Ok(())
}

/// The ids of the known ones of `urls`, with their state.
pub fn by_urls(
    conn: &mut AnyConnection,
    urls: &[String],
) -> QueryResult<Vec<(String, i64, String)>> {
    media::table
        .filter(media::remote_url.eq_any(urls))
        .select((media::remote_url, media::id, media::state))
        .load(conn)
}

pub fn get(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<DbMedia>> {
    media::table
        .find(id)
        .select(DbMedia::as_select())
        .first(conn)
        .optional()
}

pub fn mark_stored(
    conn: &mut AnyConnection,
    id: i64,
    file: &StoredFile,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(media::table.find(id))
        .set((
            media::state.eq(STORED),
            media::sha256.eq(&file.sha256),
            media::content_type.eq(&file.content_type),
            media::size_bytes.eq(file.size_bytes),
            media::width.eq(file.width),
            media::height.eq(file.height),
            media::error.eq(None::<String>),
            media::retry_after.eq(None::<NaiveDateTime>),
            media::last_access.eq(now),
        ))
        .execute(conn)
}

/// A failure that may pass: not fetched again before `retry_after`.
pub fn mark_failed(
    conn: &mut AnyConnection,
    id: i64,
    why: &str,
    retry_after: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(media::table.find(id))
        .set((media::error.eq(why), media::retry_after.eq(retry_after)))
        .execute(conn)
}

pub fn mark_refused(conn: &mut AnyConnection, id: i64, why: &str) -> QueryResult<usize> {
    diesel::update(media::table.find(id))
        .set((media::state.eq(REFUSED), media::error.eq(why)))
        .execute(conn)
}

/// Back to pending (its file evicted): fetched again when next shown.
pub fn mark_evicted(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    diesel::update(media::table.find(id))
        .set((
            media::state.eq(PENDING),
            media::sha256.eq(None::<String>),
            media::size_bytes.eq(0i64),
        ))
        .execute(conn)
}

pub fn touch(conn: &mut AnyConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(media::table.find(id))
        .set(media::last_access.eq(now))
        .execute(conn)
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    total: i64,
}

/// Bytes of every stored file (SUM is NUMERIC on PostgreSQL: cast back on both).
pub fn stored_bytes(conn: &mut AnyConnection) -> QueryResult<i64> {
    let row: Total = diesel::sql_query(
        "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS total FROM media \
         WHERE state = 'stored'",
    )
    .get_result(conn)?;
    Ok(row.total)
}

/// Stored files, least recently shown first.
pub fn least_recently_used(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<DbMedia>> {
    media::table
        .filter(media::state.eq(STORED))
        .order((media::last_access.asc(), media::id.asc()))
        .limit(limit)
        .select(DbMedia::as_select())
        .load(conn)
}

/// Hashes of every stored file (what the folder should hold).
pub fn stored_hashes(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    media::table
        .filter(media::state.eq(STORED))
        .filter(media::sha256.is_not_null())
        .select(media::sha256.assume_not_null())
        .load(conn)
}

/// Whether a stored row other than `except` holds the file with this hash (one image
/// reached under several URLs is stored once).
pub fn hash_held_elsewhere(
    conn: &mut AnyConnection,
    sha256: &str,
    except: i64,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        media::table
            .filter(media::sha256.eq(sha256))
            .filter(media::state.eq(STORED))
            .filter(media::id.ne(except)),
    ))
    .get_result(conn)
}

/// URLs of the rows that mention `text` (a coarse filter; callers check the host).
pub fn urls_like(conn: &mut AnyConnection, text: &str) -> QueryResult<Vec<String>> {
    media::table
        .filter(media::remote_url.like(format!("%{text}%")))
        .select(media::remote_url)
        .load(conn)
}

/// The rows of these URLs, whatever their state.
pub fn rows_of(conn: &mut AnyConnection, urls: &[String]) -> QueryResult<Vec<DbMedia>> {
    media::table
        .filter(media::remote_url.eq_any(urls))
        .select(DbMedia::as_select())
        .load(conn)
}

pub fn delete(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(media::table.find(id)).execute(conn)
}

/// Stored files nobody has shown since `before`.
pub fn unused_since(
    conn: &mut AnyConnection,
    before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DbMedia>> {
    media::table
        .filter(media::state.eq(STORED))
        .filter(media::last_access.lt(before))
        .order(media::id.asc())
        .limit(limit)
        .select(DbMedia::as_select())
        .load(conn)
}
