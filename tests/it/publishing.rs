//! Publishing news, calls and events through the API, and what followers receive.

use munifed::service::{follow, users};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_pair, spawn_receiver, TestApp};

/// A user with `role` (an editor of the `news` account) and an API token for it.
pub async fn token_for(app: &TestApp, role: &str) -> String {
    let email = format!("{role}@city.example");
    users::create(
        &app.data(),
        &users::Staff::Operator,
        &email,
        role,
        "a long enough password",
    )
    .await
    .unwrap();
    if role == "editor" {
        users::grant_account(&app.data(), &users::Staff::Operator, &email, "news")
            .await
            .unwrap();
    }
    users::create_token(&app.data(), &users::Staff::Operator, &email, None)
        .await
        .unwrap()
}

pub async fn api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = app.http.request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn remote_post(
    app: &TestApp,
    ap_id: &str,
) -> Option<munifed::db::remote_posts::DbRemotePost> {
    let ap_id = ap_id.to_string();
    munifed::db::run(&app.data().db, move |conn| {
        Ok(munifed::db::remote_posts::by_ap_id(conn, &ap_id)?)
    })
    .await
    .unwrap()
}

pub fn news() -> Value {
    json!({
        "title": "Cities share resilience plans",
        "summary": "Twelve member cities published their plans.",
        "body": "Read the **plans** on [our site](https://city.example/plans). #Resilience",
        "language": "en",
        "topics": ["SDGs", "local finance"],
        "translations": {
            "fr": { "title": "Les villes partagent leurs plans", "summary": "Douze villes.", "body": "Lisez les *plans*." },
            "es": { "title": "Las ciudades comparten sus planes", "body": "Lea los planes." }
        },
        "image_url": "https://city.example/plans.png",
        "image_alt": "A map of the member cities"
    })
}

pub fn call() -> Value {
    json!({
        "title": "Competitive call for innovation: small grants",
        "summary": "Small grants for cities of the Greater Horn of Africa.",
        "body": "Applications are open.",
        "kind": "grant",
        "deadline": "2030-10-05T23:59:00",
        "timezone": "Africa/Nairobi",
        "eligibility": "Member cities",
        "apply_url": "https://city.example/apply",
        "topics": ["migration"]
    })
}

pub fn event() -> Value {
    json!({
        "title": "World Forum",
        "summary": "The network meets in Montevideo.",
        "body": "Two days of sessions.",
        "start": "2030-05-02T09:00:00",
        "end": "2030-05-03T18:00:00",
        "timezone": "America/Montevideo",
        "location": {
            "name": "Palacio Municipal", "street": "Av. 18 de Julio 1360", "postal_code": "11200",
            "locality": "Montevideo", "country": "Uruguay", "latitude": -34.9055, "longitude": -56.1851
        },
        "online_url": "https://meet.city.example/forum",
        "registration_url": "https://city.example/register",
        "status": "scheduled"
    })
}

