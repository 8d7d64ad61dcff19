//! Relays: a Mastodon-style relay stand-in gets our Follow of Public, accepts it, receives
//! our public posts, and what it announces enters our timeline as boosted by the relay.

use std::{
    sync::{Arc, Mutex},
    time::SystemTime,
};

use actix_web::{web, App, HttpResponse, HttpServer};
use munifed::{
    crypto::SigningKey,
    federation::signatures::signed_post_request,
    service::{relays, users::Staff},
};
use serde_json::{json, Value};
use url::Url;

use crate::{
    helpers::{spawn_app, TestApp},
    publishing::{api, news, token_for},
};

struct Relay {
    base: String,
    key: Arc<SigningKey>,
    received: Arc<Mutex<Vec<Value>>>,
}

impl Relay {
    fn actor(&self) -> Url {
        Url::parse(&format!("{}/actor", self.base)).unwrap()
    }

    fn inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }

    /// POSTs `activity` to `app`'s shared inbox, signed by the relay's actor.
    async fn send(&self, app: &TestApp, activity: Value) -> u16 {
        self.send_signed_with(app, activity, self.key.clone()).await
    }

    /// POSTs `activity` under the relay's key id, signed with `key`.
    async fn send_signed_with(&self, app: &TestApp, activity: Value, key: Arc<SigningKey>) -> u16 {
        let data = app.data();
        let request = signed_post_request(
            &data.http,
            &app.url("/inbox"),
            &self.actor(),
            &key,
            serde_json::to_vec(&activity).unwrap(),
            SystemTime::now(),
        )
        .unwrap();
        data.http.execute(request).await.unwrap().status().as_u16()
    }

    fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }
}

async fn spawn_relay() -> Relay {
    let keys = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let received = Arc::new(Mutex::new(vec![]));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let actor = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": format!("{base}/actor"),
        "type": "Application",
        "preferredUsername": "relay",
        "inbox": format!("{base}/inbox"),
        "publicKey": {
            "id": format!("{base}/actor#main-key"),
            "owner": format!("{base}/actor"),
            "publicKeyPem": keys.public_key,
        },
    });
    let store = received.clone();
    let server = HttpServer::new(move || {
        let (actor, store) = (actor.clone(), store.clone());
        App::new()
            .route(
                "/actor",
                web::get().to(move || {
                    let actor = actor.clone();
                    async move {
                        HttpResponse::Ok()
                            .content_type("application/activity+json")
                            .body(actor.to_string())
                    }
                }),
            )
            .route(
                "/inbox",
                web::post().to(move |body: web::Bytes| {
                    let store = store.clone();
                    async move {
                        if let Ok(activity) = serde_json::from_slice(&body) {
                            store.lock().unwrap().push(activity);
                        }
                        HttpResponse::Accepted().finish()
                    }
                }),
            )
    })
    .workers(1)
    .listen(listener)
    .unwrap();
    tokio::spawn(server.run());
    Relay {
        base,
        key: Arc::new(SigningKey::from_pem(&keys.private_key).unwrap()),
        received,
    }
}

