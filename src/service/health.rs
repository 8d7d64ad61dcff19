//! How the instance is doing, for admins: the delivery queue (by state, the domains with
//! pending deliveries and their last error, failing domains), retry now, and the caches'
//! hit rates.

use chrono::NaiveDateTime;

use crate::{
    db,
    error::AppResult,
    ingest::cache::CacheStats,
    metrics::Snapshot,
    service::{
        audit,
        users::{check_admin, Staff},
    },
    state::AppState,
};

/// Domains listed with their pending deliveries (the most first).
const DOMAINS_SHOWN: i64 = 100;

#[derive(Clone, Debug)]
pub struct DomainQueue {
    pub domain: String,
    pub pending: i64,
    /// Since when it has failed without a success (none when it answers).
    pub failing_since: Option<NaiveDateTime>,
    pub last_failure_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    /// Failing for longer than `delivery.dead_after_hours`: nothing more is sent.
    pub dead: bool,
}

#[derive(Clone, Debug)]
pub struct QueueHealth {
    pub by_state: Vec<(String, i64)>,
    /// Domains with pending deliveries, then failing domains without any.
    pub domains: Vec<DomainQueue>,
    pub caches: Vec<CacheStats>,
}

/// How long a scrape waits for a database connection: the metrics are needed most when the
/// pool is busy, and then they come without the database's figures rather than late.
const SNAPSHOT_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// What `/metrics` reads at a scrape: the deliveries by state (none when the database does
/// not answer in time), the write queue, the pool and the caches.
pub async fn snapshot(state: &AppState) -> Snapshot {
    let pool = state.db.clone();
    let deliveries_by_state = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get_timeout(SNAPSHOT_WAIT).ok()?;
        db::deliveries::count_by_state(&mut conn).ok()
    })
    .await
    .ok()
    .flatten();
    let pool = state.db.state();
    Snapshot {
        deliveries_by_state,
        write_queue: state.writer.queued(),
        pool_connections: pool.connections,
        pool_idle: pool.idle_connections,
        pool_max: state.db.max_size(),
        caches: state.cache_stats(),
    }
}

pub async fn status(state: &AppState, staff: &Staff) -> AppResult<QueueHealth> {
    check_admin(staff)?;
    let dead_after = chrono::TimeDelta::hours(state.settings.delivery.dead_after_hours);
    let (by_state, domains) = db::run(&state.db, move |conn| {
        let by_state = db::deliveries::count_by_state(conn)?;
        let pending = db::deliveries::pending_by_domain(conn, DOMAINS_SHOWN)?;
        let failing = db::domains::failing_domains(conn)?;
        let mut names: Vec<String> = pending.iter().map(|(d, _)| d.clone()).collect();
        names.extend(failing.iter().map(|h| h.domain.clone()));
        let errors = db::deliveries::last_errors(conn, &names)?;
        let now = db::now();
        let health_of = |domain: &str| failing.iter().find(|h| h.domain == domain);
        let mut domains: Vec<DomainQueue> = pending
            .iter()
            .map(|(domain, count)| (domain.clone(), *count))
            .chain(
                failing
                    .iter()
                    .filter(|h| !pending.iter().any(|(d, _)| d == &h.domain))
                    .map(|h| (h.domain.clone(), 0)),
            )
            .map(|(domain, pending)| {
                let health = health_of(&domain);
                let failing_since = health.and_then(|h| h.failing_since);
                DomainQueue {
                    pending,
                    failing_since,
                    last_failure_at: health.and_then(|h| h.last_failure_at),
                    last_error: errors.get(&domain).cloned(),
                    dead: failing_since.is_some_and(|since| now - since > dead_after),
                    domain,
                }
            })
            .collect();
        domains.truncate(usize::try_from(DOMAINS_SHOWN * 2).unwrap_or(200));
        Ok((by_state, domains))
    })
    .await?;
    Ok(QueueHealth {
        by_state,
        domains,
        caches: state.cache_stats(),
    })
}

/// Makes every pending delivery due now and wakes the worker (admins); audited. How many
/// were made due.
pub async fn retry_now(state: &AppState, staff: &Staff) -> AppResult<usize> {
    check_admin(staff)?;
    let staff = staff.clone();
    let due = db::run(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            let due = db::deliveries::make_pending_due(conn, db::now())?;
            audit::record(
                conn,
                &staff,
                "deliveries.retry",
                "",
                &format!("{due} made due"),
            )?;
            Ok(due)
        })
    })
    .await?;
    state.delivery_wakeup.notify_one();
    Ok(due)
}
