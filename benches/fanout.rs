//! Fan-out: twenty posts, each delivered to 10,000 followers behind 1,000 distinct shared inboxes
//! (loopback receivers in this process that answer 202) by the release server in its own
//! process, its delivery worker running; next to the machine's signing ceiling: RSA-2048
//! signatures per second on every core, the faster of OpenSSL's (`openssl speed -multi`)
//! and aws-lc's (what munifed signs with).
//!
//!     cargo bench --bench fanout
//!     MUNIFED_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench fanout
//!
//! Prints the time from publishing to an empty queue, deliveries per second, their ratio to
//! the ceiling, and the server's peak RSS.

mod common;

use std::{
    process::Command,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use actix_web::{web, App, HttpResponse, HttpServer};
use diesel::prelude::*;
use munifed::{
    db::{self, follows::DbFollowForm},
    federation::objects::actor::remote_actor_form,
    service::{accounts, users},
};

use common::{
    cpu_seconds, environment, free_port, preparing, result, BenchDatabase, Profile, Server,
};

const FOLLOWERS: usize = 10_000;
const INBOXES: usize = 1_000;
const RECEIVER_SERVERS: usize = 20;
/// Posts published one after the other, so that the rate is a steady one.
const POSTS: usize = 20;

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

/// RSA-2048 signatures per second on every core, as OpenSSL makes them.
fn openssl_signatures_per_second() -> anyhow::Result<f64> {
    let cores = std::thread::available_parallelism()?.get().to_string();
    let output = Command::new("openssl")
        .args(["speed", "-seconds", "3", "-multi", &cores, "rsa2048"])
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    // "rsa 2048 bits 0.000331s 0.000009s   3021.1 110000.0"
    text.lines()
        .rev()
        .filter(|line| line.contains("2048 bits"))
        .filter_map(|line| {
            let numbers: Vec<f64> = line
                .split_whitespace()
                .filter(|word| !word.ends_with('s'))
                .filter_map(|word| word.parse().ok())
                .collect();
            // 2048, then sign/s and verify/s.
            numbers.get(1).copied()
        })
        .next()
        .ok_or_else(|| anyhow::anyhow!("no figures from openssl speed: {text}"))
}

/// RSA-2048 signatures per second on every core as munifed makes them (aws-lc), each core
/// signing for three seconds.
fn aws_lc_signatures_per_second() -> anyhow::Result<f64> {
    let keypair = activitypub_federation::http_signatures::generate_actor_keypair()?;
    let key = Arc::new(munifed::crypto::SigningKey::from_pem(&keypair.private_key)?);
    let cores = std::thread::available_parallelism()?.get();
    let until = Instant::now() + Duration::from_secs(3);
    let threads: Vec<_> = (0..cores)
        .map(|_| {
            let key = key.clone();
            std::thread::spawn(move || {
                let mut signed = 0_u32;
                while Instant::now() < until {
                    let _ = key.sign(b"(request-target): post /inbox\nhost: city.example");
                    signed += 1;
                }
                signed
            })
        })
        .collect();
    let mut signed = 0;
    for thread in threads {
        signed += thread
            .join()
            .map_err(|_| anyhow::anyhow!("a signing thread panicked"))?;
    }
    Ok(f64::from(signed) / 3.0)
}

async fn count(pool: &db::DbPool, state: &'static str) -> anyhow::Result<i64> {
    Ok(db::run(pool, move |conn| {
        use munifed::db::schema::deliveries;
        Ok(deliveries::table
            .filter(deliveries::state.eq(state))
            .count()
            .get_result::<i64>(conn)?)
    })
    .await?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let database = BenchDatabase::new()?;
    let port = free_port()?;
    let concurrency = std::env::var("MUNIFED_BENCH_CONCURRENCY").unwrap_or_else(|_| "16".into());
    let env = environment(
        &database.url,
        port,
        &[
            ("MUNIFED__DELIVERY__WORKER", "true"),
            ("MUNIFED__DELIVERY__CONCURRENCY", concurrency.as_str()),
        ],
    );
    let hits = Arc::new(AtomicUsize::new(0));
    let ports = spawn_receivers(hits.clone()).await?;

    // The database, made by an instance that is not serving: the followers (made by the
    // same conversion as fetched actor documents) and an editor's API token.
    let setup = Instant::now();
    let app = preparing(&env).await?;
    let data = app.data();
    let news = accounts::by_name(&data, "news").await?;
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
        db::write_transaction(conn, |conn| {
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
            Ok::<_, munifed::error::AppError>(())
        })
    })
    .await?;
    let email = "editor@bench.example";
    users::create(
        &data,
        &users::Staff::Operator,
        email,
        "editor",
        "a long enough password",
    )
    .await?;
    users::grant_account(&data, &users::Staff::Operator, email, "news").await?;
    let token = users::create_token(&data, &users::Staff::Operator, email, None).await?;
    drop(app);
    println!(
        "setup: {FOLLOWERS} followers over {INBOXES} shared inboxes in {:.1} s",
        setup.elapsed().as_secs_f64()
    );

    let server = Server::start(&env, port).await?;
    let profile = Profile::start(&server, &format!("fanout-{}", database.backend()))?;
    let start = Instant::now();
    let (server_cpu, bench_cpu) = (server.cpu_seconds(), cpu_seconds("self"));
    for n in 0..POSTS {
        let published = reqwest::Client::new()
            .post(format!("{}/api/v1/news", server.base))
            .bearer_auth(&token)
            .json(&serde_json::json!({
                "title": format!("Fan-out benchmark {n}"),
                "summary": "One post to every follower.",
                "body": "A body of **some** length. #benchmark ".repeat(10),
            }))
            .send()
            .await?;
        if !published.status().is_success() {
            anyhow::bail!("publishing answered {}", published.status());
        }
    }
    let queued = start.elapsed();
    // The worker sends while this waits for the queue to empty: for every inbox to have
    // heard, then for the last outcomes to be recorded (counting pending rows all along
    // would take a core from the server under test).
    let expected = (POSTS * INBOXES) as i64;
    let pool = db::open(&database.url, 1)?;
    while (hits.load(Ordering::Relaxed) as i64) < expected
        && start.elapsed() < Duration::from_secs(600)
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    while count(&pool, "pending").await? > 0 {
        if start.elapsed() > Duration::from_secs(600) {
            anyhow::bail!("deliveries still pending after ten minutes");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let elapsed = start.elapsed();
    let server_cores = (server.cpu_seconds() - server_cpu) / elapsed.as_secs_f64();
    let bench_cores = (cpu_seconds("self") - bench_cpu) / elapsed.as_secs_f64();
    profile.stop()?;
    let sent = count(&pool, "delivered").await?;
    let delivered = hits.load(Ordering::Relaxed);
    let per_second = sent as f64 / elapsed.as_secs_f64();
    let flag = if sent == expected && delivered as i64 == expected {
        ""
    } else {
        println!("MISMATCH: {expected} expected, {sent} delivered, {delivered} received");
        " MISMATCH"
    };
    // The ceiling is the faster of the two, measured right after the run (other tenants of
    // a shared machine make both move from minute to minute).
    let openssl = openssl_signatures_per_second()?;
    let aws_lc = aws_lc_signatures_per_second()?;
    let ceiling = openssl.max(aws_lc);
    let backend = database.backend();
    println!(
        "fan-out ({backend}): publish to empty queue {:.2} s (publishing {:.0} ms); {sent} delivered, {delivered} received; {per_second:.0} deliveries/s (concurrency {concurrency}); server peak RSS {:.1} MiB",
        elapsed.as_secs_f64(),
        queued.as_secs_f64() * 1000.0,
        server.peak_rss_mib()
    );
    println!(
        "cores busy: server {server_cores:.2}, receivers {bench_cores:.2} (of {})",
        std::thread::available_parallelism()?
    );
    println!(
        "RSA-2048 signatures per second on every core: OpenSSL {openssl:.0}, aws-lc {aws_lc:.0}"
    );
    result(
        &format!("fan-out, deliveries/s ({backend}){flag}"),
        per_second,
        "/s",
        &format!("signing {ceiling:.0}/s, target 80%"),
        Some(per_second / ceiling),
    );
    result(
        &format!("fan-out, server peak RSS ({backend})"),
        server.peak_rss_mib(),
        "MiB",
        "bounded",
        None,
    );
    Ok(())
}
