//! Pages and feeds, read back with independent parsers.

use serde_json::json;

use crate::{
    helpers::{spawn_app, TestApp},
    publishing::{api, call, event, news, token_for},
};

async fn get_text(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = app.http.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

/// An app with a news item, an open and a closed call, and an upcoming and a cancelled
/// past event.
async fn published_app() -> (TestApp, Vec<serde_json::Value>) {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let mut closed = call();
    closed["title"] = json!("Applications for the online course");
    closed["deadline"] = json!("2020-10-05T23:59:00");
    let mut past = event();
    past["title"] = json!("Webinar on housing");
    past["start"] = json!("2021-03-01T15:00:00");
    past["end"] = json!("2021-03-01T17:00:00");
    past["timezone"] = json!("Europe/Paris");
    past["status"] = json!("cancelled");
    past["topics"] = json!(["housing"]);
    let mut created = vec![];
    for (path, body) in [
        ("/api/v1/news", news()),
        ("/api/v1/calls", call()),
        ("/api/v1/calls", closed),
        ("/api/v1/events", event()),
        ("/api/v1/events", past),
    ] {
        let (status, post) =
            api(&app, reqwest::Method::POST, path, Some(&token), Some(&body)).await;
        assert_eq!(status, 201, "{post}");
        created.push(post);
    }
    (app, created)
}

#[tokio::test]
async fn atom_feeds_parse_and_carry_the_items() {
    let (app, created) = published_app().await;
    let (status, content_type, xml) = get_text(&app, "/news.atom").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/atom+xml"));
    let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
    assert_eq!(feed.entries.len(), 1);
    let entry = &feed.entries[0];
    assert_eq!(entry.id, created[0]["url"].as_str().unwrap());
    assert_eq!(
        entry.title.as_ref().unwrap().content,
        "Cities share resilience plans"
    );
    assert!(entry
        .content
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap()
        .contains("<strong>plans</strong>"));
    assert_eq!(entry.links[0].href, created[0]["url"].as_str().unwrap());

    let calls = feed_rs::parser::parse(get_text(&app, "/calls.atom").await.2.as_bytes()).unwrap();
    assert_eq!(calls.entries.len(), 2);
    let summaries: Vec<String> = calls
        .entries
        .iter()
        .map(|e| e.summary.as_ref().unwrap().content.clone())
        .collect();
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("Grant · deadline 5 October 2030, 23:59 (Africa/Nairobi)")),
        "{summaries:?}"
    );

    let topic =
        feed_rs::parser::parse(get_text(&app, "/topics/housing.atom").await.2.as_bytes()).unwrap();
    assert_eq!(topic.entries.len(), 1);
    assert_eq!(
        topic.entries[0].title.as_ref().unwrap().content,
        "Webinar on housing"
    );
}

fn property<'a>(component: &'a icalendar::parser::Component<'a>, name: &str) -> Option<String> {
    component
        .properties
        .iter()
        .find(|p| p.name.as_str() == name)
        .map(|p| p.val.as_str().to_string())
}

#[tokio::test]
async fn the_calendar_parses_with_zones_places_and_status() {
    let (app, created) = published_app().await;
    let (status, content_type, ics) = get_text(&app, "/events.ics").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/calendar"));
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let zones: Vec<String> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VTIMEZONE")
        .filter_map(|c| property(c, "TZID"))
        .collect();
    assert!(
        zones.contains(&"America/Montevideo".to_string())
            && zones.contains(&"Europe/Paris".to_string()),
        "{zones:?}"
    );
    let events: Vec<&icalendar::parser::Component> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), 2);
    let forum = events
        .iter()
        .find(|e| property(e, "SUMMARY").as_deref() == Some("World Forum"))
        .unwrap();
    assert_eq!(
        property(forum, "UID").unwrap(),
        created[3]["url"].as_str().unwrap()
    );
    assert_eq!(property(forum, "STATUS").as_deref(), Some("CONFIRMED"));
    assert_eq!(
        property(forum, "DTSTART").as_deref(),
        Some("20300502T090000")
    );
    let start = forum
        .properties
        .iter()
        .find(|p| p.name.as_str() == "DTSTART")
        .unwrap();
    assert!(start.params.iter().any(|p| p.key.as_str() == "TZID"
        && p.val.as_ref().map(|v| v.as_str()) == Some("America/Montevideo")));
    assert!(property(forum, "LOCATION").unwrap().contains("Montevideo"));
    assert_eq!(
        property(forum, "URL").unwrap(),
        created[3]["url"].as_str().unwrap()
    );
    let webinar = events
        .iter()
        .find(|e| property(e, "SUMMARY").as_deref() == Some("Webinar on housing"))
        .unwrap();
    assert_eq!(property(webinar, "STATUS").as_deref(), Some("CANCELLED"));

    // One event's calendar, with the same stable UID.
    let path = format!("/events/{}.ics", created[3]["id"]);
    let single = get_text(&app, &path).await.2;
    let unfolded = icalendar::parser::unfold(&single);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let event = calendar
        .components
        .iter()
        .find(|c| c.name.as_str() == "VEVENT")
        .unwrap();
    assert_eq!(
        property(event, "UID").unwrap(),
        created[3]["url"].as_str().unwrap()
    );
}

