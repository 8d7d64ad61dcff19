//! Storage: one connection type over SQLite and PostgreSQL, the pool, migrations, and one
//! module per table group.

pub mod activities;
pub mod actors;
pub mod audit;
pub mod backup;
pub mod deliveries;
pub mod domains;
pub mod follows;
pub mod media;
pub mod posts;
pub mod reactions;
pub mod relays;
pub mod remote_posts;
pub mod reports;
pub mod schema;
pub mod sessions;
pub mod timeline;
pub mod users;
pub mod writer;

use std::path::PathBuf;

use chrono::{NaiveDateTime, Utc};
use diesel::{
    backend::Backend,
    connection::{AnsiTransactionManager, SimpleConnection, TransactionManager},
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    r2d2,
    sql_types::Integer,
    Connection, ConnectionError, IntoSql, PgConnection, QueryResult, RunQueryDsl, SqliteConnection,
};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs one query written once against whichever backend the connection is, for the few
/// query forms diesel's MultiConnection cannot express (upserts).
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::AnyConnection::Postgresql($c) => $body,
            $crate::db::AnyConnection::Sqlite($c) => $body,
        }
    };
}
pub(crate) use per_backend;

/// The database named by `database.url`, backend chosen by its scheme (never by trial:
/// diesel's own `establish` would create a SQLite file named like a failed PostgreSQL URL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(with_connect_timeout(url)));
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if path.is_empty() {
            return Err("empty SQLite path".into());
        }
        if path.contains("://") {
            return Err(format!(
                "unsupported database URL {:?}: use sqlite://PATH or postgres://…",
                redact_url(url)
            ));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        }
    }
}

/// How long libpq waits for each of a server's addresses to answer a connect, unless the
/// URL, `PGCONNECT_TIMEOUT` or a service file says: its default is for ever, and a server
/// that accepts the connection and then says nothing (a stalled TLS handshake, a hung
/// proxy) would hang start-up, and the pool's later connects.
const CONNECT_TIMEOUT: &str = "connect_timeout=10";

fn with_connect_timeout(url: &str) -> String {
    let chosen_elsewhere = ["PGCONNECT_TIMEOUT", "PGSERVICE"]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
    if chosen_elsewhere || url.contains("connect_timeout=") || url.contains("service=") {
        return url.to_string();
    }
    // As libpq reads it: user and password run to an `@` before the first `/`, and may
    // hold a `?`; the parameters start at the first `?` after them.
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let after_user = match rest.find('@') {
        Some(at) if rest.find('/').is_none_or(|slash| at < slash) => &rest[at + 1..],
        _ => rest,
    };
    let separator = if !after_user.contains('?') {
        "?"
    } else if url.ends_with(['?', '&']) {
        ""
    } else {
        "&"
    };
    format!("{url}{separator}{CONNECT_TIMEOUT}")
}

/// The URL without its password, for logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// Opens connections for the pool, with SQLite's per-connection settings.
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Postgres(url) => PgConnection::establish(url)
                .map(AnyConnection::Postgresql)
                .map_err(r2d2::Error::ConnectionError),
            DatabaseUrl::Sqlite(path) => connect_sqlite(path)
                .map(AnyConnection::Sqlite)
                .map_err(r2d2::Error::ConnectionError),
        }
    }

    /// `SELECT $1`, kept prepared: one round trip, parsed once per connection (diesel's raw
    /// `SELECT 1` is parsed and planned at every checkout).
    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        diesel::select(1_i32.into_sql::<Integer>())
            .execute(conn)
            .map(|_| ())
            .map_err(r2d2::Error::QueryError)
    }

    /// A connection given back while its thread panics may hold an open transaction, and
    /// one whose transaction manager failed cannot write again: neither goes back.
    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        std::thread::panicking() || diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// A connection to the SQLite file at `path` with munifed's settings (the pool's, and
/// backup's and restore's).
pub fn connect_sqlite(path: &std::path::Path) -> Result<SqliteConnection, ConnectionError> {
    let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
    // busy_timeout first, so that connections opened together wait for each other
    // (switching to WAL takes a lock); WAL lets readers run beside the writer. Temporary
    // data (sorts, statement and savepoint journals) in memory: the group-commit writer's
    // savepoint journals spilled to a file once a batch passed 64 KiB. The writer's
    // checkpointer (`writer`) copies the WAL back after its commits; a commit does it itself
    // only past 4,096 pages (16 MiB), when other writes fill the WAL or the checkpointer
    // falls behind (at SQLite's 1,000 the writer kept meeting it: 1,387 stored/s against
    // 1,522-1,953).
    conn.batch_execute(
        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
         PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
         PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 4096;",
    )
    .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
    Ok(conn)
}

