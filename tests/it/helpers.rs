//! Spawning instances on 127.0.0.1, port 0, named `localhost:PORT`, on a fresh database.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::SystemTime,
};

use actix_web::{web, App, HttpResponse, HttpServer};
use diesel::{Connection, PgConnection, RunQueryDsl};
use munifed::{
    config::Settings,
    crypto::SigningKey,
    db,
    federation::{delivery, signatures},
    state::FedData,
    Application,
};
use serde_json::Value;
use url::Url;

/// PostgreSQL server for the PostgreSQL run of the suite, e.g.
/// `postgres://postgres@127.0.0.1:5432`.
pub const TEST_DATABASE_ENV: &str = "MUNIFED_TEST_DATABASE_URL";

/// Whether this is CI (`CI=true`), where a test that needs something external fails
/// without it rather than skipping.
pub fn under_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// A database of its own for one test: a SQLite file in a temporary folder, or a new
/// PostgreSQL database, dropped when this is dropped.
pub struct TestDatabase {
    pub url: String,
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestDatabase {
    pub fn new() -> TestDatabase {
        let dir = tempfile::tempdir().unwrap();
        match std::env::var(TEST_DATABASE_ENV) {
            Ok(server) if !server.is_empty() => {
                let server = server.trim_end_matches('/').to_string();
                let name = format!("munifed_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::establish(&format!("{server}/postgres")).unwrap_or_else(|e| {
                    panic!("{TEST_DATABASE_ENV} is set but PostgreSQL at {server} is unreachable: {e}")
                });
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .unwrap();
                TestDatabase {
                    url: format!("{server}/{name}"),
                    postgres: Some((server, name)),
                    _dir: dir,
                }
            }
            _ => TestDatabase {
                url: format!("sqlite://{}", dir.path().join("munifed.db").display()),
                postgres: None,
                _dir: dir,
            },
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((server, name)) = self.postgres.take() {
            if let Ok(mut conn) = PgConnection::establish(&format!("{server}/postgres")) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

/// Settings of a test instance on `database`, with extra `MUNIFED__*` overrides.
pub fn test_settings(database: &TestDatabase, extra: &[(&str, &str)]) -> Settings {
    let mut env: Vec<(String, String)> = [
        ("MUNIFED__SERVER__BIND", "127.0.0.1:0"),
        ("MUNIFED__INSTANCE__DOMAIN", "localhost:0"),
        ("MUNIFED__FEDERATION__DEV_MODE", "true"),
        ("MUNIFED__FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true"),
        ("MUNIFED__DELIVERY__WORKER", "false"),
        ("MUNIFED__DATABASE__POOL_SIZE", "4"),
        ("MUNIFED__SERVER__WORKERS", "2"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    env.push(("MUNIFED__DATABASE__URL".into(), database.url.clone()));
    env.push((
        "MUNIFED__MEDIA__PATH".into(),
        database._dir.path().join("media").display().to_string(),
    ));
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::load_with_env(None, env).unwrap()
}

pub struct TestApp {
    /// `localhost:PORT`
    pub domain: String,
    /// `http://localhost:PORT`
    pub base: Url,
    pub http: reqwest::Client,
    /// `http://127.0.0.1:PORT/metrics` when `metrics.bind` is set.
    pub metrics: Option<Url>,
    app_data: FedData,
    server: actix_web::dev::ServerHandle,
    // Kept alive (and dropped last): the PostgreSQL database is dropped with it.
    _database: Arc<TestDatabase>,
}

impl TestApp {
    /// Fresh request data (the federation library counts fetches per request).
    pub fn data(&self) -> FedData {
        self.app_data.reset_request_count()
    }

    pub fn url(&self, path: &str) -> Url {
        self.base.join(path).unwrap()
    }

    /// `database.url` of this instance (for the command line).
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    /// Sends every due delivery; returns how many were attempted.
    pub async fn deliver_all_pending(&self) -> usize {
        delivery::drain(&self.data()).await.unwrap()
    }

    /// GET without an Accept header, parsed as JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.http.get(self.url(path)).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    pub async fn get_activity_json(&self, path: &str) -> Value {
        let response = self
            .http
            .get(self.url(path))
            .header("Accept", "application/activity+json")
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    /// The items of page 1 of a collection, as strings.
    pub async fn collection_items(&self, path: &str) -> Vec<String> {
        let page = self.get_activity_json(&format!("{path}?page=1")).await;
        page["orderedItems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    pub async fn stop(self) {
        self.server.stop(true).await;
    }

    /// Row counts of everything a request can change, to show that a refused one changed
    /// nothing.
    pub async fn snapshot(&self) -> [i64; 5] {
        db::run(&self.data().db, |conn| {
            use diesel::{dsl::count_star, QueryDsl};
            use munifed::db::schema::{
                actors, follows, outgoing_activities, posts, received_activities,
            };
            Ok([
                actors::table.select(count_star()).first(conn)?,
                follows::table.select(count_star()).first(conn)?,
                received_activities::table
                    .select(count_star())
                    .first(conn)?,
                outgoing_activities::table
                    .select(count_star())
                    .first(conn)?,
                posts::table.select(count_star()).first(conn)?,
            ])
        })
        .await
        .unwrap()
    }

    /// POSTs `activity` to `path`, signed by the local actor `signer` (an ActivityPub id).
    pub async fn post_signed_as(
        &self,
        signer_app: &TestApp,
        signer: &Url,
        path: &str,
        activity: &Value,
        date: SystemTime,
    ) -> reqwest::Response {
        let data = signer_app.data();
        let key = signer.to_string();
        let pem = db::run(&data.db, move |conn| {
            let actor = db::actors::by_ap_id(conn, &key)?.ok_or(diesel::NotFound)?;
            Ok(db::actors::private_key(conn, actor.id)?)
        })
        .await
        .unwrap()
        .unwrap();
        let private = SigningKey::from_pem(&pem).unwrap();
        let request = signatures::signed_post_request(
            &data.http,
            &self.url(path),
            signer,
            &private,
            serde_json::to_vec(activity).unwrap(),
            date,
        )
        .unwrap();
        data.http.execute(request).await.unwrap()
    }
}

/// The `munifed` binary as a user runs it, on `database_url`, with extra `MUNIFED__*`
/// settings; warnings only in its output.
pub fn run_munifed(
    database_url: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_munifed"));
    command
        .args(args)
        .env("MUNIFED__DATABASE__URL", database_url)
        .env("MUNIFED__LOG__LEVEL", "warn")
        .env_remove("RUST_LOG");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    spawn_app_on(Arc::new(TestDatabase::new()), extra).await
}

/// An instance on an existing test database (to restart on the same data).
pub async fn spawn_app_on(database: Arc<TestDatabase>, extra: &[(&str, &str)]) -> TestApp {
    let settings = test_settings(&database, extra);
    let app = Application::build(settings).await.unwrap();
    let port = app.port();
    let metrics = app
        .metrics_port()
        .map(|port| Url::parse(&format!("http://127.0.0.1:{port}/metrics")).unwrap());
    let app_data = app.data();
    let server = app.server_handle();
    tokio::spawn(app.run_until_stopped());
    let domain = format!("localhost:{port}");
    TestApp {
        base: Url::parse(&format!("http://{domain}")).unwrap(),
        domain,
        http: reqwest::Client::new(),
        metrics,
        app_data,
        server,
        _database: database,
    }
}

/// The row of a remote actor, made by the same conversion as a fetched actor document.
pub fn remote_actor(ap_id: &str, shared_inbox: Option<&str>) -> db::actors::DbActorForm {
    let document = serde_json::json!({
        "id": ap_id,
        "type": "Person",
        "preferredUsername": "remote",
        "inbox": format!("{ap_id}/inbox"),
        "endpoints": { "sharedInbox": shared_inbox },
        "publicKey": {
            "id": format!("{ap_id}#main-key"),
            "owner": ap_id,
            "publicKeyPem": "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
        },
    });
    munifed::federation::objects::actor::remote_actor_form(
        serde_json::from_value(document).unwrap(),
    )
    .unwrap()
}

/// Records an accepted follow of `followee_id` by `follower_id`.
pub fn accepted_follow(
    conn: &mut db::AnyConnection,
    follower_id: i64,
    followee_id: i64,
) -> diesel::QueryResult<()> {
    let now = db::now();
    db::follows::insert_or_refresh(
        conn,
        &db::follows::DbFollowForm {
            follower_id,
            followee_id,
            activity_id: &format!("https://remote.example/follows/{follower_id}-{followee_id}"),
            state: db::follows::ACCEPTED,
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(())
}

/// Two instances that federate with each other over loopback.
pub async fn spawn_pair() -> (TestApp, TestApp) {
    (spawn_app().await, spawn_app().await)
}

/// A stand-in inbox that answers every POST with a fixed status and records what came.
pub struct Receiver {
    pub inbox: Url,
    pub hits: Arc<AtomicUsize>,
    pub bodies: Arc<Mutex<Vec<String>>>,
}

impl Receiver {
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

pub async fn spawn_receiver(status: u16) -> Receiver {
    let hits = Arc::new(AtomicUsize::new(0));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let (h, b) = (hits.clone(), bodies.clone());
    let server = HttpServer::new(move || {
        let (h, b) = (h.clone(), b.clone());
        App::new().default_service(web::to(move |body: web::Bytes| {
            let (h, b) = (h.clone(), b.clone());
            async move {
                h.fetch_add(1, Ordering::SeqCst);
                b.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&body).into_owned());
                HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    Receiver {
        inbox: Url::parse(&format!("http://localhost:{port}/inbox")).unwrap(),
        hits,
        bodies,
    }
}

/// `reader` follows @news on `publisher`.
pub async fn follow_news(reader: &TestApp, publisher: &TestApp) {
    munifed::service::follow::follow(
        &reader.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@{}", publisher.domain),
    )
    .await
    .unwrap();
    reader.deliver_all_pending().await;
    publisher.deliver_all_pending().await;
}

/// A news item titled `title`, published by the operator as `news`.
pub async fn publish_news(app: &TestApp, title: &str) -> db::posts::PostView {
    munifed::service::posts::create(
        &app.data(),
        &munifed::service::users::Staff::Operator,
        munifed::domain::post::PostKind::News,
        munifed::domain::post::PostInput {
            title: Some(title.to_string()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}