#[tokio::test]
async fn the_api_requires_a_token_and_a_publishing_role() {
    let app = spawn_app().await;
    let (status, _) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        None,
        Some(&news()),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some("not-a-token"),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 401);
    let moderator = token_for(&app, "moderator").await;
    let (status, _) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&moderator),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 403);
    let editor = token_for(&app, "editor").await;
    let (status, created) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&editor),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    // A moderator may read.
    let (status, list) = api(
        &app,
        reqwest::Method::GET,
        "/api/v1/news",
        Some(&moderator),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn responses_carry_every_field_with_offsets() {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let (status, news) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 201, "{news}");
    assert_eq!(
        news["url"],
        app.url(&format!("/news/{}", news["id"])).as_str()
    );
    assert_eq!(news["type"], "news");
    assert_eq!(news["account"], "news");
    assert_eq!(
        news["topics"],
        json!(["localfinance", "resilience", "sdgs"])
    );
    assert_eq!(
        news["translations"]["fr"]["title"],
        "Les villes partagent leurs plans"
    );
    assert!(news["body_html"]
        .as_str()
        .unwrap()
        .contains("<strong>plans</strong>"));

    let (status, call) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/calls",
        Some(&token),
        Some(&call()),
    )
    .await;
    assert_eq!(status, 201, "{call}");
    assert_eq!(call["kind"], "grant");
    assert_eq!(call["deadline"], "2030-10-05T23:59:00+03:00");
    assert_eq!(call["timezone"], "Africa/Nairobi");
    assert_eq!(call["open"], true);

    let (status, event) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/events",
        Some(&token),
        Some(&event()),
    )
    .await;
    assert_eq!(status, 201, "{event}");
    assert_eq!(event["start"], "2030-05-02T09:00:00-03:00");
    assert_eq!(event["end"], "2030-05-03T18:00:00-03:00");
    assert_eq!(event["location"]["locality"], "Montevideo");
    assert_eq!(event["status"], "scheduled");

    let path = format!("/api/v1/events/{}", event["id"]);
    let (status, mut read) = api(&app, reqwest::Method::GET, &path, Some(&token), None).await;
    assert_eq!(status, 200);
    // Reading one post adds what the network did with it.
    assert_eq!(
        read["counts"],
        json!({ "replies": 0, "likes": 0, "shares": 0 })
    );
    assert_eq!(read["replies"], json!([]));
    let fields = read.as_object_mut().unwrap();
    fields.remove("counts");
    fields.remove("replies");
    assert_eq!(read, event);
    assert_eq!(
        app.get_json("/nodeinfo/2.1").await["usage"]["localPosts"],
        3
    );
    // A post is found only under its own kind.
    let (status, _) = api(
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/news/{}", event["id"]),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn invalid_input_gets_422_naming_each_field_and_changes_nothing() {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let receiver = spawn_receiver(202).await;
    let _ = receiver; // no follower: nothing may be queued either
    let before = app.snapshot().await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/api/v1/news", json!({ "title": "" }), "title"),
        ("/api/v1/news", json!({ "title": "x".repeat(201) }), "title"),
        (
            "/api/v1/news",
            json!({ "title": "t", "image_url": "javascript:alert(1)", "image_alt": "x" }),
            "image_url",
        ),
        (
            "/api/v1/news",
            json!({ "title": "t", "language": "english!" }),
            "language",
        ),
        (
            "/api/v1/news",
            json!({ "title": "t", "account": "nobody" }),
            "account",
        ),
        (
            "/api/v1/calls",
            {
                let mut c = call();
                c.as_object_mut().unwrap().remove("deadline");
                c
            },
            "deadline",
        ),
        (
            "/api/v1/calls",
            {
                let mut c = call();
                c["kind"] = json!("lottery");
                c
            },
            "kind",
        ),
        (
            "/api/v1/calls",
            {
                let mut c = call();
                c["apply_url"] = json!("not a url");
                c
            },
            "apply_url",
        ),
        (
            "/api/v1/events",
            {
                let mut e = event();
                e["end"] = json!("2030-05-01T09:00:00");
                e
            },
            "end",
        ),
        (
            "/api/v1/events",
            {
                let mut e = event();
                e["timezone"] = json!("Mars/Olympus_Mons");
                e
            },
            "timezone",
        ),
        (
            "/api/v1/events",
            {
                let mut e = event();
                e["location"]["latitude"] = json!(123.0);
                e
            },
            "location.latitude",
        ),
        (
            "/api/v1/events",
            {
                let mut e = event();
                e["status"] = json!("maybe");
                e
            },
            "status",
        ),
        (
            "/api/v1/news",
            json!({ "title": "t", "topics": "not a list" }),
            "body",
        ),
    ];
    for (path, body, field) in cases {
        let (status, response) =
            api(&app, reqwest::Method::POST, path, Some(&token), Some(&body)).await;
        assert_eq!(status, 422, "{path} {body}: {response}");
        assert!(
            response["fields"].get(field).is_some(),
            "{field} not named in {response}"
        );
    }
    let (status, _) = app
        .http
        .post(app.url("/api/v1/news"))
        .bearer_auth(&token)
        .body("{ not json")
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 400);
    assert_eq!(app.snapshot().await, before);
    assert_eq!(app.deliver_all_pending().await, 0);
}

