//! Group commit for the writes many requests make at once (what the inbox stores): they
//! queue on a bounded channel, and a writer thread runs whatever is queued in one
//! transaction. A batch of a hundred small writes costs about what one costs alone (one
//! lock, one commit, the same index pages written once), where a hundred separate
//! transactions would each wait their turn for SQLite's single writer (or PostgreSQL's
//! commit flush). Each caller hears its result only once its batch is committed. When the
//! queue is full, `is_saturated` says so: the inbox answers 503 with `Retry-After` rather
//! than holding ever more requests in memory.
//!
//! On SQLite, one writer thread runs each write in its own savepoint: a write that fails
//! rolls back to it and fails alone; a commit that fails fails every write of the batch.
//! The WAL is copied back into the database by a thread of its own, woken after the
//! writer's commits: left to SQLite, the commit that passes the WAL's threshold does it,
//! and the writer thread, which everything queued waits for, spent a seventh of its time
//! there.
//!
//! On PostgreSQL, where a savepoint costs two round trips, several writer threads each run
//! a batch at once, its writes bare in its transaction (`run_bare_batch`). A write that
//! fails takes the batch's transaction with it: the batch runs again without it. A write is
//! therefore a function that may run more than once, and only its last run counts. While
//! writes are queued, a thread runs its next batch on the connection its last one committed
//! on, without the pool's check at checkout.

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{
        mpsc::{sync_channel, Receiver, SyncSender},
        Arc, Mutex,
    },
    time::Duration,
};

use diesel::{connection::TransactionManager, prelude::*, sql_types::Integer};
use tokio::sync::{mpsc, oneshot, watch};

use super::{write_transaction, AnyConnection, DbPool};
use crate::error::{AppError, AppResult, ErrorKind};

/// Writes run in one transaction at most. PostgreSQL keeps 64 subtransactions (savepoints)
/// per session in shared memory, beyond which every session's snapshots slow down: a write
/// nesting a `write_transaction` opens one there too.
const MOST_PER_BATCH: usize = 64;

/// Writer threads on PostgreSQL at most, each with a batch under way at once, and a pooled
/// connection meanwhile: half the pool at most, the rest left to readers. (The inbound bench,
/// 16 connections: 1,312-1,510 stored/s with four, against 850-964/s with each write in
/// its own transaction at once.)
const POSTGRES_WRITERS: usize = 4;

/// Tells a caller how its write ended, given the commit's error if the batch failed.
type Completion = Box<dyn FnOnce(Option<&str>) + Send>;

/// Where a write runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// In a savepoint of the batch's transaction (SQLite).
    Savepoint,
    /// Bare in the batch's transaction, which fails whole if the write fails (PostgreSQL).
    Batch,
    /// In a transaction of its own (PostgreSQL, when its batch could not commit).
    Alone,
}

/// A write's run: how it failed, if it did, and what tells its caller.
struct Ran {
    failure: Option<Failure>,
    completion: Completion,
}

/// Why a write failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    /// Its own doing: refused by the application, or by a constraint of the database.
    Own,
    /// Maybe the batch's: a deadlock with another batch, a failed transaction, a lost
    /// connection. Run alone, it may well succeed.
    Shared,
}

impl Failure {
    fn of(error: &AppError) -> Failure {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match &error.kind {
            ErrorKind::Db(Error::DatabaseError(
                Kind::UniqueViolation
                | Kind::ForeignKeyViolation
                | Kind::NotNullViolation
                | Kind::CheckViolation,
                _,
            )) => Failure::Own,
            ErrorKind::Db(_) | ErrorKind::Pool(_) => Failure::Shared,
            _ => Failure::Own,
        }
    }
}

/// A write: runs and leaves its result waiting for the commit. It may run again, when the
/// batch it ran in failed (PostgreSQL).
type Job = Box<dyn FnMut(&mut AnyConnection, Scope) -> Ran + Send>;

/// How long the checkpointer waits after a commit wakes it, so that the commits of that
/// moment are copied back together.
const CHECKPOINT_DELAY: Duration = Duration::from_millis(100);

