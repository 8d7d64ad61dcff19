//! The embedded SQLite default: created with its folder, in WAL mode.

use diesel::{sql_types::Text, QueryableByName, RunQueryDsl};

#[derive(QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

#[test]
fn sqlite_file_is_created_with_its_folder_in_wal_mode() {
    #[derive(QueryableByName)]
    struct TempStore {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        temp_store: i32,
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/munifed.db");
    let pool = munifed::db::open(&format!("sqlite://{}", path.display()), 2).unwrap();
    assert!(path.exists());
    let mut conn = pool.get().unwrap();
    let mode: JournalMode = diesel::sql_query("PRAGMA journal_mode")
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(mode.journal_mode, "wal");
    // Savepoint journals and other temporary data stay in memory (2 = MEMORY).
    let temp: TempStore = diesel::sql_query("PRAGMA temp_store")
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(temp.temp_store, 2);
    // Opening again finds nothing to migrate.
    assert!(munifed::db::run_migrations(&mut conn).unwrap().is_empty());
}

#[test]
fn an_unreachable_postgres_url_is_not_mistaken_for_a_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).ok();
    let result = munifed::db::open("postgres://nobody@127.0.0.1:1/none", 1);
    assert!(result.is_err());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file was created"
    );
}

/// Many writers at once on SQLite wait for each other instead of failing (the delivery
/// worker records outcomes concurrently).
#[tokio::test]
async fn concurrent_writers_on_sqlite_wait_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("busy.db").display());
    let pool = munifed::db::open(&url, 8).unwrap();
    let tasks: Vec<_> = (0..200)
        .map(|n| {
            let pool = pool.clone();
            tokio::spawn(async move {
                munifed::db::run(&pool, move |conn| {
                    let domain = format!("d{}.example", n % 3);
                    if n % 2 == 0 {
                        munifed::db::domains::record_failure(conn, &domain, munifed::db::now())?;
                    } else {
                        munifed::db::domains::record_success(conn, &domain, munifed::db::now())?;
                    }
                    Ok(())
                })
                .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

/// A write that panics half-way leaves no open transaction behind: its connection is not
/// given back to the pool, and the next write on the same pool is committed.
#[tokio::test]
async fn a_panic_inside_a_transaction_does_not_poison_the_pool() {
    use crate::helpers::TestDatabase;
    use munifed::db::{self, write_transaction};
    let database = TestDatabase::new();
    let pool = db::open(&database.url, 1).unwrap();
    let panicked: Result<(), _> = db::run(&pool, |conn| {
        write_transaction(conn, |conn| {
            db::domains::record_failure(conn, "lost.example", db::now())?;
            panic!("a bug half-way through a write");
        })
    })
    .await;
    assert!(panicked.is_err());
    db::run(&pool, |conn| {
        write_transaction(conn, |conn| {
            Ok::<_, munifed::error::AppError>(db::domains::record_failure(
                conn,
                "kept.example",
                db::now(),
            )?)
        })
    })
    .await
    .unwrap();
    // Read through a new pool: only committed rows are visible there.
    let other = db::open(&database.url, 1).unwrap();
    let (lost, kept) = db::run(&other, |conn| {
        Ok((
            db::domains::health(conn, "lost.example")?.is_some(),
            db::domains::health(conn, "kept.example")?.is_some(),
        ))
    })
    .await
    .unwrap();
    assert!(!lost, "the panicked write was rolled back");
    assert!(kept, "the next write was committed");
}

/// Private keys are read only for signing, and never printed.
#[tokio::test]
async fn private_keys_stay_where_signing_happens() {
    let app = crate::helpers::spawn_app().await;
    let data = app.data();
    let news = munifed::service::accounts::by_name(&data, "news")
        .await
        .unwrap();
    let printed = format!("{news:?}");
    assert!(!printed.contains("PRIVATE KEY"), "{printed}");
    let id = news.id;
    let pem = munifed::db::run(&data.db, move |conn| {
        Ok(munifed::db::actors::private_key(conn, id)?)
    })
    .await
    .unwrap()
    .unwrap();
    assert!(pem.contains("PRIVATE KEY"));
}

/// Holds every writer thread on a write of its own until the returned sender is used (or
/// dropped), so that what is queued meanwhile runs as one batch.
async fn hold_the_writer(data: &munifed::state::FedData) -> std::sync::mpsc::Sender<()> {
    let (release, held) = std::sync::mpsc::channel::<()>();
    let gate = std::sync::Arc::new(std::sync::RwLock::new(()));
    let (locked, locking) = tokio::sync::oneshot::channel();
    {
        let gate = gate.clone();
        std::thread::spawn(move || {
            let _closed = gate.write().unwrap();
            let _ = locked.send(());
            let _ = held.recv();
        });
    }
    locking.await.unwrap();
    let (started, mut running) = tokio::sync::mpsc::unbounded_channel();
    // One at a time: each held write takes a thread that was idle.
    for _ in 0..data.writer.threads() {
        let (writer, gate, started) = (data.writer.clone(), gate.clone(), started.clone());
        tokio::spawn(async move {
            writer
                .write(move |_conn| {
                    let _ = started.send(());
                    drop(gate.read());
                    Ok(())
                })
                .await
        });
        let started = tokio::time::timeout(std::time::Duration::from_secs(30), running.recv());
        assert!(
            started.await.is_ok(),
            "a writer thread never took its held write"
        );
    }
    release
}

/// Waits until `n` writes are queued (behind a held writer, in the order queued).
async fn until_queued(data: &munifed::state::FedData, n: usize) {
    let queued = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while data.writer.queued() < n {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(queued.is_ok(), "{n} writes were never queued");
}

/// A fresh SQLite database in `dir`, migrated.
fn fresh_sqlite(dir: &tempfile::TempDir) -> munifed::db::DbPool {
    munifed::db::open(&format!("sqlite://{}/m.db", dir.path().display()), 1).unwrap()
}

/// Whether `id` is recorded as received (the record is taken out to tell).
async fn take_received(data: &munifed::state::FedData, id: &str) -> bool {
    let id = id.to_string();
    munifed::db::run(&data.db, move |conn| {
        Ok(munifed::db::activities::forget_received(conn, &id)? == 1)
    })
    .await
    .unwrap()
}

/// On PostgreSQL a batch's writes share one transaction, without a savepoint each; when one
/// fails, the batch runs again without it: the writes before it run twice (the first run
/// rolled back), the failing one once, those after it once. On SQLite each runs once, in
/// its savepoint.
#[tokio::test]
async fn a_batch_runs_again_without_the_write_that_failed() {
    use std::sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    };

    use munifed::{db::activities::mark_received, error::AppError};
    let app = crate::helpers::spawn_app().await;
    let data = app.data();
    let postgres = data.settings.database.url.starts_with("postgres");
    let release = hold_the_writer(&data).await;
    let write = |id: &'static str, fails: bool| {
        let (writer, runs) = (data.writer.clone(), Arc::new(AtomicUsize::new(0)));
        let counted = runs.clone();
        let task = tokio::spawn(async move {
            writer
                .write(move |conn| {
                    counted.fetch_add(1, Ordering::SeqCst);
                    mark_received(conn, id, munifed::db::now())?;
                    if fails {
                        return Err(AppError::bad_request("this write fails after writing"));
                    }
                    // The transaction it ran in (PostgreSQL).
                    Ok(if postgres {
                        Some(
                            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                                "txid_current()",
                            ))
                            .get_result::<i64>(conn)?,
                        )
                    } else {
                        None
                    })
                })
                .await
        });
        (task, runs)
    };
    let (before, before_runs) = write("https://r.example/1", false);
    until_queued(&data, 1).await;
    let (failing, failing_runs) = write("https://r.example/2", true);
    until_queued(&data, 2).await;
    let (after, after_runs) = write("https://r.example/3", false);
    until_queued(&data, 3).await;
    let (last, last_runs) = write("https://r.example/4", false);
    until_queued(&data, 4).await;
    release.send(()).unwrap();
    let before = before.await.unwrap().unwrap();
    let failure = failing.await.unwrap().expect_err("the failing write fails");
    assert!(
        failure.to_string().contains("fails after writing"),
        "{failure}"
    );
    let after = after.await.unwrap().unwrap();
    let last = last.await.unwrap().unwrap();
    let runs = |counter: &Arc<AtomicUsize>| counter.load(Ordering::SeqCst);
    assert_eq!(
        [&before_runs, &failing_runs, &after_runs, &last_runs].map(runs),
        if postgres { [2, 1, 1, 1] } else { [1, 1, 1, 1] }
    );
    if postgres {
        assert!(before.is_some());
        assert!(
            before == after && after == last,
            "one transaction: {before:?} {after:?} {last:?}"
        );
    }
    for (id, kept) in [
        ("https://r.example/1", true),
        ("https://r.example/2", false),
        ("https://r.example/3", true),
        ("https://r.example/4", true),
    ] {
        assert_eq!(take_received(&data, id).await, kept, "{id}");
    }
}

/// A write that panics is rolled back alone, and the writes of its batch before and after
/// it are kept (on PostgreSQL the batch runs again without it).
#[tokio::test]
async fn a_write_that_panics_in_a_batch_is_rolled_back_alone() {
    use munifed::{db::activities::mark_received, error::AppError};
    let app = crate::helpers::spawn_app().await;
    let data = app.data();
    let release = hold_the_writer(&data).await;
    let write = |id: &'static str, panics: bool| {
        let writer = data.writer.clone();
        tokio::spawn(async move {
            writer
                .write(move |conn| -> Result<(), AppError> {
                    mark_received(conn, id, munifed::db::now())?;
                    assert!(!panics, "a write that panics");
                    Ok(())
                })
                .await
        })
    };
    let before = write("https://p.example/1", false);
    until_queued(&data, 1).await;
    let panicking = write("https://p.example/2", true);
    until_queued(&data, 2).await;
    let after = write("https://p.example/3", false);
    until_queued(&data, 3).await;
    release.send(()).unwrap();
    assert!(before.await.unwrap().is_ok());
    assert!(panicking.await.unwrap().is_err());
    assert!(after.await.unwrap().is_ok());
    assert!(take_received(&data, "https://p.example/1").await);
    assert!(!take_received(&data, "https://p.example/2").await);
    assert!(take_received(&data, "https://p.example/3").await);
}

