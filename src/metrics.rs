//! Prometheus metrics: what the server counts as it works (requests, inbox activities,
//! deliveries) and what it reads when scraped (queues, pool, caches). One registry per
//! instance, exposed in the text format on `metrics.bind` (`telemetry::serve_metrics`).

use std::time::Duration;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::ingest::cache::CacheStats;

/// Latency buckets in seconds, from a cached page to a slow remote inbox.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Domains with a delivery latency series of their own.
pub const DOMAINS_LABELLED: usize = 500;

pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    inbox_activities: IntCounterVec,
    deliveries: IntCounterVec,
    delivery_duration: HistogramVec,
    /// The domains that have a latency series of their own (`DOMAINS_LABELLED` at most).
    labelled_domains: std::sync::Mutex<std::collections::HashSet<String>>,
    delivery_queue: IntGauge,
    database_up: IntGauge,
    deliveries_stored: IntGaugeVec,
    write_queue: IntGauge,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
    cache_hits: IntCounterVec,
    cache_misses: IntCounterVec,
    cache_entries: IntGaugeVec,
}

/// What the server reads from its state when it is scraped.
pub struct Snapshot {
    /// Deliveries kept by state (`pending` is the queue); none when the database did not
    /// answer in time.
    pub deliveries_by_state: Option<Vec<(String, i64)>>,
    /// Writes waiting for a writer thread.
    pub write_queue: usize,
    pub pool_connections: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
    pub caches: Vec<CacheStats>,
}

impl Metrics {
    pub fn new() -> prometheus::Result<Metrics> {
        let registry = Registry::new_custom(Some("munifed".into()), None)?;
        let metrics = Metrics {
            http_requests: IntCounterVec::new(
                Opts::new(
                    "http_requests_total",
                    "HTTP requests by route, method and status",
                ),
                &["route", "method", "status"],
            )?,
            http_duration: HistogramVec::new(
                HistogramOpts::new(
                    "http_request_duration_seconds",
                    "Time to answer an HTTP request, by route",
                )
                .buckets(BUCKETS.to_vec()),
                &["route"],
            )?,
            inbox_activities: IntCounterVec::new(
                Opts::new(
                    "inbox_activities_total",
                    "Activities POSTed to the inboxes, by type and outcome",
                ),
                &["type", "outcome"],
            )?,
            deliveries: IntCounterVec::new(
                Opts::new("deliveries_total", "Delivery attempts by outcome"),
                &["outcome"],
            )?,
            delivery_duration: HistogramVec::new(
                HistogramOpts::new(
                    "delivery_duration_seconds",
                    "Time a remote inbox took to answer a delivery, by domain",
                )
                .buckets(BUCKETS.to_vec()),
                &["domain"],
            )?,
            labelled_domains: std::sync::Mutex::default(),
            database_up: IntGauge::new(
                "metrics_database_up",
                "1 when the database answered this scrape in time (its figures are missing otherwise)",
            )?,
            delivery_queue: IntGauge::new(
                "delivery_queue_depth",
                "Deliveries waiting to be sent (pending)",
            )?,
            deliveries_stored: IntGaugeVec::new(
                Opts::new(
                    "deliveries_stored",
                    "Deliveries kept by state (finished ones for 30 days)",
                ),
                &["state"],
            )?,
            write_queue: IntGauge::new(
                "db_write_queue_depth",
                "Writes waiting for a writer thread",
            )?,
            pool_connections: IntGauge::new(
                "db_pool_connections",
                "Database connections open (idle and in use)",
            )?,
            pool_idle: IntGauge::new("db_pool_idle_connections", "Database connections idle")?,
            pool_max: IntGauge::new(
                "db_pool_max_connections",
                "Most database connections the pool opens",
            )?,
            cache_hits: IntCounterVec::new(
                Opts::new("cache_hits_total", "In-memory cache hits, by cache"),
                &["cache"],
            )?,
            cache_misses: IntCounterVec::new(
                Opts::new("cache_misses_total", "In-memory cache misses, by cache"),
                &["cache"],
            )?,
            cache_entries: IntGaugeVec::new(
                Opts::new("cache_entries", "Entries in each in-memory cache"),
                &["cache"],
            )?,
            registry,
        };
        metrics.register_all()?;
        Ok(metrics)
    }