/// The queue of the writer threads; cloned into the application state.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    /// Free places under which the queue counts as saturated.
    reserve: usize,
    /// PostgreSQL's pool, where a single statement runs at once (`write_statement`).
    direct: Option<DbPool>,
    /// Writer threads.
    threads: usize,
    /// The last checkpoint the checkpointer ran (SQLite).
    checkpoints: watch::Receiver<Option<Checkpoint>>,
}

/// What a WAL checkpoint did: frames in the WAL, and how many of them are now in the
/// database file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, QueryableByName)]
pub struct Checkpoint {
    #[diesel(sql_type = Integer)]
    pub log: i32,
    #[diesel(sql_type = Integer)]
    pub checkpointed: i32,
}

impl Writer {
    /// Starts the writer threads with a queue of `capacity` writes: on SQLite (`sqlite`)
    /// one, and its checkpointer; on PostgreSQL up to `POSTGRES_WRITERS`. They end when every
    /// `Writer` is dropped (the checkpointer once it has run the checkpoint it was woken
    /// for).
    pub fn start(pool: DbPool, capacity: usize, sqlite: bool) -> std::io::Result<Writer> {
        let (checkpointed, checkpoints) = watch::channel(None);
        let capacity = capacity.max(4);
        let (jobs, queue) = mpsc::channel(capacity);
        let reserve = capacity / 4;
        if !sqlite {
            let threads = (pool.max_size() as usize / 2).clamp(1, POSTGRES_WRITERS);
            let keeps_connection = pool.max_size() as usize > threads;
            let queue = Arc::new(Mutex::new(queue));
            for n in 0..threads {
                let (pool, queue) = (pool.clone(), queue.clone());
                std::thread::Builder::new()
                    .name(format!("db-writer-{n}"))
                    .spawn(move || run_shared(pool, queue, keeps_connection))?;
            }
            return Ok(Writer {
                jobs,
                reserve,
                direct: Some(pool),
                threads,
                checkpoints,
            });
        }
        let (wake_checkpointer, commits) = sync_channel(1);
        let checkpointer_pool = pool.clone();
        std::thread::Builder::new()
            .name("db-checkpoint".into())
            .spawn(move || checkpoint_after_commits(checkpointer_pool, commits, checkpointed))?;
        std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || run(pool, queue, wake_checkpointer))?;
        Ok(Writer {
            jobs,
            reserve,
            direct: None,
            threads: 1,
            checkpoints,
        })
    }

    /// How many writer threads run batches (one on SQLite).
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The checkpoints the checkpointer runs after commits (SQLite; PostgreSQL has none).
    pub fn checkpoints(&self) -> watch::Receiver<Option<Checkpoint>> {
        self.checkpoints.clone()
    }

    /// Runs `work` in the next batch, and returns its result once the batch is committed.
    /// On PostgreSQL `work` may run more than once (when a write of its batch failed, or
    /// its commit did): only its last run's effects and result count, so it must do
    /// nothing but write to the connection. A database error it means to recover from must
    /// be caught in a nested `write_transaction` (a savepoint): on PostgreSQL an error
    /// fails the whole transaction. An error from the writer itself (a dropped write, a
    /// failed commit) does not always mean nothing was committed. Waits for room when the
    /// queue is full.
    pub async fn write<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: Fn(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    {
        let (done, result) = oneshot::channel::<AppResult<T>>();
        // Taken by the completion of the run that counts.
        let done = Arc::new(Mutex::new(Some(done)));
        let job: Job = Box::new(move |conn, scope| {
            let outcome = match scope {
                Scope::Savepoint => write_transaction(conn, &work),
                Scope::Batch => work(conn),
                // A probe before the commit: see `bare_round`.
                Scope::Alone => write_transaction(conn, |conn| {
                    let value = work(conn)?;
                    probe(conn)?;
                    Ok(value)
                }),
            };
            let done = done.clone();
            Ran {
                failure: outcome.as_ref().err().map(Failure::of),
                completion: Box::new(move |commit_failure: Option<&str>| {
                    let outcome = match commit_failure {
                        Some(why) => Err(AppError::other(anyhow::anyhow!(
                            "committing a batch of writes failed: {why}"
                        ))),
                        None => outcome,
                    };
                    let done = done.lock().unwrap_or_else(|p| p.into_inner()).take();
                    if let Some(done) = done {
                        let _ = done.send(outcome);
                    }
                }),
            }
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| AppError::other(anyhow::anyhow!("the database writer has stopped")))?;
        result.await.map_err(|_| {
            AppError::other(anyhow::anyhow!(
                "the database writer dropped a write (no connection, it panicked, or its batch \
                 ended in an unknown state, committed or not)"
            ))
        })?
    }

    /// `write` for work that is one statement, atomic by itself: on PostgreSQL it runs at
    /// once without a transaction around it, which would cost two more round trips (BEGIN
    /// and COMMIT) for nothing; on SQLite it is queued like any other write.
    pub async fn write_statement<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: Fn(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    {
        match &self.direct {
            Some(pool) => super::run(pool, work).await,
            None => self.write(work).await,
        }
    }

    /// Writes waiting for a writer thread (not counting the batches running).
    pub fn queued(&self) -> usize {
        self.jobs.max_capacity() - self.jobs.capacity()
    }

    /// Whether the queue is nearly full: new work that can wait should be refused.
    pub fn is_saturated(&self) -> bool {
        self.jobs.capacity() < self.reserve
    }
}

fn run(pool: DbPool, mut queue: mpsc::Receiver<Job>, wake_checkpointer: SyncSender<()>) {
    let mut batch = Vec::with_capacity(MOST_PER_BATCH);
    while queue.blocking_recv_many(&mut batch, MOST_PER_BATCH) > 0 {
        match pool.get() {
            Ok(mut conn) => {
                run_batch(&mut conn, batch.drain(..));
                // Full when it is awake already: this commit is copied with the others.
                let _ = wake_checkpointer.try_send(());
            }
            Err(e) => {
                // The writes never ran: their callers hear that the writer dropped them.
                tracing::error!(error = %e, writes = batch.len(), "the database writer has no connection");
                batch.clear();
            }
        }
    }
}

/// A PostgreSQL writer thread: takes what is queued (the others meanwhile wait for the
/// queue, or run their batches) and runs it as one batch. While writes are queued and its
/// batches commit, it keeps its connection for the next one (`keeps_connection`: only
/// when the pool has a connection left for readers).
fn run_shared(pool: DbPool, queue: Arc<Mutex<mpsc::Receiver<Job>>>, keeps_connection: bool) {
    let mut batch = Vec::with_capacity(MOST_PER_BATCH);
    loop {
        let taken = queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .blocking_recv_many(&mut batch, MOST_PER_BATCH);
        if taken == 0 {
            return;
        }
        let mut conn = match pool.get() {
            Ok(conn) => conn,
            Err(e) => {
                tracing::error!(error = %e, writes = batch.len(), "the database writer has no connection");
                batch.clear();
                continue;
            }
        };
        // While writes are queued, the next batch runs on this connection, whose COMMIT
        // has just succeeded: a checkout would first check it with a round trip of its own.
        // After a failed batch it goes back (a session the server ended is not always
        // marked broken), and the next checkout checks it.
        loop {
            let committed = run_bare_batch(&mut conn, &mut batch);
            batch.clear();
            if !keeps_connection
                || !committed
                || !is_sound(&mut conn)
                || take_queued(&queue, &mut batch) == 0
            {
                break;
            }
        }
    }
}

/// Takes what is queued without waiting, up to a batch; none when another writer thread
/// holds the queue (it takes what comes).
fn take_queued(queue: &Mutex<mpsc::Receiver<Job>>, batch: &mut Vec<Job>) -> usize {
    let mut queue = match queue.try_lock() {
        Ok(queue) => queue,
        Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => return 0,
    };
    while batch.len() < MOST_PER_BATCH {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    batch.len()
}

/// Bare rounds a PostgreSQL batch gets: each one that fails on a write drops that write
/// (its caller told its error) and runs the others again as one batch; after these, what
/// is left runs write by write.
const BARE_ROUNDS: usize = 3;

/// How one bare round of a batch ended.
enum Round {
    Committed,
    /// This write failed (its caller has been told) or panicked: the others run again.
    Dropped(usize),
    /// The transaction did not commit (a write failed in a way that may be the batch's, or
    /// the commit failed), the connection being sound: the writes run again one by one.
    NotCommitted(String),
    /// The transaction ended under the writes, or the connection broke: what was committed
    /// is unknown, and nothing may run again.
    Unknown(String),
}

/// Runs `jobs` bare in one transaction (PostgreSQL), then tells every caller. A write that
/// fails of its own doing (`Failure::Own`) or panics is dropped from the batch, its caller
/// told, and the batch runs again without it (it failed after the writes ahead of it: the
/// same as running alone after them). Past `BARE_ROUNDS`, or when the transaction fails
/// otherwise, the writes run one by one, each in its own transaction (one that panics is
/// dropped: its caller hears so). When the transaction ended midway, or the connection
/// broke, what was committed is unknown: the writes are dropped, their callers told they
/// failed (some may have been committed). Whether it ended on a bare round that committed,
/// or rolled back its last write's own failure: false once it fell back to one by one, or
/// when its outcome is unknown.
fn run_bare_batch(conn: &mut AnyConnection, jobs: &mut Vec<Job>) -> bool {
    for _ in 0..BARE_ROUNDS {
        if jobs.is_empty() {
            return true;
        }
        match bare_round(conn, jobs) {
            Round::Committed => return true,
            Round::Dropped(n) => drop(jobs.remove(n)),
            Round::NotCommitted(why) => {
                tracing::warn!(error = %why, writes = jobs.len(), "a batch of writes did not commit; they run again one by one");
                break;
            }
            Round::Unknown(why) => {
                // Their callers hear that the writer dropped them.
                tracing::error!(error = %why, writes = jobs.len(), "a batch of writes ended in an unknown state; they are dropped");
                return false;
            }
        }
    }
    for job in jobs.iter_mut() {
        if !is_sound(conn) {
            // A transaction still open (a rollback failed) would swallow the next write.
            tracing::error!(
                writes = jobs.len(),
                "the writer's connection is unsound; its writes are dropped"
            );
            return false;
        }
        match catch_unwind(AssertUnwindSafe(|| job(conn, Scope::Alone))) {
            Ok(ran) => (ran.completion)(None),
            Err(_) => {
                tracing::error!("a queued database write panicked; it is dropped");
                unwind_to(conn, 0);
            }
        }
    }
    false
}

/// One bare round of `jobs`: on success every caller is told; otherwise the writes that ran
/// are rolled back, and only one that failed of its own doing is told (its error).
fn bare_round(conn: &mut AnyConnection, jobs: &mut [Job]) -> Round {
    let mut completions: Vec<Completion> = Vec::with_capacity(jobs.len());
    let mut dropped = None;
    let mut ended = false;
    let committed = write_transaction(conn, |conn| {
        for (n, job) in jobs.iter_mut().enumerate() {
            let ran = catch_unwind(AssertUnwindSafe(|| job(conn, Scope::Batch)));
            if ran.is_err() {
                tracing::error!("a queued database write panicked; it is dropped");
                unwind_to(conn, 1);
            }
            // A write that ended the transaction (a COMMIT or ROLLBACK of its own) leaves
            // the next ones outside it, and what it committed must not run again.
            if !in_batch_transaction(conn) {
                ended = true;
                return Err(diesel::result::Error::BrokenTransactionManager);
            }
            match ran {
                Ok(Ran {
                    failure: None,
                    completion,
                }) => completions.push(completion),
                Ok(Ran {
                    failure: Some(Failure::Own),
                    completion,
                }) => {
                    dropped = Some((n, Some(completion)));
                    return Err(diesel::result::Error::RollbackTransaction);
                }
                // The batch's failure, maybe: its writes run again one by one.
                Ok(Ran {
                    failure: Some(Failure::Shared),
                    ..
                }) => return Err(diesel::result::Error::RollbackTransaction),
                Err(_) => {
                    dropped = Some((n, None));
                    return Err(diesel::result::Error::RollbackTransaction);
                }
            }
        }
        probe(conn)?;
        Ok(())
    });
    let sound = is_sound(conn);
    match committed {
        Ok(()) => {
            for completion in completions {
                completion(None);
            }
            Round::Committed
        }
        Err(e) if ended || !sound => Round::Unknown(e.to_string()),
        Err(e) => match dropped {
            Some((n, told)) => {
                // The others' runs were rolled back: they do not count.
                drop(completions);
                if let Some(told) = told {
                    told(None);
                }
                Round::Dropped(n)
            }
            None => Round::NotCommitted(e.to_string()),
        },
    }
}

/// Runs `jobs` in one transaction, each in a savepoint, then tells every caller.
fn run_batch(conn: &mut AnyConnection, jobs: impl ExactSizeIterator<Item = Job>) {
    let mut completions: Vec<Completion> = Vec::with_capacity(jobs.len());
    let committed = write_transaction(conn, |conn| {
        for mut job in jobs {
            match catch_unwind(AssertUnwindSafe(|| job(conn, Scope::Savepoint))) {
                Ok(ran) => completions.push(ran.completion),
                Err(_) => {
                    // Its caller hears an error (the result sender went with the unwind);
                    // its savepoint is rolled back and the batch goes on.
                    tracing::error!("a queued database write panicked; it is rolled back");
                    unwind_to(conn, 1);
                }
            }
            // Each write must leave the batch's own transaction open and sound. When the
            // database ended it (SQLite rolls back by itself on a full disk or an I/O
            // error), nothing more may run in it: a later write would begin a transaction
            // of its own, or be told of a commit that never happens.
            if !in_batch_transaction(conn) {
                return Err(diesel::result::Error::BrokenTransactionManager);
            }
        }
        Ok(())
    });
    let failure = committed
        .err()
        .map(|e: diesel::result::Error| e.to_string());
    if let Some(why) = &failure {
        tracing::error!(error = %why, writes = completions.len(), "a batch of writes failed");
    }
    for completion in completions {
        completion(failure.as_deref());
    }
}

/// A statement before COMMIT (PostgreSQL): a write that caught a database error of its own
/// leaves the transaction failed, and PostgreSQL answers its COMMIT with a rollback, not an
/// error; the probe fails instead.
fn probe(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    diesel::select(1_i32.into_sql::<Integer>())
        .execute(conn)
        .map(|_| ())
}

/// Whether the connection is sound and outside any transaction: a write run on it now
/// commits by itself.
fn is_sound(conn: &mut AnyConnection) -> bool {
    matches!(
        AnyConnection::transaction_manager_status_mut(conn).transaction_depth(),
        Ok(None)
    )
}

/// Whether the connection is in the batch's transaction, no savepoint left open.
fn in_batch_transaction(conn: &mut AnyConnection) -> bool {
    matches!(
        AnyConnection::transaction_manager_status_mut(conn).transaction_depth(),
        Ok(Some(depth)) if depth.get() == 1
    )
}

/// Rolls back the transactions and savepoints a panic left open, down to `depth` (1: the
/// batch's own transaction; 0: none).
fn unwind_to(conn: &mut AnyConnection, depth: u32) {
    while let Ok(Some(open)) =
        AnyConnection::transaction_manager_status_mut(conn).transaction_depth()
    {
        if open.get() <= depth || AnyConnection::rollback_transaction(conn).is_err() {
            return;
        }
    }
}

/// Copies the WAL back into the database file shortly after commits, without waiting for
/// readers (PASSIVE: a frame a reader still needs is copied next time). Ends when the
/// writer thread does.
fn checkpoint_after_commits(
    pool: DbPool,
    commits: Receiver<()>,
    checkpointed: watch::Sender<Option<Checkpoint>>,
) {
    while commits.recv().is_ok() {
        std::thread::sleep(CHECKPOINT_DELAY);
        while commits.try_recv().is_ok() {}
        let checkpoint = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
            diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)")
                .get_result::<Checkpoint>(&mut *conn)
                .map_err(|e| e.to_string())
        });
        match checkpoint {
            Ok(checkpoint) => {
                checkpointed.send_replace(Some(checkpoint));
            }
            Err(e) => tracing::warn!(error = %e, "checkpointing the SQLite WAL failed"),
        }
    }
}
