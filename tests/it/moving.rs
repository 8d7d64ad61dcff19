//! Moving house (Mastodon's account migration): the new account names the old one as an
//! alias, the old one sends `Move`, and the servers of its followers follow the new one.

use std::time::SystemTime;

use munifed::service::{accounts, follow, users::Staff};
use serde_json::json;

use crate::{
    helpers::{follow_news, run_munifed, spawn_app, TestApp},
    publishing::{api, call, event, news, token_for},
};

/// The actors `app`'s news account follows, with each follow's state.
async fn following(app: &TestApp) -> Vec<(String, String)> {
    let (_, follows) = follow::following(&app.data(), &Staff::Operator, None, 1, 80)
        .await
        .unwrap();
    follows
        .into_iter()
        .map(|(actor, state)| (actor.ap_id.to_string(), state))
        .collect()
}

#[tokio::test]
async fn followers_of_a_moved_account_end_up_following_the_new_one() {
    let (old, new, reader) = (spawn_app().await, spawn_app().await, spawn_app().await);
    let (old_news, new_news) = (old.url("/users/news"), new.url("/users/news"));
    follow_news(&reader, &old).await;
    assert_eq!(
        following(&reader).await,
        [(old_news.to_string(), "accepted".into())]
    );

    // Without the alias on the new account, the old one cannot move there.
    let refused = accounts::move_to(
        &old.data(),
        &Staff::Operator,
        "news",
        &format!("@news@{}", new.domain),
    )
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("alias"), "{refused}");

    let aliased = accounts::set_aliases(
        &new.data(),
        &Staff::Operator,
        "news",
        &[format!("@news@{}", old.domain)],
    )
    .await
    .unwrap();
    assert_eq!(aliased.aliases(), [old_news.to_string()]);
    let document = new.get_activity_json("/users/news").await;
    assert_eq!(document["alsoKnownAs"], json!([old_news.as_str()]));

    accounts::move_to(
        &old.data(),
        &Staff::Operator,
        "news",
        &format!("@news@{}", new.domain),
    )
    .await
    .unwrap();
    let document = old.get_activity_json("/users/news").await;
    assert_eq!(document["movedTo"], json!(new_news.as_str()));

    // The Move reaches the reader, whose news account follows the new account instead.
    old.deliver_all_pending().await;
    reader.deliver_all_pending().await;
    new.deliver_all_pending().await;
    assert_eq!(
        following(&reader).await,
        [(new_news.to_string(), "accepted".into())]
    );
    let followers = new.collection_items("/users/news/followers").await;
    assert_eq!(followers, [reader.url("/users/news").to_string()]);
    assert!(old
        .collection_items("/users/news/followers")
        .await
        .is_empty());

    // The Move went to the followers only: it is not in the public outbox.
    let outbox = old.get_activity_json("/users/news/outbox?page=1").await;
    assert!(!outbox.to_string().contains("\"Move\""), "{outbox}");
    // Moving again is refused.
    let again = accounts::move_to(
        &old.data(),
        &Staff::Operator,
        "news",
        &format!("@news@{}", new.domain),
    )
    .await
    .unwrap_err();
    assert!(again.to_string().contains("already moved"), "{again}");
    // A Move sent again within the week changes nothing, even for a follower it would
    // move: the reader follows the old account again first.
    follow_news(&reader, &old).await;
    let before = following(&reader).await;
    assert_eq!(before.len(), 2, "{before:?}");
    let repeated = json!({
        "id": old.url("/activities/move-again"),
        "type": "Move",
        "actor": old_news,
        "object": old_news,
        "target": new_news,
    });
    let response = send_move(&reader, &old, &repeated).await;
    assert_eq!(response.status(), 202);
    assert_eq!(reader.deliver_all_pending().await, 0);
    assert_eq!(following(&reader).await, before);
}

#[tokio::test]
async fn a_move_to_an_account_that_does_not_name_the_mover_changes_nothing() {
    let (old, other, reader) = (spawn_app().await, spawn_app().await, spawn_app().await);
    follow_news(&reader, &old).await;
    let before = following(&reader).await;
    let old_news = old.url("/users/news");
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": old.url("/activities/forged-move"),
        "type": "Move",
        "actor": old_news,
        "object": old_news,
        "target": other.url("/users/news"),
    });
    let response = send_move(&reader, &old, &forged).await;
    assert_eq!(response.status(), 400);
    assert_eq!(following(&reader).await, before);

    // Nor may an actor move someone else.
    let mut someone_else = forged.clone();
    someone_else["id"] = json!(old.url("/activities/forged-move-2"));
    someone_else["object"] = json!(other.url("/users/news"));
    let response = send_move(&reader, &old, &someone_else).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("only move itself"));
    assert_eq!(following(&reader).await, before);

    // Nor to an account of the reader's own instance.
    let mut local = forged.clone();
    local["id"] = json!(old.url("/activities/forged-move-3"));
    local["target"] = json!(reader.url("/users/news"));
    let response = send_move(&reader, &old, &local).await;
    assert_eq!(response.status(), 400);
    assert_eq!(following(&reader).await, before);
    assert_eq!(reader.deliver_all_pending().await, 0);
}

