//! The panel in a real browser: headless Chromium driven through WebDriver (Debian's
//! `chromium` and `chromium-driver`). Without them the tests say why and skip, except under
//! `CI=true`, where they fail. Screenshots of the main pages go to the test's output folder
//! (`target/tmp/screenshots`), for a reviewer to look at.

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
};

use base64::Engine;
use serde_json::{json, Value};

use crate::{
    helpers::{follow_news, publish_news, spawn_pair, under_ci, TestApp},
    media::spawn_origin,
    public_site::spawn_subscribe_server,
    publishing::{api, call, event, news, token_for},
};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// WebDriver's key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver session on a chromedriver of its own (stopped with the session).
struct Browser {
    http: reqwest::Client,
    session: String,
    driver: Child,
    shots: PathBuf,
}

impl Browser {
    /// A headless Chromium, or `None` (with the reason printed) when this machine has none
    /// and this is not CI.
    async fn start() -> Option<Browser> {
        let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
            .into_iter()
            .filter(|path| !std::path::Path::new(path).exists())
            .collect();
        if !missing.is_empty() {
            assert!(
                !under_ci(),
                "browser tests need {missing:?} under CI (apt-get install chromium chromium-driver)"
            );
            eprintln!("skipping a browser test: {missing:?} not installed");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        // It says when it listens: read until then (no sleeping).
        let stdout = driver.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        loop {
            let line = lines.next().expect("chromedriver said nothing").unwrap();
            if line.contains("started successfully") {
                break;
            }
        }
        std::thread::spawn(move || lines.for_each(drop));
        let http = reqwest::Client::new();
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"],
            },
        }}});
        let created: Value = http
            .post(format!("http://127.0.0.1:{port}/session"))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {created}"));
        let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        let browser = Browser {
            http,
            session: format!("http://127.0.0.1:{port}/session/{id}"),
            driver,
            shots,
        };
        // Finding an element waits for it to appear (the next page after a form).
        browser
            .call(
                reqwest::Method::POST,
                "/timeouts",
                Some(json!({ "implicit": 10_000 })),
            )
            .await;
        Some(browser)
    }

    /// Submits a form by its button, and waits for the page it leads to, which says how
    /// it went (`expect`: an element only that page has).
    async fn submit(&self, button: &str, expect: &str) {
        self.click(button).await;
        self.find(expect).await;
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        if answer["value"].get("error").is_some() {
            panic!("WebDriver {path}: {answer}");
        }
        answer["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    async fn find(&self, css: &str) -> String {
        let found = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await;
        found[ELEMENT].as_str().unwrap().to_string()
    }

    async fn fill(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// Sets an input's value as a date picker would (typing into `datetime-local` depends
    /// on the browser's locale).
    async fn set_value(&self, css: &str, value: &str) {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({
                "script": "arguments[0].value = arguments[1];",
                "args": [{ ELEMENT: element }, value],
            })),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await;
    }

    async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Runs a script in the page and gives its result.
    async fn script(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
        .await
    }

    async fn resize(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .await;
    }

    /// Emulates a media type and features (`prefers-color-scheme`) through Chromium's
    /// DevTools protocol.
    async fn emulate_media(&self, media: &str, features: Value) {
        self.call(
            reqwest::Method::POST,
            "/goog/cdp/execute",
            Some(json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": { "media": media, "features": features },
            })),
        )
        .await;
    }

    async fn screenshot(&self, name: &str) {
        let png = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), bytes).unwrap();
    }

    /// The violations on the page at `url`, each named by the page and `context`; `None` as
    /// for `accessibility_violations`.
    async fn violations_on(&self, url: &str, context: &str) -> Option<Vec<String>> {
        self.goto(url).await;
        let found = self.accessibility_violations().await?;
        Some(
            found
                .into_iter()
                .map(|v| format!("{url} {context}: {v}"))
                .collect(),
        )
    }

    /// The WCAG 2.1 A and AA violations axe-core finds on the page (its rule, impact, help
    /// and the first elements concerned), or `None` (with the reason printed) when axe-core
    /// is not installed and this is not CI.
    async fn accessibility_violations(&self) -> Option<Vec<Value>> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/browser/node_modules/axe-core/axe.min.js");
        let Ok(axe) = std::fs::read_to_string(&path) else {
            assert!(
                !under_ci(),
                "accessibility tests need {} under CI (npm ci --prefix tests/browser)",
                path.display()
            );
            eprintln!("skipping accessibility checks: axe-core is not installed (npm ci --prefix tests/browser)");
            return None;
        };
        // Scripts run through WebDriver are not the page's: its CSP does not block them.
        self.script(&format!("{axe}\nreturn true;")).await;
        let found = self
            .call(
                reqwest::Method::POST,
                "/execute/async",
                Some(json!({
                    "script": "const done = arguments[arguments.length - 1];
                        axe.run(document, { runOnly: { type: 'tag',
                            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                          .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact,
                              help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))))
                          .catch(e => done([{ id: 'axe-failed', help: String(e) }]));",
                    "args": [],
                })),
            )
            .await;
        let found = found
            .as_array()
            .unwrap_or_else(|| panic!("axe-core answered {found}"));
        Some(found.clone())
    }

    async fn log_in(&self, app: &TestApp, email: &str) {
        self.goto(app.url("/admin").as_str()).await;
        assert!(self.url().await.ends_with("/admin/login"), "sent to log in");
        self.fill("#email", email).await;
        self.fill("#password", "a long enough password").await;
        self.submit("form[action='/admin/login'] button", "form.logout")
            .await;
    }
}

