//! Builds an instance from its settings and runs it until it is stopped.

use std::{net::TcpListener, sync::Arc};

use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use actix_web::{
    dev::Server,
    middleware::{from_fn, Compress},
    web, App, HttpServer,
};
use tokio::{sync::watch, task::JoinHandle};
use tracing_actix_web::TracingLogger;

use crate::{
    config::Settings,
    crypto::SigningKey,
    db,
    federation::{self, delivery, guard, network::ActivityPub, signed_fetch::SignFetches},
    service::accounts,
    state::{AppState, FedData},
    telemetry,
    urls::Urls,
    web::pages,
};

/// Opens the database, runs migrations, creates the instance actor and first account when
/// missing, and builds the federation configuration. Shared by `serve` and the CLI.
pub async fn prepare(settings: Settings) -> anyhow::Result<FederationConfig<AppState>> {
    let backend = db::DatabaseUrl::parse(&settings.database.url)
        .map_err(anyhow::Error::msg)?
        .backend();
    let (url, pool_size) = (settings.database.url.clone(), settings.database.pool_size);
    let pool = tokio::task::spawn_blocking(move || db::open(&url, pool_size)).await??;
    let urls = Urls::new(settings.base_url()?);
    let network = ActivityPub::new(urls.clone(), settings.federation.publish_as);
    let unsigned = guard::http_client(&settings, &urls, None)?;
    let mut state = AppState::new(pool, settings, urls, unsigned, Arc::new(network))?;
    let instance_actor = accounts::bootstrap(&state)
        .await
        .map_err(|e| anyhow::anyhow!("cannot prepare the {backend} database: {e}"))?;
    // Every GET from now on is signed by the instance actor.
    let id = instance_actor.id;
    let pem = db::run(&state.db, move |conn| {
        Ok(db::actors::private_key(conn, id)?)
    })
    .await?
    .ok_or_else(|| anyhow::anyhow!("the instance actor has no private key"))?;
    let key = tokio::task::spawn_blocking(move || SigningKey::from_pem(&pem)).await??;
    let signer = SignFetches {
        actor: (*instance_actor.ap_id).clone(),
        key: Arc::new(key),
    };
    state.http = guard::http_client(&state.settings, &state.urls, Some(signer))?;
    federation::federation_config(state).await
}

pub struct Application {
    port: u16,
    server: Server,
    /// The metrics server on `metrics.bind`, with its port, when one is set.
    metrics: Option<(u16, Server)>,
    federation: FederationConfig<AppState>,
}