#[tokio::test]
async fn objects_have_the_fields_peers_expect() {
    let app = spawn_app().await;
    let token = token_for(&app, "admin").await;
    let (_, news) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&news()),
    )
    .await;
    let (_, call) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/calls",
        Some(&token),
        Some(&call()),
    )
    .await;
    let (_, event) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/events",
        Some(&token),
        Some(&event()),
    )
    .await;
    let followers = app.url("/users/news/followers").to_string();

    let article = app
        .get_activity_json(&format!("/news/{}", news["id"]))
        .await;
    let context = article["@context"].as_array().unwrap();
    assert_eq!(context[0], "https://www.w3.org/ns/activitystreams");
    assert_eq!(context[1], "https://w3id.org/security/v1");
    assert!(
        context[2..].iter().all(Value::is_object),
        "only inline definitions"
    );
    assert_eq!(article["type"], "Article");
    assert_eq!(article["id"], news["url"]);
    assert_eq!(article["attributedTo"], app.url("/users/news").as_str());
    assert_eq!(
        article["to"],
        json!(["https://www.w3.org/ns/activitystreams#Public"])
    );
    assert_eq!(article["cc"], json!([followers]));
    assert_eq!(article["name"], "Cities share resilience plans");
    let content_languages: Vec<&String> =
        article["contentMap"].as_object().unwrap().keys().collect();
    assert_eq!(
        content_languages,
        ["en", "es", "fr"],
        "primary language first"
    );
    assert_eq!(article["nameMap"]["fr"], "Les villes partagent leurs plans");
    assert!(article["summaryMap"]["en"].is_string());
    let tags: Vec<&str> = article["tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["#localfinance", "#resilience", "#sdgs"]);
    assert_eq!(article["tag"][0]["type"], "Hashtag");
    assert_eq!(
        article["tag"][0]["href"],
        app.url("/topics/localfinance").as_str()
    );
    assert_eq!(article["image"]["name"], "A map of the member cities");

    let call_object = app
        .get_activity_json(&format!("/calls/{}", call["id"]))
        .await;
    assert_eq!(call_object["type"], "Article");
    assert_eq!(call_object["callKind"], "grant");
    assert_eq!(call_object["deadline"], "2030-10-05T23:59:00+03:00");
    assert_eq!(call_object["endTime"], call_object["deadline"]);
    assert_eq!(call_object["applyUrl"], "https://city.example/apply");
    let summary = call_object["summary"].as_str().unwrap();
    assert!(
        summary.contains("Grant")
            && summary.contains("5 October 2030, 23:59")
            && summary.contains("Africa/Nairobi"),
        "{summary}"
    );

    let event_object = app
        .get_activity_json(&format!("/events/{}", event["id"]))
        .await;
    assert_eq!(event_object["type"], "Event");
    assert_eq!(event_object["startTime"], "2030-05-02T09:00:00-03:00");
    assert_eq!(event_object["endTime"], "2030-05-03T18:00:00-03:00");
    assert_eq!(event_object["timezone"], "America/Montevideo");
    let place = &event_object["location"][0];
    assert_eq!(place["type"], "Place");
    assert_eq!(place["name"], "Palacio Municipal");
    assert_eq!(place["address"]["type"], "PostalAddress");
    assert_eq!(place["address"]["addressLocality"], "Montevideo");
    assert_eq!(place["address"]["postalCode"], "11200");
    assert_eq!(place["latitude"], -34.9055);
    assert_eq!(event_object["location"][1]["type"], "VirtualLocation");
    assert_eq!(event_object["joinMode"], "external");
    assert_eq!(
        event_object["externalParticipationUrl"],
        "https://city.example/register"
    );
    assert_eq!(event_object["ical:status"], "CONFIRMED");
    let summary = event_object["summary"].as_str().unwrap();
    assert!(
        summary.contains("2 May 2030, 09:00") && summary.contains("Montevideo"),
        "{summary}"
    );

    // The same URL is a page for browsers.
    let page = app
        .http
        .get(app.url(&format!("/events/{}", event["id"])))
        .send()
        .await
        .unwrap();
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("World Forum") && html.contains("America/Montevideo"),
        "{html}"
    );
    let calendar = format!(
        r#"<link rel="alternate" type="text/calendar" href="{}.ics">"#,
        event["url"].as_str().unwrap()
    );
    assert!(html.contains(&calendar), "{html}");
    let french = app
        .http
        .get(app.url(&format!("/news/{}?lang=fr", news["id"])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(french.contains("Les villes partagent leurs plans"));
}

#[tokio::test]
async fn notes_instead_of_articles_when_configured() {
    let app = crate::helpers::spawn_app_with(&[("MUNIFED__FEDERATION__PUBLISH_AS", "note")]).await;
    let token = token_for(&app, "editor").await;
    let (_, call) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/calls",
        Some(&token),
        Some(&call()),
    )
    .await;
    let note = app
        .get_activity_json(&format!("/calls/{}", call["id"]))
        .await;
    assert_eq!(note["type"], "Note");
    assert!(note.get("summary").is_none() && note.get("name").is_none());
    let content = note["content"].as_str().unwrap();
    assert!(
        content
            .starts_with("<p><strong>Competitive call for innovation: small grants</strong></p>"),
        "{content}"
    );
    assert!(
        content.contains("deadline 5 October 2030, 23:59"),
        "{content}"
    );
    assert!(
        content.contains(&format!(r#"href="{}""#, call["url"].as_str().unwrap())),
        "{content}"
    );
}

#[tokio::test]
async fn scripts_never_reach_pages_or_objects() {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let hostile = json!({
        "title": "<script>alert('title')</script>Hostile",
        "summary": "<img src=x onerror=alert(1)>",
        "body": "<script>alert(1)</script>\n\n[click](javascript:alert(1))\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<p onclick=\"alert(1)\">para</p>"
    });
    let (status, created) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&hostile),
    )
    .await;
    assert_eq!(status, 201);
    let path = format!("/news/{}", created["id"]);
    let object = app.get_activity_json(&path).await;
    let page = app
        .http
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for text in [
        object["content"].as_str().unwrap(),
        created["body_html"].as_str().unwrap(),
    ] {
        for bad in ["<script", "javascript:", "<iframe", "onclick", "onerror"] {
            assert!(!text.contains(bad), "{bad} in {text}");
        }
    }
    // Titles and summaries are text: their markup shows escaped, never as tags.
    for bad in [
        "<script>alert",
        "javascript:",
        "<iframe",
        "onclick=\"",
        "<img src=x",
    ] {
        assert!(!page.contains(bad), "{bad} in page");
    }
    assert!(
        page.contains("img src=x onerror=alert(1)"),
        "the summary shows as text"
    );
}

