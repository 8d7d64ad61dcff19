//! Authorized fetch (`federation.authorized_fetch`): ActivityPub GETs must be signed.

use munifed::service::follow;

use crate::{
    helpers::{spawn_app, spawn_app_with, TestApp},
    publishing::{api, news, token_for},
};

/// A GET of `path` on `app` through `signer`'s client, which signs every GET as its
/// instance actor: status and JSON body.
async fn signed_get_json(app: &TestApp, signer: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let response = signer
        .data()
        .http
        .get(app.url(path).as_str())
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

async fn signed_get(app: &TestApp, signer: &TestApp, path: &str) -> u16 {
    signed_get_json(app, signer, path).await.0
}

async fn unsigned_get(app: &TestApp, path: &str, accept: &str) -> u16 {
    app.http
        .get(app.url(path))
        .header("Accept", accept)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn activitypub_gets_need_a_signature_from_an_unblocked_domain() {
    let alpha = spawn_app_with(&[("MUNIFED__FEDERATION__AUTHORIZED_FETCH", "true")]).await;
    let beta = spawn_app().await;
    let token = token_for(&alpha, "editor").await;
    let (_, post) = api(
        &alpha,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&news()),
    )
    .await;
    let post_path = format!("/news/{}", post["id"]);
    let json = "application/activity+json";

    for path in [
        "/users/news",
        "/users/news/followers",
        "/users/news/outbox",
        post_path.as_str(),
    ] {
        assert_eq!(unsigned_get(&alpha, path, json).await, 401, "{path}");
        assert_eq!(signed_get(&alpha, &beta, path).await, 200, "{path}");
    }
    // Open to everyone: pages, the instance actor, discovery.
    assert_eq!(unsigned_get(&alpha, "/users/news", "text/html").await, 200);
    assert_eq!(unsigned_get(&alpha, &post_path, "text/html").await, 200);
    assert_eq!(unsigned_get(&alpha, "/actor", json).await, 200);
    let webfinger = format!("/.well-known/webfinger?resource=acct:news@{}", alpha.domain);
    assert_eq!(
        unsigned_get(&alpha, &webfinger, "application/jrd+json").await,
        200
    );

    // Following works: every fetch between the two is signed.
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
    let (_, followers) = signed_get_json(&alpha, &beta, "/users/news/followers").await;
    assert_eq!(followers["totalItems"], 1);

    // A blocked domain is refused even with a valid signature.
    munifed::service::domains::block(&alpha.data(), &beta.domain, "test")
        .await
        .unwrap();
    assert_eq!(signed_get(&alpha, &beta, "/users/news").await, 403);
}
