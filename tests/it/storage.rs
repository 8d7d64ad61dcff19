//! The embedded SQLite default: created with its folder, in WAL mode.

use diesel::{sql_types::Text, QueryableByName, RunQueryDsl};

#[derive(QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

#[test]
fn sqlite_file_is_created_with_its_folder_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/munifed.db");
    let pool = munifed::db::open(&format!("sqlite://{}", path.display()), 2).unwrap();
    assert!(path.exists());
    let mut conn = pool.get().unwrap();
    let mode: JournalMode = diesel::sql_query("PRAGMA journal_mode")
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(mode.journal_mode, "wal");
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
