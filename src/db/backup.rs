//! Backups of a SQLite database: a consistent copy taken while the server runs, and a
//! restore into a new database. PostgreSQL has its own tools (`pg_dump`, see README).

use std::{
    collections::BTreeSet,
    fs::{File, OpenOptions},
    io::ErrorKind,
    path::{Path, PathBuf},
};

use diesel::migration::MigrationSource;
use diesel::{sql_types::Text, sqlite::Sqlite, QueryableByName, RunQueryDsl, SqliteConnection};

use super::{connect_sqlite, run_migrations, AnyConnection, DatabaseUrl, SQLITE_MIGRATIONS};

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
/// The copy is written beside `file` and linked into place once complete and on disk.
pub fn backup(url: &str, file: &Path) -> anyhow::Result<Copied> {
    let source = sqlite_path(url)?;
    if !source.is_file() {
        anyhow::bail!("there is no database at {}", source.display());
    }
    refuse_existing(file, "the backup file")?;
    let partial = Partial::reserve(file)?;
    let mut conn = open(&source)?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(partial.utf8()?)
        .execute(&mut conn)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
    partial.finish(file)
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
    let partial = Partial::reserve(&target)?;
    std::fs::copy(file, &partial.path)
        .map_err(|e| anyhow::anyhow!("cannot copy {}: {e}", file.display()))?;
    let migrated = {
        let mut conn = connect_sqlite(&partial.path)
            .map_err(|e| anyhow::anyhow!("{} is not a SQLite database: {e}", file.display()))?;
        check_whole(&mut conn, file)?;
        check_versions(&mut conn, file)?;
        run_migrations(&mut AnyConnection::Sqlite(conn))?
    };
    Ok(Copied {
        migrated,
        ..partial.finish(&target)?
    })
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
    connect_sqlite(path).map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))
}

/// A copy being written: `FILE.partial`, beside its destination (one file system), made
/// by this process alone (two backups at once cannot share it), and removed unless it was
/// finished.
struct Partial {
    path: PathBuf,
    finished: bool,
}

impl Partial {
    fn reserve(destination: &Path) -> anyhow::Result<Partial> {
        let mut path = destination.as_os_str().to_owned();
        path.push(".partial");
        let path = PathBuf::from(path);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => Ok(Partial {
                path,
                finished: false,
            }),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => anyhow::bail!(
                "{} exists: another backup or restore is writing it, or one was interrupted \
                 (then remove it)",
                path.display()
            ),
            Err(e) => anyhow::bail!("cannot write {}: {e}", path.display()),
        }
    }

    /// The path as SQLite takes it (text).
    fn utf8(&self) -> anyhow::Result<&str> {
        self.path.to_str().ok_or_else(|| {
            anyhow::anyhow!(
                "{} is not valid UTF-8: choose another name",
                self.path.display()
            )
        })
    }

    /// Syncs the copy and links it at `destination`, which still must not exist (a link,
    /// unlike a rename, never replaces a file that appeared meanwhile): an interrupted
    /// copy never looks like a finished one.
    fn finish(mut self, destination: &Path) -> anyhow::Result<Copied> {
        let bytes = (|| {
            let file = File::open(&self.path)?;
            file.sync_all()?;
            file.metadata().map(|m| m.len())
        })()
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", self.path.display()))?;
        match std::fs::hard_link(&self.path, destination) {
            Ok(()) => {
                self.finished = true;
                let _ = std::fs::remove_file(&self.path);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => anyhow::bail!(
                "{} appeared while the copy was written: nothing was overwritten",
                destination.display()
            ),
            // File systems without hard links (FAT, some network shares): a rename, after
            // one more look.
            Err(_) => {
                refuse_existing(destination, "the destination")?;
                std::fs::rename(&self.path, destination)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", destination.display()))?;
                self.finished = true;
            }
        }
        if let Some(dir) = destination.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The new name is on disk once the folder is.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(Copied {
            path: destination.to_path_buf(),
            bytes,
            migrated: Vec::new(),
        })
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = Text)]
    value: String,
}

fn check_whole(conn: &mut SqliteConnection, file: &Path) -> anyhow::Result<()> {
    let problems: Vec<TextRow> =
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
    let applied: Vec<TextRow> =
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