pub type DbPool = r2d2::Pool<ConnectionManager>;

/// Opens the pool (creating the SQLite file and its folder) and runs pending migrations.
pub fn open(url: &str, pool_size: u32) -> anyhow::Result<DbPool> {
    let url = DatabaseUrl::parse(url).map_err(anyhow::Error::msg)?;
    if let DatabaseUrl::Sqlite(path) = &url {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                anyhow::anyhow!("cannot create database folder {}: {e}", dir.display())
            })?;
        }
    }
    let backend = url.backend();
    // A connection to a server can drop or hang on the network; a SQLite one cannot.
    let server = matches!(url, DatabaseUrl::Postgres(_));
    let manager = ConnectionManager { url };
    // One connection first: an unreachable database fails at once with its own error,
    // instead of after the pool's connection timeout.
    let mut conn = r2d2::ManageConnection::connect(&manager)
        .map_err(|e| anyhow::anyhow!("cannot open the {backend} database: {e}"))?;
    let applied = run_migrations(&mut conn)?;
    if !applied.is_empty() {
        tracing::info!(backend, ?applied, "applied database migrations");
    }
    drop(conn);
    // r2d2 opens and closes connections on threads of its own, three by default, each
    // thread one connection at a time. SQLite's open a local file: one thread does, and
    // two idle threads fewer keep about 0.2 MB less memory. On a server, three keep one
    // hung connect from holding up the others.
    let pool_threads = if server { 3 } else { 1 };
    // Connections open as load asks for them and close after ten idle minutes: an idle
    // instance keeps one (each SQLite connection holds its own page cache).
    r2d2::Pool::builder()
        .max_size(pool_size)
        .thread_pool(std::sync::Arc::new(
            scheduled_thread_pool::ScheduledThreadPool::builder()
                .num_threads(pool_threads)
                .thread_name_pattern("db-pool-{}")
                .build(),
        ))
        .min_idle(Some(1))
        // Checking a SQLite connection with a query at every checkout would only cost time.
        .test_on_check_out(server)
        .connection_timeout(std::time::Duration::from_secs(30))
        .build(manager)
        .map_err(|e| anyhow::anyhow!("cannot open the {backend} database: {e}"))
}

/// Applies the embedded migrations of the connection's backend; returns the versions applied.
pub fn run_migrations(conn: &mut AnyConnection) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        AnyConnection::Postgresql(c) => c.run_pending_migrations(PG_MIGRATIONS),
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Runs blocking diesel work on the blocking thread pool.
pub async fn run<T, F>(pool: &DbPool, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(AppError::pool)?;
        work(&mut conn)
    })
    .await
    .map_err(|e| AppError::other(anyhow::anyhow!("database task failed: {e}")))?
}

