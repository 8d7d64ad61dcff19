//! With `dev_mode` and `allow_private_addresses` off, as in production: requests to
//! private and loopback addresses, http:// URLs and explicit ports are refused, for
//! deliveries, WebFinger and fetches alike, and nothing is sent or stored.

use munifed::{
    db::{self, deliveries},
    service::{accounts, follow},
};
use serde_json::json;

use crate::{
    delivery::{deliveries_of, send},
    helpers::{spawn_app, spawn_app_with, spawn_receiver, TestApp},
};

const PRODUCTION: &[(&str, &str)] = &[
    ("MUNIFED__FEDERATION__DEV_MODE", "false"),
    ("MUNIFED__FEDERATION__ALLOW_PRIVATE_ADDRESSES", "false"),
];

async fn remote_actor_count(app: &TestApp) -> i64 {
    db::run(&app.data().db, |conn| {
        use diesel::{dsl::count_star, ExpressionMethods, QueryDsl, RunQueryDsl};
        use munifed::db::schema::actors;
        Ok(actors::table
            .filter(actors::local.eq(false))
            .select(count_star())
            .first(conn)?)
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn deliveries_to_private_addresses_plain_http_and_ports_are_refused_for_good() {
    let app = spawn_app_with(PRODUCTION).await;
    let receiver = spawn_receiver(202).await;
    let port = receiver.inbox.port().unwrap();
    let data = app.data();
    let account = accounts::by_name(&data, "news").await.unwrap();
    let inboxes = vec![
        // http:// (the receiver itself)
        receiver.inbox.to_string(),
        // an explicit port
        format!("https://localhost:{port}/inbox"),
        // a name that resolves to loopback, refused when connecting
        "https://localhost/inbox".to_string(),
        // addresses written in the URL
        "https://127.0.0.1/inbox".to_string(),
        "https://[::1]/inbox".to_string(),
        "https://[::ffff:127.0.0.1]/inbox".to_string(),
        "https://10.0.0.1/inbox".to_string(),
        "https://169.254.169.254/inbox".to_string(),
    ];
    let count = inboxes.len();
    let id = data.urls.new_activity();
    let activity = json!({ "id": id, "type": "Note", "actor": account.ap_id.as_str() });
    let activity_id = send(&app, account.id, activity, inboxes, false).await;
    assert_eq!(app.deliver_all_pending().await, count);
    let rows = deliveries_of(&app, activity_id).await;
    assert_eq!(rows.len(), count);
    for row in rows {
        assert_eq!(
            row.state,
            deliveries::REFUSED,
            "{}: {:?}",
            row.inbox,
            row.last_error
        );
        assert!(row.last_error.is_some(), "{} has no reason", row.inbox);
        assert_eq!(
            row.attempts, 0,
            "{}: a refusal is not an attempt",
            row.inbox
        );
    }
    assert_eq!(receiver.hits(), 0);
}

#[tokio::test]
async fn webfinger_and_fetches_of_private_addresses_are_refused() {
    let app = spawn_app_with(PRODUCTION).await;
    let peer = spawn_app().await;
    let data = app.data();
    for target in [
        // WebFinger: an explicit port, then a name that resolves to loopback.
        format!("@news@{}", peer.domain),
        "@news@localhost".to_string(),
        // Actor URLs: plain http with a port, https to loopback, an address literal.
        peer.url("/users/news").to_string(),
        "https://localhost/users/news".to_string(),
        "https://127.0.0.1/users/news".to_string(),
    ] {
        let Err(refused) = follow::follow(
            &data,
            &munifed::service::users::Staff::Operator,
            None,
            &target,
        )
        .await
        else {
            panic!("{target} was followed");
        };
        let why = refused.to_string();
        println!("{target}: {why}");
        assert!(
            [
                "port",
                "public address",
                "not allowed",
                "Http urls",
                "local IP",
                "must have a domain"
            ]
            .iter()
            .any(|reason| why.contains(reason)),
            "{target}: {why}"
        );
    }
    assert_eq!(remote_actor_count(&app).await, 0);
    assert_eq!(peer.snapshot().await[2], 0, "the peer received nothing");
}
