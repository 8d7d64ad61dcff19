//! Fan-out: one post delivered to 10,000 followers behind 1,000 distinct shared inboxes
//! (loopback receivers that answer 202), and the signing path's ceiling.
//!
//!     cargo bench --bench fanout
//!     MUNIFED_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/munifed_bench cargo bench --bench fanout
//!
//! Prints the time from publishing to an empty queue, deliveries per second, peak RSS of
//! this process (the instance and the receivers together), and signatures per second.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Instant,
};

use actix_web::{web, App, HttpResponse, HttpServer};
use munifed::{
    config::Settings,
    db::{self, follows::DbFollowForm},
    domain::post::{PostInput, PostKind},
    federation::{delivery, objects::actor::remote_actor_form},
    service::{accounts, posts, users::Staff},
    Application,
};
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};

const FOLLOWERS: usize = 10_000;
const INBOXES: usize = 1_000;
const RECEIVER_SERVERS: usize = 20;

fn peak_rss_kib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string())
        })
        .unwrap_or_else(|| "?".into())
}

async fn spawn_receivers(hits: Arc<AtomicUsize>) -> anyhow::Result<Vec<u16>> {
    let mut ports = vec![];
    for _ in 0..RECEIVER_SERVERS {
        let hits = hits.clone();
        let server = HttpServer::new(move || {
            let hits = hits.clone();
            App::new().default_service(web::to(move |_body: web::Bytes| {
                let hits = hits.clone();
                async move {
                    hits.fetch_add(1, Ordering::Relaxed);
                    HttpResponse::Accepted().finish()
                }
            }))
        })
        .workers(1)
        .bind("127.0.0.1:0")?;
        ports.push(server.addrs()[0].port());
        tokio::spawn(server.run());
    }
    Ok(ports)
}

fn signatures_per_second() -> anyhow::Result<f64> {
    let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048)?;
    let message = "x".repeat(300);
    let rounds = 500;
    let start = Instant::now();
    for _ in 0..rounds {
        key.sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(message.as_bytes()),
        )?;
    }
    Ok(f64::from(rounds) / start.elapsed().as_secs_f64())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let database = std::env::var("MUNIFED_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let concurrency = std::env::var("MUNIFED_BENCH_CONCURRENCY").unwrap_or_else(|_| "16".into());
    let settings = Settings::load_with_env(
        None,
        [
            ("MUNIFED__SERVER__BIND", "127.0.0.1:0"),
            ("MUNIFED__INSTANCE__DOMAIN", "localhost:0"),
            ("MUNIFED__FEDERATION__DEV_MODE", "true"),
            ("MUNIFED__FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true"),
            ("MUNIFED__DELIVERY__WORKER", "false"),
            ("MUNIFED__DELIVERY__CONCURRENCY", concurrency.as_str()),
            ("MUNIFED__DATABASE__URL", database.as_str()),
            ("MUNIFED__LOG__LEVEL", "warn"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string())),
    )?;
    let app = Application::build(settings).await?;
    let data = app.data();
    tokio::spawn(app.run_until_stopped());

    let hits = Arc::new(AtomicUsize::new(0));
    let ports = spawn_receivers(hits.clone()).await?;
    let news = accounts::by_name(&data, "news").await?;
    let setup = Instant::now();
    // Followers made by the same conversion as fetched actor documents.
    let mut followers = Vec::with_capacity(FOLLOWERS);
    for n in 0..FOLLOWERS {
        let inbox = n % INBOXES;
        let host = format!("localhost:{}", ports[inbox % RECEIVER_SERVERS]);
        let ap_id = format!("http://{host}/users/{n}");
        let document = serde_json::json!({
            "id": ap_id,
            "type": "Person",
            "preferredUsername": format!("u{n}"),
            "inbox": format!("{ap_id}/inbox"),
            "endpoints": { "sharedInbox": format!("http://{host}/inbox/{inbox}") },
            "publicKey": {
                "id": format!("{ap_id}#main-key"),
                "owner": ap_id,
                "publicKeyPem": "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
            },
        });
        followers.push(
            remote_actor_form(serde_json::from_value(document)?).map_err(anyhow::Error::msg)?,
        );
    }
    db::run(&data.db, move |conn| {
        use diesel::Connection;
        conn.transaction::<_, munifed::error::AppError, _>(|conn| {
            let now = db::now();
            for form in &followers {
                let id = db::actors::insert(conn, form)?;
                db::follows::insert_or_refresh(
                    conn,
                    &DbFollowForm {
                        follower_id: id,
                        followee_id: news.id,
                        activity_id: &format!("{}#follow", form.ap_id),
                        state: db::follows::ACCEPTED,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
            }
            Ok(())
        })
    })
    .await?;
    println!(
        "setup: {FOLLOWERS} followers over {INBOXES} shared inboxes in {:.1} s",
        setup.elapsed().as_secs_f64()
    );

    let start = Instant::now();
    let input = PostInput {
        title: Some("Fan-out benchmark".into()),
        summary: Some("One post to every follower.".into()),
        body: Some("A body of **some** length. #benchmark".repeat(10)),
        ..PostInput::default()
    };
    posts::create(&data, &Staff::Operator, PostKind::News, input).await?;
    let queued = start.elapsed();
    let sent = delivery::drain(&data).await?;
    let elapsed = start.elapsed();
    let delivered = hits.load(Ordering::Relaxed);
    println!(
        "publish to empty queue: {:.2} s (queueing {:.0} ms); {sent} deliveries attempted, {delivered} received; {:.0} deliveries/s (concurrency {concurrency})",
        elapsed.as_secs_f64(),
        queued.as_secs_f64() * 1000.0,
        sent as f64 / elapsed.as_secs_f64()
    );
    println!("peak RSS (instance and receivers): {} KiB", peak_rss_kib());
    println!(
        "RSA-2048 signatures per second, one core: {:.0}",
        signatures_per_second()?
    );
    Ok(())
}
