//! Moving house (Mastodon's account migration): the new account names the old one as an
//! alias, the old one sends `Move`, and the servers of its followers follow the new one.

use std::time::SystemTime;

use munifed::service::{accounts, follow, users::Staff};
use serde_json::json;

use crate::helpers::{follow_news, spawn_app, TestApp};

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
    let response = reader
        .post_signed_as(&old, &old_news, "/inbox", &forged, SystemTime::now())
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(following(&reader).await, before);

    // Nor may an actor move someone else.
    let mut someone_else = forged.clone();
    someone_else["id"] = json!(old.url("/activities/forged-move-2"));
    someone_else["object"] = json!(other.url("/users/news"));
    let response = reader
        .post_signed_as(&old, &old_news, "/inbox", &someone_else, SystemTime::now())
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(following(&reader).await, before);
    assert_eq!(reader.deliver_all_pending().await, 0);
}
