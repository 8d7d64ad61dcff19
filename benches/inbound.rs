//! Inbound: signed `Create(Note)`s from 100 followed remote actors whose keys are stored,
//! sent by `wrk` (16 connections, outside the server's process) to the release server in
//! its own process; stored activities per second, and nothing lost (rows counted after).
//!
//!     cargo bench --bench inbound
//!     MUNIFED_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench inbound
//!
//! The requests are signed beforehand by this program and replayed once each by wrk.

mod common;

use std::{fmt::Write as _, sync::Arc};

use activitypub_federation::http_signatures::generate_actor_keypair;
use diesel::prelude::*;
use futures::StreamExt;
use munifed::{
    crypto::SigningKey,
    db::{self, follows::DbFollowForm},
    federation::{objects::actor::remote_actor_form, signatures::signed_post_request},
    service::accounts,
};
use url::Url;

use common::{
    environment, free_port, preparing, result, wrk_until, BenchDatabase, Profile, Server,
};

const ACTORS: usize = 100;
const ACTIVITIES: usize = 24_000;
const CONNECTIONS: usize = 16;
const THREADS: usize = 2;

/// Sends the requests of a file (`length\nrequest` each), every one once: thread `id` of
/// `THREADS` takes every THREADS-th; once its own are sent, it asks for `/healthz` until
/// the bench stops wrk (when every activity is stored).
const REPLAY: &str = r#"
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  local file = io.open("REQUESTS", "rb")
  local data = file:read("*a")
  file:close()
  requests = {}
  local position, n = 1, 0
  while position <= #data do
    local newline = data:find("\n", position, true)
    local length = tonumber(data:sub(position, newline - 1))
    if n % THREADS == id then
      table.insert(requests, data:sub(newline + 1, newline + length))
    end
    n = n + 1
    position = newline + 1 + length
  end
  -- wrk asks a thread for one request before it sends any (to check the script): that one
  -- is a copy of the first, sent again at most (the server counts an activity once).
  table.insert(requests, 1, requests[1])
  sent = 0
  done = wrk.format("GET", "/healthz")
end
function request()
  sent = sent + 1
  return requests[sent] or done
end
"#;