/// Publishes a news item, a call and an event on `app` through the API; their answers.
async fn publish_samples(
    app: &TestApp,
    token: &str,
    [news, call, event]: [Value; 3],
) -> Vec<Value> {
    let mut posted = vec![];
    for (path, body) in [
        ("/api/v1/news", news),
        ("/api/v1/calls", call),
        ("/api/v1/events", event),
    ] {
        let (status, created) =
            api(app, reqwest::Method::POST, path, Some(token), Some(&body)).await;
        assert_eq!(status, 201, "{created}");
        posted.push(created);
    }
    posted
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[tokio::test]
async fn moderating_the_network_in_a_browser() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (alpha, beta) = spawn_pair().await;
    follow_news(&alpha, &beta).await;
    let beta_token = token_for(&beta, "editor").await;
    let (status, _) = api(
        &beta,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&beta_token),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 201);
    beta.deliver_all_pending().await;
    token_for(&alpha, "admin").await;
    token_for(&alpha, "editor").await;

    // Log in.
    browser.log_in(&alpha, "admin@city.example").await;
    let (url, page) = (browser.url().await, browser.source().await);
    assert!(
        url.ends_with("/admin") && page.contains("Overview"),
        "{url}: {page}"
    );
    browser.screenshot("overview").await;

    // The network's news is in the timeline…
    browser.goto(alpha.url("/timeline").as_str()).await;
    assert!(browser
        .source()
        .await
        .contains("Cities share resilience plans"));
    browser.screenshot("timeline").await;

    // …until its domain is suspended.
    browser.goto(alpha.url("/admin/domains").as_str()).await;
    browser.fill("#rule-domain", &beta.domain).await;
    browser.fill("#rule-private", "tested in a browser").await;
    browser
        .submit("form[action='/admin/domains'] button", ".flash")
        .await;
    let page = browser.source().await;
    assert!(page.contains("localhost: suspend."), "{page}");
    browser.goto(alpha.url("/timeline").as_str()).await;
    assert!(!browser
        .source()
        .await
        .contains("Cities share resilience plans"));

    // Import a block list.
    browser.goto(alpha.url("/admin/domains").as_str()).await;
    browser
        .fill(
            "#import-csv",
            "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\nspam.example,suspend,true,false,Spam,false\n",
        )
        .await;
    browser
        .submit("form[action='/admin/domains/import'] button", ".flash")
        .await;
    let page = browser.source().await;
    assert!(page.contains("1 added"), "{page}");
    assert!(page.contains("spam.example"));
    browser.screenshot("domains").await;

    browser.goto(alpha.url("/admin/users").as_str()).await;
    browser.screenshot("users").await;
    browser.goto(alpha.url("/admin/audit").as_str()).await;
    let audit = browser.source().await;
    assert!(audit.contains("domain.suspend") && audit.contains("tested in a browser"));
    browser.screenshot("audit").await;

    // Log out.
    browser.submit("form.logout button", "#email").await;
    assert!(browser.url().await.ends_with("/admin/login"));
    browser.goto(alpha.url("/admin").as_str()).await;
    assert!(
        browser.url().await.ends_with("/admin/login"),
        "the session ended"
    );

    // An editor is refused the moderation pages.
    browser.log_in(&alpha, "editor@city.example").await;
    let overview = browser.source().await;
    assert!(!overview.contains("/admin/domains"), "no link to it");
    browser.goto(alpha.url("/admin/domains").as_str()).await;
    assert!(browser.source().await.contains("Not allowed"));
    browser.screenshot("editor-refused").await;
}

