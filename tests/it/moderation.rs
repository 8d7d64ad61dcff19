//! Domain moderation: a suspension purges and refuses, a closed network (allowlist mode)
//! neither receives from nor fetches outsiders, a silenced domain's follows wait, block
//! lists are exchanged as Mastodon does, and every change is in the audit log.

use munifed::{
    db,
    domain::moderation::{FederationMode, Severity},
    service::{audit, domains, follow, network, users::Staff},
};
use serde_json::json;

use crate::{
    helpers::{follow_news, spawn_app, spawn_pair, spawn_receiver, TestApp},
    publishing::{api, news, token_for},
};

fn rule(domain: &str, severity: Severity) -> domains::RuleInput {
    domains::RuleInput {
        domain: domain.to_string(),
        severity,
        reject_media: false,
        reject_reports: false,
        public_comment: String::new(),
        private_comment: "reviewed by the board".to_string(),
        obfuscate: false,
    }
}

async fn count(app: &TestApp, table: &'static str) -> i64 {
    db::run(&app.data().db, move |conn| {
        use diesel::{dsl::count_star, prelude::*};
        use munifed::db::schema::*;
        Ok(match table {
            "remote_posts" => remote_posts::table.select(count_star()).first(conn)?,
            "follows" => follows::table.select(count_star()).first(conn)?,
            "remote_actors" => actors::table
                .filter(actors::local.eq(false))
                .select(count_star())
                .first(conn)?,
            _ => unreachable!(),
        })
    })
    .await
    .unwrap()
}

async fn audited(app: &TestApp, action: &str) -> Vec<(String, String)> {
    let query = db::audit::AuditQuery {
        action: Some(action.to_string()),
        ..Default::default()
    };
    audit::list(&app.data(), &Staff::Operator, query)
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|e| (e.who, e.target))
        .collect()
}

#[tokio::test]
async fn a_suspension_purges_what_we_stored_and_refuses_the_domain() {
    let (alpha, beta) = spawn_pair().await;
    // Both ways: alpha follows beta's news, beta follows alpha's.
    for (from, to) in [(&alpha, &beta), (&beta, &alpha)] {
        follow_news(from, to).await;
    }
    let token = token_for(&beta, "editor").await;
    let (status, _) = api(
        &beta,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 201);
    beta.deliver_all_pending().await;
    assert_eq!(count(&alpha, "remote_posts").await, 1);
    assert_eq!(count(&alpha, "follows").await, 2);

    // Written as a moderator might (the block ignores the port: beta is on localhost).
    domains::set_rule(
        &alpha.data(),
        &Staff::Operator,
        rule("LocalHost", Severity::Suspend),
    )
    .await
    .unwrap();
    assert_eq!(count(&alpha, "remote_posts").await, 0);
    assert_eq!(count(&alpha, "follows").await, 0);
    assert_eq!(count(&alpha, "remote_actors").await, 0);
    let (_, items) = api(
        &alpha,
        reqwest::Method::GET,
        "/api/v1/timeline?remote=true",
        None,
        None,
    )
    .await;
    assert_eq!(items, json!([]));
    assert_eq!(
        audited(&alpha, "domain.suspend").await,
        [("operator".to_string(), "localhost".to_string())]
    );

    // Its activities are refused from now on.
    let response = alpha
        .post_signed_as(
            &beta,
            &beta.url("/users/news"),
            "/inbox",
            &json!({
                "id": beta.url("/activities/late").to_string(),
                "type": "Create",
                "actor": beta.url("/users/news").to_string(),
                "object": beta.url("/news/1").to_string(),
            }),
            std::time::SystemTime::now(),
        )
        .await;
    assert_eq!(response.status(), 403);

    // Lifting the rule is recorded too.
    domains::remove_rule(&alpha.data(), &Staff::Operator, "localhost")
        .await
        .unwrap();
    assert_eq!(audited(&alpha, "domain.unblock").await.len(), 1);
}