#[tokio::test]
async fn a_mastodon_style_relay_gets_our_posts_and_its_announces_reach_the_timeline() {
    let alpha = spawn_app().await;
    let beta = spawn_app().await;
    let relay = spawn_relay().await;

    // Subscribing sends the instance actor's Follow of Public to the relay's inbox.
    let added = relays::add(&alpha.data(), &Staff::Operator, &relay.inbox())
        .await
        .unwrap();
    assert_eq!(
        (added.kind.as_str(), added.state.as_str()),
        ("mastodon", "pending")
    );
    alpha.deliver_all_pending().await;
    let follow = relay.received().pop().expect("the relay got our Follow");
    assert_eq!(follow["type"], "Follow");
    assert_eq!(follow["actor"], alpha.url("/actor").to_string());
    assert_eq!(
        follow["object"],
        "https://www.w3.org/ns/activitystreams#Public"
    );

    // A Create forwarded before the relay accepted us is not believed.
    let beta_token = token_for(&beta, "editor").await;
    let mut forwarded_news = news();
    forwarded_news["title"] = json!("Forwarded from beta");
    let (_, forwarded_post) = api(
        &beta,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&beta_token),
        Some(&forwarded_news),
    )
    .await;
    let forwarded_id = forwarded_post["url"].as_str().unwrap().to_string();
    // Its id is the relay's own boost's id: whatever a member claims, it takes nothing over.
    let forwarded_create = json!({
        "id": format!("{}/activities/announce-1", relay.base),
        "type": "Create",
        "actor": beta.url("/users/news").to_string(),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": forwarded_id,
            "type": "Article",
            "attributedTo": beta.url("/users/news").to_string(),
            "name": "Forged by the relay",
            "content": "<p>Not what beta wrote</p>",
        },
    });
    assert_eq!(relay.send(&alpha, forwarded_create.clone()).await, 401);

    // An answer from elsewhere is refused; the relay's own Accept makes it accepted.
    let stranger = spawn_relay().await;
    let forged_accept = json!({
        "id": format!("{}/activities/accept-0", stranger.base),
        "type": "Accept",
        "actor": stranger.actor().to_string(),
        "object": follow.clone(),
    });
    assert_eq!(stranger.send(&alpha, forged_accept).await, 403);
    let listed = relays::list(&alpha.data(), &Staff::Operator).await.unwrap();
    assert_eq!(listed[0].state, "pending");
    let accept = json!({
        "id": format!("{}/activities/accept-1", relay.base),
        "type": "Accept",
        "actor": relay.actor().to_string(),
        "object": follow,
    });
    assert_eq!(relay.send(&alpha, accept.clone()).await, 202);
    let listed = relays::list(&alpha.data(), &Staff::Operator).await.unwrap();
    assert_eq!(listed[0].state, "accepted");
    assert_eq!(listed[0].actor.as_deref(), Some(relay.actor().as_str()));

    // A relay that follows our instance actor back (LitePub relays do) is accepted; anyone
    // else following the instance actor is not.
    let follow_back = |from: &Relay, n: u32| {
        json!({
            "id": format!("{}/activities/follow-{n}", from.base),
            "type": "Follow",
            "actor": from.actor().to_string(),
            "object": alpha.url("/actor").to_string(),
        })
    };
    assert_eq!(stranger.send(&alpha, follow_back(&stranger, 1)).await, 404);
    assert_eq!(relay.send(&alpha, follow_back(&relay, 2)).await, 202);
    alpha.deliver_all_pending().await;
    let answer = relay.received().pop().unwrap();
    assert_eq!(answer["type"], "Accept");
    assert_eq!(answer["actor"], alpha.url("/actor").to_string());

    // Our public posts go to the relay too.
    let token = token_for(&alpha, "editor").await;
    let (status, _) = api(
        &alpha,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 201);
    alpha.deliver_all_pending().await;
    let create = relay.received().pop().unwrap();
    assert_eq!(create["type"], "Create");

    // What the relay announces is fetched from its origin and shown as from the relay.
    let mut elsewhere = news();
    elsewhere["title"] = json!("Relayed from beta");
    let (_, created) = api(
        &beta,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&beta_token),
        Some(&elsewhere),
    )
    .await;
    let announce = json!({
        "id": format!("{}/activities/announce-1", relay.base),
        "type": "Announce",
        "actor": relay.actor().to_string(),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": created["url"],
    });
    assert_eq!(relay.send(&alpha, announce).await, 202);
    let (_, items) = api(
        &alpha,
        reqwest::Method::GET,
        "/api/v1/timeline?remote=true",
        None,
        None,
    )
    .await;
    assert_eq!(items[0]["title"], "Relayed from beta");
    assert_eq!(
        items[0]["boosted_by"]["handle"],
        format!("@relay@{}", relay.base.trim_start_matches("http://"))
    );

    // What it forwards must be signed with the relay's own key.
    assert_eq!(
        relay
            .send_signed_with(&alpha, forwarded_create.clone(), stranger.key.clone())
            .await,
        401
    );
    // What it forwards, signed by the relay and not by the author, is read from its
    // origin (the embedded copy is not believed) and shown as coming through the relay.
    assert_eq!(relay.send(&alpha, forwarded_create.clone()).await, 202);
    let forwarded_item = |items: &Value| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["id"] == forwarded_id.as_str())
            .cloned()
    };
    let (_, items) = api(
        &alpha,
        reqwest::Method::GET,
        "/api/v1/timeline?remote=true",
        None,
        None,
    )
    .await;
    let shown = forwarded_item(&items).expect("the forwarded post is in the timeline");
    assert_eq!(shown["title"], "Forwarded from beta");
    assert!(!shown.to_string().contains("Forged"));
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == "Relayed from beta"),
        "the boost whose id was claimed is untouched: {items}"
    );
    assert_eq!(
        shown["boosted_by"]["handle"],
        format!("@relay@{}", relay.base.trim_start_matches("http://"))
    );

    // A forwarded Delete is acted on only once the origin confirms it.
    let forwarded_delete = json!({
        "id": format!("{forwarded_id}#delete"),
        "type": "Delete",
        "actor": beta.url("/users/news").to_string(),
        "object": forwarded_id,
    });
    assert_eq!(relay.send(&alpha, forwarded_delete.clone()).await, 202);
    let (_, items) = api(
        &alpha,
        reqwest::Method::GET,
        "/api/v1/timeline?remote=true",
        None,
        None,
    )
    .await;
    assert!(
        forwarded_item(&items).is_some(),
        "still at its origin, so still shown"
    );
    let beta_path =
        Url::parse(&forwarded_id)
            .unwrap()
            .path()
            .replacen("/news/", "/api/v1/news/", 1);
    let (status, _) = api(
        &beta,
        reqwest::Method::DELETE,
        &beta_path,
        Some(&beta_token),
        None,
    )
    .await;
    assert!(status < 300, "beta deletes its post: {status}");
    assert_eq!(relay.send(&alpha, forwarded_delete).await, 202);
    let (_, items) = api(
        &alpha,
        reqwest::Method::GET,
        "/api/v1/timeline?remote=true",
        None,
        None,
    )
    .await;
    assert!(
        forwarded_item(&items).is_none(),
        "gone at its origin, so gone here"
    );

    // A Reject ends the subscription; a replayed Accept does not bring it back.
    let reject = json!({
        "id": format!("{}/activities/reject-1", relay.base),
        "type": "Reject",
        "actor": relay.actor().to_string(),
        "object": listed[0].follow_activity_id,
    });
    assert_eq!(relay.send(&alpha, reject).await, 202);
    assert_eq!(relay.send(&alpha, accept).await, 202);
    let listed = relays::list(&alpha.data(), &Staff::Operator).await.unwrap();
    assert_eq!(listed[0].state, "rejected");
    assert_eq!(
        relay.send(&alpha, forwarded_create.clone()).await,
        401,
        "no longer a relay of ours"
    );

    // Only admins manage relays; unsubscribing sends an Undo.
    let (status, _) = api(
        &alpha,
        reqwest::Method::GET,
        "/api/v1/relays",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 403);
    relays::remove(&alpha.data(), &Staff::Operator, &relay.inbox())
        .await
        .unwrap();
    alpha.deliver_all_pending().await;
    assert_eq!(relay.received().pop().unwrap()["type"], "Undo");

    // A relay on a blocked domain is refused outright, accepted or not.
    let again = relays::add(&alpha.data(), &Staff::Operator, &relay.inbox())
        .await
        .unwrap();
    let accept_again = json!({
        "id": format!("{}/activities/accept-2", relay.base),
        "type": "Accept",
        "actor": relay.actor().to_string(),
        "object": again.follow_activity_id,
    });
    assert_eq!(relay.send(&alpha, accept_again).await, 202);
    assert_eq!(relay.send(&alpha, forwarded_create.clone()).await, 202);
    munifed::service::domains::block(&alpha.data(), "localhost", "test")
        .await
        .unwrap();
    assert_eq!(relay.send(&alpha, forwarded_create).await, 403);
}
