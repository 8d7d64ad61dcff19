//! Group commit for the writes many requests make at once (what the inbox stores): they
//! queue on a bounded channel, and one thread runs whatever is queued in one transaction,
//! each write in its own savepoint. A batch of a hundred small writes costs about what one
//! costs alone (one lock, one commit, the same index pages written once), where a hundred
//! separate transactions would each wait their turn for SQLite's single writer (or
//! PostgreSQL's commit flush).
//!
//! A write that fails rolls back to its savepoint and fails alone; a commit that fails
//! fails every write of the batch. Each caller hears its result only once its batch is
//! committed. When the queue is full, `is_saturated` says so: the inbox answers 503 with
//! `Retry-After` rather than holding ever more requests in memory.
//!
//! On SQLite, the WAL is copied back into the database by a thread of its own, woken after
//! the writer's commits: left to SQLite, the commit that passes the WAL's threshold does it,
//! and the writer thread, which everything queued waits for, spent a seventh of its time
//! there.
//!
//! On PostgreSQL, writes run at once, each in its own transaction on a pooled connection:
//! its commits run in parallel, where one thread sends a batch's statements one round trip
//! at a time (the inbound bench: 347 stored/s this way, 315/s through the writer).

use std::{
    panic::{catch_unwind, AssertUnwindSafe},
    sync::mpsc::{sync_channel, Receiver, SyncSender},
    time::Duration,
};

use diesel::{connection::TransactionManager, prelude::*, sql_types::Integer};
use tokio::sync::{mpsc, oneshot, watch};

use super::{write_transaction, AnyConnection, DbPool};
use crate::error::{AppError, AppResult};

/// Writes run in one transaction at most. PostgreSQL keeps 64 subtransactions (savepoints)
/// per session in shared memory; beyond that every session's snapshots slow down.
const MOST_PER_BATCH: usize = 64;

/// Tells a caller how its write ended, given the commit's error if the batch failed.
type Completion = Box<dyn FnOnce(Option<&str>) + Send>;
/// A write: runs in its savepoint and leaves its result waiting for the commit.
type Job = Box<dyn FnOnce(&mut AnyConnection) -> Completion + Send>;

/// How long the checkpointer waits after a commit wakes it, so that the commits of that
/// moment are copied back together.
const CHECKPOINT_DELAY: Duration = Duration::from_millis(100);

/// The queue of the writer thread (SQLite), or the pool (PostgreSQL); cloned into the
/// application state.
#[derive(Clone)]
pub struct Writer {
    mode: Mode,
    /// The last checkpoint the checkpointer ran (SQLite).
    checkpoints: watch::Receiver<Option<Checkpoint>>,
}

