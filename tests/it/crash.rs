//! Crash safety at scale: a post to 10,000 followers behind 1,000 shared inboxes, the
//! server killed (SIGKILL) in the middle of the fan-out and started again: every inbox gets
//! the post. Duplicates (deliveries in flight when the process died) are counted and
//! printed. Runs on SQLite, the embedded default (the PostgreSQL run skips it).

use std::{
    collections::HashMap,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use munifed::db;
use tokio::sync::Notify;

use crate::helpers::{accepted_follow, remote_actor, TestDatabase, TEST_DATABASE_ENV};

const FOLLOWERS: usize = 10_000;
const INBOXES: usize = 1_000;

/// Inboxes that count what each of them received, and say when something arrived.
#[derive(Clone, Default)]
struct Inboxes {
    hits: Arc<Mutex<HashMap<String, usize>>>,
    arrived: Arc<Notify>,
}

impl Inboxes {
    fn distinct(&self) -> usize {
        self.hits.lock().unwrap().len()
    }

    fn total(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }

    /// Waits (for deliveries, not for time) until `done` holds, or fails after `limit`.
    async fn until(&self, limit: Duration, done: impl Fn(&Inboxes) -> bool) {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let arrived = self.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            if done(self) {
                return;
            }
            let waited = tokio::time::timeout_at(deadline, arrived).await;
            assert!(
                waited.is_ok(),
                "gave up waiting: {} of {INBOXES} inboxes reached",
                self.distinct()
            );
        }
    }
}

async fn spawn_inboxes() -> (Inboxes, u16) {
    let inboxes = Inboxes::default();
    let state = inboxes.clone();
    let server = HttpServer::new(move || {
        let state = state.clone();
        App::new().default_service(web::to(move |req: HttpRequest| {
            let state = state.clone();
            async move {
                *state
                    .hits
                    .lock()
                    .unwrap()
                    .entry(req.path().to_string())
                    .or_default() += 1;
                state.arrived.notify_waiters();
                HttpResponse::Accepted().finish()
            }
        }))
    })
    .workers(2)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    (inboxes, port)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn munifed(database: &TestDatabase, port: u16, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_munifed"));
    command
        .args(args)
        .env("MUNIFED__DATABASE__URL", &database.url)
        .env("MUNIFED__INSTANCE__DOMAIN", format!("localhost:{port}"))
        .env("MUNIFED__SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("MUNIFED__FEDERATION__DEV_MODE", "true")
        .env("MUNIFED__DELIVERY__POLL_INTERVAL_MS", "50")
        .env("MUNIFED__LOG__LEVEL", "warn")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn serve(database: &TestDatabase, port: u16) -> Child {
    munifed(database, port, &["serve"]).spawn().unwrap()
}

#[tokio::test]
async fn a_fan_out_killed_half_way_reaches_every_inbox_after_a_restart() {
    if std::env::var(TEST_DATABASE_ENV).is_ok() {
        println!("skipped: the crash test runs on SQLite");
        return;
    }
    let database = TestDatabase::new();
    let port = free_port();
    let (inboxes, inbox_port) = spawn_inboxes().await;

    // The instance and its news account, then 10,000 followers on 1,000 shared inboxes.
    let prepared = munifed(&database, port, &["account", "list"])
        .status()
        .unwrap();
    assert!(prepared.success());
    let pool = db::open(&database.url, 1).unwrap();
    db::run(&pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let news = db::actors::local_by_username(conn, "news")?.ok_or(diesel::NotFound)?;
            for n in 0..FOLLOWERS {
                let actor = format!("http://localhost:{inbox_port}/users/{n}");
                let shared = format!("http://localhost:{inbox_port}/shared/{}", n % INBOXES);
                let id = db::actors::insert(conn, &remote_actor(&actor, Some(&shared)))?;
                accepted_follow(conn, id, news.id)?;
            }
            Ok::<_, munifed::error::AppError>(())
        })
    })
    .await
    .unwrap();
    drop(pool);

    // The server runs; a post is published; the server is killed mid fan-out.
    let mut first = serve(&database, port);
    let dir = tempfile::tempdir().unwrap();
    let item = dir.path().join("news.toml");
    std::fs::write(
        &item,
        "title = \"Network meeting\"\nbody = \"See you there.\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let published = munifed(&database, port, &["publish", "news", "--file"])
        .arg(&item)
        .status()
        .unwrap();
    assert!(published.success());
    inboxes
        .until(Duration::from_secs(120), |i| i.distinct() >= INBOXES / 10)
        .await;
    first.kill().unwrap(); // SIGKILL: no shutdown, leases left behind
    first.wait().unwrap();
    let at_kill = inboxes.distinct();
    assert!(at_kill < INBOXES, "the fan-out finished before the kill");

    // Started again, it sends the rest.
    let mut second = serve(&database, port);
    inboxes
        .until(Duration::from_secs(300), |i| i.distinct() == INBOXES)
        .await;
    second.kill().unwrap();
    second.wait().unwrap();
    let duplicates = inboxes.total() - INBOXES;
    println!(
        "{FOLLOWERS} followers, {INBOXES} inboxes: {at_kill} reached before the kill, all \
         {INBOXES} after the restart, {duplicates} duplicates"
    );
    assert!(
        duplicates <= 64,
        "at most one batch in flight is sent twice: {duplicates}"
    );
}
