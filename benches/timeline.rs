//! Listening: inbound signed `Create(Note)`s from 100 remote actors whose keys are cached,
//! stored per second; then the shared timeline's first page with 100,000 items, cached and
//! uncached, next to `/healthz` of the same server as the ceiling (load from `wrk`).
//!
//!     cargo bench --bench timeline
//!     MUNIFED_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/munifed_bench cargo bench --bench timeline
//!
//! `wrk` (Debian's package) must be installed: `benches/run.sh` installs it.

use std::{process::Command, sync::Arc, time::Instant};

use activitypub_federation::http_signatures::generate_actor_keypair;
use diesel::prelude::*;
use futures::StreamExt;
use munifed::{
    config::Settings,
    crypto::SigningKey,
    db::{self, follows::DbFollowForm, remote_posts::DbRemotePostForm, timeline::DbEntryForm},
    federation::{objects::actor::remote_actor_form, signatures::signed_post_request},
    service::accounts,
    Application,
};
use url::Url;

const ACTORS: usize = 100;
const ACTIVITIES: usize = 4_000;
const CONNECTIONS: usize = 16;
const ITEMS: usize = 100_000;

async fn count_remote_posts(data: &munifed::state::AppState) -> anyhow::Result<i64> {
    Ok(db::run(&data.db, |conn| {
        use munifed::db::schema::remote_posts;
        Ok(remote_posts::table.count().get_result::<i64>(conn)?)
    })
    .await?)
}

