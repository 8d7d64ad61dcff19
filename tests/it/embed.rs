//! Lists for municipal websites: framed only by the allowed origins, readable by their
//! scripts only (CORS), upcoming and open items only, per topic.

use serde_json::{json, Value};

use crate::{
    helpers::spawn_app_with,
    publishing::{api, call, event, token_for},
};

const CITY: &str = "https://www.city.example";

#[tokio::test]
async fn events_and_calls_are_embedded_by_allowed_websites_only() {
    let app = spawn_app_with(&[(
        "MUNIFED__EMBED__ALLOWED_ORIGINS",
        "https://www.city.example, https://tourism.city.example",
    )])
    .await;
    let token = token_for(&app, "editor").await;
    let mut later = event();
    later["title"] = json!("Harvest festival");
    later["start"] = json!("2031-09-20T10:00:00");
    later["end"] = json!("2031-09-20T18:00:00");
    later["topics"] = json!(["culture"]);
    let mut past = event();
    past["title"] = json!("Last year's forum");
    past["start"] = json!("2021-03-01T15:00:00");
    past["end"] = json!("2021-03-01T17:00:00");
    let mut closed = call();
    closed["title"] = json!("Closed grant");
    closed["deadline"] = json!("2020-10-05T23:59:00");
    for (path, body) in [
        ("/api/v1/events", later),
        ("/api/v1/events", event()),
        ("/api/v1/events", past),
        ("/api/v1/calls", call()),
        ("/api/v1/calls", closed),
    ] {
        let (status, post) =
            api(&app, reqwest::Method::POST, path, Some(&token), Some(&body)).await;
        assert_eq!(status, 201, "{post}");
    }

    // The frame: allowed origins may show it, and only they.
    let page = app.http.get(app.url("/embed/events")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("frame-ancestors https://www.city.example https://tourism.city.example"),
        "{csp}"
    );
    assert!(page.headers().get("x-frame-options").is_none());
    let html = page.text().await.unwrap();
    // Upcoming only, soonest first; links leave the frame.
    let (forum, festival) = (
        html.find("World Forum").unwrap(),
        html.find("Harvest festival").unwrap(),
    );
    assert!(forum < festival, "{html}");
    assert!(!html.contains("Last year"));
    assert!(html.contains(r#"<base target="_blank">"#));
    // The public pages stay unframeable.
    let home = app.http.get(app.url("/events")).send().await.unwrap();
    let csp = home.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");

    let calls = app.http.get(app.url("/embed/calls")).send().await.unwrap();
    let html = calls.text().await.unwrap();
    assert!(
        html.contains("small grants") && !html.contains("Closed grant"),
        "{html}"
    );

    let topic = app
        .http
        .get(app.url("/embed/events?topic=Culture"))
        .send()
        .await
        .unwrap();
    let html = topic.text().await.unwrap();
    assert!(
        html.contains("Harvest festival") && !html.contains("World Forum"),
        "{html}"
    );

    // The JSON: CORS for allowed origins only.
    let get_json = |path: &'static str, origin: Option<&'static str>| {
        let mut request = app.http.get(app.url(path));
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        request.send()
    };
    let allowed = get_json("/embed/events.json?limit=1", Some(CITY))
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(allowed.headers()["access-control-allow-origin"], CITY);
    assert_eq!(allowed.headers()["vary"], "Origin");
    let body: Value = allowed.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["title"], "World Forum");
    assert_eq!(items[0]["type"], "event");

    let other = get_json("/embed/calls.json", Some("https://elsewhere.example"))
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let body: Value = other.json().await.unwrap();
    assert_eq!(body["items"].as_array().unwrap().len(), 1);

    // Bad input is refused plainly.
    for path in [
        "/embed/events?limit=0",
        "/embed/events.json?limit=500",
        "/embed/calls?topic=%20%21",
        "/embed/events?limit=many",
    ] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 400, "{path}");
    }
}

#[tokio::test]
async fn without_allowed_origins_nothing_may_frame_or_read_the_lists() {
    let app = spawn_app_with(&[]).await;
    let page = app.http.get(app.url("/embed/calls")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let json = app
        .http
        .get(app.url("/embed/events.json"))
        .header("Origin", CITY)
        .send()
        .await
        .unwrap();
    assert!(json.headers().get("access-control-allow-origin").is_none());
}
