//! The durable delivery queue against stand-in inboxes.

use std::sync::Arc;

use munifed::{
    db::{self, deliveries::DbDelivery},
    federation::delivery,
    service::accounts,
};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_on, spawn_receiver, TestApp, TestDatabase};

/// Queues a small activity from the news account to `inbox`.
async fn queue_to(app: &TestApp, inbox: &url::Url) -> i64 {
    let data = app.data();
    let account = accounts::by_name(&data, "news").await.unwrap();
    let id = data.urls.new_activity();
    let activity = json!({
        "id": id,
        "type": "Note",
        "actor": account.ap_id.as_str(),
    });
    send(app, account.id, activity, vec![inbox.to_string()], false).await
}

/// Claims up to `limit` due deliveries at `at` for `lease_secs`, as a worker does.
async fn claim(
    app: &TestApp,
    at: chrono::NaiveDateTime,
    lease_secs: i64,
    limit: i64,
) -> Vec<db::deliveries::ClaimedDelivery> {
    db::run(&app.data().db, move |conn| {
        Ok(db::deliveries::claim_due(
            conn,
            at,
            at + chrono::TimeDelta::seconds(lease_secs),
            limit,
            &[],
            &mut Default::default(),
        )?)
    })
    .await
    .unwrap()
}

/// Queues `activity` (a Note by `actor_id`) for `inboxes`, as the network layer does.
pub async fn send(
    app: &TestApp,
    actor_id: i64,
    activity: Value,
    inboxes: Vec<String>,
    public: bool,
) -> i64 {
    let data = app.data();
    let urls = data.urls.clone();
    db::run(&data.db, move |conn| {
        let id = url::Url::parse(activity["id"].as_str().unwrap()).unwrap();
        let outgoing = delivery::Outgoing {
            id: &id,
            kind: "Note",
            actor_id,
            activity,
            inboxes,
            public,
            object_id: None,
        };
        delivery::queue(conn, &urls, outgoing)
    })
    .await
    .unwrap()
}

pub async fn deliveries_of(app: &TestApp, activity: i64) -> Vec<DbDelivery> {
    db::run(&app.data().db, move |conn| {
        Ok(db::deliveries::for_activity(conn, activity)?)
    })
    .await
    .unwrap()
}

/// The states of `activity`'s deliveries, in the order queued.
async fn states_of(app: &TestApp, activity: i64) -> Vec<String> {
    deliveries_of(app, activity)
        .await
        .into_iter()
        .map(|row| row.state)
        .collect()
}