/// Requests per second, p99 latency (ms) and non-2xx answers from `wrk` against `url` (a
/// Lua script varies the path when `script` is given).
fn wrk(url: &str, script: Option<&str>) -> anyhow::Result<(f64, f64, u64)> {
    let mut command = Command::new("wrk");
    command.args(["-t2", "-c16", "-d5s", "--latency"]);
    let dir = tempfile::tempdir()?;
    if let Some(script) = script {
        let path = dir.path().join("script.lua");
        std::fs::write(&path, script)?;
        command.arg("-s").arg(path);
    }
    let output = command.arg(url).output()?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| anyhow::anyhow!("no figures from wrk: {text}"))?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| v.trim().to_string())
        .ok_or_else(|| anyhow::anyhow!("no latency from wrk: {text}"))?;
    let ms = if let Some(us) = p99.strip_suffix("us") {
        us.parse::<f64>()? / 1000.0
    } else if let Some(ms) = p99.strip_suffix("ms") {
        ms.parse::<f64>()?
    } else if let Some(s) = p99.strip_suffix('s') {
        s.parse::<f64>()? * 1000.0
    } else {
        anyhow::bail!("latency {p99}")
    };
    let errors = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    Ok((rps, ms, errors))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let database = std::env::var("MUNIFED_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let media = dir.path().join("media").display().to_string();
    let settings = Settings::load_with_env(
        None,
        [
            ("MUNIFED__SERVER__BIND", "127.0.0.1:0"),
            ("MUNIFED__INSTANCE__DOMAIN", "localhost:0"),
            ("MUNIFED__FEDERATION__DEV_MODE", "true"),
            ("MUNIFED__FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true"),
            ("MUNIFED__DELIVERY__WORKER", "false"),
            ("MUNIFED__DATABASE__URL", database.as_str()),
            ("MUNIFED__MEDIA__PATH", media.as_str()),
            ("MUNIFED__LOG__LEVEL", "warn"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string())),
    )?;
    let app = Application::build(settings).await?;
    let port = app.port();
    let data = app.data();
    tokio::spawn(app.run_until_stopped());
    let base = format!("http://localhost:{port}");
    let news = accounts::by_name(&data, "news").await?;

    // 100 followed remote actors, stored with their key (one key pair serves them all:
    // verification costs the same).
    let keys = generate_actor_keypair()?;
    let key = Arc::new(SigningKey::from_pem(&keys.private_key)?);
    let mut actors = vec![];
    for n in 0..ACTORS {
        let ap_id = format!("http://remote{n}.localhost:9/users/u{n}");
        let document = serde_json::json!({
            "id": ap_id, "type": "Person", "preferredUsername": format!("u{n}"),
            "inbox": format!("{ap_id}/inbox"),
            "publicKey": { "id": format!("{ap_id}#main-key"), "owner": ap_id, "publicKeyPem": keys.public_key },
        });
        actors.push(
            remote_actor_form(serde_json::from_value(document)?).map_err(anyhow::Error::msg)?,
        );
    }
    let ids: Vec<String> = actors.iter().map(|a| a.ap_id.clone()).collect();
    db::run(&data.db, move |conn| {
        let now = db::now();
        for form in &actors {
            let id = db::actors::insert(conn, form)?;
            db::follows::insert_or_refresh(
                conn,
                &DbFollowForm {
                    follower_id: news.id,
                    followee_id: id,
                    activity_id: &format!("{}#followed", form.ap_id),
                    state: db::follows::ACCEPTED,
                    created_at: now,
                    updated_at: now,
                },
            )?;
        }
        Ok(())
    })
    .await?;

    // Pre-signed requests, so that the load measures the server.
    let inbox = Url::parse(&format!("{base}/inbox"))?;
    let mut requests = Vec::with_capacity(ACTIVITIES);
    let now = std::time::SystemTime::now();
    for n in 0..ACTIVITIES {
        let actor = &ids[n % ACTORS];
        let note = serde_json::json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}/activities/{n}"),
            "type": "Create",
            "actor": actor,
            "object": {
                "id": format!("{actor}/notes/{n}"),
                "type": "Note",
                "attributedTo": actor,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "content": format!("<p>Note {n} with a <a href=\"https://example.org\">link</a> and #tag</p>"),
                "published": "2026-11-30T10:00:00Z",
            },
        });
        requests.push(
            signed_post_request(
                &data.http,
                &inbox,
                &Url::parse(actor)?,
                key.clone(),
                serde_json::to_vec(&note)?,
                now,
            )
            .await?,
        );
    }
    let client = data.http.clone();
    let start = Instant::now();
    let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    futures::stream::iter(requests)
        .for_each_concurrent(CONNECTIONS, |request| {
            let (client, accepted) = (client.clone(), accepted.clone());
            async move {
                if let Ok(response) = client.execute(request).await {
                    if response.status().as_u16() == 202 {
                        accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
        })
        .await;
    let elapsed = start.elapsed().as_secs_f64();
    let stored = count_remote_posts(&data).await?;
    println!(
        "inbound: {ACTIVITIES} signed Create(Note) from {ACTORS} actors, {CONNECTIONS} connections: {:.0} stored/s ({} accepted, {stored} rows)",
        stored as f64 / elapsed,
        accepted.load(std::sync::atomic::Ordering::Relaxed)
    );

    // 100,000 timeline items, written directly in batches.
    let setup = Instant::now();
    let author = ids[0].clone();
    db::run(&data.db, move |conn| {
        let author = db::actors::by_ap_id(conn, &author)?.ok_or(diesel::NotFound)?;
        let start = db::now() - chrono::TimeDelta::days(30);
        for batch in 0..(ITEMS / 1_000) {
            db::write_transaction(conn, |conn| {
                for n in 0..1_000 {
                    let i = batch * 1_000 + n;
                    let published = start + chrono::TimeDelta::seconds(i as i64 * 20);
                    let form = DbRemotePostForm {
                        ap_id: format!("{}/bulk/{i}", author.ap_id),
                        actor_id: author.id,
                        object_type: "Note".into(),
                        name: String::new(),
                        summary: String::new(),
                        content: format!("<p>Bulk item {i} for the timeline benchmark.</p>"),
                        language: Some(if i % 3 == 0 { "fr" } else { "en" }.into()),
                        url: None,
                        start_time: None,
                        end_time: None,
                        published,
                        updated: published,
                        received_at: published,
                        kind: "note".into(),
                        sensitive: false,
                        in_reply_to: None,
                        details: "{}".into(),
                    };
                    let (id, _) = db::remote_posts::upsert(conn, &form)?;
                    let entry = DbEntryForm {
                        entry_key: db::timeline::remote_key(id),
                        post_id: None,
                        remote_post_id: Some(id),
                        author_id: author.id,
                        boosted_by: None,
                        kind: "note".into(),
                        language: form.language.clone(),
                        domain: author.domain.clone(),
                        local: false,
                        published,
                        starts_at: None,
                        ends_at: None,
                        deadline_at: None,
                    };
                    db::timeline::upsert(conn, &entry, &[])?;
                }
                Ok::<_, munifed::error::AppError>(())
            })?;
        }
        Ok(())
    })
    .await?;
    println!(
        "timeline: {ITEMS} items written in {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    for path in ["/healthz", "/api/v1/timeline", "/timeline"] {
        let response = reqwest::get(format!("{base}{path}")).await?;
        let status = response.status();
        if !status.is_success() {
            anyhow::bail!("{path} answers {status}: {}", response.text().await?);
        }
    }
    let healthz = wrk(&format!("{base}/healthz"), None)?;
    let cached = wrk(&format!("{base}/api/v1/timeline"), None)?;
    let page = wrk(&format!("{base}/timeline"), None)?;
    // Every request a different cursor: each one misses the cache. (LuaJIT's numbers are
    // doubles: the cursor is formatted as an integer, not as 1.78e+15.)
    let first = (db::now() - chrono::TimeDelta::days(30))
        .and_utc()
        .timestamp_micros();
    let script = format!(
        "request = function()\n  local at = {first} + math.random(1, {}) * 1000000\n  return wrk.format(nil, \"/api/v1/timeline?max_id=\" .. string.format(\"%.0f\", at) .. \"_999999999\")\nend\n",
        ITEMS * 20
    );
    let uncached = wrk(&base, Some(&script))?;
    println!(
        "{:<34} {:>10} {:>9} {:>10} {:>8}",
        "", "req/s", "p99 ms", "of healthz", "non-2xx"
    );
    for (name, (rps, p99, errors)) in [
        ("/healthz (ceiling)", healthz),
        ("/api/v1/timeline, cached", cached),
        ("/timeline (HTML), cached", page),
        ("/api/v1/timeline, uncached", uncached),
    ] {
        println!(
            "{name:<34} {rps:>10.0} {p99:>9.2} {:>9.0}% {errors:>8}",
            rps / healthz.0 * 100.0
        );
    }
    Ok(())
}