#[derive(Clone)]
enum Mode {
    Batched {
        jobs: mpsc::Sender<Job>,
        /// Free places under which the queue counts as saturated.
        reserve: usize,
    },
    Direct(DbPool),
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
    /// With `batched` (SQLite), starts the writer thread, with a queue of `capacity`
    /// writes, and its checkpointer; both end when every `Writer` is dropped (the
    /// checkpointer once it has run the checkpoint it was woken for). Otherwise writes run
    /// at once.
    pub fn start(pool: DbPool, capacity: usize, batched: bool) -> std::io::Result<Writer> {
        let (checkpointed, checkpoints) = watch::channel(None);
        if !batched {
            return Ok(Writer {
                mode: Mode::Direct(pool),
                checkpoints,
            });
        }
        let capacity = capacity.max(4);
        let (jobs, queue) = mpsc::channel(capacity);
        let (wake_checkpointer, commits) = sync_channel(1);
        let checkpointer_pool = pool.clone();
        std::thread::Builder::new()
            .name("db-checkpoint".into())
            .spawn(move || checkpoint_after_commits(checkpointer_pool, commits, checkpointed))?;
        std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || run(pool, queue, wake_checkpointer))?;
        Ok(Writer {
            mode: Mode::Batched {
                jobs,
                reserve: capacity / 4,
            },
            checkpoints,
        })
    }

    /// Whether writes are queued for the writer thread (SQLite).
    pub fn is_batched(&self) -> bool {
        matches!(self.mode, Mode::Batched { .. })
    }

    /// The checkpoints the checkpointer runs after commits (SQLite; PostgreSQL has none).
    pub fn checkpoints(&self) -> watch::Receiver<Option<Checkpoint>> {
        self.checkpoints.clone()
    }

    /// Runs `work` in its own savepoint of the next batch, and returns its result once the
    /// batch is committed. Waits for room when the queue is full.
    pub async fn write<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    {
        let jobs = match &self.mode {
            Mode::Batched { jobs, .. } => jobs,
            Mode::Direct(pool) => {
                return super::run(pool, move |conn| write_transaction(conn, work)).await
            }
        };
        let (done, result) = oneshot::channel::<AppResult<T>>();
        let job: Job = Box::new(move |conn| {
            let outcome = write_transaction(conn, work);
            Box::new(move |commit_failure: Option<&str>| {
                let outcome = match commit_failure {
                    Some(why) => Err(AppError::other(anyhow::anyhow!(
                        "committing a batch of writes failed: {why}"
                    ))),
                    None => outcome,
                };
                let _ = done.send(outcome);
            })
        });
        jobs.send(job)
            .await
            .map_err(|_| AppError::other(anyhow::anyhow!("the database writer has stopped")))?;
        result.await.map_err(|_| {
            AppError::other(anyhow::anyhow!(
                "the database writer dropped a write (no connection, or a write in its batch panicked)"
            ))
        })?
    }

    /// `write` for work that is one statement, atomic by itself: on PostgreSQL it runs
    /// without a transaction around it, which would cost two more round trips (BEGIN and
    /// COMMIT) for nothing; on SQLite it is queued like any other write.
    pub async fn write_statement<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    {
        match &self.mode {
            Mode::Direct(pool) => super::run(pool, work).await,
            Mode::Batched { .. } => self.write(work).await,
        }
    }

    /// Writes waiting for the writer thread (not counting the batch it is running).
    pub fn queued(&self) -> usize {
        match &self.mode {
            Mode::Batched { jobs, .. } => jobs.max_capacity() - jobs.capacity(),
            Mode::Direct(_) => 0,
        }
    }

    /// Whether the queue is nearly full: new work that can wait should be refused.
    pub fn is_saturated(&self) -> bool {
        match &self.mode {
            Mode::Batched { jobs, reserve } => jobs.capacity() < *reserve,
            Mode::Direct(_) => false,
        }
    }
}

fn run(pool: DbPool, mut queue: mpsc::Receiver<Job>, wake_checkpointer: SyncSender<()>) {
    let mut batch = Vec::with_capacity(MOST_PER_BATCH);
    while queue.blocking_recv_many(&mut batch, MOST_PER_BATCH) > 0 {
        // Drained, so that the vector's room is kept for the next batch.
        let jobs = batch.drain(..);
        match pool.get() {
            Ok(mut conn) => {
                run_batch(&mut conn, jobs);
                // Full when it is awake already: this commit is copied with the others.
                let _ = wake_checkpointer.try_send(());
            }
            Err(e) => {
                // The writes never ran: their callers hear that the writer dropped them.
                tracing::error!(error = %e, writes = jobs.len(), "the database writer has no connection");
            }
        }
    }
}

/// Runs `jobs` in one transaction, each in a savepoint, then tells every caller.
fn run_batch(conn: &mut AnyConnection, jobs: impl ExactSizeIterator<Item = Job>) {
    let mut completions: Vec<Completion> = Vec::with_capacity(jobs.len());
    let committed = write_transaction(conn, |conn| {
        for job in jobs {
            match catch_unwind(AssertUnwindSafe(|| job(conn))) {
                Ok(completion) => completions.push(completion),
                Err(_) => {
                    // Its caller hears an error (the result sender went with the unwind);
                    // its savepoint is rolled back and the batch goes on.
                    tracing::error!("a queued database write panicked; it is rolled back");
                    unwind_savepoints(conn);
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

/// Whether the connection is in the batch's transaction, no savepoint left open.
fn in_batch_transaction(conn: &mut AnyConnection) -> bool {
    matches!(
        AnyConnection::transaction_manager_status_mut(conn).transaction_depth(),
        Ok(Some(depth)) if depth.get() == 1
    )
}

/// Rolls back savepoints left open by a panic, down to the batch's own transaction.
fn unwind_savepoints(conn: &mut AnyConnection) {
    while let Ok(Some(depth)) =
        AnyConnection::transaction_manager_status_mut(conn).transaction_depth()
    {
        if depth.get() <= 1 || AnyConnection::rollback_transaction(conn).is_err() {
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
