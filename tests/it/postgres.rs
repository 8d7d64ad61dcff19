//! Checks that need a PostgreSQL server whatever backend the suite runs on. They skip,
//! saying why, on a machine without one, and fail under CI (CI=true).

use diesel::{Connection, PgConnection, RunQueryDsl};

use crate::helpers::{under_ci, TEST_DATABASE_ENV};

fn postgres_server() -> Option<String> {
    let server = std::env::var(TEST_DATABASE_ENV)
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432".into());
    match PgConnection::establish(&format!("{server}/postgres")) {
        Ok(_) => Some(server),
        Err(e) => {
            if under_ci() {
                panic!("CI needs PostgreSQL at {server}: {e}");
            }
            eprintln!("skipping: no PostgreSQL at {server} ({e}); set {TEST_DATABASE_ENV}");
            None
        }
    }
}

/// A database of its own on the server, dropped when this is, even after a failed assertion.
struct ScratchDatabase {
    /// A connection to the server's `postgres` database.
    admin: PgConnection,
    name: String,
    url: String,
}

impl ScratchDatabase {
    /// Named from `prefix`, on `server`.
    fn new(server: &str, prefix: &str) -> ScratchDatabase {
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&format!("{server}/postgres")).unwrap();
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap();
        let url = format!("{server}/{name}");
        ScratchDatabase { admin, name, url }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let dropped = diesel::sql_query(format!("DROP DATABASE {} WITH (FORCE)", self.name))
            .execute(&mut self.admin);
        if let Err(e) = dropped {
            eprintln!("could not drop the scratch database {}: {e}", self.name);
        }
    }
}

#[derive(diesel::QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
}

/// The two migration sets must describe the same tables and columns.
#[test]
fn sqlite_and_postgres_migrations_have_the_same_columns() {
    let Some(server) = postgres_server() else {
        return;
    };
    let scratch = ScratchDatabase::new(&server, "munifed_schema");
    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}", dir.path().join("schema.db").display());

    let pg_columns = {
        let pool = munifed::db::open(&scratch.url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        let mut columns: Vec<Column> = diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name <> '__diesel_schema_migrations'",
        )
        .load(&mut *conn)
        .unwrap();
        columns.sort();
        columns
    };
    let sqlite_columns = {
        let pool = munifed::db::open(&sqlite_url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        let mut columns: Vec<Column> = diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
             AND m.name NOT IN ('__diesel_schema_migrations', 'sqlite_sequence')",
        )
        .load(&mut *conn)
        .unwrap();
        columns.sort();
        columns
    };
    assert!(!pg_columns.is_empty());
    assert_eq!(pg_columns, sqlite_columns);
}

/// The libpq built into munifed speaks TLS, and uses it over TCP whenever the server offers
/// it (README): a URL as given (libpq's `sslmode=prefer`) and one that requires TLS both get
/// an encrypted session. A libpq built without TLS refuses `sslmode=require`.
#[test]
fn libpq_uses_tls_when_the_server_offers_it_or_a_url_requires_it() {
    use diesel::{dsl::sql, sql_types::Bool};
    let Some(server) = postgres_server() else {
        return;
    };
    let mut plain = PgConnection::establish(&format!("{server}/postgres")).unwrap();
    // No TLS over a Unix socket, nor from a server with `ssl = off`.
    let offered: bool = diesel::select(sql::<Bool>(
        "inet_server_addr() IS NOT NULL AND current_setting('ssl') = 'on'",
    ))
    .get_result(&mut plain)
    .unwrap();
    if !offered {
        let why = format!("PostgreSQL at {server} offers no TLS (a Unix socket, or ssl = off)");
        assert!(!under_ci(), "CI needs TLS: {why}");
        eprintln!("skipping: {why}");
        return;
    }
    let encrypted = |conn: &mut PgConnection| -> bool {
        diesel::select(sql::<Bool>(
            "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())",
        ))
        .get_result(conn)
        .unwrap()
    };
    assert!(
        encrypted(&mut plain),
        "the URL as given got a plain session"
    );
    let mut required = PgConnection::establish(&format!("{server}/postgres?sslmode=require"))
        .expect("libpq connects with sslmode=require");
    assert!(
        encrypted(&mut required),
        "sslmode=require got a plain session"
    );
}

