//! Following between two instances, through the CLI's service, over loopback.

use munifed::{
    db,
    service::{
        accounts::{self, NewAccount},
        follow,
    },
};

use serde_json::json;

use crate::helpers::{spawn_pair, TestApp};

/// `app`'s account `follower` following `followee` (an AP id), if it does or asked to.
async fn follow_of(
    app: &TestApp,
    follower: &str,
    followee: String,
) -> Option<db::follows::DbFollow> {
    let follower = accounts::by_name(&app.data(), follower).await.unwrap();
    db::run(&app.data().db, move |conn| {
        let followee = db::actors::by_ap_id(conn, &followee)?.unwrap();
        Ok(db::follows::find(conn, follower.id, followee.id)?)
    })
    .await
    .unwrap()
}

/// The state of `app`'s account `follower` following `followee` (an AP id).
async fn follow_state(app: &TestApp, follower: &str, followee: String) -> Option<String> {
    follow_of(app, follower, followee).await.map(|f| f.state)
}

#[tokio::test]
async fn beta_follows_alpha_by_handle_and_unfollows() {
    let (alpha, beta) = spawn_pair().await;
    let alpha_news = alpha.url("/users/news").to_string();
    let beta_news = beta.url("/users/news").to_string();

    let outcome = follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@{}", alpha.domain),
    )
    .await
    .unwrap();
    assert_eq!(outcome.state, "pending");
    assert_eq!(outcome.target.ap_id.as_str(), alpha_news);
    assert_eq!(
        follow_state(&beta, "news", alpha_news.clone())
            .await
            .as_deref(),
        Some("pending")
    );

    // Beta sends the Follow; alpha records beta and queues the Accept; beta records it.
    assert_eq!(beta.deliver_all_pending().await, 1);
    assert_eq!(
        alpha.collection_items("/users/news/followers").await,
        vec![beta_news.clone()]
    );
    assert_eq!(alpha.deliver_all_pending().await, 1);
    assert_eq!(
        follow_state(&beta, "news", alpha_news.clone())
            .await
            .as_deref(),
        Some("accepted")
    );
    assert_eq!(
        beta.collection_items("/users/news/following").await,
        vec![alpha_news.clone()]
    );
    let following = beta.get_activity_json("/users/news/following").await;
    assert_eq!(following["totalItems"], 1);

    // Following again sends nothing new.
    let again = follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("news@{}", alpha.domain),
    )
    .await
    .unwrap();
    assert!(!again.sent);
    assert_eq!(beta.deliver_all_pending().await, 0);

    follow::unfollow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &alpha_news,
    )
    .await
    .unwrap();
    assert_eq!(follow_state(&beta, "news", alpha_news.clone()).await, None);
    assert_eq!(beta.deliver_all_pending().await, 1);
    let followers = alpha.get_activity_json("/users/news/followers").await;
    assert_eq!(followers["totalItems"], 0);
    assert!(alpha
        .collection_items("/users/news/followers")
        .await
        .is_empty());
    assert!(beta
        .collection_items("/users/news/following")
        .await
        .is_empty());
}

#[tokio::test]
async fn manual_approval_keeps_the_follow_pending_until_approved() {
    let (alpha, beta) = spawn_pair().await;
    accounts::create(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        NewAccount {
            name: "fund".into(),
            display_name: Some("Partnership Fund".into()),
            manual_approval: true,
            ..NewAccount::default()
        },
    )
    .await
    .unwrap();
    let fund = alpha.url("/users/fund").to_string();
    let beta_news = beta.url("/users/news");

    let actor = alpha.get_activity_json("/users/fund").await;
    assert_eq!(actor["manuallyApprovesFollowers"], true);

    follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@fund@{}", alpha.domain),
    )
    .await
    .unwrap();
    assert_eq!(beta.deliver_all_pending().await, 1);
    // Alpha holds a request, sends no Accept, lists no follower.
    assert_eq!(alpha.deliver_all_pending().await, 0);
    assert_eq!(
        alpha.get_activity_json("/users/fund/followers").await["totalItems"],
        0
    );
    let requests = follow::requests(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        Some("fund"),
    )
    .await
    .unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        follow_state(&beta, "news", fund.clone()).await.as_deref(),
        Some("pending")
    );

    follow::decide_request(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        Some("fund"),
        beta_news.as_str(),
        true,
    )
    .await
    .unwrap();
    assert_eq!(alpha.deliver_all_pending().await, 1);
    assert_eq!(
        follow_state(&beta, "news", fund.clone()).await.as_deref(),
        Some("accepted")
    );
    assert_eq!(
        alpha.collection_items("/users/fund/followers").await,
        vec![beta_news.to_string()]
    );
}

