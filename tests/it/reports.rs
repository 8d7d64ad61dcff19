//! Reports: Flags from other servers about our accounts and posts, reports our moderators
//! make (forwarded as a Flag from the instance actor), acting from a report, resolving it.

use munifed::{
    db,
    domain::{moderation::Severity, post::PostKind},
    service::{
        domains::{self, RuleInput},
        users::Staff,
    },
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use url::Url;

use crate::{
    helpers::{spawn_pair, TestApp},
    panel::{flash, location, log_in, set_cookie, user},
};

async fn all_reports(app: &TestApp) -> Vec<db::reports::DbReport> {
    db::run(&app.data().db, |conn| {
        let mut all = db::reports::list(conn, false, None, 100)?;
        all.extend(db::reports::list(conn, true, None, 100)?);
        Ok(all)
    })
    .await
    .unwrap()
}

async fn send(from: &TestApp, to: &TestApp, actor: &Url, activity: &Value) -> u16 {
    from_status(
        to.post_signed_as(
            from,
            actor,
            "/inbox",
            activity,
            std::time::SystemTime::now(),
        )
        .await,
    )
}

fn from_status(response: reqwest::Response) -> u16 {
    response.status().as_u16()
}

#[tokio::test]
async fn flags_about_our_accounts_become_reports_once_unless_their_domain_is_ignored() {
    let (alpha, beta) = spawn_pair().await;
    let post = crate::helpers::publish_news(&beta, "Road works on Main Street").await;
    let post_url = beta
        .data()
        .urls
        .post(PostKind::News, post.post.id)
        .to_string();
    let reporter = Url::parse(alpha.url("/users/news").as_str()).unwrap();
    let flag = |id: &str, objects: Value| {
        json!({
            "id": alpha.url(&format!("/reports/{id}")).to_string(),
            "type": "Flag",
            "actor": reporter.as_str(),
            "content": "This is misleading",
            "object": objects,
        })
    };
    let ours = json!([beta.url("/users/news").to_string(), post_url]);
    assert_eq!(
        send(&alpha, &beta, &reporter, &flag("1", ours.clone())).await,
        202
    );
    assert_eq!(
        send(&alpha, &beta, &reporter, &flag("1", ours.clone())).await,
        202
    );
    // Lemmy's shape: one object, the comment in `summary`.
    let lemmy = json!({
        "id": alpha.url("/reports/2").to_string(), "type": "Flag", "actor": reporter.as_str(),
        "summary": "spam", "object": post_url,
    });
    assert_eq!(send(&alpha, &beta, &reporter, &lemmy).await, 202);
    // Nothing of ours named: not a report for us.
    let elsewhere = json!(["https://elsewhere.example/users/x"]);
    assert_eq!(
        send(&alpha, &beta, &reporter, &flag("3", elsewhere)).await,
        202
    );

    // Aimed at a third party through one of our URLs: only what is ours is kept.
    let aimed = json!([reporter.as_str(), "https://victim.example/notes/1", { "id": post_url, "type": "Note" }]);
    assert_eq!(send(&alpha, &beta, &reporter, &flag("5", aimed)).await, 202);
    let only_others = json!([reporter.as_str(), beta.url("/news/999999").to_string()]);
    assert_eq!(
        send(&alpha, &beta, &reporter, &flag("6", only_others)).await,
        202
    );

    let reports = all_reports(&beta).await;
    assert_eq!(reports.len(), 3, "{reports:?}");
    let aimed = reports
        .iter()
        .find(|r| r.activity_id.ends_with("/reports/5"))
        .unwrap();
    assert_eq!(aimed.target_actor, beta.url("/users/news").as_str());
    assert_eq!(aimed.object_ids(), vec![post_url.clone()]);
    let first = reports
        .iter()
        .find(|r| r.comment == "This is misleading")
        .unwrap();
    assert!(first.incoming);
    assert_eq!(first.reporter, reporter.as_str());
    assert_eq!(first.target_actor, beta.url("/users/news").as_str());
    assert_eq!(first.object_ids(), vec![post_url.clone()]);
    assert!(reports.iter().any(|r| r.comment == "spam"));

    // Reports from a domain whose reports are ignored are dropped.
    domains::set_rule(
        &beta.data(),
        &Staff::Operator,
        RuleInput {
            domain: alpha.domain.clone(),
            severity: Severity::Noop,
            reject_media: false,
            reject_reports: true,
            public_comment: String::new(),
            private_comment: String::new(),
            obfuscate: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(send(&alpha, &beta, &reporter, &flag("4", ours)).await, 202);
    assert_eq!(all_reports(&beta).await.len(), 3);

    // Moderators read it with our post; nobody is offered to block our own account.
    user(&beta, "mod@city.example", "moderator").await;
    let moderator = log_in(&beta, "mod@city.example").await;
    let list = moderator
        .get(&beta, "/admin/reports")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("This is misleading"));
    let detail = moderator
        .get(&beta, &format!("/admin/reports/{}", first.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(detail.contains("Road works on Main Street"));
    assert!(detail.contains("one of our accounts"));
    assert!(!detail.contains("value=\"block_actor\""));
    let refused = moderator
        .post(
            &beta,
            &format!("/admin/reports/{}/act", first.id),
            &[("csrf", &moderator.csrf), ("action", "block_actor")],
        )
        .await;
    assert!(flash(&refused).contains("error"));

    user(&beta, "editor@city.example", "editor").await;
    let editor = log_in(&beta, "editor@city.example").await;
    assert_eq!(
        editor.get(&beta, "/admin/reports").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        editor
            .get(&beta, &format!("/admin/reports/{}", first.id))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn moderators_report_forward_act_and_resolve() {
    let (alpha, beta) = spawn_pair().await;
    let post = crate::helpers::publish_news(&beta, "Festival programme").await;
    let post_url = beta
        .data()
        .urls
        .post(PostKind::News, post.post.id)
        .to_string();
    let actor = Url::parse(alpha.url("/users/news").as_str()).unwrap();
    let reply_id = alpha.url("/notes/spam").to_string();
    let reply = json!({
        "id": alpha.url("/activities/spam").to_string(), "type": "Create", "actor": actor.as_str(),
        "object": { "id": reply_id, "type": "Note", "attributedTo": actor.as_str(),
            "inReplyTo": post_url, "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "content": "<p>Buy cheap watches</p>" },
    });
    assert_eq!(send(&alpha, &beta, &actor, &reply).await, 202);

    user(&beta, "mod@city.example", "moderator").await;
    let moderator = log_in(&beta, "mod@city.example").await;
    let prefilled = moderator
        .get(&beta, &format!("/admin/reports?post={reply_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(prefilled.contains(&format!("value=\"{reply_id}\"")));
    let unknown = moderator
        .post(
            &beta,
            "/admin/reports",
            &[
                ("csrf", &moderator.csrf),
                ("post", "https://nowhere.example/1"),
            ],
        )
        .await;
    assert!(flash(&unknown).contains("error"));
    assert!(all_reports(&beta).await.is_empty());

    let reported = moderator
        .post(
            &beta,
            "/admin/reports",
            &[
                ("csrf", &moderator.csrf),
                ("post", &reply_id),
                ("comment", "Spam under our post"),
                ("forward", "on"),
            ],
        )
        .await;
    assert_eq!(reported.status(), StatusCode::SEE_OTHER);
    let report_path = location(&reported).to_string();
    let report = all_reports(&beta).await.remove(0);
    assert!(!report.incoming && report.forwarded);
    assert_eq!(report.target_actor, actor.as_str());

    // The Flag goes to alpha from beta's instance actor, as Mastodon sends it, without the
    // moderator's name.
    let queued: Value = db::run(&beta.data().db, |conn| {
        use diesel::prelude::*;
        use munifed::db::schema::outgoing_activities;
        Ok(outgoing_activities::table
            .filter(outgoing_activities::kind.eq("Flag"))
            .select(outgoing_activities::payload)
            .first::<String>(conn)?)
    })
    .await
    .map(|payload| serde_json::from_str(&payload).unwrap())
    .unwrap();
    assert_eq!(queued["type"], "Flag");
    assert_eq!(queued["actor"], beta.url("/actor").as_str());
    assert_eq!(queued["object"], json!([actor.as_str(), reply_id]));
    assert_eq!(queued["content"], "Spam under our post");
    assert_eq!(queued["to"], json!([actor.as_str()]));
    assert!(!queued.to_string().contains("mod@city.example"));
    assert!(beta.deliver_all_pending().await > 0);
    let received = all_reports(&alpha).await;
    assert_eq!(received.len(), 1, "{received:?}");
    assert!(received[0].incoming);
    assert_eq!(received[0].reporter, beta.url("/actor").as_str());
    assert_eq!(received[0].target_actor, actor.as_str());
    assert_eq!(received[0].comment, "Spam under our post");
    assert!(!received[0].comment.contains("mod@"));

    // Acting from the report: only on what it names.
    let act = |action: &'static str, target: String| {
        let (moderator, beta, path) = (&moderator, &beta, format!("{report_path}/act"));
        async move {
            moderator
                .post(
                    beta,
                    &path,
                    &[
                        ("csrf", &moderator.csrf),
                        ("action", action),
                        ("target", &target),
                    ],
                )
                .await
        }
    };
    let other = act("remove", "https://elsewhere.example/notes/1".into()).await;
    assert!(flash(&other).contains("error"));
    let removed = act("remove", reply_id.clone()).await;
    assert!(
        flash(&removed).contains("notice"),
        "{}",
        set_cookie(&removed)
    );
    let page = beta
        .http
        .get(&post_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("cheap watches"));
    let blocked = act("block_actor", String::new()).await;
    assert!(flash(&blocked).contains("notice"));
    assert_eq!(send(&alpha, &beta, &actor, &reply).await, 403);

    // Silencing the domain from the report keeps what its rule already said.
    domains::set_rule(
        &beta.data(),
        &Staff::Operator,
        RuleInput {
            domain: alpha.domain.clone(),
            severity: Severity::Noop,
            reject_media: true,
            reject_reports: false,
            public_comment: "Spam source".into(),
            private_comment: "seen before".into(),
            obfuscate: false,
        },
    )
    .await
    .unwrap();
    let silenced = act("silence", alpha.domain.clone()).await;
    assert!(
        flash(&silenced).contains("notice"),
        "{}",
        set_cookie(&silenced)
    );
    let rule = domains::policy(&beta.data())
        .await
        .unwrap()
        .rule_for(&alpha.domain)
        .cloned()
        .unwrap();
    assert_eq!(rule.severity, Severity::Silence);
    assert!(rule.reject_media);
    assert_eq!(rule.public_comment, "Spam source");
    assert!(rule.private_comment.contains("seen before"));
    assert!(rule
        .private_comment
        .contains(&format!("report {}", report.id)));
    let again = act("silence", alpha.domain.clone()).await;
    assert!(flash(&again).contains("already"));
    // Never made milder from a report, even when the stricter rule came from elsewhere (a
    // rule written by another process, which this one's cache has not seen).
    let mut suspended = rule.clone();
    suspended.severity = Severity::Suspend;
    db::run(&beta.data().db, move |conn| {
        db::domains::upsert_rule(conn, &suspended, db::now())?;
        Ok(())
    })
    .await
    .unwrap();
    let milder = act("silence", alpha.domain.clone()).await;
    assert!(
        flash(&milder).contains("already suspended"),
        "{}",
        set_cookie(&milder)
    );
    let stored = db::run(&beta.data().db, |conn| Ok(db::domains::rules(conn)?))
        .await
        .unwrap();
    assert_eq!(stored[0].severity, Severity::Suspend);
    // Editors may not act from reports.
    user(&beta, "editor@city.example", "editor").await;
    let editor = log_in(&beta, "editor@city.example").await;
    let by_editor = editor
        .post(
            &beta,
            &format!("{report_path}/act"),
            &[("csrf", &editor.csrf), ("action", "block_actor")],
        )
        .await;
    assert_eq!(by_editor.status(), StatusCode::FORBIDDEN);
    let elsewhere = act("suspend", "elsewhere.example".into()).await;
    assert!(flash(&elsewhere).contains("error"));

    let resolve = |note: &'static str| {
        let (moderator, beta, path) = (&moderator, &beta, format!("{report_path}/resolve"));
        async move {
            moderator
                .post(beta, &path, &[("csrf", &moderator.csrf), ("note", note)])
                .await
        }
    };
    assert!(set_cookie(&resolve("Removed and blocked").await).contains("notice"));
    assert!(set_cookie(&resolve("again").await).contains("error"));
    let resolved = all_reports(&beta).await.remove(0);
    assert_eq!(resolved.resolution, "Removed and blocked");
    assert_eq!(resolved.resolved_by.as_deref(), Some("mod@city.example"));
    let open = moderator
        .get(&beta, "/admin/reports")
        .await
        .text()
        .await
        .unwrap();
    assert!(!open.contains("Spam under our post"));
    let done = moderator
        .get(&beta, "/admin/reports?resolved=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(done.contains("Spam under our post"));

    let audit = moderator
        .get(&beta, "/admin/audit")
        .await
        .text()
        .await
        .unwrap();
    for action in [
        "report.create",
        "report.resolve",
        "post.remove",
        "actor.block",
    ] {
        assert!(audit.contains(action), "{action} not audited");
    }
    assert!(audit.contains(&format!("report {}", resolved.id)));
}

#[tokio::test]
async fn moderators_remove_and_report_from_the_timeline() {
    let (alpha, beta) = spawn_pair().await;
    crate::helpers::follow_news(&beta, &alpha).await;
    for title in ["Cheap watches here", "Harbour festival"] {
        crate::helpers::publish_news(&alpha, title).await;
    }
    alpha.deliver_all_pending().await;

    user(&beta, "mod@city.example", "moderator").await;
    let moderator = log_in(&beta, "mod@city.example").await;
    let page = moderator
        .get(&beta, "/admin/timeline")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Cheap watches here") && page.contains("Harbour festival"));
    let spam = alpha.data().urls.post(PostKind::News, 1).to_string();
    // The link carries the post's id, percent-encoded.
    let encoded = spam.replace(':', "%3A");
    assert!(
        page.contains(&format!("/admin/reports?post={encoded}")),
        "{page}"
    );
    let filtered = moderator
        .get(&beta, "/admin/timeline?domain=elsewhere.example")
        .await;
    assert_eq!(filtered.status(), StatusCode::OK);
    let filtered = filtered.text().await.unwrap();
    assert!(!filtered.contains("Harbour festival"));

    // Back to the panel page it came from, never to another site.
    let elsewhere = moderator
        .post(
            &beta,
            "/admin/moderation/remove",
            &[
                ("csrf", &moderator.csrf),
                ("post", "https://nowhere.example/1"),
                ("back", "https://evil.example/admin/"),
            ],
        )
        .await;
    assert_eq!(location(&elsewhere), "/admin/moderation");
    let removed = moderator
        .post(
            &beta,
            "/admin/moderation/remove",
            &[
                ("csrf", &moderator.csrf),
                ("post", &spam),
                ("comment", "from the timeline"),
                ("back", "/admin/timeline"),
            ],
        )
        .await;
    assert_eq!(location(&removed), "/admin/timeline");
    assert!(flash(&removed).contains("notice"));
    let page = moderator
        .get(&beta, "/admin/timeline")
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Cheap watches here") && page.contains("Harbour festival"));

    user(&beta, "editor@city.example", "editor").await;
    let editor = log_in(&beta, "editor@city.example").await;
    assert_eq!(
        editor.get(&beta, "/admin/timeline").await.status(),
        StatusCode::FORBIDDEN
    );
}