/// A write that catches a database error outside a savepoint leaves PostgreSQL's transaction
/// failed, whose COMMIT would roll back the whole batch without an error. The writer's probe
/// before COMMIT finds it: the batch runs again write by write, and that write alone fails.
/// Two errors: a statement that fails as it runs, and one that fails as it is prepared to
/// load rows (diesel marks its transaction failed after the first, not the second: a check
/// of diesel's state in place of the probe would miss it). On SQLite only the statement
/// failed: the write succeeds.
#[tokio::test]
async fn a_write_that_catches_a_database_error_is_not_told_it_committed() {
    use diesel::{sql_types::Integer, ExpressionMethods};
    use munifed::db::{activities::mark_received, schema::received_activities, AnyConnection};
    let app = crate::helpers::spawn_app().await;
    let data = app.data();
    let postgres = data.settings.database.url.starts_with("postgres");
    // Each runs a statement that must fail, and tells whether it did.
    fn duplicate(conn: &mut AnyConnection, id: &str) -> bool {
        diesel::insert_into(received_activities::table)
            .values((
                received_activities::ap_id.eq(id),
                received_activities::received_at.eq(munifed::db::now()),
            ))
            .execute(conn)
            .is_err()
    }
    fn unpreparable(conn: &mut AnyConnection, _: &str) -> bool {
        diesel::select(diesel::dsl::sql::<Integer>("no_such_column"))
            .get_result::<i32>(conn)
            .is_err()
    }
    type Failing = fn(&mut AnyConnection, &str) -> bool;
    let cases: [(&str, Failing); 2] = [("execute", duplicate), ("load", unpreparable)];
    for (case, fails) in cases {
        let release = hold_the_writer(&data).await;
        let (kept, caught) = (
            format!("https://c.example/{case}/1"),
            format!("https://c.example/{case}/2"),
        );
        let (writer, id) = (data.writer.clone(), kept.clone());
        let before = tokio::spawn(async move {
            writer
                .write(move |conn| Ok(mark_received(conn, &id, munifed::db::now())?))
                .await
        });
        until_queued(&data, 1).await;
        let (writer, id) = (data.writer.clone(), caught.clone());
        // The last of its batch: a write after it would fail on the failed transaction
        // itself, and the probe would go untested.
        let catching = tokio::spawn(async move {
            writer
                .write(move |conn| {
                    mark_received(conn, &id, munifed::db::now())?;
                    // Whether the statement failed, as it must.
                    Ok(fails(conn, &id))
                })
                .await
        });
        until_queued(&data, 2).await;
        release.send(()).unwrap();
        assert!(before.await.unwrap().unwrap(), "{case}");
        match catching.await.unwrap() {
            Ok(failed) => {
                assert!(failed, "{case}: the statement must fail");
                assert!(!postgres, "{case}: told it committed on PostgreSQL");
            }
            // The probe's error, not the writer's.
            Err(e) => assert!(
                postgres && e.to_string().contains("current transaction is aborted"),
                "{case}: {e}"
            ),
        }
        assert!(take_received(&data, &kept).await, "{case}");
        assert_eq!(take_received(&data, &caught).await, !postgres, "{case}");
    }
}

