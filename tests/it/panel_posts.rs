//! Publishing from the panel: every field of the API, messages next to fields, a preview
//! that stores and sends nothing, a confirmation before delete, and the same federation as
//! the API.

use munifed::{
    db,
    service::{
        accounts::{self, NewAccount},
        posts,
        users::{self, Staff},
    },
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::{
    helpers::{follow_news, spawn_app, spawn_pair, TestApp},
    panel::{flash, location, log_in, user, Signed},
    publishing::api,
};

async fn live_posts(app: &TestApp) -> i64 {
    db::run(&app.data().db, |conn| Ok(db::posts::count_live(conn)?))
        .await
        .unwrap()
}

async fn remote_title(app: &TestApp, ap_id: &str) -> Option<String> {
    let ap_id = ap_id.to_string();
    db::run(&app.data().db, move |conn| {
        Ok(db::remote_posts::by_ap_id(conn, &ap_id)?)
    })
    .await
    .unwrap()
    .filter(|post| post.deleted_at.is_none())
    .map(|post| post.name)
}

/// An event with every field the API has, as the panel's form sends it.
fn event_form<'a>(csrf: &'a str, action: &'a str, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("action", action),
        ("account", "news"),
        ("title", title),
        ("summary", "The budget for 2032, with the neighbourhoods."),
        ("body", "Come to the **town hall**. #budget"),
        ("language", "en"),
        ("topics", "participation, finance"),
        ("image_url", "https://city.example/hall.jpg"),
        ("image_alt", "The town hall's front"),
        ("start", "2031-05-02T09:00"),
        ("end", "2031-05-02T12:30"),
        ("timezone", "Europe/Paris"),
        ("status", "scheduled"),
        ("online_url", "https://video.city.example/budget"),
        ("registration_url", "https://city.example/register"),
        ("location.name", "Town hall"),
        ("location.street", "1 Place de la Mairie"),
        ("location.postal_code", "75004"),
        ("location.locality", "Paris"),
        ("location.region", "Île-de-France"),
        ("location.country", "FR"),
        ("location.latitude", "48.8566"),
        ("location.longitude", "2.3522"),
        ("translation0.language", "fr"),
        ("translation0.title", "Assemblée du budget"),
        ("translation0.summary", "Le budget 2032."),
        ("translation0.body", "Venez à l'**hôtel de ville**."),
        ("translation1.language", ""),
        ("translation1.title", ""),
    ]
}

/// The AS2 object of a post, without what differs between two posts of the same content.
async fn comparable(app: &TestApp, url: &str) -> Value {
    let mut object = app.get_activity_json(url).await;
    let text = object.to_string().replace(url, "POST");
    object = serde_json::from_str(&text).unwrap();
    for key in ["published", "updated"] {
        object.as_object_mut().unwrap().remove(key);
    }
    object
}

