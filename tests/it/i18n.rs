//! The interface in English, French and Spanish: every message in the three languages,
//! every message the code names defined, and each page, panel page and API error in the
//! language the visitor chose, else their browser's, else the instance's.

use std::{collections::BTreeSet, path::Path};

use munifed::i18n::{message_ids, Language, Tr};
use reqwest::header;
use serde_json::json;

use crate::{
    helpers::{spawn_app, spawn_app_with, TestApp},
    panel::{client, location, log_in, set_cookie, user},
    publishing::{api, token_for},
};

#[test]
fn the_three_languages_have_the_same_messages_and_no_error() {
    let (english, problems) = message_ids(Language::En);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(english.len() > 100, "{} messages", english.len());
    let english_set: BTreeSet<&String> = english.iter().collect();
    assert_eq!(english_set.len(), english.len(), "an id is defined twice");
    for language in [Language::Fr, Language::Es] {
        let (ids, problems) = message_ids(language);
        assert!(problems.is_empty(), "{problems:#?}");
        let set: BTreeSet<&String> = ids.iter().collect();
        let missing: Vec<_> = english_set.difference(&set).collect();
        let extra: Vec<_> = set.difference(&english_set).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, not in English {extra:?}",
            language.code()
        );
    }
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "html")
        ) {
            out.push(path);
        }
    }
}

/// Every quoted id-like word (`panel-save`, `error-title-required`) in the code whose first
/// part is the first part of some message id: a message the code names (HTML attribute
/// values, `id="news-heading"`, are not).
#[test]
fn every_message_the_code_names_exists() {
    let (ids, _) = message_ids(Language::En);
    let ids: BTreeSet<String> = ids.into_iter().collect();
    let prefixes: BTreeSet<&str> = ids.iter().filter_map(|id| id.split('-').next()).collect();
    let mut paths = vec![];
    files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut paths,
    );
    let mut named = 0;
    let mut missing = vec![];
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let parts: Vec<&str> = text.split('"').collect();
        for pair in parts.windows(2).step_by(2) {
            let (before, quoted) = (pair[0], pair[1]);
            if before.ends_with('=') {
                continue;
            }
            let Some((prefix, _)) = quoted.split_once('-') else {
                continue;
            };
            let id_like = quoted
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !id_like || !prefixes.contains(prefix) || quoted.ends_with('-') {
                continue;
            }
            named += 1;
            if !ids.contains(quoted) {
                missing.push(format!("{}: {quoted}", path.display()));
            }
        }
    }
    assert!(
        named > 100,
        "only {named} messages named: the scan is broken"
    );
    assert!(
        missing.is_empty(),
        "undefined messages:\n{}",
        missing.join("\n")
    );
}

