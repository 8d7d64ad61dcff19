//! Shared application state, handed to every handler through the federation library's `Data`.

use std::{sync::Arc, time::Duration};

use activitypub_federation::config::Data;
use moka::future::Cache;
use reqwest_middleware::ClientWithMiddleware;
use tokio::sync::Notify;
use url::Url;

use crate::{
    config::Settings,
    crypto::SigningKey,
    db::{actors::DbActor, writer::Writer, DbPool},
    domain::moderation::DomainPolicy,
    ingest::cache::{CacheStats, Counted},
    metrics::Metrics,
    service::{
        instance::InstanceInfo,
        network::Network,
        timeline::{Page, TimelineKey},
    },
    urls::Urls,
};

/// How long a domain that stalled the delivery worker with its backlog is skipped, by the
/// round that found it and those after (`federation::delivery`), unless one of its attempts
/// under way gets an answer first: each round would otherwise claim its backlog first, fill
/// the held-back window and wait for it to stall again.
pub const STALLED_FOR: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct AppState {
    pub db: DbPool,
    /// The group-commit writer (`db::writer`), for writes many requests make at once.
    pub writer: Writer,
    pub settings: Arc<Settings>,
    pub urls: Urls,
    /// Outgoing HTTP (`federation::guard::http_client`): public addresses only, no
    /// redirects followed, timeouts, our User-Agent.
    pub http: ClientWithMiddleware,
    /// Read-through cache of actors by id (the library's dereference has none).
    pub actor_cache: Arc<Counted<Url, DbActor>>,
    /// WebFinger answers: `name@host` (lower case) → actor id.
    pub webfinger_cache: Arc<Counted<String, Url>>,
    /// The domain rules, the allow list and the federation mode, read whole.
    pub block_list: Arc<Counted<(), Arc<DomainPolicy>>>,
    /// The instance's name, description, contact, rules and publish style, read whole.
    pub instance_info: Arc<Counted<(), Arc<InstanceInfo>>>,
    /// Timeline pages and network lists by the timeline's generation here, dropped whenever
    /// the timeline changes here.
    pub timeline_cache: Arc<Counted<(u64, TimelineKey), Arc<Page>>>,
    /// Counts the timeline's changes in this process: a page loading while the timeline
    /// changes is cached under the generation it started in, which no later request asks
    /// for.
    pub timeline_generation: Arc<std::sync::atomic::AtomicU64>,
    /// Domains that refused a draft-cavage signature and accepted RFC 9421 (the delivery
    /// worker signs for them that way first).
    pub rfc9421_domains: Cache<String, ()>,
    /// Domains recorded as answering in the last minute and not failing since: hearing
    /// from them again writes nothing (a busy domain would otherwise cost a write per
    /// activity received or delivered).
    pub answering_domains: Cache<String, ()>,
    /// Domains the delivery worker found stalled with a backlog (`STALLED_FOR`):
    /// its claims skip them meanwhile, then a round tries them again. In memory, per
    /// process: a restart forgets it.
    pub stalled_domains: Cache<String, ()>,
    /// Actors whose Move was acted on in the last week (`follow::MOVE_COOLDOWN`); in memory,
    /// so a restart forgets it.
    pub recent_moves: Cache<String, ()>,
    /// Actors whose key was fetched again after a failed signature, in the last minute.
    pub key_refetches: Cache<Url, ()>,
    /// Visitors' servers' subscribe templates by handle (none when WebFinger gave none or
    /// failed), so that the public follow form cannot make us fetch the same thing again.
    pub subscribe_templates: Cache<String, Option<String>>,
    /// The WebFinger lookups the public follow form may run at once; beyond them, visitors
    /// are sent to their server's `/authorize_interaction` without a lookup.
    pub interaction_lookups: Arc<tokio::sync::Semaphore>,
    /// Parsed private keys of local actors (parsing a PEM costs milliseconds).
    pub signing_keys: Cache<i64, Arc<SigningKey>>,
    /// Rendered feeds by path, with the time of the last post change they show.
    pub rendered_feeds: Cache<String, Arc<RenderedFeed>>,
    /// Where the public pages' header finds the logo (the main account's icon).
    pub site_logo: Cache<(), Option<String>>,
    /// Wakes the delivery worker when something was queued.
    pub delivery_wakeup: Arc<Notify>,
    /// What the use cases tell other servers and ask of them (the federation layer).
    pub network: Arc<dyn Network>,
    /// What requests, the inbox and deliveries count (served on `metrics.bind`).
    pub metrics: Arc<Metrics>,
}

pub type FedData = Data<AppState>;

impl AppState {
    /// Every counted cache's figures.
    pub fn cache_stats(&self) -> Vec<CacheStats> {
        vec![
            self.actor_cache.stats(),
            self.instance_info.stats(),
            self.webfinger_cache.stats(),
            self.block_list.stats(),
            self.timeline_cache.stats(),
        ]
    }
}

/// A feed as rendered at a count of post changes (`db::posts::changes`).
pub struct RenderedFeed {
    pub post_changes: i64,
    pub body: String,
}

impl AppState {
    pub fn new(
        db: DbPool,
        settings: Settings,
        urls: Urls,
        http: ClientWithMiddleware,
        network: Arc<dyn Network>,
    ) -> std::io::Result<AppState> {
        Ok(AppState {
            writer: Writer::start(
                db.clone(),
                settings.database.write_queue,
                matches!(
                    crate::db::DatabaseUrl::parse(&settings.database.url),
                    Ok(crate::db::DatabaseUrl::Sqlite(_))
                ),
            )?,
            db,
            urls,
            http,
            actor_cache: Arc::new(Counted::new(
                "actors",
                settings.cache.actors,
                Duration::from_secs(settings.cache.actors_ttl_secs),
            )),
            webfinger_cache: Arc::new(Counted::new(
                "webfinger",
                settings.cache.webfinger,
                Duration::from_secs(settings.cache.webfinger_ttl_secs),
            )),
            instance_info: Arc::new(Counted::new(
                "instance_info",
                1,
                Duration::from_secs(settings.cache.block_list_ttl_secs),
            )),
            block_list: Arc::new(Counted::new(
                "block_list",
                1,
                Duration::from_secs(settings.cache.block_list_ttl_secs),
            )),
            timeline_generation: Arc::default(),
            timeline_cache: Arc::new(Counted::weighed(
                "timeline",
                settings.cache.timeline_bytes,
                Duration::from_secs(settings.cache.timeline_ttl_secs),
                |_, page: &Arc<Page>| page.size_bytes,
            )),
            rfc9421_domains: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(24 * 3600))
                .build(),
            answering_domains: Cache::builder()
                .max_capacity(100_000)
                .time_to_live(Duration::from_secs(60))
                .build(),
            stalled_domains: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(STALLED_FOR)
                .build(),
            recent_moves: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(crate::service::follow::MOVE_COOLDOWN)
                .build(),
            key_refetches: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(60))
                .build(),
            subscribe_templates: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(600))
                .build(),
            interaction_lookups: Arc::new(tokio::sync::Semaphore::new(4)),
            signing_keys: Cache::builder().max_capacity(1_000).build(),
            rendered_feeds: Cache::builder()
                .max_capacity(100)
                .time_to_live(Duration::from_secs(3600))
                .build(),
            site_logo: Cache::builder()
                .max_capacity(1)
                .time_to_live(Duration::from_secs(settings.cache.block_list_ttl_secs))
                .build(),
            delivery_wakeup: Arc::new(Notify::new()),
            network,
            metrics: Arc::new(Metrics::new().map_err(std::io::Error::other)?),
            settings: Arc::new(settings),
        })
    }
}
