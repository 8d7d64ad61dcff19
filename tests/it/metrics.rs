//! Prometheus metrics on `metrics.bind`: the text format, and counters that move with the
//! requests, activities and deliveries they count.

use std::collections::BTreeMap;

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

const METRICS: &[(&str, &str)] = &[("MUNIFED__METRICS__BIND", "127.0.0.1:0")];

/// One sample: its name, labels and value.
type Sample = (String, BTreeMap<String, String>, f64);

/// Reads a sample line of the Prometheus text format (version 0.0.4) strictly: a metric
/// name, optional labels with quoted, escaped values, and a float.
fn parse_sample(line: &str) -> Option<Sample> {
    let is_name = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let name_end = line.find(['{', ' '])?;
    let name = &line[..name_end];
    if !is_name(name) {
        return None;
    }
    let mut labels = BTreeMap::new();
    let mut rest = &line[name_end..];
    if let Some(mut inside) = rest.strip_prefix('{') {
        loop {
            if let Some(after) = inside.strip_prefix('}') {
                rest = after;
                break;
            }
            let eq = inside.find('=')?;
            let label = &inside[..eq];
            if !is_name(label) {
                return None;
            }
            let mut chars = inside[eq + 1..].strip_prefix('"')?.char_indices();
            let mut value = String::new();
            let end = loop {
                match chars.next()? {
                    (i, '"') => break i,
                    (_, '\\') => match chars.next()?.1 {
                        'n' => value.push('\n'),
                        c @ ('\\' | '"') => value.push(c),
                        _ => return None,
                    },
                    (_, c) => value.push(c),
                }
            };
            labels.insert(label.to_string(), value);
            inside = &inside[eq + 1..][end + 2..];
            inside = inside.strip_prefix(',').unwrap_or(inside);
        }
    }
    let value = match rest.strip_prefix(' ')? {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        "NaN" => f64::NAN,
        number => number.parse().ok()?,
    };
    Some((name.to_string(), labels, value))
}

/// Scrapes the instance; every line must be a comment or a well-formed sample.
async fn scrape(app: &TestApp) -> Vec<Sample> {
    let url = app.metrics.clone().expect("metrics.bind is set");
    let response = app.http.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    text.lines()
        .filter(|line| !line.is_empty())
        .filter(|line| {
            let comment = line.starts_with("# HELP ") || line.starts_with("# TYPE ");
            assert!(comment || !line.starts_with('#'), "{line:?}");
            !comment
        })
        .map(|line| parse_sample(line).unwrap_or_else(|| panic!("not Prometheus text: {line:?}")))
        .collect()
}

/// The value of the one sample named `metric` whose labels include `labels` (0 if none).
fn value(scrape: &[Sample], metric: &str, labels: &[(&str, &str)]) -> f64 {
    let matching: Vec<f64> = scrape
        .iter()
        .filter(|(name, have, _)| {
            name == metric
                && labels
                    .iter()
                    .all(|(k, v)| have.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|(_, _, value)| *value)
        .collect();
    assert!(matching.len() <= 1, "{metric} {labels:?}: {matching:?}");
    matching.first().copied().unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_are_off_by_default_and_never_on_the_public_address() {
    let app = spawn_app().await;
    assert!(app.metrics.is_none());
    let public = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404);

    let app = spawn_app_with(METRICS).await;
    let public = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404);
    let metrics = app.metrics.clone().unwrap();
    assert_ne!(metrics.port(), app.base.port());
}

#[tokio::test]
async fn requests_activities_and_deliveries_move_their_counters() {
    let publisher = spawn_app_with(METRICS).await;
    let reader = spawn_app_with(METRICS).await;
    let healthz = [("route", "/healthz"), ("method", "GET"), ("status", "200")];
    let before = scrape(&publisher).await;
    for _ in 0..3 {
        let response = publisher
            .http
            .get(publisher.url("/healthz"))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
    }
    // A scanner's paths share one label value.
    for path in ["/wp-login.php", "/.env"] {
        let response = publisher
            .http
            .get(publisher.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }
    let unsigned = publisher
        .http
        .post(publisher.url("/inbox"))
        .header("Content-Type", "application/activity+json")
        .body(r#"{"type":"Follow"}"#)
        .send()
        .await
        .unwrap();
    assert!(unsigned.status().is_client_error());

    let after = scrape(&publisher).await;
    let moved = |metric: &str, labels: &[(&str, &str)]| {
        value(&after, metric, labels) - value(&before, metric, labels)
    };
    assert_eq!(moved("munifed_http_requests_total", &healthz), 3.0);
    assert_eq!(
        moved(
            "munifed_http_requests_total",
            &[("route", "unmatched"), ("status", "404")]
        ),
        2.0
    );
    assert_eq!(
        moved(
            "munifed_http_request_duration_seconds_count",
            &[("route", "/healthz")]
        ),
        3.0
    );
    assert_eq!(
        moved(
            "munifed_inbox_activities_total",
            &[("type", "unknown"), ("outcome", "refused")]
        ),
        1.0
    );
    assert_eq!(value(&after, "munifed_db_pool_max_connections", &[]), 4.0);
    assert!(value(&after, "munifed_db_pool_connections", &[]) >= 1.0);

    // The reader's Follow reaches the publisher's inbox; its Accept waits in the queue.
    munifed::service::follow::follow(
        &reader.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@{}", publisher.domain),
    )
    .await
    .unwrap();
    assert_eq!(
        value(&scrape(&reader).await, "munifed_delivery_queue_depth", &[]),
        1.0
    );
    assert_eq!(reader.deliver_all_pending().await, 1);
    let reader_scrape = scrape(&reader).await;
    assert_eq!(
        value(&reader_scrape, "munifed_delivery_queue_depth", &[]),
        0.0
    );
    assert_eq!(
        value(
            &reader_scrape,
            "munifed_deliveries_total",
            &[("outcome", "delivered")]
        ),
        1.0
    );
    assert_eq!(
        value(
            &reader_scrape,
            "munifed_delivery_duration_seconds_count",
            &[("domain", &publisher.domain)]
        ),
        1.0
    );
    let published = scrape(&publisher).await;
    assert_eq!(
        value(
            &published,
            "munifed_inbox_activities_total",
            &[("type", "Follow"), ("outcome", "accepted")]
        ),
        1.0
    );
    assert_eq!(value(&published, "munifed_delivery_queue_depth", &[]), 1.0);
    // Looking the follower up went through the actor cache.
    assert!(
        value(
            &published,
            "munifed_cache_hits_total",
            &[("cache", "actors")]
        ) + value(
            &published,
            "munifed_cache_misses_total",
            &[("cache", "actors")]
        ) > 0.0
    );
}