async fn page_in(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> String {
    let mut request = client().get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// A post to the API without a token (401), asking for `language` if any: the answer, and
/// the text of its `error` and its headers.
async fn unsigned_post(app: &TestApp, language: Option<&str>) -> (String, header::HeaderMap) {
    let mut request = client().post(app.url("/api/v1/news"));
    if let Some(language) = language {
        request = request.header("Accept-Language", language);
    }
    let response = request.json(&json!({ "title": "x" })).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let headers = response.headers().clone();
    let body: serde_json::Value = response.json().await.unwrap();
    (body["error"].as_str().unwrap().to_string(), headers)
}

/// Every message of `language` without values, as written: what an answer must be one of.
fn every_text(language: Language) -> BTreeSet<String> {
    let (ids, _) = message_ids(language);
    ids.iter().map(|id| Tr(language).t(id)).collect()
}

#[tokio::test]
async fn pages_speak_the_visitors_language_with_its_dates() {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let (status, body) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/events",
        Some(&token),
        Some(&json!({
            "title": "Budget assembly",
            "start": "2031-05-02T18:00", "end": "2031-05-02T20:30",
            "timezone": "Europe/Paris",
            "location": { "name": "Hôtel de ville", "locality": "Lyon" },
        })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&json!({ "title": "Nouvelle piscine", "language": "fr" })),
    )
    .await;
    assert_eq!(status, 201);

    for (accept, lang, navigation, month) in [
        ("fr-FR,fr;q=0.9,en;q=0.5", "fr", "Actualités", "mai"),
        ("es-ES", "es", "Noticias", "mayo"),
        ("de-DE, en;q=0.3", "en", "News", "May"),
    ] {
        let home = page_in(&app, "/", &[("Accept-Language", accept)]).await;
        assert!(home.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(home.contains(&format!(">{navigation}</a>")), "{lang}");
        let events = page_in(&app, "/events", &[("Accept-Language", accept)]).await;
        assert!(
            events.contains(&format!("2 {month}")) || events.contains(&format!("2 de {month}")),
            "{lang}: no localized date in the event list"
        );
        // The French post stays marked French on every page, the words around it not.
        let news = page_in(&app, "/news", &[("Accept-Language", accept)]).await;
        assert!(
            news.contains("<h3 lang=\"fr\"><a href=") && news.contains(">Nouvelle piscine</a>"),
            "{lang}"
        );
        assert!(news.contains("<li class=\"card card-news\">"), "{lang}");
    }
    let english = page_in(&app, "/", &[("Accept-Language", "en")]).await;
    let french = page_in(&app, "/", &[("Accept-Language", "fr")]).await;
    let tr = Tr(Language::Fr);
    for id in ["nav-calls", "list-upcoming-events", "language-switch"] {
        assert!(french.contains(&tr.t(id)), "{id}");
        assert!(!english.contains(&tr.t(id)), "{id} is not English");
    }
    // Pages vary by language for caches.
    let response = client().get(app.url("/")).send().await.unwrap();
    let vary = response.headers()[header::VARY].to_str().unwrap();
    assert!(
        vary.contains("Accept-Language") && vary.contains("Cookie"),
        "{vary}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_switch_is_remembered_and_wins_over_the_browser() {
    let app = spawn_app().await;
    let response = client()
        .get(app.url("/language/es?back=/news%3Fpage%3D1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/news?page=1");
    let cookie = set_cookie(&response).split(';').next().unwrap().to_string();
    assert_eq!(cookie, "munifed_lang=es");
    let news = page_in(
        &app,
        "/news",
        &[("Cookie", &cookie), ("Accept-Language", "fr")],
    )
    .await;
    assert!(news.contains("<html lang=\"es\">"));
    assert!(news.contains(&Tr(Language::Es).t("list-news-empty")));

    // Only back to our own pages; only our languages.
    for back in [
        "//evil.example/",
        "https://evil.example/",
        "/%5Cevil.example",
    ] {
        let response = client()
            .get(app.url(&format!("/language/fr?back={back}")))
            .send()
            .await
            .unwrap();
        assert_eq!(location(&response), "/", "{back}");
    }
    let response = client().get(app.url("/language/de")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    app.stop().await;
}

#[tokio::test]
async fn the_instance_default_is_used_when_the_browser_asks_for_none_of_ours() {
    let app = spawn_app_with(&[("MUNIFED__INSTANCE__DEFAULT_LANGUAGE", "fr")]).await;
    let home = page_in(&app, "/", &[("Accept-Language", "de, it;q=0.5")]).await;
    assert!(home.contains("<html lang=\"fr\">"));
    let home = page_in(&app, "/", &[]).await;
    assert!(home.contains("<html lang=\"fr\">"));
    let home = page_in(&app, "/", &[("Accept-Language", "en")]).await;
    assert!(home.contains("<html lang=\"en\">"));
    // Programs that ask for no language get English JSON errors all the same.
    let (said, _) = unsigned_post(&app, None).await;
    assert_eq!(said, Tr(Language::En).t("error-api-token-required"));
    let (said, _) = unsigned_post(&app, Some("es")).await;
    assert_eq!(said, Tr(Language::Es).t("error-api-token-required"));
    app.stop().await;

    let database = crate::helpers::TestDatabase::new();
    let loaded = munifed::config::Settings::load_with_env(
        None,
        vec![
            ("MUNIFED__DATABASE__URL".to_string(), database.url.clone()),
            (
                "MUNIFED__INSTANCE__DEFAULT_LANGUAGE".to_string(),
                "de".to_string(),
            ),
        ],
    );
    let Err(error) = loaded else {
        panic!("an unknown language is refused");
    };
    assert!(error.to_string().contains("en, fr and es"), "{error}");
}

#[tokio::test]
async fn api_errors_and_the_panel_speak_the_language() {
    let app = spawn_app().await;
    let (english, _) = unsigned_post(&app, Some("en")).await;
    let (in_french, _) = unsigned_post(&app, Some("fr")).await;
    assert_ne!(english, in_french);
    assert!(every_text(Language::Fr).contains(&in_french), "{in_french}");

    // Field errors too.
    let token = token_for(&app, "editor").await;
    let response = client()
        .post(app.url("/api/v1/events"))
        .bearer_auth(&token)
        .header("Accept-Language", "es")
        .json(&json!({ "title": "Sin fecha" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    let spanish = every_text(Language::Es);
    assert!(spanish.contains(body["error"].as_str().unwrap()), "{body}");
    let start = body["fields"]["start"].as_str().unwrap_or_default();
    assert!(spanish.contains(start), "{body}");

    // A query string that does not parse is refused in the language too.
    let response = client()
        .get(app.url("/news?page=x"))
        .header("Accept-Language", "es")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    let said = body["error"].as_str().unwrap();
    let start = Tr(Language::Es).t1("error-query-invalid", "error", "");
    assert!(said.starts_with(&start), "{said}");

    // Error answers vary by language for caches.
    let (said, headers) = unsigned_post(&app, None).await;
    let vary = headers[header::VARY].to_str().unwrap();
    assert!(vary.contains("Accept-Language"), "{vary}");
    assert_eq!(said, english);

    // The panel, for a signed-in member whose browser asks for French.
    user(&app, "ana@city.example", "admin").await;
    let signed = log_in(&app, "ana@city.example").await;
    let overview = client()
        .get(app.url("/admin"))
        .header(header::COOKIE, &signed.cookie)
        .header("Accept-Language", "fr")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(overview.contains("<html lang=\"fr\">"));
    for id in ["panel-page-posts", "panel-skip-to-content"] {
        assert!(overview.contains(&Tr(Language::Fr).t(id)), "{id}");
    }
    app.stop().await;
}