#[tokio::test]
async fn a_closed_network_neither_hears_nor_fetches_outsiders() {
    let (alpha, beta) = spawn_pair().await;
    let data = alpha.data();
    let refused = domains::set_mode(&data, &Staff::Operator, FederationMode::Allowlist).await;
    assert!(
        refused.is_err(),
        "an empty allow list would cut everyone off"
    );
    domains::allow(&data, &Staff::Operator, "member.example", "a member city")
        .await
        .unwrap();
    domains::set_mode(&data, &Staff::Operator, FederationMode::Allowlist)
        .await
        .unwrap();
    assert_eq!(
        domains::mode(&data).await.unwrap(),
        FederationMode::Allowlist
    );

    // An outsider's inbox POST: 403.
    let response = alpha
        .post_signed_as(
            &beta,
            &beta.url("/users/news"),
            "/inbox",
            &json!({
                "id": beta.url("/activities/follow-1").to_string(),
                "type": "Follow",
                "actor": beta.url("/users/news").to_string(),
                "object": alpha.url("/users/news").to_string(),
            }),
            std::time::SystemTime::now(),
        )
        .await;
    assert_eq!(response.status(), 403);
    // Nothing is fetched from an outsider.
    let outsider = spawn_receiver(200).await;
    let actor = outsider.inbox.join("/users/someone").unwrap();
    assert!(network::resolve_actor(&data, actor.as_str()).await.is_err());
    assert!(follow::follow(
        &data,
        &Staff::Operator,
        None,
        &format!("@news@{}", beta.domain)
    )
    .await
    .is_err());
    assert_eq!(outsider.hits(), 0, "no request reached the outsider");
    // Outsiders read nothing unsigned either.
    let actor = alpha
        .http
        .get(alpha.url("/users/news"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(actor.status(), 401);
    // A member is heard.
    domains::allow(&data, &Staff::Operator, "localhost", "beta, in this test")
        .await
        .unwrap();
    let member = alpha
        .post_signed_as(
            &beta,
            &beta.url("/users/news"),
            "/inbox",
            &json!({
                "id": beta.url("/activities/follow-2").to_string(),
                "type": "Follow",
                "actor": beta.url("/users/news").to_string(),
                "object": alpha.url("/users/news").to_string(),
            }),
            std::time::SystemTime::now(),
        )
        .await;
    assert_eq!(member.status(), 202);
    assert_eq!(audited(&alpha, "domain.allow").await.len(), 2);
    assert_eq!(audited(&alpha, "federation.mode").await.len(), 1);
}

#[tokio::test]
async fn a_silenced_domains_follows_wait_for_approval_and_followed_authors_stay() {
    let (alpha, beta) = spawn_pair().await;
    follow_news(&alpha, &beta).await;
    let token = token_for(&beta, "editor").await;
    let (status, _) = api(
        &beta,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 201);
    beta.deliver_all_pending().await;
    domains::set_rule(
        &alpha.data(),
        &Staff::Operator,
        rule(&beta.domain, Severity::Silence),
    )
    .await
    .unwrap();
    let (_, items) = api(
        &alpha,
        reqwest::Method::GET,
        "/api/v1/timeline?remote=true",
        None,
        None,
    )
    .await;
    assert_eq!(
        items.as_array().unwrap().len(),
        1,
        "a followed author stays: {items}"
    );
    assert_eq!(count(&alpha, "follows").await, 1, "our follows are kept");
    follow::follow(
        &beta.data(),
        &Staff::Operator,
        None,
        &format!("@news@{}", alpha.domain),
    )
    .await
    .unwrap();
    beta.deliver_all_pending().await;
    let requests = follow::requests(
        &alpha.data(),
        &munifed::service::users::Staff::Operator,
        Some("news"),
    )
    .await
    .unwrap();
    assert_eq!(
        requests.len(),
        1,
        "news approves followers itself, but not from there"
    );
}

#[tokio::test]
async fn block_lists_are_imported_and_exported_as_mastodon_does() {
    let app = spawn_app().await;
    let data = app.data();
    let csv = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
               spam.example,suspend,true,true,\"Spam, mostly\",false\n\
               loud.example,silence,false,false,,false\n\
               pics.example,noop,true,false,,true\n\
               not a domain,suspend,false,false,,false\n";
    let summary = domains::import_rules(&data, &Staff::Operator, csv, false)
        .await
        .unwrap();
    assert_eq!(
        (summary.added, summary.updated, summary.unchanged),
        (3, 0, 0)
    );
    assert_eq!(summary.invalid.len(), 1, "{:?}", summary.invalid);
    let again = domains::import_rules(&data, &Staff::Operator, csv, false)
        .await
        .unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));
    // A rule we have stays unless the import is told to replace it, as in Mastodon; a
    // subdomain of a suspended domain is covered already.
    let milder = "loud.example,suspend\nwww.spam.example,silence\n";
    let kept = domains::import_rules(&data, &Staff::Operator, milder, false)
        .await
        .unwrap();
    assert_eq!((kept.added, kept.updated, kept.unchanged), (0, 0, 2));
    assert!(!domains::is_blocked(&data, "loud.example").await.unwrap());
    let changed = domains::import_rules(&data, &Staff::Operator, "loud.example,suspend\n", true)
        .await
        .unwrap();
    assert_eq!(changed.updated, 1);
    let rules = domains::rules(&data, &Staff::Operator).await.unwrap();
    assert!(
        rules[0].private_comment.starts_with("Imported on "),
        "{rules:?}"
    );

    assert!(domains::is_blocked(&data, "www.spam.example")
        .await
        .unwrap());
    assert!(domains::is_blocked(&data, "loud.example").await.unwrap());
    assert!(!domains::is_blocked(&data, "pics.example").await.unwrap());
    assert!(domains::rejects_media(&data, "pics.example").await.unwrap());

    let exported = domains::export_rules(&data, &Staff::Operator)
        .await
        .unwrap();
    assert!(exported
        .starts_with("#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate"));
    assert!(
        exported.contains("spam.example,suspend,true,true,\"Spam, mostly\",false"),
        "{exported}"
    );
    assert!(
        exported.contains("pics.example,noop,true,false,,true"),
        "obfuscated rules keep their real domain, as Mastodon exports them: {exported}"
    );
    assert!(!exported.contains("reviewed"), "private comments stay here");

    let allowed = domains::import_allowed(
        &data,
        &Staff::Operator,
        "# members\ncity.example\ntown.example\nbad domain\n",
    )
    .await
    .unwrap();
    assert_eq!((allowed.added, allowed.invalid.len()), (2, 1));
    assert_eq!(
        domains::export_allowed(&data, &Staff::Operator)
            .await
            .unwrap(),
        "city.example\ntown.example\n"
    );
    assert_eq!(audited(&app, "domain.suspend").await.len(), 2);
}