#[tokio::test]
async fn followers_get_create_update_and_delete_and_the_url_turns_410() {
    let (alpha, beta) = spawn_pair().await;
    follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@{}", alpha.domain),
    )
    .await
    .unwrap();
    beta.deliver_all_pending().await;
    alpha.deliver_all_pending().await;
    let token = token_for(&alpha, "editor").await;

    // A news item and a call arrive as Articles, with their deadline in words.
    for (path, body, title) in [
        ("/api/v1/news", news(), "Cities share resilience plans"),
        (
            "/api/v1/calls",
            call(),
            "Competitive call for innovation: small grants",
        ),
    ] {
        let (status, created) = api(
            &alpha,
            reqwest::Method::POST,
            path,
            Some(&token),
            Some(&body),
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(alpha.deliver_all_pending().await, 1);
        let stored = remote_post(&beta, created["url"].as_str().unwrap())
            .await
            .expect("stored");
        assert_eq!(stored.object_type, "Article");
        assert_eq!(stored.name, title);
        assert_eq!(stored.language.as_deref(), Some("en"));
        if path.ends_with("calls") {
            assert!(
                stored.summary.contains("deadline 5 October 2030"),
                "{}",
                stored.summary
            );
        }
    }

    let (_, created) = api(
        &alpha,
        reqwest::Method::POST,
        "/api/v1/events",
        Some(&token),
        Some(&event()),
    )
    .await;
    assert_eq!(
        alpha.deliver_all_pending().await,
        1,
        "one Create to beta's shared inbox"
    );
    let url = created["url"].as_str().unwrap().to_string();
    let stored = remote_post(&beta, &url)
        .await
        .expect("beta stored the event");
    assert_eq!(stored.object_type, "Event");
    assert_eq!(stored.name, "World Forum");
    assert_eq!(
        stored.start_time.as_deref(),
        Some("2030-05-02T09:00:00-03:00")
    );
    assert!(stored.content.contains("Two days of sessions."));
    let mut changed = event();
    changed["status"] = json!("cancelled");
    let path = format!("/api/v1/events/{}", created["id"]);
    let (status, updated) = api(
        &alpha,
        reqwest::Method::PUT,
        &path,
        Some(&token),
        Some(&changed),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["status"], "cancelled");
    assert_eq!(alpha.deliver_all_pending().await, 1, "one Update");
    let stored = remote_post(&beta, &url).await.unwrap();
    assert!(
        stored.summary.starts_with("CANCELLED"),
        "{}",
        stored.summary
    );
    let (status, _) = api(&alpha, reqwest::Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(status, 204);
    assert_eq!(alpha.deliver_all_pending().await, 1, "one Delete");
    let stored = remote_post(&beta, &url).await.unwrap();
    assert!(stored.deleted_at.is_some() && stored.content.is_empty());

    let gone = alpha
        .http
        .get(created["url"].as_str().unwrap())
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 410);
    let tombstone: Value = gone.json().await.unwrap();
    assert_eq!(tombstone["type"], "Tombstone");
    assert_eq!(tombstone["formerType"], "Event");
    let (status, _) = api(&alpha, reqwest::Method::GET, &path, Some(&token), None).await;
    assert_eq!(status, 410);
    let page = alpha
        .http
        .get(created["url"].as_str().unwrap())
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 410);
    assert!(page.text().await.unwrap().contains("This post was deleted"));

    // The outbox keeps the Delete (a Tombstone) and the live posts' Creates; nothing of
    // the deleted event's Create and Update is served any more.
    let outbox = alpha.get_activity_json("/users/news/outbox?page=1").await;
    let kinds: Vec<&str> = outbox["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Delete", "Create", "Create"]);
    assert_eq!(outbox["totalItems"], 3);
    let served = outbox.to_string();
    assert!(!served.contains("World Forum") && !served.contains("Two days of sessions"));
}