#[tokio::test]
async fn events_are_published_previewed_edited_and_deleted_from_the_panel() {
    let (publisher, reader) = spawn_pair().await;
    follow_news(&reader, &publisher).await;
    user(&publisher, "admin@city.example", "admin").await;
    let signed = log_in(&publisher, "admin@city.example").await;

    let blank = signed.get(&publisher, "/admin/posts/events/new").await;
    assert_eq!(blank.status(), StatusCode::OK);
    let blank = blank.text().await.unwrap();
    for label in [
        "Published as",
        "Starts",
        "Time zone",
        "Postal code",
        "Translation 1",
    ] {
        assert!(blank.contains(label), "{label} missing from the form");
    }

    // Every problem is shown next to its field, and nothing is stored or sent.
    let mut wrong = event_form(&signed.csrf, "save", "");
    for (name, value) in wrong.iter_mut() {
        match *name {
            "timezone" => *value = "Mars/Olympus",
            "start" => *value = "next tuesday",
            "location.latitude" => *value = "north",
            "translation0.language" => *value = "",
            _ => {}
        }
    }
    let refused = signed
        .post(&publisher, "/admin/posts/events/new", &wrong)
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("give the language of this translation"));
    assert!(refused.contains("must be a number"));
    assert!(refused.contains("aria-invalid=\"true\""));
    // What the visitor typed is kept.
    assert!(refused.contains("value=\"Mars/Olympus\""));
    wrong.retain(|(name, _)| !name.starts_with("translation") && *name != "location.latitude");
    let refused = signed
        .post(&publisher, "/admin/posts/events/new", &wrong)
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    for message in [
        "id=\"f-title-error\">is required",
        "f-timezone-error",
        "f-start-error",
    ] {
        assert!(refused.contains(message), "{message} not shown");
    }
    assert_eq!(live_posts(&publisher).await, 0);

    let preview = signed
        .post(
            &publisher,
            "/admin/posts/events/new",
            &event_form(&signed.csrf, "preview", "Budget assembly"),
        )
        .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview = preview.text().await.unwrap();
    assert!(preview.contains("Preview (not published yet)"));
    assert!(preview.contains("<strong>town hall</strong>"), "{preview}");
    assert!(preview.contains("Town hall, Paris, FR"));
    assert_eq!(live_posts(&publisher).await, 0);
    assert_eq!(publisher.deliver_all_pending().await, 0);

    let published = signed
        .post(
            &publisher,
            "/admin/posts/events/new",
            &event_form(&signed.csrf, "save", "Budget assembly"),
        )
        .await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let edit_path = location(&published).to_string();
    let id: i64 = edit_path.rsplit('/').next().unwrap().parse().unwrap();
    let url = publisher
        .data()
        .urls
        .post(munifed::domain::post::PostKind::Event, id)
        .to_string();
    assert!(publisher.deliver_all_pending().await > 0);
    assert_eq!(
        remote_title(&reader, &url).await.as_deref(),
        Some("Budget assembly")
    );

    // The same event sent to the API federates as the same object.
    let token = users::create_token(
        &publisher.data(),
        &Staff::Operator,
        "admin@city.example",
        None,
    )
    .await
    .unwrap();
    let body = json!({
        "account": "news", "title": "Budget assembly",
        "summary": "The budget for 2032, with the neighbourhoods.",
        "body": "Come to the **town hall**. #budget", "language": "en",
        "topics": ["participation", "finance"],
        "image_url": "https://city.example/hall.jpg", "image_alt": "The town hall's front",
        "start": "2031-05-02T09:00", "end": "2031-05-02T12:30", "timezone": "Europe/Paris",
        "status": "scheduled", "online_url": "https://video.city.example/budget",
        "registration_url": "https://city.example/register",
        "location": {"name": "Town hall", "street": "1 Place de la Mairie",
            "postal_code": "75004", "locality": "Paris", "region": "Île-de-France",
            "country": "FR", "latitude": 48.8566, "longitude": 2.3522},
        "translations": {"fr": {"title": "Assemblée du budget", "summary": "Le budget 2032.",
            "body": "Venez à l'**hôtel de ville**."}}
    });
    let (status, created) = api(
        &publisher,
        Method::POST,
        "/api/v1/events",
        Some(&token),
        Some(&body),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let api_url = created["url"].as_str().unwrap().to_string();
    assert_eq!(
        comparable(&publisher, &url).await,
        comparable(&publisher, &api_url).await
    );

    // Editing starts from what is stored, every field included.
    let form = signed
        .get(&publisher, &edit_path)
        .await
        .text()
        .await
        .unwrap();
    for value in [
        "value=\"Budget assembly\"",
        "value=\"2031-05-02T09:00:00\"",
        "value=\"Europe/Paris\"",
        "value=\"48.8566\"",
        "value=\"fr\"",
        "**hôtel de ville**.</textarea>",
        "value=\"https://city.example/register\"",
    ] {
        assert!(form.contains(value), "{value} missing from the edit form");
    }
    let mut changed = event_form(&signed.csrf, "save", "Budget assembly (new room)");
    changed.retain(|(name, _)| *name != "account");
    let saved = signed.post(&publisher, &edit_path, &changed).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), edit_path);
    assert!(publisher.deliver_all_pending().await > 0);
    assert_eq!(
        remote_title(&reader, &url).await.as_deref(),
        Some("Budget assembly (new room)")
    );

    // Delete asks first, and only the confirmation deletes.
    let confirm = signed
        .get(&publisher, &format!("{edit_path}/delete"))
        .await
        .text()
        .await
        .unwrap();
    assert!(confirm.contains("cannot be undone"));
    assert_eq!(live_posts(&publisher).await, 2);
    let deleted = signed
        .post(
            &publisher,
            &format!("{edit_path}/delete"),
            &[("csrf", &signed.csrf)],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&deleted), "/admin/posts?kind=events");
    assert_eq!(live_posts(&publisher).await, 1);
    let gone = publisher.http.get(&url).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::GONE);
    assert!(publisher.deliver_all_pending().await > 0);
    assert_eq!(remote_title(&reader, &url).await, None);

    let list = signed
        .get(&publisher, "/admin/posts?kind=events")
        .await
        .text()
        .await
        .unwrap();
    assert!(!list.contains("Budget assembly (new room)"));
    assert!(list.contains(&format!(
        "/admin/posts/events/{}",
        api_url.rsplit('/').next().unwrap()
    )));
}

