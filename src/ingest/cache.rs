//! Bounded in-memory caches (moka) that count their hits and misses, for the statistics
//! an operator reads (`/api/v1/instance/stats`, later `/metrics`).

use std::{
    hash::Hash,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use moka::future::Cache;
use serde::Serialize;

/// How a cache has done since start.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CacheStats {
    pub name: &'static str,
    pub hits: u64,
    pub misses: u64,
    pub entries: u64,
    pub capacity: u64,
}

pub struct Counted<K, V> {
    name: &'static str,
    capacity: u64,
    inner: Cache<K, V>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<K, V> Counted<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new(name: &'static str, capacity: u64, time_to_live: Duration) -> Counted<K, V> {
        Counted {
            name,
            capacity,
            inner: Cache::builder()
                .max_capacity(capacity)
                .time_to_live(time_to_live)
                .build(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// A cache bounded by the total `weigh` of its values (bytes, say) rather than by their
    /// number.
    pub fn weighed(
        name: &'static str,
        capacity: u64,
        time_to_live: Duration,
        weigh: impl Fn(&K, &V) -> u32 + Send + Sync + 'static,
    ) -> Counted<K, V> {
        Counted {
            name,
            capacity,
            inner: Cache::builder()
                .max_capacity(capacity)
                .weigher(weigh)
                .time_to_live(time_to_live)
                .build(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub async fn get(&self, key: &K) -> Option<V> {
        let found = self.inner.get(key).await;
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// The value of `key`, loaded by `load` on a miss. Callers missing the same key at once
    /// share one load (a page that expires under load is made once, not once per request
    /// waiting for it); a failed load is not cached, and its error is shared by the callers
    /// that waited for it. Callers that waited on another's load count as hits.
    pub async fn get_or_load<E, F>(&self, key: K, load: F) -> Result<V, Arc<E>>
    where
        E: Send + Sync + 'static,
        F: std::future::Future<Output = Result<V, E>>,
    {
        let entry = self.inner.entry(key).or_try_insert_with(load).await?;
        let counter = if entry.is_fresh() {
            &self.misses
        } else {
            &self.hits
        };
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(entry.into_value())
    }

    pub async fn insert(&self, key: K, value: V) {
        self.inner.insert(key, value).await;
    }

    pub async fn invalidate(&self, key: &K) {
        self.inner.invalidate(key).await;
    }

    pub fn invalidate_all(&self) {
        self.inner.invalidate_all();
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            name: self.name,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.inner.entry_count(),
            capacity: self.capacity,
        }
    }
}