#[tokio::test]
async fn a_post_deleted_before_its_create_was_delivered_is_never_sent() {
    let (alpha, beta) = spawn_pair().await;
    follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@{}", alpha.domain),
    )
    .await
    .unwrap();
    beta.deliver_all_pending().await;
    alpha.deliver_all_pending().await;
    let token = token_for(&alpha, "editor").await;
    let (status, created) = api(
        &alpha,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&json!({ "title": "Sent by mistake", "body": "Private draft", "language": "en" })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let path = format!("/api/v1/news/{}", created["id"]);
    let (status, _) = api(&alpha, reqwest::Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(status, 204);
    // Only the Delete goes out: the Create still waiting in the queue is withdrawn.
    assert_eq!(alpha.deliver_all_pending().await, 1);
    let url = created["url"].as_str().unwrap();
    assert!(remote_post(&beta, url).await.is_none());
    let outbox = alpha.get_activity_json("/users/news/outbox?page=1").await;
    assert!(!outbox.to_string().contains("Private draft"), "{outbox}");
}

#[tokio::test]
async fn posts_of_actors_nobody_follows_are_not_stored() {
    let (alpha, beta) = spawn_pair().await;
    let token = token_for(&alpha, "editor").await;
    // Beta follows alpha's instance actor? No: nobody on beta follows alpha.
    let (_, created) = api(
        &alpha,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&news()),
    )
    .await;
    let object = alpha
        .get_activity_json(
            created["url"]
                .as_str()
                .unwrap()
                .trim_start_matches(alpha.base.as_str()),
        )
        .await;
    let create = json!({
        "id": alpha.url("/activities/unsolicited").to_string(),
        "type": "Create",
        "actor": alpha.url("/users/news").to_string(),
        "object": object,
    });
    let response = beta
        .post_signed_as(
            &alpha,
            &alpha.url("/users/news"),
            "/inbox",
            &create,
            std::time::SystemTime::now(),
        )
        .await;
    assert_eq!(response.status(), 202);
    assert!(remote_post(&beta, created["url"].as_str().unwrap())
        .await
        .is_none());

    // Nor one claiming another instance: nobody here follows its sender, so it is not
    // even fetched from there (tests/it/timeline.rs fetches it for a followed sender).
    let mut forged = create.clone();
    forged["id"] = json!(alpha.url("/activities/forged").to_string());
    forged["object"]["id"] = json!("https://elsewhere.example/notes/1");
    let response = beta
        .post_signed_as(
            &alpha,
            &alpha.url("/users/news"),
            "/inbox",
            &forged,
            std::time::SystemTime::now(),
        )
        .await;
    assert_eq!(response.status(), 202);
    assert!(remote_post(&beta, "https://elsewhere.example/notes/1")
        .await
        .is_none());
}

