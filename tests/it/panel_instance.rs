//! The instance in the panel: its settings (shown on the public pages, the publish style
//! applied to what is federated) and its health (the queue, retry now, forgetting a dead
//! domain, cache hit rates). Admins only.

use munifed::{
    db,
    service::{accounts, users::Staff},
};
use reqwest::StatusCode;

use crate::{
    helpers::{accepted_follow, remote_actor, spawn_app, spawn_receiver},
    panel::{flash, log_in, set_cookie, user},
    public_site::page,
};

#[tokio::test]
async fn admins_describe_the_instance_and_choose_how_posts_federate() {
    let app = spawn_app().await;
    user(&app, "admin@city.example", "admin").await;
    let admin = log_in(&app, "admin@city.example").await;
    let form = |name: &'static str, publish_as: &'static str, mode: &'static str| {
        vec![
            ("csrf", admin.csrf.clone()),
            ("name", name.to_string()),
            (
                "description",
                "News, calls and events of the city.".to_string(),
            ),
            ("contact", "webmaster@lyon.example".to_string()),
            ("rules", "Be kind.\n\nNo advertising.".to_string()),
            ("publish_as", publish_as.to_string()),
            ("accent", "#c8102e".to_string()),
            ("mode", mode.to_string()),
        ]
    };
    let post_form = |pairs: Vec<(&'static str, String)>| {
        let (admin, app) = (&admin, &app);
        async move {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            admin.post(app, "/admin/instance", &pairs).await
        }
    };

    let stylesheet_link = |home: &str| {
        home.split("<link rel=\"stylesheet\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page links its stylesheet")
            .to_string()
    };
    let before = page(&app, app.url("/").as_str()).await;
    let saved = post_form(form("Ville de Lyon", "note", "open")).await;
    assert!(flash(&saved).contains("notice"), "{}", set_cookie(&saved));
    let home = page(&app, app.url("/").as_str()).await;
    for shown in [
        "Ville de Lyon",
        "News, calls and events of the city.",
        "<li>No advertising.</li>",
        "webmaster@lyon.example",
    ] {
        assert!(home.contains(shown), "{shown} not on the home page");
    }
    // The accent colour: a new stylesheet address, kept long by browsers, with the colour.
    let stylesheet = stylesheet_link(&home);
    assert_ne!(stylesheet, stylesheet_link(&before));
    let css = app.http.get(app.url(&stylesheet)).send().await.unwrap();
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(css.text().await.unwrap().contains("--accent:#c8102e"));
    let panel = admin
        .get(&app, "/admin/instance")
        .await
        .text()
        .await
        .unwrap();
    assert!(panel.contains("Ville de Lyon · panel"));
    assert!(panel.contains("Be kind.\nNo advertising.</textarea>"));

    // The publish style applies to what is federated from now on.
    let post = crate::helpers::publish_news(&app, "Library hours").await;
    let object = app
        .get_activity_json(&format!("/news/{}", post.post.id))
        .await;
    assert_eq!(object["type"], "Note");
    post_form(form("Ville de Lyon", "article", "open")).await;
    let object = app
        .get_activity_json(&format!("/news/{}", post.post.id))
        .await;
    assert_eq!(object["type"], "Article");

    // Wrong values change nothing.
    let refused = post_form(form("  ", "article", "open")).await;
    assert!(flash(&refused).contains("error"));
    let refused = post_form(form("Lyon", "poster", "open")).await;
    assert!(flash(&refused).contains("error"));
    let mut not_a_colour = form("Lyon", "article", "open");
    not_a_colour.retain(|(key, _)| *key != "accent");
    not_a_colour.push(("accent", "red".to_string()));
    let refused = post_form(not_a_colour).await;
    assert!(flash(&refused).contains("error"));
    // A closed network needs members first: nothing of the form is saved without them.
    let refused = post_form(form("Lyon", "article", "allowlist")).await;
    assert!(
        flash(&refused).contains("allow"),
        "{}",
        set_cookie(&refused)
    );
    let settings = app.data().settings.clone();
    let (stored, mode) = db::run(&app.data().db, move |conn| {
        Ok((
            munifed::service::instance::read(conn, &settings)?,
            db::domains::setting(conn, db::domains::FEDERATION_MODE)?,
        ))
    })
    .await
    .unwrap();
    assert_eq!(
        stored.name, "Ville de Lyon",
        "nothing of the refused form is stored"
    );
    assert_eq!(stored.accent.hex(), "#c8102e");
    assert_ne!(mode.as_deref(), Some("allowlist"));
    let home = page(&app, app.url("/").as_str()).await;
    assert!(home.contains("Ville de Lyon"));
    // Other servers read the new name too.
    let nodeinfo = app.get_json("/nodeinfo/2.1").await;
    assert_eq!(nodeinfo["metadata"]["nodeName"], "Ville de Lyon");
    let instance_actor = app.get_activity_json("/actor").await;
    assert_eq!(instance_actor["name"], "Ville de Lyon");

    // The federation mode is saved with the rest, once the allow list has members.
    munifed::service::domains::allow(&app.data(), &Staff::Operator, "member.example", "")
        .await
        .unwrap();
    let closed = post_form(form("Ville de Lyon", "article", "allowlist")).await;
    assert!(flash(&closed).contains("notice"));
    assert_eq!(
        munifed::service::domains::mode(&app.data()).await.unwrap(),
        munifed::domain::moderation::FederationMode::Allowlist
    );

    let audit = admin
        .get(&app, "/admin/audit?action=instance.update")
        .await
        .text()
        .await
        .unwrap();
    assert!(audit.contains("Ville de Lyon"));

    user(&app, "mod@city.example", "moderator").await;
    let moderator = log_in(&app, "mod@city.example").await;
    assert_eq!(
        moderator.get(&app, "/admin/instance").await.status(),
        StatusCode::FORBIDDEN
    );
    let by_moderator = moderator
        .post(
            &app,
            "/admin/instance",
            &[
                ("csrf", &moderator.csrf),
                ("name", "Taken over"),
                ("publish_as", "note"),
                ("mode", "open"),
            ],
        )
        .await;
    assert_eq!(by_moderator.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        moderator.get(&app, "/admin/health").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_health_page_shows_failing_domains_retries_and_forgets_them() {
    let app = spawn_app().await;
    let receiver = spawn_receiver(503).await;
    let domain = format!("localhost:{}", receiver.inbox.port().unwrap());
    let follower_id = format!("http://{domain}/users/gone");
    let news = accounts::by_name(&app.data(), "news").await.unwrap();
    let ap_id = follower_id.clone();
    db::run(&app.data().db, move |conn| {
        let id = db::actors::insert(conn, &remote_actor(&ap_id, None))?;
        accepted_follow(conn, id, news.id)?;
        Ok(())
    })
    .await
    .unwrap();
    crate::helpers::publish_news(&app, "Budget vote").await;
    assert_eq!(app.deliver_all_pending().await, 1);
    assert_eq!(receiver.hits(), 1);

    user(&app, "admin@city.example", "admin").await;
    let admin = log_in(&app, "admin@city.example").await;
    let page = admin.get(&app, "/admin/health").await.text().await.unwrap();
    assert!(
        page.contains(&format!("<td>{domain}</td><td>1</td>")),
        "{page}"
    );
    assert!(page.contains("503"));
    assert!(page.contains("Hit rate"));

    let retried = admin
        .post(&app, "/admin/health/retry", &[("csrf", &admin.csrf)])
        .await;
    assert!(
        flash(&retried).contains("1 pending delivery is"),
        "{}",
        set_cookie(&retried)
    );
    assert_eq!(app.deliver_all_pending().await, 1);
    assert_eq!(receiver.hits(), 2);

    // A domain that answers is not forgotten from here.
    let healthy = admin
        .post(
            &app,
            "/admin/health/forget",
            &[("csrf", &admin.csrf), ("domain", "remote.example")],
        )
        .await;
    assert!(flash(&healthy).contains("error"));
    let forgotten = admin
        .post(
            &app,
            "/admin/health/forget",
            &[("csrf", &admin.csrf), ("domain", &domain)],
        )
        .await;
    assert!(
        flash(&forgotten).contains("notice"),
        "{}",
        set_cookie(&forgotten)
    );
    let (actor, states) = db::run(&app.data().db, move |conn| {
        Ok((
            db::actors::by_ap_id(conn, &follower_id)?,
            db::deliveries::count_by_state(conn)?,
        ))
    })
    .await
    .unwrap();
    assert!(actor.is_none(), "its accounts are forgotten");
    assert!(
        states.iter().all(|(state, _)| state != "pending"),
        "{states:?}"
    );
    let page = admin.get(&app, "/admin/health").await.text().await.unwrap();
    assert!(!page.contains(&format!("<td>{domain}</td>")));
    let audit = admin.get(&app, "/admin/audit").await.text().await.unwrap();
    assert!(audit.contains("domain.forget") && audit.contains("deliveries.retry"));
}

#[tokio::test]
async fn long_lists_of_users_and_blocked_actors_are_paged() {
    let app = spawn_app().await;
    user(&app, "admin@city.example", "admin").await;
    let admin = log_in(&app, "admin@city.example").await;
    db::run(&app.data().db, |conn| {
        for n in 0..60 {
            db::users::insert(
                conn,
                &format!("staff{n:02}@city.example"),
                "editor",
                "not a hash: nobody logs in as them",
                db::now(),
            )?;
        }
        for n in 0..120 {
            db::domains::block_actor(
                conn,
                &format!("https://spam.example/users/{n:03}"),
                "",
                db::now(),
            )?;
        }
        Ok(())
    })
    .await
    .unwrap();

    let first = admin.get(&app, "/admin/users").await.text().await.unwrap();
    assert!(first.contains("admin@city.example") && first.contains("staff48@city.example"));
    assert!(!first.contains("staff49@city.example"));
    assert!(first.contains("href=\"/admin/users?page=2\""));
    let second = admin
        .get(&app, "/admin/users?page=2")
        .await
        .text()
        .await
        .unwrap();
    assert!(second.contains("staff49@city.example") && second.contains("staff59@city.example"));
    assert!(!second.contains("page=3"));

    let blocked = admin
        .get(&app, "/admin/moderation")
        .await
        .text()
        .await
        .unwrap();
    let rows = |page: &str| page.matches("aria-label=\"Unblock ").count();
    assert_eq!(rows(&blocked), 100);
    assert!(blocked.contains("href=\"/admin/moderation?page=2\""));
    let rest = admin
        .get(&app, "/admin/moderation?page=2")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(rows(&rest), 20);
}