#[tokio::test]
async fn a_refused_request_shows_as_rejected_and_leaves_the_requests() {
    let (alpha, beta) = spawn_pair().await;
    accounts::create(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        NewAccount {
            name: "board".into(),
            manual_approval: true,
            ..NewAccount::default()
        },
    )
    .await
    .unwrap();
    follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@board@{}", alpha.domain),
    )
    .await
    .unwrap();
    beta.deliver_all_pending().await;
    follow::decide_request(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        Some("board"),
        beta.url("/users/news").as_str(),
        false,
    )
    .await
    .unwrap();
    assert_eq!(alpha.deliver_all_pending().await, 1);
    assert_eq!(
        follow_state(&beta, "news", alpha.url("/users/board").to_string()).await,
        Some("rejected".to_string()),
        "the follower sees the answer"
    );
    assert!(follow::requests(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        Some("board")
    )
    .await
    .unwrap()
    .is_empty());

    // Asking again is a new request (a new Follow id), pending on both sides until approved.
    let board = alpha.url("/users/board").to_string();
    let first_id = follow_of(&beta, "news", board.clone())
        .await
        .unwrap()
        .activity_id;
    follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@board@{}", alpha.domain),
    )
    .await
    .unwrap();
    assert_ne!(
        follow_of(&beta, "news", board).await.unwrap().activity_id,
        first_id
    );
    assert_eq!(
        follow_state(&beta, "news", alpha.url("/users/board").to_string()).await,
        Some("pending".to_string())
    );
    beta.deliver_all_pending().await;
    assert_eq!(
        follow::requests(
            &alpha.data(),
            &munifed::service::users::Staff::Operator,
            Some("board")
        )
        .await
        .unwrap()
        .len(),
        1,
        "the new request waits for approval"
    );
    follow::decide_request(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        Some("board"),
        beta.url("/users/news").as_str(),
        true,
    )
    .await
    .unwrap();
    alpha.deliver_all_pending().await;
    assert_eq!(
        follow_state(&beta, "news", alpha.url("/users/board").to_string()).await,
        Some("accepted".to_string())
    );
}