#[tokio::test]
async fn a_failing_write_in_a_batch_is_rolled_back_alone() {
    use munifed::{db::activities::mark_received, error::AppError};
    let app = crate::helpers::spawn_app().await;
    let data = app.data();
    let release = hold_the_writer(&data).await;
    let write = |id: &'static str, fails: bool| {
        let writer = data.writer.clone();
        tokio::spawn(async move {
            writer
                .write(move |conn| {
                    mark_received(conn, id, munifed::db::now())?;
                    if fails {
                        return Err(AppError::bad_request("this write fails after writing"));
                    }
                    Ok(())
                })
                .await
        })
    };
    // Queued one after the other, in this order.
    let first = write("https://a.example/1", false);
    until_queued(&data, 1).await;
    let failing = write("https://a.example/2", true);
    until_queued(&data, 2).await;
    // A statement that fails in the database: the first write's row, not yet committed, is
    // seen as a duplicate (on PostgreSQL the batch then runs again without it).
    let writer = data.writer.clone();
    let duplicate = tokio::spawn(async move {
        writer
            .write(|conn| {
                Ok(diesel::sql_query(
                    "INSERT INTO received_activities (ap_id, received_at) \
                     VALUES ('https://a.example/1', CURRENT_TIMESTAMP)",
                )
                .execute(conn)?)
            })
            .await
    });
    until_queued(&data, 3).await;
    let panicking = {
        let writer = data.writer.clone();
        tokio::spawn(async move {
            writer
                .write(|conn| -> Result<(), AppError> {
                    mark_received(conn, "https://a.example/4", munifed::db::now())?;
                    panic!("a write that panics");
                })
                .await
        })
    };
    until_queued(&data, 4).await;
    let last = write("https://a.example/3", false);
    until_queued(&data, 5).await;
    release.send(()).unwrap();
    assert!(first.await.unwrap().is_ok());
    let duplicated = duplicate.await.unwrap().expect_err("a duplicate id");
    assert!(
        duplicated.to_string().contains("UNIQUE") || duplicated.to_string().contains("duplicate"),
        "{duplicated}"
    );
    assert!(panicking.await.unwrap().is_err());
    assert!(!take_received(&data, "https://a.example/4").await);
    let failure = failing.await.unwrap().expect_err("the failing write fails");
    assert!(
        failure.to_string().contains("fails after writing"),
        "{failure}"
    );
    assert!(last.await.unwrap().is_ok());
    assert!(take_received(&data, "https://a.example/1").await);
    assert!(
        !take_received(&data, "https://a.example/2").await,
        "rolled back"
    );
    assert!(take_received(&data, "https://a.example/3").await);
}