/// A connection whose session the server ended (a restart, a failover, an administrator)
/// is not handed out again: the pool checks each at checkout and opens a fresh one. (Without
/// the check, diesel does not always mark such a connection broken: a CI run saw it handed
/// out again after a failed query.)
#[tokio::test]
async fn connections_the_server_closed_are_replaced() {
    let Some(server) = postgres_server() else {
        return;
    };
    let mut scratch = ScratchDatabase::new(&server, "munifed_closed");
    let pool = munifed::db::open(&scratch.url, 2).unwrap();
    let ping = || {
        munifed::db::run(&pool, |conn| {
            Ok(diesel::sql_query("SELECT 1").execute(conn)?)
        })
    };
    // A statement of the kind diesel keeps prepared, not yet prepared on these connections.
    let query = || {
        munifed::db::run(&pool, |conn| {
            use diesel::QueryDsl;
            use munifed::db::schema::actors;
            Ok(actors::table.count().get_result::<i64>(conn)?)
        })
    };
    // Both connections in use at once, so that both are open when the server ends them.
    let (first, second) = tokio::join!(ping(), ping());
    assert!(first.is_ok() && second.is_ok());
    // Each session waited for (up to 5 s), so that none answers once more while it ends.
    let ended: Vec<bool> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = '{}'",
        scratch.name
    )))
    .load(&mut scratch.admin)
    .unwrap();
    assert!(!ended.is_empty(), "no session of the pool was found to end");

    for _ in 0..5 {
        query().await.expect("a fresh connection answers");
    }
}

/// A statement kept prepared on a connection, and how many times it ran since.
#[derive(diesel::QueryableByName, Debug)]
struct Prepared {
    #[diesel(sql_type = diesel::sql_types::Text)]
    statement: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    runs: i64,
}

/// The statements kept prepared on this connection.
fn prepared_statements(
    conn: &mut munifed::db::AnyConnection,
) -> diesel::QueryResult<Vec<Prepared>> {
    diesel::sql_query(
        "SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements",
    )
    .load(conn)
}

/// Each statement starting with one of `expected` is kept prepared once, and ran its count.
fn assert_kept_prepared(prepared: &[Prepared], expected: &[(&str, i64)]) {
    for &(start, runs) in expected {
        let kept: Vec<i64> = prepared
            .iter()
            .filter(|kept| kept.statement.starts_with(start))
            .map(|kept| kept.runs)
            .collect();
        assert_eq!(kept, [runs], "{start}… kept prepared: {prepared:#?}");
    }
}

/// The statements every delivery to the inbox runs are kept prepared on each connection:
/// parsed once and run again, not parsed at every request (diesel prepares anew a statement
/// it cannot tell is always the same text, and the pool's checkout ping runs on every
/// request).
#[tokio::test]
async fn the_inboxs_statements_are_prepared_once_per_connection() {
    let Some(server) = postgres_server() else {
        return;
    };
    let scratch = ScratchDatabase::new(&server, "munifed_prepared");
    // One connection, so that every checkout below gets the same session.
    let pool = munifed::db::open(&scratch.url, 1).unwrap();
    let prepared = munifed::db::run(&pool, |conn| {
        let now = munifed::db::now();
        for n in 0..3 {
            let id = format!("https://remote.example/activities/{n}");
            assert!(munifed::db::activities::mark_received(conn, &id, now)?);
            assert!(!munifed::db::activities::mark_received(conn, &id, now)?);
            munifed::db::domains::record_success(conn, "remote.example", now)?;
        }
        let statements: Vec<Prepared> = prepared_statements(conn)?;
        Ok(statements)
    })
    .await
    .unwrap();
    assert_kept_prepared(
        &prepared,
        &[
            ("INSERT INTO \"received_activities\"", 6),
            ("INSERT INTO \"domain_health\"", 3),
        ],
    );
    let pings: Vec<String> = munifed::db::run(&pool, |conn| {
        Ok(diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
            "statement FROM pg_prepared_statements WHERE statement = 'SELECT $1'",
        ))
        .load(conn)?)
    })
    .await
    .unwrap();
    // Every checkout above was pinged (the pool tests PostgreSQL connections at checkout).
    assert_eq!(pings.len(), 1, "the checkout ping is kept prepared");
}

/// How many times a table was read whole in the current transaction.
#[derive(diesel::QueryableByName, Debug)]
struct WholeReads {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seq_scan: i64,
    /// Reads through an index: not 0 shows the counts are kept.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    idx_scan: i64,
}

