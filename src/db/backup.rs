//! Backups of a SQLite database: a consistent copy taken while the server runs, and a
//! restore into a new database. PostgreSQL has its own tools (`pg_dump`, see README).

use std::{
    collections::BTreeSet,
    fs::File,
    path::{Path, PathBuf},
};

use diesel::migration::MigrationSource;
use diesel::{
    connection::SimpleConnection, sql_types::Text, sqlite::Sqlite, Connection, QueryableByName,
    RunQueryDsl, SqliteConnection,
};

use super::{run_migrations, AnyConnection, DatabaseUrl, SQLITE_MIGRATIONS};

/// What a backup or a restore did.
#[derive(Debug)]
pub struct Copied {
    pub path: PathBuf,
    pub bytes: u64,
    /// The migrations a restore applied to bring an older backup up to date.
    pub migrated: Vec<String>,
}

const POSTGRES: &str = "backup and restore copy SQLite databases; for PostgreSQL use pg_dump \
                        and pg_restore (README, \"Backups\")";

/// Copies the database named by `url` into `file`, which must not exist, as it is at one
/// moment: `VACUUM INTO` reads in one transaction, so the server may go on writing (WAL).
/// The copy is written beside `file` and renamed once complete and on disk.
pub fn backup(url: &str, file: &Path) -> anyhow::Result<Copied> {
    let source = sqlite_path(url)?;
    if !source.is_file() {
        anyhow::bail!("there is no database at {}", source.display());
    }
    refuse_existing(file, "the backup file")?;
    let mut conn = open(&source)?;
    let partial = partial_beside(file)?;
    let copied = diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(partial.to_string_lossy())
        .execute(&mut conn)
        .map_err(anyhow::Error::from)
        .and_then(|_| finish(&partial, file));
    if copied.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    copied.map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))
}

/// Makes the database named by `url`, which must not exist yet, from the backup `file`,
/// once a copy of it is checked whole, made by this version of munifed or an older one,
/// and brought up to date.
pub fn restore(url: &str, file: &Path) -> anyhow::Result<Copied> {
    let target = sqlite_path(url)?;
    if !file.is_file() {
        anyhow::bail!("there is no backup file at {}", file.display());
    }
    refuse_existing(&target, "the database")?;
    for suffix in ["-wal", "-shm"] {
        let mut name = target.clone().into_os_string();
        name.push(suffix);
        refuse_existing(Path::new(&name), "a journal of the database")?;
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    // The checks run on the copy: the backup itself is never opened for writing.
    let partial = partial_beside(&target)?;
    let restored = std::fs::copy(file, &partial)
        .map_err(|e| anyhow::anyhow!("cannot copy {}: {e}", file.display()))
        .and_then(|_| {
            let mut conn = open(&partial)?;
            check_whole(&mut conn, file)?;
            check_versions(&mut conn, file)?;
            run_migrations(&mut AnyConnection::Sqlite(conn))
        })
        .and_then(|migrated| {
            let restored = finish(&partial, &target)?;
            Ok(Copied {
                migrated,
                ..restored
            })
        });
    if restored.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    restored
}

fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    match DatabaseUrl::parse(url).map_err(anyhow::Error::msg)? {
        DatabaseUrl::Sqlite(path) => Ok(path),
        DatabaseUrl::Postgres(_) => anyhow::bail!(POSTGRES),
    }
}

fn refuse_existing(path: &Path, what: &str) -> anyhow::Result<()> {
    if path.exists() {
        anyhow::bail!(
            "{what} {} already exists: nothing was overwritten",
            path.display()
        );
    }
    Ok(())
}

fn open(path: &Path) -> anyhow::Result<SqliteConnection> {
    let mut conn = SqliteConnection::establish(&path.to_string_lossy())
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;")?;
    Ok(conn)
}

/// Where a copy is written before it is complete: beside `path`, so that the rename
/// that finishes it stays on one file system. A leftover of an interrupted copy goes.
fn partial_beside(path: &Path) -> anyhow::Result<PathBuf> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    if partial.exists() {
        std::fs::remove_file(&partial)
            .map_err(|e| anyhow::anyhow!("cannot remove {}: {e}", partial.display()))?;
    }
    Ok(partial)
}

/// Syncs the finished copy and renames it to `path`: an interrupted copy never looks like
/// a finished one.
fn finish(partial: &Path, path: &Path) -> anyhow::Result<Copied> {
    let file = File::open(partial)?;
    file.sync_all()?;
    let bytes = file.metadata()?.len();
    std::fs::rename(partial, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The rename is on disk once the folder is.
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(Copied {
        path: path.to_path_buf(),
        bytes,
        migrated: Vec::new(),
    })
}

#[derive(QueryableByName)]
struct Text1 {
    #[diesel(sql_type = Text)]
    value: String,
}

fn check_whole(conn: &mut SqliteConnection, file: &Path) -> anyhow::Result<()> {
    let problems: Vec<Text1> =
        diesel::sql_query("SELECT quick_check AS value FROM pragma_quick_check")
            .load(conn)
            .map_err(|e| anyhow::anyhow!("{} is not a SQLite database: {e}", file.display()))?;
    match problems.first() {
        Some(row) if row.value == "ok" => Ok(()),
        Some(row) => anyhow::bail!("{} is damaged: {}", file.display(), row.value),
        None => anyhow::bail!("{} could not be checked", file.display()),
    }
}

/// The backup holds munifed's tables, with no migration this binary does not know (a
/// newer munifed's database would be misread).
fn check_versions(conn: &mut SqliteConnection, file: &Path) -> anyhow::Result<()> {
    let applied: Vec<Text1> =
        diesel::sql_query("SELECT version AS value FROM __diesel_schema_migrations")
            .load(conn)
            .map_err(|_| {
                anyhow::anyhow!(
                    "{} is not a munifed database (no migrations)",
                    file.display()
                )
            })?;
    let known: BTreeSet<String> = MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("embedded migrations: {e}"))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    if let Some(unknown) = applied.iter().find(|v| !known.contains(&v.value)) {
        anyhow::bail!(
            "{} was made by a newer munifed (migration {}): restore it with that version",
            file.display(),
            unknown.value
        );
    }
    Ok(())
}