/// SQLite has one writer at a time. Write transactions of this process queue for it here
/// rather than in SQLite's busy handler, which sleeps between tries (1 ms, 2 ms,
/// 5 ms… up to 100 ms) and leaves the database idle while many writers wait. Held only by
/// synchronous work on a blocking thread, never across an await.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `work` in a transaction that writes. On SQLite it queues for the process's writer
/// lock, then begins `IMMEDIATE`, taking the write lock first: a deferred transaction that
/// reads and then writes fails at once with "database is locked" when another writer got
/// in between, while an immediate one waits (busy_timeout, for other processes) like any
/// other writer. Nested calls become savepoints (inside a deferred outer transaction, they
/// are as deferred as it is).
pub fn write_transaction<T, E>(
    conn: &mut AnyConnection,
    work: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let outermost = AnyConnection::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_none();
    // A panic while holding the lock leaves nothing to repair: the pool discards the
    // connection with its open transaction.
    let _writer = (outermost && matches!(conn, AnyConnection::Sqlite(_))).then(|| {
        SQLITE_WRITER
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    });
    match conn {
        AnyConnection::Sqlite(c) if outermost => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        _ => AnyConnection::begin_transaction(conn)?,
    }
    match work(conn) {
        Ok(value) => {
            AnyConnection::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match AnyConnection::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// A statement whose SQL text is the same at every call from one place (an upsert, an
/// UPDATE, a raw query), kept prepared by diesel's statement cache under that text. Diesel
/// prepares these anew on every call, since it cannot know that a changeset or raw SQL
/// does not vary, and parsing and planning cost more than running them. Only for
/// statements without `IN` lists, whose text grows with their values (an insert's `None`
/// fields give a text each too, unless inserted as NULL: `treat_none_as_default_value =
/// false`), and only through `load` or `get_result`, on `AnyConnection` or the backend's own
/// (a `RETURNING` clause where nothing else is wanted): `execute` hands diesel a reference,
/// for which it works the question out again from the statement itself, and prepares it
/// anew every time. The override is diesel's interface for backends (`doc(hidden)`
/// otherwise); `the_inboxs_statements_are_prepared_once_per_connection` checks it holds.
#[derive(Debug, Clone, Copy)]
pub struct Reused<Q>(pub Q);

impl<Q> QueryId for Reused<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Reused<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Reused<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q, Conn> RunQueryDsl<Conn> for Reused<Q> {}

/// No value has this type: see `Reused::execute`.
pub enum WithReturningAndLoadInstead {}

impl<Q> Reused<Q> {
    /// Shadows `RunQueryDsl::execute`, which would prepare the statement anew at every call
    /// (see `Reused`): a `Reused(…).execute(conn)` does not compile. Add a `RETURNING`
    /// clause and `load` or `get_result`.
    pub fn execute(self, never: WithReturningAndLoadInstead) -> QueryResult<usize> {
        match never {}
    }
}

/// The current time as stored: UTC, truncated to microseconds so both backends agree.
pub fn now() -> NaiveDateTime {
    truncate(Utc::now().naive_utc())
}

pub fn truncate(time: NaiveDateTime) -> NaiveDateTime {
    use chrono::{DurationRound, TimeDelta};
    time.duration_trunc(TimeDelta::microseconds(1))
        .unwrap_or(time)
}

/// Whether a query failed on a unique constraint.
pub fn is_unique_violation<T>(result: &QueryResult<T>) -> bool {
    matches!(
        result,
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _
        ))
    )
}

#[cfg(test)]
mod tests {
    use super::DatabaseUrl;

    #[test]
    fn backend_comes_from_the_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/x.db"),
            Ok(DatabaseUrl::Sqlite("data/x.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("/var/lib/munifed.db"),
            Ok(DatabaseUrl::Sqlite("/var/lib/munifed.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1/munifed"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(DatabaseUrl::parse("mysql://root@localhost/x").is_err());
    }

    #[test]
    fn postgres_urls_get_a_connect_timeout_unless_they_set_one() {
        let postgres = |url: &str| match DatabaseUrl::parse(url) {
            Ok(DatabaseUrl::Postgres(url)) => url,
            other => panic!("{url}: {other:?}"),
        };
        assert_eq!(
            postgres("postgres://u@db/m"),
            "postgres://u@db/m?connect_timeout=10"
        );
        assert_eq!(
            postgres("postgresql://u@db/m?sslmode=require"),
            "postgresql://u@db/m?sslmode=require&connect_timeout=10"
        );
        assert_eq!(
            postgres("postgres://u@db/m?"),
            "postgres://u@db/m?connect_timeout=10"
        );
        assert_eq!(
            postgres("postgres://u:p?w@db/m"),
            "postgres://u:p?w@db/m?connect_timeout=10"
        );
        assert_eq!(
            postgres("postgres://u:p?w@db/m?host=/run/postgresql"),
            "postgres://u:p?w@db/m?host=/run/postgresql&connect_timeout=10"
        );
        assert_eq!(
            postgres("postgres://u@db/m?connect_timeout=3"),
            "postgres://u@db/m?connect_timeout=3"
        );
        assert_eq!(
            postgres("postgres:///m?service=munifed"),
            "postgres:///m?service=munifed"
        );
    }

    /// A server that accepts the connection and never answers: `open` gives up (after the
    /// connect timeout) instead of waiting for ever.
    #[test]
    fn open_gives_up_on_a_postgres_server_that_never_answers() {
        let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let address = silent.local_addr().expect("the listener's address");
        let url = format!("postgres://u@{address}/m");
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(super::open(&url, 1).map(|_| ()));
        });
        let outcome = result
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("open still waiting after a minute");
        let error = outcome
            .expect_err("a silent server cannot be opened")
            .to_string();
        assert!(error.contains("timeout"), "{error}");
        drop(silent);
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact_url("postgres://u:secret@db/m"),
            "postgres://u:***@db/m"
        );
    }
}