/// Queues `count` deliveries of one activity, each to an inbox of its own domain, all due
/// now; returns that time.
fn queue_pending_deliveries(
    conn: &mut munifed::db::AnyConnection,
    count: usize,
) -> Result<chrono::NaiveDateTime, munifed::error::AppError> {
    use munifed::db::{self, activities::DbOutgoingActivityForm, deliveries};
    let sender = munifed::federation::objects::actor::remote_actor_form(
        serde_json::from_value(serde_json::json!({
            "id": "https://sender.example/actor",
            "type": "Service",
            "preferredUsername": "sender",
            "inbox": "https://sender.example/actor/inbox",
            "publicKey": {
                "id": "https://sender.example/actor#main-key",
                "owner": "https://sender.example/actor",
                "publicKeyPem": "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
            },
        }))
        .unwrap(),
    )
    .unwrap();
    let actor_id = db::actors::insert(conn, &sender)?;
    let now = db::now();
    let activity_id = db::activities::insert_outgoing(
        conn,
        &DbOutgoingActivityForm {
            ap_id: "https://sender.example/activities/1",
            actor_id,
            kind: "Create",
            payload: "{}",
            public: true,
            created_at: now,
            object_id: None,
        },
    )?;
    let targets: Vec<(String, String)> = (0..count)
        .map(|n| {
            let domain = format!("receiver{n}.example");
            (format!("https://{domain}/inbox"), domain)
        })
        .collect();
    deliveries::enqueue(conn, activity_id, &targets, now)?;
    Ok(now)
}

/// Claiming due deliveries reads them through an index, never the whole queue, even under
/// the generic plan PostgreSQL settles on for a statement kept prepared. It did not: on a
/// queue of mostly pending deliveries (a fan-out under way), the claim's `IN (SELECT …
/// LIMIT …)` was planned as a hash join over the whole table, at every claim (2.4 ms each
/// in the fan-out bench, against 0.7 ms now). With weeks of finished deliveries the planner
/// happened to choose otherwise. The claim and the recording of outcomes are kept
/// prepared.
#[tokio::test]
async fn claiming_due_deliveries_never_reads_the_whole_queue() {
    use munifed::db::{self, deliveries};
    let Some(server) = postgres_server() else {
        return;
    };
    let scratch = ScratchDatabase::new(&server, "munifed_claim");
    let pool = db::open(&scratch.url, 1).unwrap();
    let (claimed, whole_reads, prepared) = db::run(&pool, |conn| {
        let now = queue_pending_deliveries(conn, 2_000)?;
        diesel::sql_query("ANALYZE deliveries").execute(conn)?;
        diesel::sql_query("SET plan_cache_mode = force_generic_plan").execute(conn)?;
        let lease = now + chrono::TimeDelta::seconds(60);
        let (claimed, whole_reads) = db::write_transaction(conn, |conn| {
            let mut known = deliveries::ClaimedActivities::new();
            let mut claimed = vec![];
            for _ in 0..10 {
                claimed.extend(
                    deliveries::claim_due(conn, now, lease, 32, &[], &mut known)?
                        .into_iter()
                        .map(|claimed| claimed.delivery.id),
                );
            }
            let reads: WholeReads = diesel::sql_query(
                "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables \
                 WHERE relname = 'deliveries'",
            )
            .get_result(conn)?;
            assert!(
                reads.idx_scan > 0,
                "PostgreSQL keeps no counts (track_counts)"
            );
            Ok::<_, munifed::error::AppError>((claimed, reads.seq_scan))
        })?;
        let delivered = deliveries::Ending {
            state: deliveries::DELIVERED,
            status: Some(202),
            error: None,
            attempts: 1,
        };
        // Outcomes come in groups of any size.
        for group in [&claimed[..5], &claimed[5..37]] {
            let written = deliveries::finish(conn, lease, group, &delivered, now)?;
            assert_eq!(written.len(), group.len());
        }
        let prepared: Vec<Prepared> = prepared_statements(conn)?;
        Ok((claimed.len(), whole_reads, prepared))
    })
    .await
    .unwrap();
    assert_eq!(claimed, 320);
    assert_eq!(whole_reads, 0, "a claim read the whole queue");
    assert_kept_prepared(
        &prepared,
        &[
            ("UPDATE deliveries SET locked_until", 10),
            ("UPDATE \"deliveries\" SET \"state\"", 2),
        ],
    );
}