#[tokio::test]
async fn publishing_an_event_and_approving_a_follower_in_a_browser() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (alpha, beta) = spawn_pair().await;
    token_for(&alpha, "admin").await;
    munifed::service::accounts::update(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        "news",
        munifed::service::accounts::AccountChanges {
            manual_approval: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    browser.log_in(&alpha, "admin@city.example").await;

    // An event with a place and a registration link, previewed, then published.
    browser
        .goto(alpha.url("/admin/posts/events/new").as_str())
        .await;
    browser
        .fill("#f-title", "Neighbourhood budget assembly")
        .await;
    browser
        .fill("#f-summary", "Decide with us how to spend 2 million.")
        .await;
    browser
        .fill("#f-body", "Bring your **ideas**. Childcare on site.")
        .await;
    browser.set_value("#f-start", "2031-05-02T18:00").await;
    browser.set_value("#f-end", "2031-05-02T20:30").await;
    browser.fill("#f-timezone", "Europe/Paris").await;
    browser.fill("#f-location-name", "Town hall, room B").await;
    browser
        .fill("#f-location-street", "1 Place de la Mairie")
        .await;
    browser.fill("#f-location-locality", "Lyon").await;
    browser.fill("#f-location-country", "FR").await;
    browser
        .fill("#f-registration_url", "https://lyon.example/register")
        .await;
    browser
        .submit("button[value='preview']", "#preview-heading")
        .await;
    let preview = browser.source().await;
    assert!(preview.contains("<strong>ideas</strong>"), "{preview}");
    browser.screenshot("event-preview").await;
    browser.submit("button[value='save']", ".flash").await;
    let edit_url = browser.url().await;
    let id = edit_url.rsplit('/').next().unwrap().to_string();
    assert!(
        id.parse::<i64>().is_ok(),
        "sent to the event's edit page: {edit_url}"
    );

    browser
        .goto(alpha.url(&format!("/events/{id}")).as_str())
        .await;
    let public = browser.source().await;
    for shown in [
        "Neighbourhood budget assembly",
        "Town hall, room B",
        "https://lyon.example/register",
    ] {
        assert!(public.contains(shown), "{shown} not on the event's page");
    }
    browser.screenshot("event-public").await;
    let ics = alpha
        .http
        .get(alpha.url("/events.ics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains("SUMMARY:Neighbourhood budget assembly"),
        "{ics}"
    );
    assert!(ics.contains("Town hall"), "{ics}");

    // beta's news asks to follow: approved in the browser.
    munifed::service::follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@{}", alpha.domain),
    )
    .await
    .unwrap();
    beta.deliver_all_pending().await;
    browser
        .goto(alpha.url("/admin/accounts/news").as_str())
        .await;
    assert!(browser
        .source()
        .await
        .contains(&format!("@news@{}", beta.domain)));
    browser.screenshot("follow-request").await;
    browser
        .submit("button[name='decision'][value='approve']", ".flash")
        .await;
    let page = browser.source().await;
    assert!(page.contains("now follows @news"), "{page}");
    assert_eq!(alpha.deliver_all_pending().await, 1, "the Accept goes out");
    let following = munifed::service::follow::following(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        1,
        10,
    )
    .await
    .unwrap()
    .1;
    assert!(
        following.iter().any(|(_, state)| state == "accepted"),
        "{following:?}"
    );

    // The admins' pages, for a reviewer to look at.
    for (path, shot, heading) in [
        (
            "/admin/posts?kind=events",
            "posts",
            "Neighbourhood budget assembly",
        ),
        ("/admin/instance", "instance", "How posts are federated"),
        ("/admin/health", "health", "Delivery queue"),
        (
            "/admin/reports",
            "reports",
            "Report a post from another server",
        ),
        (
            "/admin/timeline",
            "moderators-timeline",
            "What other servers sent",
        ),
    ] {
        browser.goto(alpha.url(path).as_str()).await;
        assert!(browser.source().await.contains(heading), "{path}");
        browser.screenshot(shot).await;
    }
}

/// The public pages as a visitor sees them, on a phone (390 px) and a desktop (1280 px):
/// nothing wider than the screen, the stylesheet applied, and the follow form taking the
/// visitor to their own server.
#[tokio::test]
async fn the_public_site_on_a_phone_and_a_desktop() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (alpha, beta) = spawn_pair().await;
    let token = token_for(&alpha, "admin").await;
    follow_news(&alpha, &beta).await;
    publish_news(&beta, "The partnership fund opens its library").await;
    beta.deliver_all_pending().await;
    // The logo and the news image come from elsewhere, and are shown from our origin.
    let (origin, _) = spawn_origin().await;
    munifed::service::accounts::update(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        "news",
        munifed::service::accounts::AccountChanges {
            icon_url: Some(format!("{origin}/avatar.png")),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut illustrated = news();
    illustrated["image_url"] = json!(format!("{origin}/large.png"));
    let posted: Vec<String> = publish_samples(&alpha, &token, [illustrated, call(), event()])
        .await
        .iter()
        .map(|created| created["url"].as_str().unwrap().to_string())
        .collect();
    let [news_url, call_url, event_url] = [&posted[0], &posted[1], &posted[2]];
    let pages = [
        (
            "home",
            alpha.url("/").to_string(),
            "The partnership fund opens its library",
        ),
        ("news", news_url.clone(), "Cities share resilience plans"),
        ("call", call_url.clone(), "Competitive call for innovation"),
        ("event", event_url.clone(), "Palacio Municipal"),
        (
            "profile",
            alpha.url("/@news").to_string(),
            "Follow from the fediverse",
        ),
        (
            "timeline",
            alpha.url("/timeline").to_string(),
            "The partnership fund opens its library",
        ),
        (
            "network-events",
            alpha.url("/network/events").to_string(),
            "World Forum",
        ),
    ];
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.resize(width, height).await;
        for (name, url, shown) in &pages {
            browser.goto(url).await;
            assert!(browser.source().await.contains(shown), "{name}: {shown}");
            browser.screenshot(&format!("public-{name}-{width}")).await;
            let fits = browser
                .script("return document.documentElement.scrollWidth <= window.innerWidth;")
                .await;
            assert_eq!(fits, json!(true), "{name} is wider than {width} px");
            // The stylesheet came from our origin and applies: the header has its colour.
            let header = browser
                .script(
                    "return getComputedStyle(document.querySelector('.site-header')).backgroundColor;",
                )
                .await;
            assert_eq!(header, json!("rgb(31, 95, 168)"), "{name}");
            // Every image loaded, from our origin.
            let images = browser
                .script(
                    "return [...document.images].map(i => [i.currentSrc, i.complete && i.naturalWidth > 0]);",
                )
                .await;
            for image in images.as_array().unwrap() {
                assert!(
                    image[0].as_str().unwrap().starts_with(alpha.base.as_str()),
                    "{name}: {image}"
                );
                assert_eq!(image[1], json!(true), "{name}: {image} did not load");
            }
        }
    }

    // Dark mode follows the visitor's system; printing an event keeps its facts and drops
    // the navigation and forms.
    browser
        .emulate_media(
            "",
            json!([{ "name": "prefers-color-scheme", "value": "dark" }]),
        )
        .await;
    browser.goto(event_url).await;
    let background = browser
        .script("return getComputedStyle(document.body).backgroundColor;")
        .await;
    assert_eq!(background, json!("rgb(22, 25, 29)"));
    browser.screenshot("public-event-1280-dark").await;
    browser.emulate_media("print", json!([])).await;
    let shown = browser
        .script(
            "return ['.site-header nav', '.follow', '.interact', '.facts']
                .map(css => getComputedStyle(document.querySelector(css)).display);",
        )
        .await;
    assert_eq!(shown, json!(["none", "none", "none", "grid"]));
    browser.goto(call_url).await;
    let shown = browser
        .script(
            "return ['.site-header nav', '.follow', '.interact', '.facts']
                .map(css => getComputedStyle(document.querySelector(css)).display);",
        )
        .await;
    assert_eq!(
        shown,
        json!(["none", "none", "none", "grid"]),
        "a call printed"
    );
    browser.emulate_media("", json!([])).await;

    // The follow form: a visitor types their handle and lands on their server's page.
    let other = spawn_subscribe_server().await;
    browser.goto(alpha.url("/@news").as_str()).await;
    browser
        .fill("#follow-from", &format!("@someone@{other}"))
        .await;
    browser
        .submit(".follow form button[type='submit']", "#authorize")
        .await;
    let actor: String =
        url::form_urlencoded::byte_serialize(alpha.url("/users/news").as_str().as_bytes())
            .collect();
    assert_eq!(
        browser.url().await,
        format!("http://{other}/authorize_follow?acct={actor}")
    );
}

/// axe-core finds no WCAG 2.1 A or AA violation on the public pages, the embedded lists, the
/// login page and the panel's pages, on a phone and on a desktop.
#[tokio::test]
async fn pages_pass_axe_core_at_wcag_2_1_aa() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let (alpha, beta) = spawn_pair().await;
    let token = token_for(&alpha, "admin").await;
    follow_news(&alpha, &beta).await;
    publish_news(&beta, "The partnership fund opens its library").await;
    beta.deliver_all_pending().await;
    let posted = publish_samples(&alpha, &token, [news(), call(), event()]).await;
    let public: Vec<String> = [
        "/",
        "/news",
        "/calls",
        "/events",
        "/@news",
        "/timeline",
        "/network/events",
        "/network/calls",
        "/topics/migration",
        "/embed/events",
        "/admin/login",
    ]
    .iter()
    .map(|path| alpha.url(path).to_string())
    .chain(
        posted
            .iter()
            .map(|p| p["url"].as_str().unwrap().to_string()),
    )
    .collect();
    let event_id = &posted[2]["id"];
    let panel: Vec<String> = [
        "/admin".to_string(),
        "/admin/posts".to_string(),
        "/admin/posts/event/new".to_string(),
        format!("/admin/posts/event/{event_id}"),
        "/admin/accounts".to_string(),
        "/admin/accounts/news".to_string(),
        "/admin/timeline".to_string(),
        "/admin/moderation".to_string(),
        "/admin/domains".to_string(),
        "/admin/reports".to_string(),
        "/admin/users".to_string(),
        "/admin/instance".to_string(),
        "/admin/health".to_string(),
        "/admin/relays".to_string(),
        "/admin/audit".to_string(),
    ]
    .iter()
    .map(|path| alpha.url(path).to_string())
    .collect();

    // axe-core finds what it should: an image without a text alternative.
    browser.goto(&public[0]).await;
    browser
        .script("document.querySelector('main').appendChild(document.createElement('img')); return true;")
        .await;
    let Some(found) = browser.accessibility_violations().await else {
        return;
    };
    assert!(found.iter().any(|v| v["id"] == "image-alt"), "{found:?}");

    let mut violations = vec![];
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.resize(width, height).await;
        for (i, url) in public.iter().chain(&panel).enumerate() {
            if i == public.len() && width == 390 {
                browser.log_in(&alpha, "admin@city.example").await;
            }
            let context = format!("at {width} px");
            let Some(found) = browser.violations_on(url, &context).await else {
                return;
            };
            violations.extend(found);
        }
    }
    // In French and Spanish too, chosen with the switch (longer words, other `lang`).
    for language in ["fr", "es"] {
        browser
            .goto(alpha.url(&format!("/language/{language}?back=/")).as_str())
            .await;
        let shown = browser.source().await;
        assert!(
            shown.contains(&format!("<html lang=\"{language}\">")),
            "{shown}"
        );
        for url in [&public[0], &public[3], &public[public.len() - 1], &panel[2]] {
            let Some(found) = browser.violations_on(url, &format!("in {language}")).await else {
                return;
            };
            violations.extend(found);
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