#[tokio::test]
async fn pages_list_open_and_closed_calls_upcoming_and_past_events() {
    let (app, _) = published_app().await;
    let (status, _, home) = get_text(&app, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains("Cities share resilience plans"));
    assert!(home.contains("Competitive call for innovation"));
    assert!(
        !home.contains("Applications for the online course"),
        "closed calls are not on the home page"
    );
    assert!(home.contains("World Forum"));
    assert!(home.contains(
        r#"<link rel="alternate" type="application/atom+xml" title="News" href="/news.atom">"#
    ));
    assert!(home.contains(r#"type="text/calendar""#));

    let open = get_text(&app, "/calls").await.2;
    assert!(open.contains("Competitive call") && !open.contains("online course"));
    let closed = get_text(&app, "/calls/closed").await.2;
    assert!(closed.contains("online course") && !closed.contains("Competitive call"));
    let upcoming = get_text(&app, "/events").await.2;
    assert!(upcoming.contains("World Forum") && !upcoming.contains("Webinar on housing"));
    assert!(upcoming.contains(r#"href="/events.ics""#));
    let past = get_text(&app, "/events/past").await.2;
    assert!(past.contains("Webinar on housing") && past.contains("CANCELLED"));
    let news = get_text(&app, "/news").await.2;
    assert!(news.contains(r#"href="/news.atom""#));
    let topic = get_text(&app, "/topics/housing").await.2;
    assert!(topic.contains("Webinar on housing") && !topic.contains("World Forum"));
    assert_eq!(get_text(&app, "/news?page=0").await.0, 400);
}

#[tokio::test]
async fn events_last_a_year_at_most_and_the_calendar_follows_every_change() {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let mut endless = event();
    endless["end"] = json!("9999-12-31T23:00:00");
    let (status, refused) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/events",
        Some(&token),
        Some(&endless),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        refused["fields"]["end"]
            .as_str()
            .unwrap()
            .contains("366 days"),
        "{refused}"
    );

    let (status, created) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/events",
        Some(&token),
        Some(&event()),
    )
    .await;
    assert_eq!(status, 201);
    let (_, _, first) = get_text(&app, "/events.ics").await;
    assert!(first.contains("SUMMARY:World Forum"), "{first}");
    // The calendar is cached between changes, and each change shows at once.
    let (_, _, again) = get_text(&app, "/events.ics").await;
    assert_eq!(
        first
            .lines()
            .filter(|l| !l.starts_with("DTSTAMP"))
            .collect::<Vec<_>>(),
        again
            .lines()
            .filter(|l| !l.starts_with("DTSTAMP"))
            .collect::<Vec<_>>()
    );
    let mut renamed = event();
    renamed["title"] = json!("World Forum, second edition");
    let path = format!("/api/v1/events/{}", created["id"]);
    let (status, _) = api(
        &app,
        reqwest::Method::PUT,
        &path,
        Some(&token),
        Some(&renamed),
    )
    .await;
    assert_eq!(status, 200);
    let (_, _, changed) = get_text(&app, "/events.ics").await;
    assert!(
        changed.contains("SUMMARY:World Forum\\, second edition"),
        "{changed}"
    );
    let (status, _) = api(&app, reqwest::Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(status, 204);
    let (_, _, emptied) = get_text(&app, "/events.ics").await;
    assert!(!emptied.contains("BEGIN:VEVENT"), "{emptied}");
}