#[tokio::test]
async fn the_inbox_answers_503_while_the_write_queue_is_full() {
    // Three quarters of 8 queued: 6 leave room, 7 do not.
    let app = crate::helpers::spawn_app_with(&[("MUNIFED__DATABASE__WRITE_QUEUE", "8")]).await;
    let data = app.data();
    let release = hold_the_writer(&data).await;
    let mut queued = vec![];
    for n in 1..=7 {
        let writer = data.writer.clone();
        queued.push(tokio::spawn(
            async move { writer.write(|_conn| Ok(())).await },
        ));
        until_queued(&data, n).await;
        assert_eq!(data.writer.is_saturated(), n == 7, "{n} queued");
    }
    let response = app
        .http
        .post(app.url("/inbox"))
        .header("Content-Type", "application/activity+json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["Retry-After"], "5");
    release.send(()).unwrap();
    for write in queued {
        write.await.unwrap().unwrap();
    }
    // With room again, the same request is judged on its merits (unsigned: 401).
    let response = app
        .http
        .post(app.url("/inbox"))
        .header("Content-Type", "application/activity+json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[derive(QueryableByName)]
struct CompileOption {
    #[diesel(sql_type = Text)]
    compile_options: String,
}

/// `.cargo/config.toml` builds SQLite with its query planner stability guarantee: without
/// it, every query with a bound LIMIT (each `.first()`) is parsed and planned again at each
/// call.
#[test]
fn sqlite_keeps_plans_of_queries_with_a_bound_limit() {
    let dir = tempfile::tempdir().unwrap();
    let pool = fresh_sqlite(&dir);
    let mut conn = pool.get().unwrap();
    let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options")
        .load(&mut *conn)
        .unwrap();
    assert!(
        options.iter().any(|o| o.compile_options == "ENABLE_QPSG"),
        "SQLite was built without SQLITE_ENABLE_QPSG (LIBSQLITE3_FLAGS in .cargo/config.toml)"
    );
}

/// When the batch's transaction ends midway (SQLite ends it by itself on a full disk or an
/// I/O error; here a write ends it), the writes after it fail instead of running outside
/// it, and the writer goes on with the next batch.
#[tokio::test]
async fn a_batch_whose_transaction_the_database_ended_fails_and_the_writer_goes_on() {
    use diesel::connection::SimpleConnection;
    use munifed::db::activities::mark_received;
    let app = crate::helpers::spawn_app().await;
    let data = app.data();
    let release = hold_the_writer(&data).await;
    let writer = data.writer.clone();
    let ending = tokio::spawn(async move {
        writer
            .write(|conn| Ok(conn.batch_execute("ROLLBACK")?))
            .await
    });
    until_queued(&data, 1).await;
    let writer = data.writer.clone();
    let after = tokio::spawn(async move {
        writer
            .write(|conn| {
                Ok(mark_received(
                    conn,
                    "https://a.example/5",
                    munifed::db::now(),
                )?)
            })
            .await
    });
    until_queued(&data, 2).await;
    release.send(()).unwrap();
    let within = std::time::Duration::from_secs(30);
    let _ = tokio::time::timeout(within, ending)
        .await
        .expect("no deadlock");
    let after = tokio::time::timeout(within, after)
        .await
        .expect("no deadlock")
        .unwrap();
    assert!(
        after.is_err(),
        "a write after the transaction ended is refused"
    );
    assert!(!take_received(&data, "https://a.example/5").await);
    let again = data
        .writer
        .write(|conn| {
            Ok(mark_received(
                conn,
                "https://a.example/6",
                munifed::db::now(),
            )?)
        })
        .await;
    assert!(again.unwrap());
    assert!(take_received(&data, "https://a.example/6").await);
}

#[derive(QueryableByName)]
struct PlanStep {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// Accounts are found by name through an index (the partial one is not usable under the
/// query planner stability guarantee).
#[test]
fn accounts_are_found_by_name_through_an_index() {
    use diesel::sql_types::{BigInt, Bool};
    let dir = tempfile::tempdir().unwrap();
    let pool = fresh_sqlite(&dir);
    let mut conn = pool.get().unwrap();
    let plan: Vec<PlanStep> = diesel::sql_query(
        "EXPLAIN QUERY PLAN SELECT id FROM actors WHERE local = ? AND username = ? LIMIT ?",
    )
    .bind::<Bool, _>(true)
    .bind::<Text, _>("news")
    .bind::<BigInt, _>(1)
    .load(&mut *conn)
    .unwrap();
    let plan: Vec<String> = plan.into_iter().map(|step| step.detail).collect();
    assert!(
        plan.iter().any(|step| step.contains("USING INDEX")),
        "{plan:?}"
    );
}

/// On SQLite the writer's commits wake a checkpointer of their own, which copies the WAL
/// back into the database file (the commits themselves do it only past 16 MiB).
#[tokio::test]
async fn the_writers_commits_are_checkpointed_beside_it() {
    use munifed::db::{activities::mark_received, writer::Writer};
    let dir = tempfile::tempdir().unwrap();
    let pool = fresh_sqlite(&dir);
    let writer = Writer::start(pool, 16, true).unwrap();
    let mut checkpoints = writer.checkpoints();
    for id in ["https://remote.example/a/1", "https://remote.example/a/2"] {
        writer
            .write(move |conn| Ok(mark_received(conn, id, munifed::db::now())?))
            .await
            .unwrap();
    }
    let checkpoint = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        checkpoints.wait_for(|c| c.is_some_and(|c| c.log > 0)),
    )
    .await
    .expect("no checkpoint after the writer's commits")
    .unwrap()
    .unwrap();
    assert_eq!(
        checkpoint.checkpointed, checkpoint.log,
        "every frame of the WAL is back in the database file"
    );
}

/// Remote posts are looked up by id and by reply target through those keys, not by walking
/// every live post through an index on `deleted_at` (the timeline's pages and the replies
/// under a post filter on it too).
#[test]
fn remote_posts_are_found_by_id_and_by_reply_target_through_their_keys() {
    use diesel::sql_types::BigInt;
    let dir = tempfile::tempdir().unwrap();
    let pool = fresh_sqlite(&dir);
    let mut conn = pool.get().unwrap();
    let mut plan = |sql: &str, bind: i64| -> Vec<String> {
        let steps: Vec<PlanStep> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .bind::<BigInt, _>(bind)
            .load(&mut *conn)
            .unwrap();
        steps.into_iter().map(|step| step.detail).collect()
    };
    let by_id = plan(
        "SELECT id FROM remote_posts WHERE id IN (?, 2, 3) AND deleted_at IS NULL",
        1,
    );
    assert!(
        by_id.iter().any(|step| step.contains("PRIMARY KEY")),
        "{by_id:?}"
    );
    let replies = plan(
        "SELECT id FROM remote_posts WHERE in_reply_to IN ('a', 'b') AND deleted_at IS NULL \
         ORDER BY published, id LIMIT ?",
        20,
    );
    assert!(
        replies
            .iter()
            .any(|step| step.contains("remote_posts_replies")),
        "{replies:?}"
    );
}

/// What the inbox weighs a received post against, read in one query (`weigh`): nothing
/// for an unknown author; then the author's follow, the post's stored copy (another
/// actor's here, so that its actor is the copy's, not the author's), its deletion and its
/// removal by moderators, each as it changes, while another post's id finds none of them.
#[tokio::test]
async fn the_inbox_weighs_a_post_against_its_author_follow_removal_and_copy() {
    use munifed::db::{self, remote_posts::weigh};
    let app = crate::helpers::spawn_app().await;
    let data = app.data();
    let steps = db::run(&data.db, |conn| {
        let author = "https://remote.example/users/author";
        let post = "https://remote.example/notes/1";
        let mut steps = vec![];
        let mut look = |conn: &mut db::AnyConnection, step: &str, id: &str| {
            let weighed = weigh(conn, author, id)?;
            steps.push(format!(
                "{step}: {:?}",
                weighed.map(|w| (
                    w.author.ap_id.to_string(),
                    w.author_followed,
                    w.removed,
                    w.stored
                        .map(|s| (s.actor_id, s.deleted_at.is_some(), s.updated))
                ))
            ));
            Ok::<_, munifed::error::AppError>(())
        };
        look(conn, "unknown", post)?;
        let author_id = db::actors::insert(conn, &crate::helpers::remote_actor(author, None))?;
        let other = "https://remote.example/users/other";
        let other_id = db::actors::insert(conn, &crate::helpers::remote_actor(other, None))?;
        look(conn, "known", post)?;
        let news = db::actors::local_by_username(conn, "news")?.ok_or(diesel::NotFound)?;
        crate::helpers::accepted_follow(conn, news.id, author_id)?;
        look(conn, "followed", post)?;
        let updated = chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .ok_or(diesel::NotFound)?;
        let stored = db::remote_posts::upsert(
            conn,
            &db::remote_posts::DbRemotePostForm {
                ap_id: post.into(),
                actor_id: other_id,
                object_type: "Note".into(),
                name: String::new(),
                summary: String::new(),
                content: "<p>Hello</p>".into(),
                language: None,
                url: None,
                start_time: None,
                end_time: None,
                published: updated,
                updated,
                received_at: updated,
                kind: "note".into(),
                sensitive: false,
                in_reply_to: None,
                details: "{}".into(),
            },
        )?;
        look(conn, "stored", post)?;
        db::remote_posts::mark_deleted(conn, stored.id, db::now())?;
        look(conn, "deleted", post)?;
        db::remote_posts::mark_removed(conn, post, db::now())?;
        look(conn, "removed", post)?;
        look(conn, "another post", "https://remote.example/notes/2")?;
        Ok((steps, other_id))
    })
    .await
    .unwrap();
    let (steps, other) = steps;
    let author = "\"https://remote.example/users/author\"";
    let copy = |deleted: bool| format!("Some(({other}, {deleted}, 2026-01-02T10:00:00))");
    assert_eq!(
        steps,
        [
            "unknown: None".to_string(),
            format!("known: Some(({author}, false, false, None))"),
            format!("followed: Some(({author}, true, false, None))"),
            format!("stored: Some(({author}, true, false, {}))", copy(false)),
            format!("deleted: Some(({author}, true, false, {}))", copy(true)),
            format!("removed: Some(({author}, true, true, {}))", copy(true)),
            format!("another post: Some(({author}, true, false, None))"),
        ]
    );
}