async fn stored(pool: &db::DbPool) -> anyhow::Result<i64> {
    Ok(db::run(pool, |conn| {
        use munifed::db::schema::remote_posts;
        Ok(remote_posts::table.count().get_result::<i64>(conn)?)
    })
    .await?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let database = BenchDatabase::new()?;
    let port = free_port()?;
    let env = environment(&database.url, port, &[]);
    let base = format!("http://localhost:{port}");

    // The database: 100 followed remote actors with their key (one key pair serves them
    // all: verifying costs the same), made by an instance that is not serving.
    let app = preparing(&env).await?;
    let data = app.data();
    let news = accounts::by_name(&data, "news").await?;
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

    // Every request signed now, written as wrk sends it.
    let inbox = Url::parse(&format!("{base}/inbox"))?;
    let now = std::time::SystemTime::now();
    let signed: Vec<anyhow::Result<reqwest::Request>> = futures::stream::iter(0..ACTIVITIES)
        .map(|n| {
            let (actor, key, inbox, http) = (
                ids[n % ACTORS].clone(),
                key.clone(),
                inbox.clone(),
                data.http.clone(),
            );
            async move {
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
                signed_post_request(
                    &http,
                    &inbox,
                    &Url::parse(&actor)?,
                    &key,
                    serde_json::to_vec(&note)?,
                    now,
                )
            }
        })
        .buffered(8)
        .collect()
        .await;
    drop(app);
    let mut file = Vec::new();
    for request in signed {
        let request = request?;
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .unwrap_or_default();
        let mut head = format!(
            "POST {} HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Length: {}\r\n",
            request.url().path(),
            body.len()
        );
        for (name, value) in request.headers() {
            let _ = write!(head, "{name}: {}\r\n", value.to_str()?);
        }
        head.push_str("\r\n");
        file.extend_from_slice(format!("{}\n", head.len() + body.len()).as_bytes());
        file.extend_from_slice(head.as_bytes());
        file.extend_from_slice(body);
    }
    let dir = tempfile::tempdir()?;
    let requests = dir.path().join("requests");
    std::fs::write(&requests, file)?;
    let script = REPLAY
        .replace("REQUESTS", &requests.display().to_string())
        .replace("THREADS", &THREADS.to_string());

    let server = Server::start(&env, port).await?;
    let threads = format!("-t{THREADS}");
    let connections = format!("-c{CONNECTIONS}");
    // wrk runs for a fixed time: the clock runs from the first stored row until every row is
    // stored, or until none came for five seconds (something was lost).
    let pool = db::open(&database.url, 1)?;
    let profile = Profile::start(&server, &format!("inbound-{}", database.backend()))?;
    // (rows, first rows seen and when, last change)
    let progress = Arc::new(std::sync::Mutex::new((
        0i64,
        None::<(i64, std::time::Instant)>,
        std::time::Instant::now(),
    )));
    let load = wrk_until(
        &[&threads, &connections, "-d600s", "--timeout", "10s"],
        &base,
        Some(&script),
        || {
            let (pool, progress) = (pool.clone(), progress.clone());
            async move {
                let rows = stored(&pool).await?;
                let now = std::time::Instant::now();
                let mut seen = progress.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
                if rows > 0 && seen.1.is_none() {
                    seen.1 = Some((rows, now));
                }
                if rows != seen.0 {
                    seen.0 = rows;
                    seen.2 = now;
                }
                let stalled = rows > 0 && now - seen.2 > std::time::Duration::from_secs(5);
                Ok(rows >= ACTIVITIES as i64 || stalled)
            }
        },
    )
    .await?;
    profile.stop()?;
    // The rows stored by the first look are not counted: their time is not known.
    let (counted, elapsed) = {
        let seen = progress.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        seen.1.map_or((0, f64::NAN), |(rows, first)| {
            (seen.0 - rows, (seen.2 - first).as_secs_f64())
        })
    };
    let rows = stored(&pool).await?;
    let load = common::Load {
        seconds: elapsed,
        ..load
    };
    let peak_rss = server.peak_rss_mib();
    let per_second = counted as f64 / load.seconds;
    let target = if database.backend() == "sqlite" {
        3_000.0
    } else {
        2_000.0
    };
    println!(
        "inbound ({}): {} signed Create(Note) from {ACTORS} actors over {CONNECTIONS} connections in {:.2} s: {per_second:.0} stored/s, {rows} rows, {} errors, p99 {:.1} ms, server peak RSS {:.1} MiB",
        database.backend(),
        load.requests,
        load.seconds,
        load.errors,
        load.p99_ms,
        peak_rss
    );
    if rows != ACTIVITIES as i64 || load.errors > 0 {
        let stored_ids: std::collections::HashSet<String> = db::run(&pool, |conn| {
            use munifed::db::schema::remote_posts;
            Ok(remote_posts::table
                .select(remote_posts::ap_id)
                .load::<String>(conn)?
                .into_iter()
                .collect())
        })
        .await?;
        let missing: Vec<String> = (0..ACTIVITIES)
            .map(|n| format!("{}/notes/{n}", ids[n % ACTORS]))
            .filter(|id| !stored_ids.contains(id))
            .take(5)
            .collect();
        println!(
            "LOST: {rows} of {ACTIVITIES} stored, {} errors; missing: {missing:?}",
            load.errors
        );
    }
    let flag = if rows == ACTIVITIES as i64 && load.errors == 0 {
        ""
    } else {
        " LOST OR ERRORS"
    };
    result(
        &format!("inbound, stored/s ({}){flag}", database.backend()),
        per_second,
        "/s",
        &format!("target {target:.0}"),
        Some(per_second / target),
    );
    result(
        &format!("inbound, rows lost ({})", database.backend()),
        (ACTIVITIES as i64 - rows) as f64,
        "rows",
        "0",
        None,
    );
    result(
        &format!("inbound, server peak RSS ({})", database.backend()),
        peak_rss,
        "MiB",
        "bounded",
        None,
    );
    Ok(())
}