async fn make_all_due(app: &TestApp) {
    db::run(&app.data().db, |conn| {
        Ok(db::deliveries::make_pending_due(conn, db::now())?)
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_failing_inbox_is_retried_with_growing_backoff() {
    let app = spawn_app().await;
    let receiver = spawn_receiver(500).await;
    let activity = queue_to(&app, &receiver.inbox).await;

    assert_eq!(app.deliver_all_pending().await, 1);
    assert_eq!(receiver.hits(), 1);
    let first = deliveries_of(&app, activity).await.remove(0);
    assert_eq!(first.state, "pending");
    assert_eq!(first.attempts, 1);
    assert_eq!(first.last_status, Some(500));
    let first_delay = first.next_attempt_at - first.updated_at;
    assert_eq!(first_delay.num_seconds(), 60);
    // Not due yet: draining again sends nothing.
    assert_eq!(app.deliver_all_pending().await, 0);

    make_all_due(&app).await;
    assert_eq!(app.deliver_all_pending().await, 1);
    assert_eq!(receiver.hits(), 2);
    let second = deliveries_of(&app, activity).await.remove(0);
    assert_eq!(second.attempts, 2);
    assert_eq!(
        (second.next_attempt_at - second.updated_at).num_seconds(),
        120
    );

    // The body is the signed activity, with our context.
    let body: serde_json::Value =
        serde_json::from_str(&receiver.bodies.lock().unwrap()[0]).unwrap();
    assert_eq!(body["@context"][0], "https://www.w3.org/ns/activitystreams");
    assert_eq!(body["type"], "Note");
}

#[tokio::test]
async fn gone_stops_retries_and_success_finishes() {
    let app = spawn_app().await;
    let gone = spawn_receiver(410).await;
    let ok = spawn_receiver(202).await;
    let to_gone = queue_to(&app, &gone.inbox).await;
    let to_ok = queue_to(&app, &ok.inbox).await;
    assert_eq!(app.deliver_all_pending().await, 2);
    assert_eq!(deliveries_of(&app, to_gone).await[0].state, "gone");
    assert_eq!(deliveries_of(&app, to_ok).await[0].state, "delivered");
    make_all_due(&app).await;
    assert_eq!(app.deliver_all_pending().await, 0);
    assert_eq!((gone.hits(), ok.hits()), (1, 1));
}

#[tokio::test]
async fn a_dead_domain_is_given_up() {
    let app = spawn_app_with_short_dead_after().await;
    let receiver = spawn_receiver(503).await;
    let domain = format!("localhost:{}", receiver.inbox.port().unwrap());
    let activity = queue_to(&app, &receiver.inbox).await;
    app.deliver_all_pending().await;
    // Pretend the domain has been failing for two hours.
    let since = db::now() - chrono::TimeDelta::hours(2);
    db::run(&app.data().db, move |conn| {
        use diesel::prelude::*;
        use munifed::db::schema::domain_health;
        diesel::update(domain_health::table.find(domain))
            .set(domain_health::failing_since.eq(since))
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
    make_all_due(&app).await;
    assert_eq!(app.deliver_all_pending().await, 1);
    let row = deliveries_of(&app, activity).await.remove(0);
    assert_eq!(row.state, "dead");
    assert_eq!(receiver.hits(), 1, "a dead domain is not contacted again");
}

async fn spawn_app_with_short_dead_after() -> TestApp {
    crate::helpers::spawn_app_with(&[("MUNIFED__DELIVERY__DEAD_AFTER_HOURS", "1")]).await
}

#[tokio::test]
async fn a_queued_delivery_survives_a_restart_and_is_sent_once() {
    let database = Arc::new(TestDatabase::new());
    let receiver = spawn_receiver(202).await;
    let first = spawn_app_on(database.clone(), &[]).await;
    let activity = queue_to(&first, &receiver.inbox).await;
    first.stop().await;
    assert_eq!(receiver.hits(), 0);

    let second = spawn_app_on(database, &[]).await;
    assert_eq!(second.deliver_all_pending().await, 1);
    assert_eq!(receiver.hits(), 1);
    assert_eq!(deliveries_of(&second, activity).await[0].state, "delivered");
    make_all_due(&second).await;
    assert_eq!(second.deliver_all_pending().await, 0);
    assert_eq!(receiver.hits(), 1);
}

#[tokio::test]
async fn shared_inboxes_are_deduplicated_and_blocked_domains_skipped() {
    let app = spawn_app().await;
    let receiver = spawn_receiver(202).await;
    let data = app.data();
    let account = accounts::by_name(&data, "news").await.unwrap();
    let id = data.urls.new_activity();
    let activity = json!({ "id": id, "type": "Note", "actor": account.ap_id.as_str() });
    db::run(&data.db, |conn| {
        Ok(db::domains::block(
            conn,
            "blocked.example",
            "spam",
            db::now(),
        )?)
    })
    .await
    .unwrap();
    let inboxes = vec![
        receiver.inbox.to_string(),
        receiver.inbox.to_string(),
        "https://blocked.example/inbox".to_string(),
        "https://sub.blocked.example/inbox".to_string(),
        app.url("/inbox").to_string(),
    ];
    let activity_id = send(&app, account.id, activity, inboxes, true).await;
    let rows = deliveries_of(&app, activity_id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].inbox, receiver.inbox.as_str());
    // A public activity shows in the outbox.
    assert_eq!(
        app.get_activity_json("/users/news/outbox").await["totalItems"],
        1
    );
}

#[tokio::test]
async fn old_finished_deliveries_are_pruned_and_pending_ones_kept() {
    let app = spawn_app().await;
    let ok = spawn_receiver(202).await;
    let failing = spawn_receiver(500).await;
    let done = queue_to(&app, &ok.inbox).await;
    let waiting = queue_to(&app, &failing.inbox).await;
    app.deliver_all_pending().await;
    let long_ago = db::now() - chrono::TimeDelta::days(31);
    db::run(&app.data().db, move |conn| {
        use diesel::prelude::*;
        use munifed::db::schema::deliveries;
        diesel::update(deliveries::table)
            .set(deliveries::updated_at.eq(long_ago))
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
    let (pruned, _) = delivery::prune_history(&app.data()).await.unwrap();
    assert_eq!(pruned, 1);
    assert!(deliveries_of(&app, done).await.is_empty());
    assert_eq!(deliveries_of(&app, waiting).await.len(), 1);
}

#[tokio::test]
async fn a_delivery_claimed_by_a_killed_worker_is_sent_after_restart() {
    let database = Arc::new(TestDatabase::new());
    let receiver = spawn_receiver(202).await;
    let first = spawn_app_on(database.clone(), &[]).await;
    let activity = queue_to(&first, &receiver.inbox).await;
    // A worker claims the delivery and dies before sending it (kill -9).
    let claimed = claim(&first, db::now(), 120, 10).await;
    assert_eq!(claimed.len(), 1);
    first.stop().await;

    let second = spawn_app_on(database, &[]).await;
    let sqlite = matches!(
        &*second.data().db.get().unwrap(),
        db::AnyConnection::Sqlite(_)
    );
    if !sqlite {
        // PostgreSQL may be shared by several processes: the lease must run out first.
        assert_eq!(second.deliver_all_pending().await, 0);
        db::run(&second.data().db, |conn| {
            use diesel::prelude::*;
            use munifed::db::schema::deliveries;
            diesel::update(deliveries::table)
                .set(deliveries::locked_until.eq(db::now() - chrono::TimeDelta::seconds(1)))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    }
    assert_eq!(second.deliver_all_pending().await, 1);
    assert_eq!(receiver.hits(), 1);
    assert_eq!(deliveries_of(&second, activity).await[0].state, "delivered");
}

#[tokio::test]
async fn a_worker_whose_lease_ran_out_does_not_overwrite_the_new_claim() {
    let app = spawn_app().await;
    let receiver = spawn_receiver(202).await;
    let activity = queue_to(&app, &receiver.inbox).await;
    let t0 = db::now();
    // A slow worker claims for one second; its lease runs out and another worker claims.
    let slow = claim(&app, t0, 1, 10).await.remove(0);
    let fresh = claim(&app, t0 + chrono::TimeDelta::seconds(2), 120, 10)
        .await
        .remove(0);
    let finish = |claimed: db::deliveries::ClaimedDelivery, state: &'static str| {
        let data = app.data();
        async move {
            db::run(&data.db, move |conn| {
                let ending = db::deliveries::Ending {
                    state,
                    status: None,
                    error: None,
                    attempts: 1,
                };
                let written = db::deliveries::finish(
                    conn,
                    claimed.delivery.locked_until.unwrap(),
                    &[claimed.delivery.id],
                    &ending,
                    db::now(),
                )?;
                Ok(written.len())
            })
            .await
            .unwrap()
        }
    };
    assert_eq!(
        finish(slow, "dead").await,
        0,
        "the lost claim changes nothing"
    );
    assert_eq!(deliveries_of(&app, activity).await[0].state, "pending");
    assert_eq!(finish(fresh, "delivered").await, 1);
    assert_eq!(deliveries_of(&app, activity).await[0].state, "delivered");
}

#[tokio::test]
async fn deliveries_ended_together_are_written_only_where_the_lease_is_still_ours() {
    let app = spawn_app().await;
    let (first, second) = (spawn_receiver(202).await, spawn_receiver(202).await);
    let data = app.data();
    let account = accounts::by_name(&data, "news").await.unwrap();
    let activity = json!({
        "id": data.urls.new_activity(),
        "type": "Note",
        "actor": account.ap_id.as_str(),
    });
    let inboxes = vec![first.inbox.to_string(), second.inbox.to_string()];
    let activity = send(&app, account.id, activity, inboxes, false).await;
    let t0 = db::now();
    // A slow worker claims both; its lease runs out and another worker claims one of them.
    let slow = claim(&app, t0, 1, 10).await;
    assert_eq!(slow.len(), 2);
    let taken = claim(&app, t0 + chrono::TimeDelta::seconds(2), 120, 1).await;
    assert_eq!(taken.len(), 1);
    let lease = slow[0].delivery.locked_until.unwrap();
    let ids: Vec<i64> = slow.iter().map(|claimed| claimed.delivery.id).collect();
    let written = db::run(&data.db, move |conn| {
        let ending = db::deliveries::Ending {
            state: "delivered",
            status: Some(202),
            error: None,
            attempts: 1,
        };
        Ok(db::deliveries::finish(
            conn,
            lease,
            &ids,
            &ending,
            db::now(),
        )?)
    })
    .await
    .unwrap();
    let untaken: Vec<i64> = slow
        .iter()
        .map(|claimed| claimed.delivery.id)
        .filter(|id| *id != taken[0].delivery.id)
        .collect();
    assert_eq!(written, untaken, "only the delivery still under our lease");
    let states = states_of(&app, activity).await;
    assert_eq!(states.iter().filter(|s| *s == "delivered").count(), 1);
    assert_eq!(states.iter().filter(|s| *s == "pending").count(), 1);
}

#[tokio::test]
async fn a_delivery_given_back_is_due_again_only_under_the_lease_it_was_claimed_with() {
    let app = spawn_app().await;
    let receiver = spawn_receiver(202).await;
    queue_to(&app, &receiver.inbox).await;
    let data = app.data();
    let now = db::now();
    let claim = move |conn: &mut db::AnyConnection| {
        db::deliveries::claim_due(
            conn,
            now,
            now + chrono::TimeDelta::seconds(120),
            10,
            &[],
            &mut Default::default(),
        )
    };
    let claimed = db::run(&data.db, move |conn| Ok(claim(conn)?))
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let (id, lease) = (
        claimed[0].delivery.id,
        claimed[0].delivery.locked_until.unwrap(),
    );
    let (other, again) = db::run(&data.db, move |conn| {
        let other = db::deliveries::release(conn, lease + chrono::TimeDelta::seconds(1), &[id])?;
        assert_eq!(claim(conn)?.len(), 0, "still under the lease");
        let released = db::deliveries::release(conn, lease, &[id])?;
        Ok((other, (released, claim(conn)?.len())))
    })
    .await
    .unwrap();
    assert_eq!(other, 0, "another lease gives nothing back");
    assert_eq!(again, (1, 1), "given back, then claimed again at once");
}

#[tokio::test]
async fn an_inbox_that_is_gone_loses_its_followers_and_redirects_are_not_retried() {
    let app = spawn_app().await;
    let gone = spawn_receiver(410).await;
    let moved = spawn_receiver(301).await;
    let data = app.data();
    let news = accounts::by_name(&data, "news").await.unwrap();
    for receiver in [&gone, &moved] {
        let actor = receiver.inbox.join("/users/follower").unwrap().to_string();
        let inbox = receiver.inbox.to_string();
        db::run(&data.db, move |conn| {
            let mut form = crate::helpers::remote_actor(&actor, None);
            form.inbox = inbox;
            let id = db::actors::insert(conn, &form)?;
            crate::helpers::accepted_follow(conn, id, news.id)?;
            Ok(())
        })
        .await
        .unwrap();
    }
    let followers = |app: &TestApp| {
        let data = app.data();
        async move {
            db::run(&data.db, move |conn| {
                Ok(db::follows::count_followers(
                    conn,
                    news.id,
                    db::follows::ACCEPTED,
                )?)
            })
            .await
            .unwrap()
        }
    };
    assert_eq!(followers(&app).await, 2);
    let gone_activity = queue_to(&app, &gone.inbox).await;
    let moved_activity = queue_to(&app, &moved.inbox).await;
    assert_eq!(app.deliver_all_pending().await, 2);
    assert_eq!(deliveries_of(&app, gone_activity).await[0].state, "gone");
    assert_eq!(
        deliveries_of(&app, moved_activity).await[0].state,
        "rejected"
    );
    assert_eq!(
        followers(&app).await,
        1,
        "the follower behind the 410 is gone"
    );
}

/// A stand-in inbox that accepts only RFC 9421 signatures (401 to draft-cavage), as a
/// server might that moved on; counts what it saw.
async fn spawn_rfc9421_only_inbox() -> (url::Url, Arc<std::sync::Mutex<Vec<bool>>>) {
    use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let server = HttpServer::new(move || {
        let record = record.clone();
        App::new().default_service(web::to(move |req: HttpRequest| {
            let record = record.clone();
            async move {
                let rfc9421 = req.headers().contains_key("signature-input");
                record.lock().unwrap().push(rfc9421);
                if rfc9421 {
                    HttpResponse::Accepted().finish()
                } else {
                    HttpResponse::Unauthorized().finish()
                }
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    (
        url::Url::parse(&format!("http://localhost:{port}/inbox")).unwrap(),
        seen,
    )
}

#[tokio::test]
async fn an_inbox_that_refuses_draft_cavage_gets_rfc9421_and_is_remembered() {
    let app = spawn_app().await;
    let (inbox, seen) = spawn_rfc9421_only_inbox().await;
    let first = queue_to(&app, &inbox).await;
    assert_eq!(app.deliver_all_pending().await, 1);
    assert_eq!(deliveries_of(&app, first).await[0].state, "delivered");
    assert_eq!(
        *seen.lock().unwrap(),
        [false, true],
        "draft-cavage, then RFC 9421"
    );
    let second = queue_to(&app, &inbox).await;
    assert_eq!(app.deliver_all_pending().await, 1);
    assert_eq!(deliveries_of(&app, second).await[0].state, "delivered");
    assert_eq!(
        *seen.lock().unwrap(),
        [false, true, true],
        "the domain's scheme is remembered"
    );
}

#[tokio::test]
async fn our_own_instance_accepts_what_we_sign_with_rfc9421() {
    let (alpha, beta) = crate::helpers::spawn_pair().await;
    // Alpha signs for beta with RFC 9421 first, as if beta had asked for it.
    alpha
        .data()
        .rfc9421_domains
        .insert(beta.domain.clone(), ())
        .await;
    munifed::service::follow::follow(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        None,
        &format!("@news@{}", beta.domain),
    )
    .await
    .unwrap();
    assert_eq!(alpha.deliver_all_pending().await, 1);
    let follows = beta.snapshot().await[1];
    assert_eq!(
        follows, 1,
        "beta verified the RFC 9421 Follow and recorded it"
    );
    // Had beta refused it, the draft-cavage knock would have won and been forgotten.
    assert!(alpha.data().rfc9421_domains.contains_key(&beta.domain));
}

/// A domain where one inbox answers and another fails, in the same batch of outcomes, is
/// alive: its failing streak ends (it must not be given up as dead later).
#[tokio::test]
async fn a_domain_that_answers_is_alive_even_when_another_inbox_there_fails() {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let app = spawn_app().await;
    let server = HttpServer::new(|| {
        App::new()
            .route("/ok", web::post().to(HttpResponse::Accepted))
            .route("/fail", web::post().to(HttpResponse::ServiceUnavailable))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    let domain = format!("localhost:{port}");
    for path in ["ok", "fail"] {
        queue_to(
            &app,
            &url::Url::parse(&format!("http://{domain}/{path}")).unwrap(),
        )
        .await;
    }
    // Failing for two hours before this batch.
    let (since, key) = (db::now() - chrono::TimeDelta::hours(2), domain.clone());
    db::run(&app.data().db, move |conn| {
        db::domains::record_failure(conn, &key, since)?;
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(app.deliver_all_pending().await, 2);
    let health = db::run(&app.data().db, move |conn| {
        Ok(db::domains::health(conn, &domain)?)
    })
    .await
    .unwrap()
    .expect("the domain's health is recorded");
    // Recorded together, the answer wins; recorded apart, a failure after it starts a new
    // streak. The two-hour-old one never survives an answer.
    assert!(
        health.failing_since.is_none_or(|at| at > since),
        "an answer ends the failing streak: {:?}",
        health.failing_since
    );
}

/// What happened when a domain that answers only once released (its deliveries queued
/// first) and one that answers at once were sent to.
struct SilentDomainRun {
    app: TestApp,
    /// The silent domain's activity, then the other's.
    activities: [i64; 2],
    /// The most requests the silent domain held at once.
    most_held: usize,
    /// What the run said it sent.
    sent: usize,
    /// The silent domain.
    silent_domain: String,
    /// Whether the worker remembered the silent domain as stalled before it answered.
    stalled: bool,
}

/// Queues `silent` deliveries to a domain that answers only once released, then `answering`
/// to one that answers at once, and runs the worker with `concurrency` slots and
/// `domain_concurrency`. Fails unless the other domain's deliveries all go out while the
/// silent domain holds its share; then releases it and waits for the run's end.
async fn send_with_a_silent_domain(
    concurrency: &str,
    domain_concurrency: usize,
    silent: usize,
    answering: usize,
) -> SilentDomainRun {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let app = crate::helpers::spawn_app_with(&[
        ("MUNIFED__DELIVERY__CONCURRENCY", concurrency),
        (
            "MUNIFED__DELIVERY__DOMAIN_CONCURRENCY",
            &domain_concurrency.to_string(),
        ),
        // Longer than the test waits: no attempt ends by timing out.
        ("MUNIFED__FEDERATION__REQUEST_TIMEOUT_SECS", "30"),
        ("MUNIFED__DELIVERY__LEASE_SECS", "300"),
    ])
    .await;
    // One domain answers only once released, counting the requests it holds at once.
    let (release, released) = tokio::sync::watch::channel(false);
    let (holding, mut held) = tokio::sync::watch::channel(0_usize);
    let most_held = Arc::new(AtomicUsize::new(0));
    let (holding, m) = (Arc::new(holding), most_held.clone());
    let silent_server = actix_web::HttpServer::new(move || {
        let (h, m, released) = (holding.clone(), m.clone(), released.clone());
        actix_web::App::new().default_service(actix_web::web::to(
            move |_: actix_web::web::Bytes| {
                let (h, m, mut released) = (h.clone(), m.clone(), released.clone());
                async move {
                    h.send_modify(|n| *n += 1);
                    m.fetch_max(*h.borrow(), Ordering::SeqCst);
                    let _ = released.wait_for(|released| *released).await;
                    h.send_modify(|n| *n -= 1);
                    actix_web::HttpResponse::Accepted().finish()
                }
            },
        ))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let silent_port = silent_server.addrs()[0].port();
    tokio::spawn(silent_server.run());
    // The other answers at once, telling each request.
    let (heard, mut hearing) = tokio::sync::mpsc::unbounded_channel::<()>();
    let answering_server = actix_web::HttpServer::new(move || {
        let heard = heard.clone();
        actix_web::App::new().default_service(actix_web::web::to(
            move |_: actix_web::web::Bytes| {
                let heard = heard.clone();
                async move {
                    let _ = heard.send(());
                    actix_web::HttpResponse::Accepted().finish()
                }
            },
        ))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let answering_port = answering_server.addrs()[0].port();
    tokio::spawn(answering_server.run());

    let data = app.data();
    let account = accounts::by_name(&data, "news").await.unwrap();
    // The silent domain's deliveries are queued first: the lower ids, claimed first.
    let mut activities = [0; 2];
    for (n, (port, count)) in [(silent_port, silent), (answering_port, answering)]
        .into_iter()
        .enumerate()
    {
        let inboxes = (0..count)
            .map(|n| format!("http://localhost:{port}/users/{n}/inbox"))
            .collect();
        let activity = json!({
            "id": data.urls.new_activity(),
            "type": "Note",
            "actor": account.ap_id.as_str(),
        });
        activities[n] = send(&app, account.id, activity, inboxes, false).await;
    }
    let worker = {
        let data = data.clone();
        tokio::spawn(async move { delivery::deliver_due(&data, None).await })
    };
    let others_went_out = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        for _ in 0..answering {
            hearing.recv().await;
        }
    })
    .await;
    assert!(
        others_went_out.is_ok(),
        "the silent domain took every slot: the other domain's deliveries waited"
    );
    // Its share is taken (the last request may still be connecting). (`is_ok` at once: the
    // value's guard would keep the server from counting.)
    let share_taken = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        held.wait_for(|held| *held >= domain_concurrency),
    )
    .await
    .is_ok();
    assert!(share_taken, "the silent domain's share was not taken");
    let silent_domain = format!("localhost:{silent_port}");
    let stalled = data.stalled_domains.contains_key(&silent_domain);
    release.send(true).unwrap();
    let sent = tokio::time::timeout(std::time::Duration::from_secs(20), worker)
        .await
        .expect("the run ends once the domain answers")
        .unwrap()
        .unwrap();
    SilentDomainRun {
        app,
        activities,
        most_held: most_held.load(Ordering::SeqCst),
        sent,
        silent_domain,
        stalled,
    }
}

/// The claims of a run skip the domains it set aside, wherever they are in the queue.
#[tokio::test]
async fn a_claim_skips_the_domains_it_is_told_to() {
    let app = spawn_app().await;
    let data = app.data();
    let account = accounts::by_name(&data, "news").await.unwrap();
    let inboxes = ["stalled.example", "other.example", "stalled.example:8443"]
        .iter()
        .flat_map(|domain| (0..3).map(move |n| format!("https://{domain}/users/{n}/inbox")))
        .collect();
    let activity = json!({
        "id": data.urls.new_activity(),
        "type": "Note",
        "actor": account.ap_id.as_str(),
    });
    send(&app, account.id, activity, inboxes, false).await;
    let now = db::now();
    let claimed = db::run(&data.db, move |conn| {
        Ok(db::deliveries::claim_due(
            conn,
            now,
            now + chrono::TimeDelta::seconds(120),
            100,
            &["stalled.example".into(), "stalled.example:8443".into()],
            &mut Default::default(),
        )?)
    })
    .await
    .unwrap();
    let domains: Vec<&str> = claimed.iter().map(|c| c.delivery.domain.as_str()).collect();
    assert_eq!(domains, ["other.example"; 3]);
}

/// A domain that stops answering with more deliveries due than the worker holds back is
/// set aside for a while: the claims go past its backlog, so the deliveries queued behind
/// it go out, and its own are sent once that time is over, or once it answers.
#[tokio::test]
async fn a_domain_that_stalls_with_a_long_backlog_does_not_hold_up_the_others() {
    // At concurrency 4, 32 are held back at most, and a run claims 256 at most: the silent
    // domain's 300 fill both (the claims must skip it).
    let run = send_with_a_silent_domain("4", 2, 300, 6).await;
    assert_eq!(
        states_of(&run.app, run.activities[1]).await,
        ["delivered"; 6]
    );
    // It was remembered as stalled, until its attempts under way were answered.
    assert!(run.stalled);
    let data = run.app.data();
    assert!(!data.stalled_domains.contains_key(&run.silent_domain));
    // While remembered, its backlog (given back unsent at the end of the run) is skipped.
    data.stalled_domains
        .insert(run.silent_domain.clone(), ())
        .await;
    assert_eq!(delivery::deliver_due(&data, None).await.unwrap(), 0);
    data.stalled_domains.invalidate_all();
    let rest = delivery::drain(&data).await.unwrap();
    assert_eq!(run.sent + rest, 306);
    assert_eq!(
        states_of(&run.app, run.activities[0]).await,
        ["delivered"; 300]
    );
}

/// A domain that does not answer holds `delivery.domain_concurrency` slots at most: the
/// deliveries to other domains go out meanwhile, and its own once it answers.
#[tokio::test]
async fn a_domain_that_does_not_answer_holds_only_its_share_of_the_slots() {
    let run = send_with_a_silent_domain("4", 2, 6, 6).await;
    assert_eq!(run.sent, 12);
    assert_eq!(run.most_held, 2);
    assert!(!run.stalled, "a backlog that leaves room is no stall");
    for activity in run.activities {
        assert_eq!(states_of(&run.app, activity).await, ["delivered"; 6]);
    }
}