#[tokio::test]
async fn a_profile_update_reaches_followers() {
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

    accounts::update(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        "news",
        accounts::AccountChanges {
            display_name: Some("City of Alpha".into()),
            summary: Some("Resilient since 1726.".into()),
            icon_url: Some("https://alpha.example/logo.png".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let actor = alpha.get_activity_json("/users/news").await;
    assert_eq!(actor["name"], "City of Alpha");
    assert_eq!(alpha.deliver_all_pending().await, 1, "one Update to beta");

    let alpha_news = alpha.url("/users/news").to_string();
    let stored = db::run(&beta.data().db, move |conn| {
        Ok(db::actors::by_ap_id(conn, &alpha_news)?)
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(stored.display_name, "City of Alpha");
    assert_eq!(stored.summary, "<p>Resilient since 1726.</p>");
    assert_eq!(
        stored.icon_url.as_deref(),
        Some("https://alpha.example/logo.png")
    );

    // Invalid changes are refused and change nothing.
    let refused = accounts::update(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        "news",
        accounts::AccountChanges {
            website: Some("javascript:alert(1)".into()),
            ..Default::default()
        },
    )
    .await;
    assert!(refused.is_err());
    assert_eq!(alpha.deliver_all_pending().await, 0);
}

#[tokio::test]
async fn webfinger_redirects_are_followed() {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let (alpha, beta) = spawn_pair().await;
    // A domain that hands WebFinger to alpha's host, as a delegated domain would.
    let target = format!(
        "{}.well-known/webfinger?resource=acct:news@{}",
        alpha.base, alpha.domain
    );
    let server = HttpServer::new(move || {
        let target = target.clone();
        App::new().default_service(web::to(move || {
            let target = target.clone();
            async move {
                HttpResponse::Found()
                    .insert_header(("Location", target))
                    .finish()
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());

    let outcome = follow::follow(
        &beta.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@localhost:{port}"),
    )
    .await
    .unwrap();
    assert_eq!(
        outcome.target.ap_id.as_str(),
        alpha.url("/users/news").as_str()
    );
}

#[tokio::test]
async fn an_account_deletion_removes_the_actor_and_its_follows() {
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
    assert_eq!(
        alpha.get_activity_json("/users/news/followers").await["totalItems"],
        1
    );

    let beta_news = beta.url("/users/news");
    let delete = serde_json::json!({
        "id": format!("{beta_news}#delete"),
        "type": "Delete",
        "actor": beta_news.to_string(),
        "object": beta_news.to_string(),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    let response = alpha
        .post_signed_as(
            &beta,
            &beta_news,
            "/inbox",
            &delete,
            std::time::SystemTime::now(),
        )
        .await;
    assert_eq!(response.status(), 202);
    assert_eq!(
        alpha.get_activity_json("/users/news/followers").await["totalItems"],
        0
    );
    let key = beta_news.to_string();
    let stored = db::run(&alpha.data().db, move |conn| {
        Ok(db::actors::by_ap_id(conn, &key)?)
    })
    .await
    .unwrap();
    assert!(stored.is_none());
}

#[tokio::test]
async fn the_api_follows_lists_and_unfollows_through_the_same_service() {
    use crate::publishing::{api, token_for};
    let (alpha, beta) = spawn_pair().await;
    let editor = token_for(&beta, "editor").await;
    let moderator = token_for(&beta, "moderator").await;
    let target = json!({ "target": format!("@news@{}", alpha.domain), "account": "news" });
    let (status, _) = api(
        &beta,
        reqwest::Method::POST,
        "/api/v1/follows",
        Some(&moderator),
        Some(&target),
    )
    .await;
    assert_eq!(status, 403, "moderators do not act for accounts");
    let (status, body) = api(
        &beta,
        reqwest::Method::POST,
        "/api/v1/follows",
        Some(&editor),
        Some(&target),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["state"], "pending");
    let (_, listed) = api(
        &beta,
        reqwest::Method::GET,
        "/api/v1/follows?account=news",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(listed[0]["state"], "pending");
    beta.deliver_all_pending().await;
    alpha.deliver_all_pending().await;
    let (_, listed) = api(
        &beta,
        reqwest::Method::GET,
        "/api/v1/follows",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(listed[0]["handle"], format!("@news@{}", alpha.domain));
    assert_eq!(listed[0]["state"], "accepted");
    // Paged: a full page links to the next one.
    let response = beta
        .http
        .get(beta.url("/api/v1/follows?limit=1"))
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    let link = response.headers()["link"].to_str().unwrap().to_string();
    assert!(
        link.contains("page=2") && link.contains("rel=\"next\""),
        "{link}"
    );
    assert_eq!(
        response
            .json::<serde_json::Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let next = link
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_string();
    let response = beta
        .http
        .get(&next)
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("link").is_none());
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap(),
        json!([])
    );
    for (bad, expected) in [
        ("limit=0", 422),
        ("limit=201", 422),
        ("page=0", 422),
        ("page=x", 400),
    ] {
        let (status, _) = api(
            &beta,
            reqwest::Method::GET,
            &format!("/api/v1/follows?{bad}"),
            Some(&editor),
            None,
        )
        .await;
        assert_eq!(status, expected, "{bad}");
    }
    let (status, body) = api(
        &beta,
        reqwest::Method::DELETE,
        "/api/v1/follows",
        Some(&editor),
        Some(&target),
    )
    .await;
    assert_eq!((status, body["state"].as_str()), (200, Some("none")));
    let (_, listed) = api(
        &beta,
        reqwest::Method::GET,
        "/api/v1/follows",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(listed, json!([]));
    let (status, _) = api(
        &beta,
        reqwest::Method::POST,
        "/api/v1/follows",
        Some(&editor),
        Some(&json!({ "who": 1 })),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = api(&beta, reqwest::Method::GET, "/api/v1/follows", None, None).await;
    assert_eq!(status, 401);
}
