//! `munifed backup` and `munifed restore`: a copy of a running instance's database, and a
//! new instance made from it.

use std::{
    path::{Path, PathBuf},
    process::Output,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
};

use diesel::{sql_types::BigInt, sql_types::Text, Connection, QueryableByName, RunQueryDsl};
use serde_json::json;

use crate::helpers::{publish_news, run_munifed, spawn_app_on, TestDatabase};

fn munifed(database_url: &str, args: &[&str]) -> Output {
    run_munifed(database_url, args, &[])
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn sqlite_path(url: &str) -> PathBuf {
    PathBuf::from(url.strip_prefix("sqlite://").unwrap())
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// Every table of a SQLite database with its row count.
fn row_counts(path: &Path) -> Vec<(String, i64)> {
    let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy()).unwrap();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .load(&mut conn)
    .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let count: Count =
                diesel::sql_query(format!("SELECT COUNT(*) AS count FROM \"{}\"", table.name))
                    .get_result(&mut conn)
                    .unwrap();
            (table.name, count.count)
        })
        .collect()
}

#[tokio::test]
async fn a_running_instance_is_backed_up_and_restored_into_a_new_one() {
    let original = Arc::new(TestDatabase::new());
    let app = spawn_app_on(original.clone(), &[]).await;
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("munifed-backup.db");
    let file_arg = file.to_string_lossy().into_owned();

    if original.url.starts_with("postgres") {
        let refused = munifed(&original.url, &["backup", &file_arg]);
        assert!(!refused.status.success());
        assert!(stderr(&refused).contains("pg_dump"), "{refused:?}");
        let refused = munifed(&original.url, &["restore", &file_arg]);
        assert!(!refused.status.success());
        assert!(stderr(&refused).contains("pg_restore"), "{refused:?}");
        assert!(!file.exists());
        return;
    }

    for n in 0..5 {
        publish_news(&app, &format!("Council minutes {n}")).await;
    }
    let published_before = count(&sqlite_path(&original.url), "posts");
    // Readers and a writer keep the server busy while the copy is taken.
    let serving = Arc::new(AtomicBool::new(true));
    let writer = {
        let (data, serving) = (app.data(), serving.clone());
        tokio::spawn(async move {
            let mut published = 0;
            while serving.load(Ordering::Relaxed) {
                munifed::service::posts::create(
                    &data,
                    &munifed::service::users::Staff::Operator,
                    munifed::domain::post::PostKind::News,
                    munifed::domain::post::PostInput {
                        title: Some(format!("Published during the backup {published}")),
                        topics: vec!["budget".into()],
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
                published += 1;
            }
            published
        })
    };
    let readers: Vec<_> = ["/", "/users/news/outbox?page=1", "/healthz"]
        .into_iter()
        .map(|path| {
            let (http, url, serving) = (app.http.clone(), app.url(path), serving.clone());
            tokio::spawn(async move {
                let mut answered = 0;
                while serving.load(Ordering::Relaxed) {
                    let response = http.get(url.clone()).send().await.unwrap();
                    assert!(
                        response.status().is_success(),
                        "{url}: {}",
                        response.status()
                    );
                    answered += 1;
                }
                answered
            })
        })
        .collect();
    let (url, args) = (original.url.clone(), file_arg.clone());
    let backup = tokio::task::spawn_blocking(move || munifed(&url, &["backup", &args]))
        .await
        .unwrap();
    serving.store(false, Ordering::Relaxed);
    for reader in readers {
        assert!(reader.await.unwrap() > 0);
    }
    assert!(
        writer.await.unwrap() > 0,
        "nothing was written during the backup"
    );
    assert!(backup.status.success(), "{backup:?}");
    assert!(String::from_utf8_lossy(&backup.stdout).contains("backed up"));

    // A backup is never overwritten.
    let again = munifed(&original.url, &["backup", &file_arg]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"), "{again:?}");

    let restored = Arc::new(TestDatabase::new());
    let restore = munifed(&restored.url, &["restore", &file_arg]);
    assert!(restore.status.success(), "{restore:?}");
    // Nor is a database: restoring makes a new one.
    let again = munifed(&restored.url, &["restore", &file_arg]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"), "{again:?}");

    // One moment of the database: whole, its references intact, what was published
    // before the backup in it, nothing that was not there by its end.
    let (original_path, restored_path) = (sqlite_path(&original.url), sqlite_path(&restored.url));
    let mut copy = diesel::SqliteConnection::establish(&restored_path.to_string_lossy()).unwrap();
    let check: Name =
        diesel::sql_query("SELECT integrity_check AS name FROM pragma_integrity_check")
            .get_result(&mut copy)
            .unwrap();
    assert_eq!(check.name, "ok");
    let broken: Vec<Name> =
        diesel::sql_query("SELECT \"table\" AS name FROM pragma_foreign_key_check")
            .load(&mut copy)
            .unwrap();
    assert!(broken.is_empty());
    drop(copy);
    let restored_posts = count(&restored_path, "posts");
    assert!(restored_posts >= published_before);
    let after = row_counts(&original_path);
    for (table, rows) in row_counts(&restored_path) {
        let (_, original_rows) = after.iter().find(|(t, _)| *t == table).unwrap();
        assert!(rows <= *original_rows, "{table}: {rows} > {original_rows}");
    }

    // The restored database serves the same instance: same actor, its posts.
    let copy = spawn_app_on(restored, &[("MUNIFED__INSTANCE__DOMAIN", &app.domain)]).await;
    assert_eq!(
        copy.get_activity_json("/users/news").await,
        app.get_activity_json("/users/news").await
    );
    let outbox = copy.get_activity_json("/users/news/outbox").await;
    assert_eq!(outbox["totalItems"], json!(restored_posts));
}

fn count(path: &Path, table: &str) -> i64 {
    row_counts(path)
        .into_iter()
        .find(|(t, _)| t == table)
        .map(|(_, rows)| rows)
        .unwrap()
}

#[tokio::test]
async fn what_is_not_a_whole_munifed_backup_is_refused_and_nothing_is_made() {
    let target = TestDatabase::new();
    if target.url.starts_with("postgres") {
        eprintln!("skipped: restore makes SQLite databases (PostgreSQL is covered above)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    let output = munifed(&target.url, &["restore", &missing.to_string_lossy()]);
    assert!(stderr(&output).contains("no backup file"), "{output:?}");

    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some bytes").unwrap();
    let output = munifed(&target.url, &["restore", &junk.to_string_lossy()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not a SQLite database"),
        "{output:?}"
    );

    let other = dir.path().join("other.db");
    let mut conn = diesel::SqliteConnection::establish(&other.to_string_lossy()).unwrap();
    diesel::sql_query("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
        .execute(&mut conn)
        .unwrap();
    drop(conn);
    let output = munifed(&target.url, &["restore", &other.to_string_lossy()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not a munifed database"),
        "{output:?}"
    );

    // A database of a newer munifed, which this one would misread.
    let newer = dir.path().join("newer.db");
    assert!(
        munifed(&format!("sqlite://{}", newer.display()), &["migrate"])
            .status
            .success()
    );
    let mut conn = diesel::SqliteConnection::establish(&newer.to_string_lossy()).unwrap();
    diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ('99991231000000')")
        .execute(&mut conn)
        .unwrap();
    drop(conn);
    let output = munifed(&target.url, &["restore", &newer.to_string_lossy()]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("newer munifed"), "{output:?}");

    let made: Vec<_> = std::fs::read_dir(sqlite_path(&target.url).parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert!(made.is_empty(), "{made:?}");
}
