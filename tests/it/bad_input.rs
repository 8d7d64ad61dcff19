//! Hostile and malformed inbox requests: each gets a clear 4xx and changes nothing.

use std::time::{Duration, SystemTime};

use serde_json::{json, Value};

use crate::helpers::{spawn_pair, TestApp};

fn follow_of(alpha: &TestApp, beta: &TestApp, id: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": beta.url(&format!("/activities/{id}")).to_string(),
        "type": "Follow",
        "actor": beta.url("/users/news").to_string(),
        "object": alpha.url("/users/news").to_string(),
    })
}

#[tokio::test]
async fn refused_requests_change_nothing() {
    let (alpha, beta) = spawn_pair().await;
    let beta_news = beta.url("/users/news");
    // Alpha learns beta's actor first, so that the snapshot below is not moved by a fetch.
    munifed::federation::webfinger::resolve_actor(&alpha.data(), beta_news.as_str())
        .await
        .unwrap();
    let before = alpha.snapshot().await;
    let follow = follow_of(&alpha, &beta, "forged");

    // Unsigned.
    let response = alpha
        .http
        .post(alpha.url("/inbox"))
        .header("Content-Type", "application/activity+json")
        .body(follow.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    // Signed by beta's instance actor, on behalf of beta's news account.
    let response = alpha
        .post_signed_as(
            &beta,
            &beta.url("/actor"),
            "/inbox",
            &follow,
            SystemTime::now(),
        )
        .await;
    assert_eq!(response.status(), 401);

    // Signed by an actor of another host than the activity's actor.
    let forged = json!({
        "id": "https://elsewhere.example/activities/1",
        "type": "Follow",
        "actor": "https://elsewhere.example/users/x",
        "object": alpha.url("/users/news").to_string(),
    });
    let response = alpha
        .post_signed_as(&beta, &beta_news, "/inbox", &forged, SystemTime::now())
        .await;
    assert_eq!(response.status(), 401);

    // A Date two hours old.
    let stale = SystemTime::now() - Duration::from_secs(2 * 3600);
    let response = alpha
        .post_signed_as(&beta, &beta_news, "/inbox", &follow, stale)
        .await;
    assert_eq!(response.status(), 401);

    // Over the body limit (1 MiB by default).
    let mut huge = follow.clone();
    huge["padding"] = json!("x".repeat(1024 * 1024 + 10));
    let response = alpha
        .post_signed_as(&beta, &beta_news, "/inbox", &huge, SystemTime::now())
        .await;
    assert_eq!(response.status(), 413);

    // Not JSON.
    let response = alpha
        .http
        .post(alpha.url("/inbox"))
        .header("Content-Type", "application/activity+json")
        .body("{ this is not json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        401,
        "unsigned: refused before the body is read"
    );

    // A type we do not act on, properly signed: accepted, ignored.
    let unknown = json!({
        "id": beta.url("/activities/unknown").to_string(),
        "type": "Bite",
        "actor": beta_news.to_string(),
        "object": alpha.url("/users/news").to_string(),
    });
    let response = alpha
        .post_signed_as(&beta, &beta_news, "/inbox", &unknown, SystemTime::now())
        .await;
    assert_eq!(response.status(), 202);

    // A Follow of an account that does not exist.
    let response = alpha
        .post_signed_as(
            &beta,
            &beta_news,
            "/users/nobody/inbox",
            &follow,
            SystemTime::now(),
        )
        .await;
    assert_eq!(response.status(), 404);

    assert_eq!(alpha.snapshot().await, before);
    assert_eq!(alpha.deliver_all_pending().await, 0);
}

#[tokio::test]
async fn the_same_activity_twice_has_one_effect() {
    let (alpha, beta) = spawn_pair().await;
    let beta_news = beta.url("/users/news");
    let follow = follow_of(&alpha, &beta, "twice");
    for _ in 0..2 {
        let response = alpha
            .post_signed_as(
                &beta,
                &beta_news,
                "/users/news/inbox",
                &follow,
                SystemTime::now(),
            )
            .await;
        assert_eq!(response.status(), 202);
    }
    assert_eq!(
        alpha.get_activity_json("/users/news/followers").await["totalItems"],
        1
    );
    // One Accept, not two.
    assert_eq!(alpha.deliver_all_pending().await, 1);
}

#[tokio::test]
async fn an_undo_by_another_actor_is_refused() {
    let (alpha, beta) = spawn_pair().await;
    let beta_news = beta.url("/users/news");
    let follow = follow_of(&alpha, &beta, "to-undo");
    let response = alpha
        .post_signed_as(&beta, &beta_news, "/inbox", &follow, SystemTime::now())
        .await;
    assert_eq!(response.status(), 202);
    // Beta's instance actor tries to undo the news account's follow.
    let undo = json!({
        "id": beta.url("/activities/undo-by-other").to_string(),
        "type": "Undo",
        "actor": beta.url("/actor").to_string(),
        "object": follow,
    });
    let response = alpha
        .post_signed_as(
            &beta,
            &beta.url("/actor"),
            "/inbox",
            &undo,
            SystemTime::now(),
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(
        alpha.get_activity_json("/users/news/followers").await["totalItems"],
        1
    );
}

#[tokio::test]
async fn a_blocked_domain_gets_403_and_changes_nothing() {
    let (alpha, beta) = spawn_pair().await;
    munifed::service::domains::block(&alpha.data(), &beta.domain, "test")
        .await
        .unwrap();
    let before = alpha.snapshot().await;
    let follow = follow_of(&alpha, &beta, "blocked");
    let response = alpha
        .post_signed_as(
            &beta,
            &beta.url("/users/news"),
            "/inbox",
            &follow,
            SystemTime::now(),
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(alpha.snapshot().await, before);
    // Nor can alpha's users follow into the blocked domain.
    let refused = munifed::service::follow::follow(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@{}", beta.domain),
    )
    .await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn the_same_activity_delivered_several_times_at_once_has_one_effect() {
    let (alpha, beta) = spawn_pair().await;
    let beta_news = beta.url("/users/news");
    munifed::federation::webfinger::resolve_actor(&alpha.data(), beta_news.as_str())
        .await
        .unwrap();
    let follow = follow_of(&alpha, &beta, "raced");
    let sends = (0..8)
        .map(|_| alpha.post_signed_as(&beta, &beta_news, "/inbox", &follow, SystemTime::now()));
    for response in futures::future::join_all(sends).await {
        assert_eq!(response.status(), 202);
    }
    // One follow, and one Accept queued for it.
    let [_, follows, received, outgoing, _] = alpha.snapshot().await;
    assert_eq!((follows, received, outgoing), (1, 1, 1));
}
