//! What link previews and search engines read on the public pages: Open Graph and Twitter
//! cards, canonical and alternate links, `fediverse:creator`, schema.org JSON-LD, the
//! sitemap and robots.txt.

use serde_json::{json, Value};

use crate::{
    helpers::{spawn_app, TestApp},
    panel::FormBody,
    publishing::{api, token_for},
};

pub async fn page(app: &TestApp, url: &str) -> String {
    let response = app.http.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.text().await.unwrap()
}

/// The content of `<meta property|name="key" content="…">`.
fn meta(html: &str, key: &str) -> Option<String> {
    ["property", "name"].iter().find_map(|attribute| {
        let start = format!("<meta {attribute}=\"{key}\" content=\"");
        let rest = html.split(&start).nth(1)?;
        Some(rest.split('"').next()?.to_string())
    })
}

fn json_ld(html: &str) -> Value {
    let script = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the page has JSON-LD");
    serde_json::from_str(script).expect("the JSON-LD parses")
}

async fn publish(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let (status, created) = api(app, reqwest::Method::POST, path, Some(token), Some(&body)).await;
    assert_eq!(status, 201, "{created}");
    created
}

#[tokio::test]
async fn posts_and_profiles_carry_previews_and_structured_data() {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let event = publish(
        &app,
        &token,
        "/api/v1/events",
        json!({
            "title": "Budget assembly </script><script>alert(1)</script>",
            "summary": "Decide with us how to spend 2 million.",
            "start": "2031-05-02T18:00", "end": "2031-05-02T20:30", "timezone": "Europe/Paris",
            "location": { "name": "Town hall", "street": "1 Place de la Mairie",
                "postal_code": "69001", "locality": "Lyon", "country": "FR",
                "latitude": 45.767, "longitude": 4.836 },
            "online_url": "https://video.lyon.example/budget",
            "registration_url": "https://lyon.example/register",
            "topics": ["budget"],
        }),
    )
    .await;
    let url = event["url"].as_str().unwrap();
    let html = page(&app, url).await;
    assert_eq!(meta(&html, "og:type").as_deref(), Some("event"));
    assert_eq!(
        meta(&html, "og:description").as_deref(),
        Some("Decide with us how to spend 2 million.")
    );
    assert_eq!(meta(&html, "og:url").as_deref(), Some(url));
    let handle = format!("@news@{}", app.domain);
    assert_eq!(meta(&html, "fediverse:creator"), Some(handle.clone()));
    assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")));
    assert!(html.contains(&format!(
        "<link rel=\"alternate\" type=\"application/activity+json\" href=\"{url}\">"
    )));
    assert!(meta(&html, "article:published_time").is_some());
    assert!(
        !html.contains("<script>alert(1)"),
        "the title cannot open a script"
    );
    assert!(
        html.contains(
            "href=\"https://www.openstreetmap.org/?mlat=45.767&#38;mlon=4.836#map=17/45.767/4.836\""
        ),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"{url}.ics\"")));

    let ld = json_ld(&html);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Event");
    assert_eq!(
        ld["name"],
        "Budget assembly </script><script>alert(1)</script>"
    );
    assert_eq!(ld["startDate"], "2031-05-02T18:00:00+02:00");
    assert_eq!(ld["endDate"], "2031-05-02T20:30:00+02:00");
    assert_eq!(ld["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(
        ld["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    let place = &ld["location"][0];
    assert_eq!(place["@type"], "Place");
    assert_eq!(place["name"], "Town hall");
    assert_eq!(place["address"]["addressLocality"], "Lyon");
    assert_eq!(place["address"]["streetAddress"], "1 Place de la Mairie");
    assert_eq!(place["geo"]["latitude"], 45.767);
    assert_eq!(
        ld["location"][1]["url"],
        "https://video.lyon.example/budget"
    );
    assert_eq!(ld["offers"]["url"], "https://lyon.example/register");
    assert_eq!(ld["organizer"]["@type"], "Organization");

    let news = publish(
        &app,
        &token,
        "/api/v1/news",
        json!({
            "title": "New cycle lanes", "summary": "Twelve streets get them.",
            "image_url": "https://lyon.example/lanes.jpg", "image_alt": "A cycle lane",
            "language": "en",
            "translations": { "fr": { "title": "Nouvelles pistes cyclables" } },
        }),
    )
    .await;
    let news_url = news["url"].as_str().unwrap();
    let html = page(&app, news_url).await;
    assert_eq!(meta(&html, "og:type").as_deref(), Some("article"));
    assert_eq!(
        meta(&html, "og:image").as_deref(),
        Some("https://lyon.example/lanes.jpg")
    );
    assert_eq!(meta(&html, "og:image:alt").as_deref(), Some("A cycle lane"));
    assert_eq!(
        meta(&html, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert!(html.contains(&format!("hreflang=\"fr\" href=\"{news_url}?lang=fr\"")));
    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "New cycle lanes");
    assert!(ld["datePublished"].as_str().unwrap().ends_with('Z'));
    assert_eq!(ld["image"][0], "https://lyon.example/lanes.jpg");
    // The French page names itself as canonical, in French.
    let french = page(&app, &format!("{news_url}?lang=fr")).await;
    assert!(french.contains(&format!(
        "<link rel=\"canonical\" href=\"{news_url}?lang=fr\">"
    )));
    assert_eq!(json_ld(&french)["headline"], "Nouvelles pistes cyclables");
    assert_eq!(json_ld(&french)["inLanguage"], "fr");
    assert_eq!(json_ld(&french)["url"], format!("{news_url}?lang=fr"));

    // Nothing is loaded from another host but the image its author gave, and no link leads
    // elsewhere but those its author wrote and OpenStreetMap.
    let authored = [
        "https://lyon.example/lanes.jpg",
        "https://lyon.example/register",
        "https://video.lyon.example/budget",
    ];
    let profile = page(&app, app.url("/@news").as_str()).await;
    for html in [&page(&app, url).await, &html, &profile] {
        for (attribute, what) in [(" src=\"", "loaded"), (" href=\"", "linked")] {
            for rest in html.split(attribute).skip(1) {
                let target = rest.split('"').next().unwrap();
                assert!(
                    target.starts_with('/')
                        || target.starts_with('#')
                        || target.starts_with(app.base.as_str())
                        || authored.contains(&target)
                        || target.starts_with("https://www.openstreetmap.org/"),
                    "{target} is {what} from elsewhere"
                );
            }
        }
    }

    assert_eq!(meta(&profile, "og:type").as_deref(), Some("profile"));
    assert_eq!(meta(&profile, "fediverse:creator"), Some(handle));
    let ld = json_ld(&profile);
    assert_eq!(ld["@type"], "Organization");
    assert_eq!(ld["url"], app.url("/@news").as_str());
}

#[tokio::test]
async fn the_sitemap_lists_every_public_post_and_robots_points_to_it() {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let mut urls = vec![];
    for n in 0..3 {
        let created = publish(
            &app,
            &token,
            "/api/v1/news",
            json!({ "title": format!("News {n}") }),
        )
        .await;
        urls.push(created["url"].as_str().unwrap().to_string());
    }
    let gone = urls.pop().unwrap();
    let id = gone.rsplit('/').next().unwrap();
    let (status, _) = api(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/v1/news/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 204);

    let sitemap = page(&app, app.url("/sitemap.xml").as_str()).await;
    assert!(sitemap.starts_with("<?xml"));
    for url in &urls {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc><lastmod>")),
            "{url} missing"
        );
    }
    assert!(
        !sitemap.contains(&format!("<loc>{gone}</loc>")),
        "a deleted post is listed"
    );
    assert!(sitemap.contains(&format!("<loc>{}</loc>", app.url("/@news"))));

    let robots = page(&app, app.url("/robots.txt").as_str()).await;
    assert!(robots.contains("Disallow: /admin"));
    assert!(robots.contains(&format!("Sitemap: {}", app.url("/sitemap.xml"))));
}

/// A stand-in fediverse server on loopback whose WebFinger gives a subscribe template, and
/// whose page at that template names what the visitor is asked to follow.
pub async fn spawn_subscribe_server() -> String {
    use actix_web::{web, App, HttpResponse, HttpServer};
    #[derive(serde::Deserialize)]
    struct Follow {
        acct: String,
    }
    let server = HttpServer::new(|| {
        App::new()
            .route(
                "/authorize_follow",
                web::get().to(|query: web::Query<Follow>| async move {
                    HttpResponse::Ok()
                        .content_type("text/html; charset=utf-8")
                        .body(format!(
                        "<!DOCTYPE html><title>Follow</title><h1 id=\"authorize\">Follow {}?</h1>",
                        html_escape::encode_text(&query.acct)
                    ))
                }),
            )
            .route(
                "/.well-known/webfinger",
                web::get().to(|req: actix_web::HttpRequest| async move {
                    let host = req.connection_info().host().to_string();
                    HttpResponse::Ok()
                        .content_type("application/jrd+json")
                        .body(
                        json!({
                            "subject": "acct:someone@other.example",
                            "links": [{
                                "rel": "http://ostatus.org/schema/1.0/subscribe",
                                "template": format!("http://{host}/authorize_follow?acct={{uri}}"),
                            }],
                        })
                        .to_string(),
                    )
                }),
            )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    format!("localhost:{port}")
}

#[tokio::test]
async fn visitors_follow_and_interact_from_their_own_server() {
    let app = spawn_app().await;
    let jrd = app
        .get_json(&format!(
            "/.well-known/webfinger?resource=acct:news@{}",
            app.domain
        ))
        .await;
    let template = jrd["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "http://ostatus.org/schema/1.0/subscribe")
        .and_then(|l| l["template"].as_str())
        .unwrap()
        .to_string();
    assert_eq!(
        template,
        format!("{}authorize_interaction?account=news&uri={{uri}}", app.base)
    );

    let profile = page(&app, app.url("/@news").as_str()).await;
    let handle = format!("@news@{}", app.domain);
    assert!(profile.contains(&format!("value=\"{handle}\" readonly")));
    assert!(profile.contains("action=\"/interact\""));

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let actor = app.url("/users/news").to_string();
    let interact = |handle: String, uri: String| {
        let (client, url) = (client.clone(), app.url("/interact"));
        async move {
            client
                .post(url)
                .form_body(&[("handle", handle.as_str()), ("uri", uri.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let location =
        |response: &reqwest::Response| response.headers()["location"].to_str().unwrap().to_string();
    let encoded: String = url::form_urlencoded::byte_serialize(actor.as_bytes()).collect();

    // A handle: that server's subscribe template.
    let other = spawn_subscribe_server().await;
    let sent = interact(format!("@someone@{other}"), actor.clone()).await;
    assert_eq!(sent.status(), 303);
    assert_eq!(
        location(&sent),
        format!("http://{other}/authorize_follow?acct={encoded}")
    );
    // A server alone, or one without a template: Mastodon's authorize_interaction there.
    let silent = crate::helpers::spawn_receiver(404).await;
    let silent_host = format!("localhost:{}", silent.inbox.port().unwrap());
    for typed in [silent_host.clone(), format!("someone@{silent_host}")] {
        let sent = interact(typed, actor.clone()).await;
        assert_eq!(sent.status(), 303);
        assert_eq!(
            location(&sent),
            format!("http://{silent_host}/authorize_interaction?uri={encoded}")
        );
    }
    // Only our accounts and posts, and something that names a server.
    let refused = interact(
        format!("@someone@{other}"),
        "https://elsewhere.example/x".into(),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let nonsense = interact("not a handle".into(), actor.clone()).await;
    assert_eq!(nonsense.status(), 422);
    assert!(nonsense.text().await.unwrap().contains("your server"));

    // Our own template takes staff to the panel's follow form of that account, filled in.
    munifed::service::accounts::create(
        &app.data(),
        &munifed::service::users::Staff::Operator,
        munifed::service::accounts::NewAccount {
            name: "parks".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (account, expected) in [("parks", "parks"), ("nobody", "news"), ("actor", "news")] {
        let ours = client
            .get(app.url(&format!(
                "/authorize_interaction?account={account}&uri=https%3A%2F%2Fother.example%2Fusers%2Fx"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(ours.status(), 303);
        assert_eq!(
            location(&ours),
            format!("/admin/accounts/{expected}?follow=https%3A%2F%2Fother.example%2Fusers%2Fx")
        );
    }

    // A blocked server is never asked: the visitor goes to its authorize_interaction.
    let watched = crate::helpers::spawn_receiver(200).await;
    let watched_host = format!("localhost:{}", watched.inbox.port().unwrap());
    munifed::service::domains::block(&app.data(), &watched_host, "test")
        .await
        .unwrap();
    let sent = interact(format!("@someone@{watched_host}"), actor.clone()).await;
    assert_eq!(sent.status(), 303);
    assert_eq!(watched.hits(), 0, "a blocked server is not fetched");
}

/// Every `src` and `href` value of a page.
fn addresses(html: &str) -> Vec<String> {
    ["src=\"", "href=\""]
        .iter()
        .flat_map(|attribute| html.split(attribute).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn the_home_page_explains_itself_and_stays_light() {
    let (app, member) = crate::helpers::spawn_pair().await;

    // A new instance says what will appear and how staff publish.
    let empty = page(&app, app.url("/").as_str()).await;
    for says in [
        "Staff publish it from the panel, the API or the munifed command line",
        "No call is open now",
        "No event is coming up",
        "organisations this instance follows appear here",
        "A munifed instance",
    ] {
        assert!(empty.contains(says), "{says} not on an empty home page");
    }

    // The logo comes through the media cache (nothing is fetched to render the page).
    munifed::service::accounts::update(
        &app.data(),
        &munifed::service::users::Staff::Operator,
        "news",
        munifed::service::accounts::AccountChanges {
            icon_url: Some("https://cdn.city.example/logo.png".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    let token = token_for(&app, "editor").await;
    let (mut call_url, mut event_url) = (String::new(), String::new());
    for n in 0..6 {
        let mut news = crate::publishing::news();
        news["title"] = json!(format!("News number {n}"));
        publish(&app, &token, "/api/v1/news", news).await;
        // Deadlines in another order than publication.
        let year = [2033, 2030, 2035, 2031, 2034, 2032][n];
        let mut call = crate::publishing::call();
        call["title"] = json!(format!("Call closing in {year}"));
        call["deadline"] = json!(format!("{year}-10-05T23:59:00"));
        call_url = publish(&app, &token, "/api/v1/calls", call).await["url"]
            .as_str()
            .unwrap()
            .to_string();
        let mut event = crate::publishing::event();
        event["title"] = json!(format!("Event number {n}"));
        event_url = publish(&app, &token, "/api/v1/events", event).await["url"]
            .as_str()
            .unwrap()
            .to_string();
    }
    crate::helpers::follow_news(&app, &member).await;
    crate::helpers::publish_news(&member, "The member city opens a library").await;
    member.deliver_all_pending().await;

    let response = app.http.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.headers()["cache-control"], "public, no-cache");
    assert_eq!(
        response.headers()["content-security-policy"],
        "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let home = response.text().await.unwrap();
    assert!(
        home.contains("The member city opens a library"),
        "network highlights"
    );
    assert!(home.contains("News number 5"));
    // Open calls by deadline, the soonest first.
    let positions: Vec<usize> = (2030..=2035)
        .map(|year| home.find(&format!("Call closing in {year}")).unwrap())
        .collect();
    assert!(positions.is_sorted(), "calls by deadline: {positions:?}");
    assert!(home.contains("<span class=\"state state-open\">Open</span>"));
    assert!(home.contains("<div class=\"badge\" aria-hidden=\"true\"><span class=\"month\">May</span><span class=\"day\">2</span></div>"));
    assert!(!home.contains("No call is open now"));
    assert!(
        !home.contains("cdn.city.example"),
        "the logo is not loaded from its host"
    );
    assert!(
        home.contains("<img src=\"/media/"),
        "the logo is shown from our origin"
    );

    // Nothing but our own styles and images, no script, and light.
    assert!(!home.contains("<script"), "the home page runs no script");
    // Links go to our pages, and to the network's items on their own servers.
    for address in addresses(&home) {
        assert!(
            (address.starts_with('/') && !address.starts_with("//"))
                || address.starts_with('#')
                || address.starts_with(app.base.as_str())
                || address.starts_with(member.base.as_str()),
            "{address} is loaded or linked from elsewhere"
        );
    }
    for image in home.split("<img src=\"").skip(1) {
        assert!(image.starts_with('/'), "an image from elsewhere: {image}");
    }
    let stylesheet = addresses(&home)
        .into_iter()
        .find(|a| a.starts_with("/site.css"))
        .expect("a stylesheet");
    let css = page(&app, app.url(&stylesheet).as_str()).await;
    let weight = home.len() + css.len();
    assert!(
        weight < 100_000,
        "home page and stylesheet weigh {weight} bytes"
    );
    println!(
        "home page {} bytes, stylesheet {} bytes",
        home.len(),
        css.len()
    );

    // A visitor who has the page gets 304; a change gives a new page.
    let unchanged = app
        .http
        .get(app.url("/"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);
    assert_eq!(unchanged.headers()["etag"].to_str().unwrap(), etag);
    assert!(unchanged.text().await.unwrap().is_empty());
    crate::helpers::publish_news(&app, "Something new").await;
    let changed = app
        .http
        .get(app.url("/"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let css = app
        .http
        .get(app.url(&stylesheet))
        .header(
            "If-None-Match",
            format!("W/\"{}\"", &stylesheet["/site.css?v=".len()..]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        css.status(),
        304,
        "the stylesheet revalidates by its version"
    );

    // Feeds and calendars too; a post's AS2 document is never answered 304 for a page's tag.
    let event_calendar = format!("{event_url}.ics");
    for url in [
        app.url("/news.atom").to_string(),
        app.url("/calls.atom").to_string(),
        app.url("/events.ics").to_string(),
        app.url("/network/events.ics").to_string(),
        event_calendar,
    ] {
        let first = app.http.get(&url).send().await.unwrap();
        assert_eq!(first.status(), 200, "{url}");
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        let again = app
            .http
            .get(&url)
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{url} revalidates");
    }
    let page = app.http.get(&call_url).send().await.unwrap();
    assert_eq!(page.status(), 200, "{call_url}");
    let etag = page.headers()["etag"].to_str().unwrap().to_string();
    let object = app
        .http
        .get(&call_url)
        .header("Accept", "application/activity+json")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(object.status(), 200);
    let object: Value = object.json().await.unwrap();
    assert_eq!(object["type"], "Article");
}