/// Two workers claiming at once (two processes on one database) never take the same
/// delivery: the second skips the rows the first has locked, rather than waiting for them
/// or taking them too.
#[tokio::test]
async fn claims_at_once_never_take_the_same_delivery() {
    use munifed::db::{self, deliveries};
    let Some(server) = postgres_server() else {
        return;
    };
    let scratch = ScratchDatabase::new(&server, "munifed_claims_apart");
    let pool = db::open(&scratch.url, 2).unwrap();
    let now = db::run(&pool, |conn| queue_pending_deliveries(conn, 96))
        .await
        .unwrap();
    let lease = now + chrono::TimeDelta::seconds(60);
    let claim = move |conn: &mut db::AnyConnection| {
        let claimed = deliveries::claim_due(conn, now, lease, 32, &[], &mut Default::default())?;
        Ok::<_, diesel::result::Error>(claimed.into_iter().map(|c| c.delivery.id).collect())
    };
    let (first, second, third, fourth): (Vec<i64>, Vec<i64>, Vec<i64>, Vec<i64>) =
        tokio::task::spawn_blocking(move || {
            let mut one = pool.get().unwrap();
            let mut other = pool.get().unwrap();
            // Waiting on a locked row would fail the claim instead of hanging the test.
            diesel::sql_query("SET lock_timeout = '5s'")
                .execute(&mut other)
                .unwrap();
            let (first, second) = db::write_transaction(&mut one, |one| {
                let first = claim(one)?;
                // The first claim is not committed: its rows are still locked.
                let second = db::write_transaction(&mut other, claim)?;
                Ok::<_, diesel::result::Error>((first, second))
            })
            .unwrap();
            // Both committed: their leases keep later claims away from them.
            let third = db::write_transaction(&mut other, claim).unwrap();
            let fourth = db::write_transaction(&mut one, claim).unwrap();
            (first, second, third, fourth)
        })
        .await
        .unwrap();
    assert_eq!((first.len(), second.len(), third.len()), (32, 32, 32));
    assert_eq!(
        fourth,
        Vec::<i64>::new(),
        "a leased delivery was claimed again"
    );
    let mut all: Vec<i64> = first.iter().chain(&second).chain(&third).copied().collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 96, "a delivery was claimed twice");
}

/// The session a write ran in, and how many times it had run `SELECT $1` (the pool's check
/// at checkout, and the writer's probe before COMMIT).
#[derive(diesel::QueryableByName, Debug, Clone, Copy, PartialEq, Eq)]
struct Session {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pid: i32,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    checks: i64,
}

fn session(conn: &mut munifed::db::AnyConnection) -> diesel::QueryResult<Session> {
    diesel::sql_query(
        "SELECT pg_backend_pid() AS pid, COALESCE((SELECT generic_plans + custom_plans \
         FROM pg_prepared_statements WHERE statement = 'SELECT $1'), 0) AS checks",
    )
    .get_result(conn)
}

/// While writes are queued, a writer thread runs its next batch on the connection its last
/// one committed on, without the pool's check at checkout: 75 writes queued behind a held
/// one run as two batches (64 at most each) in its session, which meanwhile ran `SELECT $1`
/// only for the batches' probes (with a checkout before each batch, twice as often).
#[tokio::test]
async fn a_writer_keeps_its_connection_while_writes_are_queued() {
    let Some(server) = postgres_server() else {
        return;
    };
    let scratch = ScratchDatabase::new(&server, "munifed_kept");
    // One writer thread, and a connection left for readers: the writer keeps its own.
    let pool = munifed::db::open(&scratch.url, 2).unwrap();
    let writer = munifed::db::writer::Writer::start(pool, 1024, false).unwrap();
    assert_eq!(writer.threads(), 1);
    let (release, held) = std::sync::mpsc::channel::<()>();
    let held = std::sync::Arc::new(std::sync::Mutex::new(held));
    let (started, mut running) = tokio::sync::mpsc::unbounded_channel();
    let first = {
        let writer = writer.clone();
        tokio::spawn(async move {
            writer
                .write(move |conn| {
                    let _ = started.send(());
                    let _ = held
                        .lock()
                        .map(|held| held.recv_timeout(std::time::Duration::from_secs(30)));
                    Ok(session(conn)?)
                })
                .await
        })
    };
    let began = tokio::time::timeout(std::time::Duration::from_secs(30), running.recv());
    assert!(
        began.await.is_ok(),
        "the writer thread never took the held write"
    );
    let queued: Vec<_> = (0..75)
        .map(|_| {
            let writer = writer.clone();
            tokio::spawn(async move { writer.write(|conn| Ok(session(conn)?)).await })
        })
        .collect();
    let all_queued = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while writer.queued() < 75 {
            tokio::task::yield_now().await;
        }
    });
    assert!(all_queued.await.is_ok(), "the writes were never queued");
    release.send(()).unwrap();
    let first = first.await.unwrap().unwrap();
    let mut checks = vec![];
    for write in queued {
        let ran = write.await.unwrap().unwrap();
        assert_eq!(ran.pid, first.pid, "a batch ran on another connection");
        checks.push(ran.checks - first.checks);
    }
    checks.sort();
    checks.dedup();
    // The held batch's probe, then the next one's: no check at checkout between them.
    assert_eq!(checks, [1, 2]);
}
