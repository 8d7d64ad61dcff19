//! The shared timeline's first page with 100,000 items, cached and uncached, as JSON and
//! HTML, next to `/healthz` of the same server as the ceiling: the release server in its
//! own process, the load from `wrk`.
//!
//!     cargo bench --bench timeline
//!     MUNIFED_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench timeline
//!
//! `wrk` (Debian's package) must be installed: `benches/run.sh` installs it.

mod common;

use std::time::Instant;

use munifed::{
    db::{self, remote_posts::DbRemotePostForm, timeline::DbEntryForm},
    federation::objects::actor::remote_actor_form,
};

use common::{
    environment, free_port, preparing, result, wrk, BenchDatabase, Load, Profile, Server,
};

const ITEMS: usize = 100_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let database = BenchDatabase::new()?;
    let port = free_port()?;
    let env = environment(&database.url, port, &[]);
    let base = format!("http://localhost:{port}");

    // The database, made by an instance that is not serving.
    let app = preparing(&env).await?;
    let data = app.data();
    let keys = activitypub_federation::http_signatures::generate_actor_keypair()?;
    let ap_id = "http://remote.localhost:9/users/author";
    let author = remote_actor_form(serde_json::from_value(serde_json::json!({
        "id": ap_id, "type": "Person", "preferredUsername": "author",
        "inbox": format!("{ap_id}/inbox"),
        "publicKey": { "id": format!("{ap_id}#main-key"), "owner": ap_id, "publicKeyPem": keys.public_key },
    }))?)
    .map_err(anyhow::Error::msg)?;
    // 100,000 timeline items, written directly in batches.
    let setup = Instant::now();
    db::run(&data.db, move |conn| {
        let author = db::actors::insert(conn, &author)?;
        let author = db::actors::by_id(conn, author)?;
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
                    let id = db::remote_posts::upsert(conn, &form)?.id;
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
        "timeline ({}): {ITEMS} items written in {:.1} s",
        database.backend(),
        setup.elapsed().as_secs_f64()
    );
    drop(app);

    let server = Server::start(&env, port).await?;
    for path in ["/healthz", "/api/v1/timeline", "/timeline"] {
        let response = reqwest::get(format!("{base}{path}")).await?;
        let status = response.status();
        if !status.is_success() {
            anyhow::bail!("{path} answers {status}: {}", response.text().await?);
        }
    }
    let load = ["-t2", "-c16", "-d5s"];
    let healthz = wrk(&load, &format!("{base}/healthz"), None)?;
    let cached = wrk(&load, &format!("{base}/api/v1/timeline"), None)?;
    let page = wrk(&load, &format!("{base}/timeline"), None)?;
    // Every request a different cursor: each one misses the cache. (LuaJIT's numbers are
    // doubles: the cursor is formatted as an integer, not as 1.78e+15.)
    let first = (db::now() - chrono::TimeDelta::days(30))
        .and_utc()
        .timestamp_micros();
    let script = format!(
        "request = function()\n  local at = {first} + math.random(1, {}) * 1000000\n  return wrk.format(nil, \"/api/v1/timeline?max_id=\" .. string.format(\"%.0f\", at) .. \"_999999999\")\nend\n",
        ITEMS * 20
    );
    let profile = Profile::start(
        &server,
        &format!("timeline-uncached-{}", database.backend()),
    )?;
    let uncached = wrk(&load, &base, Some(&script))?;
    profile.stop()?;
    println!(
        "{:<34} {:>10} {:>9} {:>10} {:>8}",
        "", "req/s", "p99 ms", "of healthz", "errors"
    );
    for (name, figures) in [
        ("/healthz (ceiling)", healthz),
        ("/api/v1/timeline, cached", cached),
        ("/timeline (HTML), cached", page),
        ("/api/v1/timeline, uncached", uncached),
    ] {
        let Load {
            per_second,
            p99_ms,
            errors,
            ..
        } = figures;
        println!(
            "{name:<34} {per_second:>10.0} {p99_ms:>9.2} {:>9.0}% {errors:>8}",
            per_second / healthz.per_second * 100.0
        );
    }
    let errors: u64 = [healthz, cached, page, uncached]
        .iter()
        .map(|load| load.errors)
        .sum();
    let backend = if errors == 0 {
        database.backend().to_string()
    } else {
        format!("{}, {errors} ERRORS", database.backend())
    };
    let ceiling = format!("healthz {:.0}/s, target 50%", healthz.per_second);
    for (name, figures) in [("API", cached), ("HTML", page)] {
        result(
            &format!("timeline {name} cached, req/s ({backend})"),
            figures.per_second,
            "/s",
            &ceiling,
            Some(figures.per_second / healthz.per_second),
        );
        result(
            &format!("timeline {name} cached, p99 ({backend})"),
            figures.p99_ms,
            "ms",
            "target 10",
            Some(figures.p99_ms / 10.0),
        );
    }
    result(
        &format!("timeline API uncached, p99 ({backend})"),
        uncached.p99_ms,
        "ms",
        "target 50",
        Some(uncached.p99_ms / 50.0),
    );
    result(
        &format!("timeline, server peak RSS ({backend})"),
        server.peak_rss_mib(),
        "MiB",
        "bounded",
        None,
    );
    Ok(())
}