#[tokio::test]
async fn editors_do_not_moderate() {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let editor = munifed::service::users::by_token(&app.data(), &token)
        .await
        .unwrap()
        .unwrap();
    let staff = Staff::User(editor);
    let refused =
        domains::set_rule(&app.data(), &staff, rule("spam.example", Severity::Suspend)).await;
    assert_eq!(
        actix_web::ResponseError::status_code(&refused.unwrap_err()).as_u16(),
        403
    );
    assert!(domains::rules(&app.data(), &Staff::Operator)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn publishing_is_audited_with_who_did_it() {
    let app = spawn_app().await;
    let token = token_for(&app, "editor").await;
    let (status, created) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/news",
        Some(&token),
        Some(&news()),
    )
    .await;
    assert_eq!(status, 201);
    let path = format!("/api/v1/news/{}", created["id"]);
    let (status, _) = api(&app, reqwest::Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(status, 204);
    let url = created["url"].as_str().unwrap().to_string();
    for action in ["post.create", "post.delete"] {
        assert_eq!(
            audited(&app, action).await,
            [("editor@city.example".to_string(), url.clone())],
            "{action}"
        );
    }
}

#[tokio::test]
async fn a_removed_post_stays_out_and_a_blocked_actor_is_refused_and_forgotten() {
    let (alpha, beta) = spawn_pair().await;
    follow_news(&alpha, &beta).await;
    let token = token_for(&beta, "editor").await;
    let mut created = vec![];
    for title in ["First", "Second"] {
        let mut item = news();
        item["title"] = json!(title);
        let (status, body) = api(
            &beta,
            reqwest::Method::POST,
            "/api/v1/news",
            Some(&token),
            Some(&item),
        )
        .await;
        assert_eq!(status, 201);
        created.push(body);
    }
    beta.deliver_all_pending().await;
    let remote_titles = || async {
        let (_, items) = api(
            &alpha,
            reqwest::Method::GET,
            "/api/v1/timeline?remote=true",
            None,
            None,
        )
        .await;
        let mut titles: Vec<String> = items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_string())
            .collect();
        titles.sort();
        titles
    };
    assert_eq!(remote_titles().await, ["First", "Second"]);

    // Removed: out of the timeline, and an edit does not bring it back.
    let first = created[0]["url"].as_str().unwrap();
    munifed::service::moderation::remove_post(&alpha.data(), &Staff::Operator, first, "off topic")
        .await
        .unwrap();
    assert_eq!(remote_titles().await, ["Second"]);
    let mut edited = news();
    edited["title"] = json!("First, edited");
    let path = format!("/api/v1/news/{}", created[0]["id"]);
    let (status, _) = api(
        &beta,
        reqwest::Method::PUT,
        &path,
        Some(&token),
        Some(&edited),
    )
    .await;
    assert_eq!(status, 200);
    beta.deliver_all_pending().await;
    assert_eq!(remote_titles().await, ["Second"]);
    assert_eq!(audited(&alpha, "post.remove").await.len(), 1);
    // Nor does a boost after retention pruned its row.
    let first_id = first.to_string();
    db::run(&alpha.data().db, move |conn| {
        let stored = db::remote_posts::by_ap_id(conn, &first_id)?.unwrap();
        Ok(db::remote_posts::delete_many(conn, &[stored.id])?)
    })
    .await
    .unwrap();
    let boost = alpha
        .post_signed_as(
            &beta,
            &beta.url("/users/news"),
            "/inbox",
            &json!({
                "id": beta.url("/activities/boost-removed").to_string(),
                "type": "Announce",
                "actor": beta.url("/users/news").to_string(),
                "object": first,
            }),
            std::time::SystemTime::now(),
        )
        .await;
    assert_eq!(boost.status(), 202);
    assert_eq!(remote_titles().await, ["Second"]);

    // Blocked: forgotten, and refused from now on.
    let blocked = munifed::service::moderation::block_actor(
        &alpha.data(),
        &Staff::Operator,
        &format!("@news@{}", beta.domain),
        "spam",
    )
    .await
    .unwrap();
    assert_eq!(blocked, beta.url("/users/news").to_string());
    assert!(remote_titles().await.is_empty());
    assert_eq!(count(&alpha, "follows").await, 0);
    let refused = alpha
        .post_signed_as(
            &beta,
            &beta.url("/users/news"),
            "/inbox",
            &json!({
                "id": beta.url("/activities/after-block").to_string(),
                "type": "Follow",
                "actor": beta.url("/users/news").to_string(),
                "object": alpha.url("/users/news").to_string(),
            }),
            std::time::SystemTime::now(),
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert!(
        munifed::service::network::resolve_actor(&alpha.data(), blocked.as_str())
            .await
            .is_err(),
        "nothing of it is fetched"
    );
    munifed::service::moderation::unblock_actor(&alpha.data(), &Staff::Operator, &blocked)
        .await
        .unwrap();
    assert_eq!(audited(&alpha, "actor.block").await.len(), 1);
    assert_eq!(audited(&alpha, "actor.unblock").await.len(), 1);
}