/// POSTs `activity` to `reader`'s inbox, signed by `old`'s news account.
async fn send_move(
    reader: &TestApp,
    old: &TestApp,
    activity: &serde_json::Value,
) -> reqwest::Response {
    reader
        .post_signed_as(
            old,
            &old.url("/users/news"),
            "/inbox",
            activity,
            SystemTime::now(),
        )
        .await
}

/// The command line on `app`'s database, under its name, allowed to reach other test
/// instances on loopback.
fn munifed(app: &TestApp, args: &[&str]) -> std::process::Output {
    run_munifed(
        app.database_url(),
        args,
        &[
            ("MUNIFED__INSTANCE__DOMAIN", &app.domain),
            ("MUNIFED__FEDERATION__DEV_MODE", "true"),
            ("MUNIFED__FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true"),
        ],
    )
}

#[tokio::test]
async fn an_account_is_exported_whole_and_imported_elsewhere() {
    let (city, partner, reader, new_home) = (
        spawn_app().await,
        spawn_app().await,
        spawn_app().await,
        spawn_app().await,
    );
    follow_news(&city, &partner).await;
    follow_news(&reader, &city).await;
    let token = token_for(&city, "editor").await;
    let mut translated = news();
    translated["translations"] = json!({ "fr": { "title": "Les villes partagent leurs plans" } });
    for (path, body) in [
        ("/api/v1/news", translated),
        ("/api/v1/calls", call()),
        ("/api/v1/events", event()),
    ] {
        let (status, post) = api(
            &city,
            reqwest::Method::POST,
            path,
            Some(&token),
            Some(&body),
        )
        .await;
        assert_eq!(status, 201, "{post}");
    }

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("news.json");
    let file_arg = file.to_string_lossy().into_owned();
    let exported = munifed(&city, &["account", "export", "news", "--output", &file_arg]);
    assert!(exported.status.success(), "{exported:?}");
    let again = munifed(&city, &["account", "export", "news", "--output", &file_arg]);
    assert!(!again.status.success(), "an export never overwrites a file");
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        document["actor"]["id"],
        json!(city.url("/users/news").as_str())
    );
    let posts = document["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 3);
    assert_eq!(
        posts[0]["translations"]["fr"]["title"],
        "Les villes partagent leurs plans"
    );
    assert_eq!(document["outbox"]["type"], "OrderedCollection");
    let creates = document["outbox"]["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["type"] == "Create")
        .count();
    assert_eq!(creates, 3);
    assert_eq!(
        document["followers"]["orderedItems"],
        json!([reader.url("/users/news").as_str()])
    );
    assert_eq!(
        document["following"]["orderedItems"],
        json!([partner.url("/users/news").as_str()])
    );

    let imported = munifed(
        &new_home,
        &["account", "import", &file_arg, "--as", "city", "--posts"],
    );
    assert!(imported.status.success(), "{imported:?}");
    let account = accounts::by_name(&new_home.data(), "city").await.unwrap();
    assert_eq!(
        account.display_name,
        document["account"]["display_name"].as_str().unwrap()
    );
    new_home.deliver_all_pending().await;
    partner.deliver_all_pending().await;
    let (_, follows) = follow::following(&new_home.data(), &Staff::Operator, Some("city"), 1, 80)
        .await
        .unwrap();
    let follows: Vec<(String, String)> = follows
        .into_iter()
        .map(|(actor, state)| (actor.ap_id.to_string(), state))
        .collect();
    assert_eq!(
        follows,
        [(partner.url("/users/news").to_string(), "accepted".into())]
    );
    let new_token = token_for(&new_home, "editor").await;
    for (kind, title) in [
        ("news", "Cities share resilience plans"),
        ("calls", "Competitive call for innovation: small grants"),
        ("events", "World Forum"),
    ] {
        let (status, list) = api(
            &new_home,
            reqwest::Method::GET,
            &format!("/api/v1/{kind}"),
            Some(&new_token),
            None,
        )
        .await;
        assert_eq!(status, 200);
        let mine: Vec<&serde_json::Value> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["account"] == "city")
            .collect();
        assert_eq!(mine.len(), 1, "{kind}: {list}");
        assert_eq!(mine[0]["title"], title);
        // Times keep their instant and their zone.
        let exported = posts.iter().find(|p| p["title"] == title).unwrap();
        for field in ["deadline", "start", "end", "timezone"] {
            assert_eq!(mine[0][field], exported[field], "{kind} {field}");
        }
    }

    // An export with a post that cannot be published makes nothing at all.
    let mut broken = document.clone();
    broken["posts"][1]["title"] = json!("");
    let broken_file = dir.path().join("broken.json");
    std::fs::write(&broken_file, broken.to_string()).unwrap();
    let refused = munifed(
        &new_home,
        &[
            "account",
            "import",
            &broken_file.to_string_lossy(),
            "--as",
            "other",
            "--posts",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("post 2"),
        "{refused:?}"
    );
    assert!(accounts::by_name(&new_home.data(), "other").await.is_err());

    let refused = munifed(
        &new_home,
        &["account", "import", "/nonexistent/export.json"],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cannot read"));
}