/// Makes every insert into the outgoing activities fail, as a full disk or a lost
/// connection would between saving a post and queueing its activity.
async fn break_the_queue(app: &TestApp) {
    munifed::db::run(&app.data().db, |conn| {
        use diesel::connection::SimpleConnection;
        let sql = match conn {
            munifed::db::AnyConnection::Sqlite(_) => {
                "CREATE TRIGGER fail_queue BEFORE INSERT ON outgoing_activities \
                 BEGIN SELECT RAISE(ABORT, 'queue unavailable'); END;"
            }
            munifed::db::AnyConnection::Postgresql(_) => {
                "CREATE FUNCTION fail_queue() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'queue unavailable'; END $$ LANGUAGE plpgsql; \
                 CREATE TRIGGER fail_queue BEFORE INSERT ON outgoing_activities \
                 FOR EACH ROW EXECUTE FUNCTION fail_queue();"
            }
        };
        conn.batch_execute(sql)?;
        Ok(())
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_post_is_saved_only_with_its_activity() {
    let (alpha, beta) = spawn_pair().await;
    follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@{}", alpha.domain),
    )
    .await
    .unwrap();
    beta.deliver_all_pending().await;
    alpha.deliver_all_pending().await;
    let token = token_for(&alpha, "editor").await;
    let (status, created) = api(
        &alpha,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let before = alpha.snapshot().await;
    break_the_queue(&alpha).await;

    // Publishing, editing and deleting each fail as a whole: nothing is saved that the
    // followers would never hear about.
    let (status, _) = api(
        &alpha,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&json!({ "title": "Unsent", "body": "x", "language": "en" })),
    )
    .await;
    assert_eq!(status, 500);
    let path = format!("/api/v1/news/{}", created["id"]);
    let mut changed = news();
    changed["title"] = json!("Changed but unsent");
    let (status, _) = api(
        &alpha,
        reqwest::Method::PUT,
        &path,
        Some(&token),
        Some(&changed),
    )
    .await;
    assert_eq!(status, 500);
    let (status, _) = api(&alpha, reqwest::Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(status, 500);
    assert_eq!(alpha.snapshot().await, before);
    let (status, read) = api(&alpha, reqwest::Method::GET, &path, Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(read["title"], created["title"]);
    let (_, list) = api(
        &alpha,
        reqwest::Method::GET,
        "/api/v1/news",
        Some(&token),
        None,
    )
    .await;
    assert!(!list.to_string().contains("Unsent"), "{list}");
}

#[tokio::test]
async fn editors_publish_only_as_their_accounts_and_tokens_expire() {
    let app = spawn_app().await;
    let data = app.data();
    munifed::service::accounts::create(
        &data,
        &munifed::service::users::Staff::Operator,
        munifed::service::accounts::NewAccount {
            name: "culture".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let editor = token_for(&app, "editor").await; // given "news" only
    let admin = token_for(&app, "admin").await;
    let mut as_culture = news();
    as_culture["account"] = json!("culture");
    let (status, refused) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&editor),
        Some(&as_culture),
    )
    .await;
    assert_eq!(status, 403, "{refused}");
    let (status, theirs) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&admin),
        Some(&as_culture),
    )
    .await;
    assert_eq!(status, 201, "{theirs}");
    let path = format!("/api/v1/news/{}", theirs["id"]);
    let mut changed = as_culture.clone();
    changed["title"] = json!("Taken over");
    let (status, _) = api(
        &app,
        reqwest::Method::PUT,
        &path,
        Some(&editor),
        Some(&changed),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = api(&app, reqwest::Method::DELETE, &path, Some(&editor), None).await;
    assert_eq!(status, 403);
    let (status, ours) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&editor),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 201, "{ours}");
    // Once "news" is taken back, the editor may not publish as it either.
    users::revoke_account(
        &data,
        &users::Staff::Operator,
        "editor@city.example",
        "news",
    )
    .await
    .unwrap();
    let (status, _) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&editor),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 403);
    assert!(users::revoke_account(
        &data,
        &users::Staff::Operator,
        "editor@city.example",
        "news"
    )
    .await
    .is_err());

    // A token that expired is refused; a revoked one too.
    munifed::db::run(&data.db, |conn| {
        use diesel::QueryDsl;
        use diesel::{ExpressionMethods, RunQueryDsl};
        use munifed::db::schema::{api_tokens, users as staff};
        let editor_id: i64 = staff::table
            .filter(staff::email.eq("editor@city.example"))
            .select(staff::id)
            .first(conn)?;
        diesel::update(api_tokens::table.filter(api_tokens::user_id.eq(editor_id)))
            .set(
                api_tokens::expires_at.eq(Some(munifed::db::now() - chrono::TimeDelta::minutes(1))),
            )
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
    let (status, _) = api(
        &app,
        reqwest::Method::GET,
        "/api/v1/news",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, 401);
    let listed = users::tokens(&data, &users::Staff::Operator).await.unwrap();
    assert_eq!(listed.len(), 2);
    let admin_token = listed
        .iter()
        .find(|t| t.email == "admin@city.example")
        .unwrap();
    users::revoke_token(&data, &users::Staff::Operator, admin_token.id)
        .await
        .unwrap();
    let (status, _) = api(
        &app,
        reqwest::Method::GET,
        "/api/v1/news",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 401);
}