    fn register_all(&self) -> prometheus::Result<()> {
        let collectors: Vec<Box<dyn prometheus::core::Collector>> = vec![
            Box::new(self.http_requests.clone()),
            Box::new(self.http_duration.clone()),
            Box::new(self.inbox_activities.clone()),
            Box::new(self.deliveries.clone()),
            Box::new(self.delivery_duration.clone()),
            Box::new(self.delivery_queue.clone()),
            Box::new(self.database_up.clone()),
            Box::new(self.deliveries_stored.clone()),
            Box::new(self.write_queue.clone()),
            Box::new(self.pool_connections.clone()),
            Box::new(self.pool_idle.clone()),
            Box::new(self.pool_max.clone()),
            Box::new(self.cache_hits.clone()),
            Box::new(self.cache_misses.clone()),
            Box::new(self.cache_entries.clone()),
        ];
        collectors
            .into_iter()
            .try_for_each(|collector| self.registry.register(collector))
    }

    /// An answered HTTP request; `route` is the matched pattern (bounded), not the path.
    pub fn request(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        self.http_requests
            .with_label_values(&[route, method, status_label(status)])
            .inc();
        self.http_duration
            .with_label_values(&[route])
            .observe(elapsed.as_secs_f64());
    }

    /// An activity POSTed to an inbox: its type (one of the types acted on, else `other`)
    /// and how it ended (`accepted`, `refused`, `busy` or `failed`).
    pub fn inbox_activity(&self, kind: &str, outcome: &str) {
        self.inbox_activities
            .with_label_values(&[kind, outcome])
            .inc();
    }

    /// A delivery attempt's outcome, and for those the inbox answered how long it took.
    /// The first `DOMAINS_LABELLED` domains get a series each, later ones share `other`:
    /// anyone can make us deliver to new domains (a Follow from each), and each series
    /// stays in memory.
    pub fn delivery(&self, domain: &str, outcome: &str, answered_in: Option<Duration>) {
        self.deliveries.with_label_values(&[outcome]).inc();
        let Some(elapsed) = answered_in else {
            return;
        };
        let labelled = {
            let mut domains = self
                .labelled_domains
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            domains.contains(domain)
                || (domains.len() < DOMAINS_LABELLED && domains.insert(domain.to_string()))
        };
        self.delivery_duration
            .with_label_values(&[if labelled { domain } else { "other" }])
            .observe(elapsed.as_secs_f64());
    }

    /// The text exposition, with what was read at this scrape.
    pub fn render(&self, snapshot: Snapshot) -> String {
        self.deliveries_stored.reset();
        self.database_up
            .set(i64::from(snapshot.deliveries_by_state.is_some()));
        if let Some(by_state) = &snapshot.deliveries_by_state {
            let mut pending = 0;
            for (state, count) in by_state {
                self.deliveries_stored
                    .with_label_values(&[state.as_str()])
                    .set(*count);
                if state == "pending" {
                    pending = *count;
                }
            }
            self.delivery_queue.set(pending);
        }
        self.write_queue
            .set(i64::try_from(snapshot.write_queue).unwrap_or(i64::MAX));
        self.pool_connections
            .set(i64::from(snapshot.pool_connections));
        self.pool_idle.set(i64::from(snapshot.pool_idle));
        self.pool_max.set(i64::from(snapshot.pool_max));
        for cache in &snapshot.caches {
            let label = [cache.name];
            // The caches count for themselves; the counters catch up with them.
            let hits = self.cache_hits.with_label_values(&label);
            hits.inc_by(cache.hits.saturating_sub(hits.get()));
            let misses = self.cache_misses.with_label_values(&label);
            misses.inc_by(cache.misses.saturating_sub(misses.get()));
            self.cache_entries
                .with_label_values(&label)
                .set(i64::try_from(cache.entries).unwrap_or(i64::MAX));
        }
        let mut text = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut text) {
            tracing::error!(error = %e, "encoding metrics failed");
        }
        String::from_utf8_lossy(&text).into_owned()
    }
}

/// Status codes as label values without allocating.
fn status_label(status: u16) -> &'static str {
    match status {
        200 => "200",
        201 => "201",
        202 => "202",
        204 => "204",
        301 => "301",
        302 => "302",
        303 => "303",
        304 => "304",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        405 => "405",
        406 => "406",
        409 => "409",
        410 => "410",
        413 => "413",
        415 => "415",
        422 => "422",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        _ => match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        },
    }
}