async fn login_as(app: &TestApp, email: &str, role: &str) -> Signed {
    user(app, email, role).await;
    log_in(app, email).await
}

#[tokio::test]
async fn editors_publish_only_as_their_accounts_and_moderators_not_at_all() {
    let app = spawn_app().await;
    accounts::create(
        &app.data(),
        &Staff::Operator,
        NewAccount {
            name: "parks".into(),
            ..NewAccount::default()
        },
    )
    .await
    .unwrap();
    let parks_post = posts::create(
        &app.data(),
        &Staff::Operator,
        munifed::domain::post::PostKind::News,
        munifed::domain::post::PostInput {
            title: Some("Parks open late".into()),
            account: Some("parks".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let editor = login_as(&app, "editor@city.example", "editor").await;
    users::grant_account(&app.data(), &Staff::Operator, "editor@city.example", "news")
        .await
        .unwrap();

    let form = editor
        .get(&app, "/admin/posts/news/new")
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("<option value=\"news\""));
    assert!(!form.contains("<option value=\"parks\""));
    let as_parks = editor
        .post(
            &app,
            "/admin/posts/news/new",
            &[
                ("csrf", &editor.csrf),
                ("action", "save"),
                ("account", "parks"),
                ("title", "Not mine to say"),
            ],
        )
        .await;
    assert_eq!(as_parks.status(), StatusCode::FORBIDDEN);
    let edit_path = format!("/admin/posts/news/{}", parks_post.post.id);
    assert_eq!(
        editor.get(&app, &edit_path).await.status(),
        StatusCode::FORBIDDEN
    );
    let delete = editor
        .post(
            &app,
            &format!("{edit_path}/delete"),
            &[("csrf", &editor.csrf)],
        )
        .await;
    assert_eq!(delete.status(), StatusCode::FORBIDDEN);
    // Without the CSRF token nothing is published either.
    let forged = editor
        .post(
            &app,
            "/admin/posts/news/new",
            &[("action", "save"), ("title", "Forged")],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(live_posts(&app).await, 1);

    let own = editor
        .post(
            &app,
            "/admin/posts/news/new",
            &[
                ("csrf", &editor.csrf),
                ("action", "save"),
                ("account", "news"),
                ("title", "Library hours"),
            ],
        )
        .await;
    assert_eq!(own.status(), StatusCode::SEE_OTHER);
    assert_eq!(live_posts(&app).await, 2);
    // The list offers editing only of what the editor may edit.
    let list = editor
        .get(&app, "/admin/posts?kind=news")
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("Parks open late"));
    assert!(!list.contains(&format!("href=\"{edit_path}\"")));
    assert!(list.contains("aria-label=\"Edit Library hours\""));

    let moderator = login_as(&app, "moderator@city.example", "moderator").await;
    assert_eq!(
        moderator.get(&app, "/admin/posts/news/new").await.status(),
        StatusCode::FORBIDDEN
    );
    let by_moderator = moderator
        .post(
            &app,
            "/admin/posts/news/new",
            &[
                ("csrf", &moderator.csrf),
                ("action", "save"),
                ("account", "news"),
                ("title", "Moderators do not publish"),
            ],
        )
        .await;
    assert_eq!(by_moderator.status(), StatusCode::FORBIDDEN);
    assert_eq!(live_posts(&app).await, 2);
}

#[tokio::test]
async fn replies_under_our_posts_are_hidden_and_shown_again_by_their_publishers() {
    let (alpha, beta) = spawn_pair().await;
    let post = crate::helpers::publish_news(&beta, "New cycle lanes").await;
    let url = beta
        .data()
        .urls
        .post(munifed::domain::post::PostKind::News, post.post.id)
        .to_string();
    let actor = url::Url::parse(alpha.url("/users/news").as_str()).unwrap();
    for (id, in_reply_to, content) in [
        ("r1", url.clone(), "<p>Which streets?</p>"),
        (
            "r2",
            alpha.url("/notes/r1").to_string(),
            "<p>Twelve of them.</p>",
        ),
        ("r3", url.clone(), "<p>Great news.</p>"),
    ] {
        let activity = json!({
            "id": alpha.url(&format!("/activities/{id}")).to_string(),
            "type": "Create",
            "actor": actor.as_str(),
            "object": {
                "id": alpha.url(&format!("/notes/{id}")).to_string(),
                "type": "Note",
                "attributedTo": actor.as_str(),
                "inReplyTo": in_reply_to,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "content": content,
            },
        });
        let response = beta
            .post_signed_as(
                &alpha,
                &actor,
                "/inbox",
                &activity,
                std::time::SystemTime::now(),
            )
            .await;
        assert_eq!(response.status(), 202);
    }
    let public_page = || async {
        beta.http
            .get(&url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    assert!(public_page().await.contains("Which streets?"));

    let admin = login_as(&beta, "admin@city.example", "admin").await;
    let edit_path = format!("/admin/posts/news/{}", post.post.id);
    let replies_path = format!("{edit_path}/replies");
    let edit = admin.get(&beta, &edit_path).await.text().await.unwrap();
    assert!(edit.contains(&format!("href=\"{replies_path}\"")));
    let listed = admin.get(&beta, &replies_path).await.text().await.unwrap();
    assert!(listed.contains("Which streets?") && listed.contains("Twelve of them."));
    let r1 = alpha.url("/notes/r1").to_string();
    let hide = |visibility: &'static str, reply: String| {
        let (admin, beta, path) = (&admin, &beta, format!("{edit_path}/replies"));
        async move {
            admin
                .post(
                    beta,
                    &path,
                    &[
                        ("csrf", &admin.csrf),
                        ("reply", &reply),
                        ("visibility", visibility),
                    ],
                )
                .await
        }
    };
    let hidden = hide("hide", r1.clone()).await;
    assert_eq!(hidden.status(), StatusCode::SEE_OTHER);
    let page = public_page().await;
    assert!(
        !page.contains("Which streets?"),
        "the hidden reply is shown"
    );
    assert!(
        !page.contains("Twelve of them."),
        "its answers went with it"
    );
    assert!(page.contains("Great news."));
    let object = beta
        .get_activity_json(url.trim_start_matches(beta.base.as_str()))
        .await;
    assert_eq!(object["replies"]["totalItems"], 1);
    // Kept, and shown as hidden to its publishers.
    let listed = admin.get(&beta, &replies_path).await.text().await.unwrap();
    assert!(listed.contains("Which streets?") && listed.contains(">Hidden<"));
    let audit = admin.get(&beta, "/admin/audit").await.text().await.unwrap();
    assert!(audit.contains("reply.hide"));

    // Only replies under this post; anything else changes nothing.
    let elsewhere = hide("hide", "https://elsewhere.example/notes/1".into()).await;
    assert_eq!(elsewhere.status(), StatusCode::SEE_OTHER);
    assert!(flash(&elsewhere).contains("error"));

    // An editor of another account may not hide replies here.
    accounts::create(
        &beta.data(),
        &Staff::Operator,
        NewAccount {
            name: "parks".into(),
            ..NewAccount::default()
        },
    )
    .await
    .unwrap();
    let editor = login_as(&beta, "editor@city.example", "editor").await;
    users::grant_account(
        &beta.data(),
        &Staff::Operator,
        "editor@city.example",
        "parks",
    )
    .await
    .unwrap();
    let refused = editor
        .post(
            &beta,
            &format!("{edit_path}/replies"),
            &[
                ("csrf", &editor.csrf),
                ("reply", alpha.url("/notes/r3").as_str()),
                ("visibility", "hide"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(public_page().await.contains("Great news."));

    assert_eq!(
        editor.get(&beta, &replies_path).await.status(),
        StatusCode::FORBIDDEN
    );

    let shown = hide("show", r1).await;
    assert_eq!(shown.status(), StatusCode::SEE_OTHER);
    let page = public_page().await;
    assert!(page.contains("Which streets?") && page.contains("Twelve of them."));

    // Moderators see the replies of every post and hide them too.
    let moderator = login_as(&beta, "mod@city.example", "moderator").await;
    let listed = moderator
        .get(&beta, &replies_path)
        .await
        .text()
        .await
        .unwrap();
    assert!(listed.contains("Great news.") && listed.contains("Report…"));
    let hidden = moderator
        .post(
            &beta,
            &replies_path,
            &[
                ("csrf", &moderator.csrf),
                ("reply", alpha.url("/notes/r3").as_str()),
                ("visibility", "hide"),
            ],
        )
        .await;
    assert!(flash(&hidden).contains("notice"));
    assert!(!public_page().await.contains("Great news."));
}