impl Application {
    /// Binds `server.bind` (port 0 picks one). A domain ending in `:0` takes the bound port,
    /// so tests can run instances named `localhost:PORT`.
    pub async fn build(mut settings: Settings) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&settings.server.bind).map_err(|e| {
            anyhow::anyhow!(
                "server.bind: cannot listen on {}: {e}",
                settings.server.bind
            )
        })?;
        let port = listener.local_addr()?.port();
        if let Some(host) = settings.instance.domain.strip_suffix(":0") {
            settings.instance.domain = format!("{host}:{port}");
        }
        if settings.federation.dev_mode {
            tracing::warn!(
                "federation.dev_mode is on: requests may go to http:// URLs, explicit ports and private or loopback addresses; never use this in production"
            );
        }
        let metrics_listener = match settings.metrics.bind.as_str() {
            "" => None,
            bind => Some(
                TcpListener::bind(bind)
                    .map_err(|e| anyhow::anyhow!("metrics.bind: cannot listen on {bind}: {e}"))?,
            ),
        };
        let body_limit = settings.server.body_limit;
        let workers = settings.server.workers;
        let federation = prepare(settings).await?;
        {
            let mut conn = federation.to_request_data().db.get()?;
            // One process owns a SQLite database: leases left by a killed process are void.
            if matches!(&*conn, db::AnyConnection::Sqlite(_)) {
                let released = db::deliveries::release_leases(&mut conn)?;
                if released > 0 {
                    tracing::info!(released, "released delivery leases of a previous run");
                }
            }
        }
        let config = federation.clone();
        let metrics = federation.metrics.clone();
        let default_language = federation.settings.instance.default_language;
        let mut server = HttpServer::new(move || {
            let metrics = metrics.clone();
            App::new()
                .wrap(from_fn(crate::web::language::errors_in_language))
                .wrap(from_fn(crate::web::site::not_modified))
                .wrap(FederationMiddleware::new(config.clone()))
                .wrap(Compress::default())
                .wrap(from_fn(telemetry::echo_request_id))
                .wrap(TracingLogger::<telemetry::RequestSpan>::new())
                .wrap(from_fn(move |req, next| {
                    telemetry::count_request(metrics.clone(), req, next)
                }))
                .app_data(web::PayloadConfig::new(body_limit))
                .app_data(default_language)
                .app_data(web::QueryConfig::default().error_handler(crate::error::bad_query))
                .app_data(web::PathConfig::default().error_handler(crate::error::bad_path))
                .app_data(web::FormConfig::default().error_handler(crate::error::bad_form))
                .configure(federation::routes::configure)
                .configure(crate::api::configure)
                .configure(crate::web::feeds::configure)
                .configure(crate::web::timeline::configure)
                .configure(crate::web::media::configure)
                .configure(crate::web::embed::configure)
                .configure(crate::web::admin::configure)
                .configure(crate::web::site::configure)
                .configure(crate::web::language::configure)
                .configure(pages::configure)
        })
        .listen(listener)?
        .shutdown_timeout(30);
        if workers > 0 {
            server = server.workers(workers);
        }
        let server = server.run();
        let metrics = match metrics_listener {
            Some(listener) => {
                let address = listener.local_addr()?;
                if !address.ip().is_loopback() {
                    tracing::warn!(
                        %address,
                        "metrics.bind is not a loopback address: /metrics has no authentication, let only your Prometheus reach it"
                    );
                }
                let metrics_port = address.port();
                let state = web::Data::new((*federation).clone());
                let server = HttpServer::new(move || {
                    App::new().app_data(state.clone()).route(
                        "/metrics",
                        web::get().to(crate::web::metrics::http_get_metrics),
                    )
                })
                .listen(listener)?
                .workers(1)
                // Scrapes are quick: a stop does not wait for Prometheus's idle connection.
                .shutdown_timeout(1)
                // The public server's signal handling stops this one too.
                .disable_signals()
                .run();
                tracing::info!(port = metrics_port, "metrics are served at /metrics");
                Some((metrics_port, server))
            }
            None => None,
        };
        tracing::info!(
            port,
            domain = %federation.domain(),
            "munifed is listening"
        );
        Ok(Application {
            port,
            server,
            metrics,
            federation,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port serving `/metrics`, when `metrics.bind` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Request data for calling services directly (the CLI's and the tests' way in).
    pub fn data(&self) -> FedData {
        self.federation.to_request_data()
    }

    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGTERM/ctrl-c (or a stop through the handle): stops taking requests,
    /// finishes the ones in flight, then lets the delivery worker finish its batch.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let (stop_worker, stopped) = watch::channel(false);
        let data = self.data();
        let worker: Option<JoinHandle<()>> = data
            .settings
            .delivery
            .worker
            .then(|| tokio::spawn(delivery::run_worker(data.clone(), stopped)));
        let metrics = self.metrics.map(|(_, server)| {
            let handle = server.handle();
            (handle, tokio::spawn(server))
        });
        let result = self.server.await;
        if let Some((handle, served)) = metrics {
            handle.stop(false).await;
            let _ = served.await;
        }
        let _ = stop_worker.send(true);
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        tracing::info!("munifed stopped");
        Ok(result?)
    }
}

/// Hands back to the system the memory start-up used and freed (settings, migrations, keys,
/// accounts): glibc gives freed memory back on its own only from the top of each heap, and
/// free pages in between stay resident. Called before the HTTP workers start (they start
/// when the server is first polled); a second trim after the first answers gave back only
/// 56 kB more. 0.35 MB less anonymous memory when idle, until traffic grows the heaps again.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions: it takes each arena's lock and returns its
    // free pages; any thread may call it (not a signal handler).
    unsafe {
        libc::malloc_trim(0);
    }
}
