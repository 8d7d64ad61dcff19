//! What Mastodon and other servers need to find and trust an instance.

use crate::helpers::{accepted_follow, remote_actor, spawn_app};

#[tokio::test]
async fn webfinger_answers_for_accounts_and_refuses_bad_resources() {
    let app = spawn_app().await;
    let get = |query: String| {
        let http = app.http.clone();
        let url = app.url(&format!("/.well-known/webfinger{query}"));
        async move { http.get(url).send().await.unwrap() }
    };

    let response = get(format!("?resource=acct:news@{}", app.domain)).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/jrd+json"));
    let jrd: serde_json::Value = response.json().await.unwrap();
    assert_eq!(jrd["subject"], format!("acct:news@{}", app.domain));
    let links = jrd["links"].as_array().unwrap();
    let self_link = links.iter().find(|l| l["rel"] == "self").unwrap();
    assert_eq!(self_link["type"], "application/activity+json");
    assert_eq!(self_link["href"], app.url("/users/news").as_str());
    assert!(links
        .iter()
        .any(|l| l["rel"] == "http://webfinger.net/rel/profile-page"));

    // The actor URL as resource, and Mastodon's letter case tolerance.
    let by_url = get(format!("?resource={}", app.url("/users/news"))).await;
    assert_eq!(by_url.status(), 200);
    assert_eq!(
        get(format!("?resource=acct:NEWS@{}", app.domain))
            .await
            .status(),
        200
    );
    // The instance actor.
    let instance = get(format!("?resource=acct:munifed.internal@{}", app.domain)).await;
    assert_eq!(instance.status(), 200);

    assert_eq!(get(String::new()).await.status(), 400);
    assert_eq!(get("?resource=".into()).await.status(), 400);
    assert_eq!(get("?resource=nonsense".into()).await.status(), 400);
    assert_eq!(
        get(format!("?resource=acct:nobody@{}", app.domain))
            .await
            .status(),
        404
    );
    assert_eq!(
        get("?resource=acct:news@other.example".into())
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn actor_json_has_what_mastodon_requires() {
    let app = spawn_app().await;
    let actor = app.get_activity_json("/users/news").await;
    let id = app.url("/users/news").to_string();
    assert_eq!(actor["id"], id);
    assert_eq!(actor["type"], "Organization");
    assert_eq!(actor["preferredUsername"], "news");
    assert_eq!(actor["name"], "munifed");
    for (field, path) in [
        ("inbox", "/users/news/inbox"),
        ("outbox", "/users/news/outbox"),
        ("followers", "/users/news/followers"),
        ("following", "/users/news/following"),
        ("url", "/@news"),
    ] {
        assert_eq!(actor[field], app.url(path).as_str(), "{field}");
    }
    assert_eq!(
        actor["endpoints"]["sharedInbox"],
        app.url("/inbox").as_str()
    );
    assert_eq!(actor["publicKey"]["id"], format!("{id}#main-key"));
    assert_eq!(actor["publicKey"]["owner"], id);
    assert!(actor["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PUBLIC KEY-----"));
    assert_eq!(actor["manuallyApprovesFollowers"], false);
    assert_eq!(actor["discoverable"], true);
    assert!(actor["published"].as_str().unwrap().ends_with('Z'));
    let context = actor["@context"].as_array().unwrap();
    assert_eq!(context[0], "https://www.w3.org/ns/activitystreams");
    assert_eq!(context[1], "https://w3id.org/security/v1");
    // Every other context entry is an inline definition, never a URL of ours.
    assert!(context[2..].iter().all(|c| c.is_object()));
    assert_eq!(
        context[2]["manuallyApprovesFollowers"],
        "as:manuallyApprovesFollowers"
    );
    assert_eq!(context[2]["PropertyValue"], "schema:PropertyValue");

    // The ld+json form of the Accept header gets JSON too; a browser gets the page.
    let ld = app
        .http
        .get(app.url("/users/news"))
        .header(
            "Accept",
            r#"application/ld+json; profile="https://www.w3.org/ns/activitystreams""#,
        )
        .send()
        .await
        .unwrap();
    assert!(ld.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/activity+json"));
    let page = app
        .http
        .get(app.url("/users/news"))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page.text().await.unwrap().contains("@news@"));

    assert_eq!(
        app.http
            .get(app.url("/users/nobody"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn the_profile_page_links_the_website_with_rel_me() {
    let app = spawn_app().await;
    munifed::service::accounts::create(
        &app.data(),
        &munifed::service::users::Staff::Operator,
        munifed::service::accounts::NewAccount {
            name: "montevideo".into(),
            display_name: Some("Intendencia <Montevideo>".into()),
            summary: Some("World forum host.\n\nSecond paragraph".into()),
            website: Some("https://montevideo.example/".into()),
            contact: Some("forum@montevideo.example".into()),
            icon_url: Some("https://montevideo.example/logo.png?v=2".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let html = app
        .http
        .get(app.url("/@montevideo"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<link rel="me" href="https://montevideo.example/">"#),
        "{html}"
    );
    assert!(
        html.contains("Intendencia &#60;Montevideo&#62;")
            || html.contains("Intendencia &lt;Montevideo&gt;"),
        "{html}"
    );
    assert!(!html.contains("<Montevideo>"));
    let actor = app.get_activity_json("/users/montevideo").await;
    let fields = actor["attachment"].as_array().unwrap();
    assert_eq!(fields[0]["type"], "PropertyValue");
    assert_eq!(fields[0]["name"], "Website");
    assert!(fields[0]["value"]
        .as_str()
        .unwrap()
        .contains(r#"rel="nofollow noopener noreferrer me""#));
    assert_eq!(fields[1]["value"], "forum@montevideo.example");
    assert_eq!(actor["icon"]["type"], "Image");
    assert_eq!(
        actor["icon"]["url"],
        "https://montevideo.example/logo.png?v=2"
    );
    assert_eq!(actor["icon"]["mediaType"], "image/png");
    assert!(actor.get("image").is_none());
}

#[tokio::test]
async fn instance_actor_is_fetchable_without_a_signature() {
    let app = spawn_app().await;
    let actor = app.get_activity_json("/actor").await;
    assert_eq!(actor["type"], "Application");
    assert_eq!(actor["id"], app.url("/actor").as_str());
    assert_eq!(actor["inbox"], app.url("/actor/inbox").as_str());
    assert!(actor["publicKey"]["publicKeyPem"].is_string());
}

#[tokio::test]
async fn nodeinfo_host_meta_and_health() {
    let app = spawn_app().await;
    let links = app.get_json("/.well-known/nodeinfo").await;
    let hrefs: Vec<&str> = links["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert_eq!(
        hrefs,
        [
            app.url("/nodeinfo/2.0").as_str(),
            app.url("/nodeinfo/2.1").as_str()
        ]
    );
    for version in ["2.0", "2.1"] {
        let info = app.get_json(&format!("/nodeinfo/{version}")).await;
        assert_eq!(info["version"], version);
        assert_eq!(info["software"]["name"], "munifed");
        assert_eq!(info["protocols"], serde_json::json!(["activitypub"]));
        assert_eq!(info["openRegistrations"], false);
        assert_eq!(info["usage"]["users"]["total"], 1);
        assert!(info["usage"]["localPosts"].is_number());
        assert!(info["metadata"]["nodeName"].is_string());
    }
    assert_eq!(
        app.http
            .get(app.url("/nodeinfo/9.9"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let host_meta = app
        .http
        .get(app.url("/.well-known/host-meta"))
        .send()
        .await
        .unwrap();
    assert!(host_meta.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/xrd+xml"));
    let xml = host_meta.text().await.unwrap();
    assert!(
        xml.contains(&format!(
            "{}.well-known/webfinger?resource={{uri}}",
            app.base
        )),
        "{xml}"
    );

    let health = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.headers().contains_key("x-request-id"));
    let traced = app
        .http
        .get(app.url("/healthz"))
        .header("X-Request-Id", "proxy-42")
        .send()
        .await
        .unwrap();
    assert_eq!(traced.headers()["x-request-id"], "proxy-42");
}

#[tokio::test]
async fn pages_feeds_and_json_are_compressed_for_clients_that_accept_it() {
    let app = spawn_app().await;
    for (path, accept) in [
        ("/", "text/html"),
        ("/news.atom", "application/atom+xml"),
        ("/users/news", "application/activity+json"),
    ] {
        let response = app
            .http
            .get(app.url(path))
            .header("Accept", accept)
            .header("Accept-Encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-encoding"], "gzip", "{path}");
        let plain = app
            .http
            .get(app.url(path))
            .header("Accept", accept)
            .send()
            .await
            .unwrap();
        assert!(!plain.headers().contains_key("content-encoding"), "{path}");
    }
}

#[tokio::test]
async fn collections_are_correct_when_empty_and_paged() {
    let app = spawn_app().await;
    for path in [
        "/users/news/followers",
        "/users/news/following",
        "/users/news/outbox",
        "/actor/outbox",
    ] {
        let collection = app.get_activity_json(path).await;
        assert_eq!(collection["type"], "OrderedCollection", "{path}");
        assert_eq!(collection["totalItems"], 0, "{path}");
        assert_eq!(
            collection["first"],
            format!("{}?page=1", app.url(path)),
            "{path}"
        );
        let page = app.get_activity_json(&format!("{path}?page=1")).await;
        assert_eq!(page["type"], "OrderedCollectionPage");
        assert_eq!(page["partOf"], app.url(path).as_str());
        assert_eq!(page["orderedItems"], serde_json::json!([]));
        assert!(page.get("next").is_none());
    }
    let bad_page = app
        .http
        .get(app.url("/users/news/followers?page=0"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_page.status(), 400);
}

#[tokio::test]
async fn followers_are_paged_forty_at_a_time() {
    let app = spawn_app().await;
    let data = app.data();
    let news = munifed::service::accounts::by_name(&data, "news")
        .await
        .unwrap();
    munifed::db::run(&data.db, move |conn| {
        for n in 0..45 {
            let actor = remote_actor(&format!("https://city{n}.example/users/news"), None);
            let id = munifed::db::actors::insert(conn, &actor)?;
            accepted_follow(conn, id, news.id)?;
        }
        Ok(())
    })
    .await
    .unwrap();
    let collection = app.get_activity_json("/users/news/followers").await;
    assert_eq!(collection["totalItems"], 45);
    assert_eq!(
        collection["last"],
        format!("{}?page=2", app.url("/users/news/followers"))
    );
    let first = app.get_activity_json("/users/news/followers?page=1").await;
    assert_eq!(first["orderedItems"].as_array().unwrap().len(), 40);
    assert_eq!(first["orderedItems"][0], "https://city0.example/users/news");
    assert_eq!(
        first["next"],
        format!("{}?page=2", app.url("/users/news/followers"))
    );
    let second = app.get_activity_json("/users/news/followers?page=2").await;
    assert_eq!(second["orderedItems"].as_array().unwrap().len(), 5);
    assert_eq!(
        second["prev"],
        format!("{}?page=1", app.url("/users/news/followers"))
    );
    assert!(second.get("next").is_none());
    let beyond = app.get_activity_json("/users/news/followers?page=3").await;
    assert_eq!(beyond["orderedItems"], serde_json::json!([]));
}
