//! Real documents from 35 fediverse implementations (tests/fixtures, see its README):
//! each parses into our types or is refused deliberately, never with a panic.

use std::path::PathBuf;

use munifed::federation::{
    activities::InboxActivity,
    objects::actor::{remote_actor_form, ApubActor, ACTOR_KINDS},
};
use serde_json::{json, Value};

pub struct Fixture {
    pub path: String,
    pub implementation: String,
    pub kind: String,
    pub text: String,
}

pub fn fixtures() -> Vec<Fixture> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let index = std::fs::read_to_string(root.join("INDEX.tsv")).unwrap();
    index
        .lines()
        .skip(1)
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            Fixture {
                path: columns[0].to_string(),
                implementation: columns[1].to_string(),
                kind: columns[2].to_string(),
                text: std::fs::read_to_string(root.join(columns[0])).unwrap(),
            }
        })
        .collect()
}

#[test]
fn every_actor_document_is_read_or_refused_deliberately() {
    let mut accepted = 0;
    let mut refused = vec![];
    let actors: Vec<Fixture> = fixtures()
        .into_iter()
        .filter(|f| ACTOR_KINDS.contains(&f.kind.as_str()))
        .collect();
    assert!(actors.len() > 80, "the fixtures hold the actor documents");
    for fixture in &actors {
        let parsed = serde_json::from_str::<ApubActor>(&fixture.text)
            .map_err(|e| format!("does not parse: {e}"))
            .and_then(remote_actor_form);
        match parsed {
            Ok(form) => {
                assert!(!form.username.is_empty(), "{}", fixture.path);
                assert!(form.inbox.starts_with("http"), "{}", fixture.path);
                assert!(form.public_key.contains("PUBLIC KEY"), "{}", fixture.path);
                assert!(!form.summary.contains("<script"), "{}", fixture.path);
                accepted += 1;
            }
            Err(why) => refused.push(format!(
                "{} ({}): {why}",
                fixture.path, fixture.implementation
            )),
        }
    }
    println!(
        "{accepted} actors read, {} refused:\n{}",
        refused.len(),
        refused.join("\n")
    );
    // Refusals are deliberate: documents without a usable key or inbox.
    for why in &refused {
        assert!(
            why.contains("public key")
                || why.contains("no inbox")
                || why.contains("belongs to")
                || why.contains("another host"),
            "unexpected refusal: {why}"
        );
    }
    assert!(
        accepted * 10 >= actors.len() * 9,
        "{accepted} of {} read",
        actors.len()
    );
}

#[test]
fn the_activities_we_act_on_parse() {
    let mut parsed = 0;
    let mut failed = vec![];
    for fixture in fixtures().into_iter().filter(|f| {
        matches!(
            f.kind.as_str(),
            "Follow" | "Accept" | "Reject" | "Undo" | "Create" | "Update" | "Delete"
        )
    }) {
        match serde_json::from_str::<InboxActivity>(&fixture.text) {
            Ok(_) => parsed += 1,
            Err(e) => failed.push(format!("{}: {e}", fixture.path)),
        }
    }
    println!("{parsed} parsed; not parsed:\n{}", failed.join("\n"));
    for why in &failed {
        // Activities without an id cannot be made idempotent; they are refused (400).
        let document: Value = serde_json::from_str(
            &std::fs::read_to_string(
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures")
                    .join(why.split(':').next().unwrap()),
            )
            .unwrap(),
        )
        .unwrap();
        assert!(
            document.get("id").is_none() || document["id"].is_null(),
            "unexpected: {why}"
        );
    }
    assert!(parsed >= 70, "only {parsed} parsed");
}

#[test]
fn every_document_is_json_our_inbox_can_triage() {
    for fixture in fixtures() {
        let document: Value = serde_json::from_str(&fixture.text).unwrap();
        // The inbox reads the type and actor leniently before anything else.
        let _ = document.get("type").and_then(Value::as_str);
        let _ = document
            .get("actor")
            .and_then(munifed::federation::lenient::id_of);
        let _ = serde_json::from_value::<ApubActor>(document.clone());
        let _ = serde_json::from_value::<InboxActivity>(document);
    }
}

/// Real Create activities from other servers, received from an actor a local account
/// follows: public posts are stored cleaned, the rest are ignored or refused on purpose.
#[tokio::test]
async fn real_create_activities_store_cleaned_public_posts() {
    use crate::helpers::{accepted_follow, remote_actor};
    use munifed::{
        db, federation::lenient::id_of, federation::objects::remote_post, service::accounts,
    };
    let app = crate::helpers::spawn_app().await;
    let data = app.data();
    let news = accounts::by_name(&data, "news").await.unwrap();
    let mut stored = 0;
    let mut outcomes = vec![];
    for fixture in fixtures().into_iter().filter(|f| f.kind == "Create") {
        let activity: Value = serde_json::from_str(&fixture.text).unwrap();
        let Some(actor) = activity.get("actor").and_then(id_of) else {
            continue;
        };
        // The sender is known and followed, as after a follow.
        let actor_id = actor.to_string();
        db::run(&data.db, move |conn| {
            if db::actors::by_ap_id(conn, &actor_id)?.is_none() {
                let id = db::actors::insert(conn, &remote_actor(&actor_id, None))?;
                accepted_follow(conn, news.id, id)?;
            }
            Ok(())
        })
        .await
        .unwrap();
        let object = activity.get("object").cloned().unwrap_or(Value::Null);
        let result = remote_post::receive(&data, &actor, &object, false).await;
        let object_id = object.get("id").and_then(id_of).map(String::from);
        let row = match &object_id {
            Some(id) => {
                let id = id.clone();
                db::run(&data.db, move |conn| {
                    Ok(db::remote_posts::by_ap_id(conn, &id)?)
                })
                .await
                .unwrap()
            }
            None => None,
        };
        match (&result, row) {
            (Ok(()), Some(row)) => {
                stored += 1;
                for bad in ["<script", "javascript:", "onerror", "<iframe"] {
                    assert!(!row.content.contains(bad), "{}: {bad}", fixture.path);
                }
            }
            (Ok(()), None) => outcomes.push(format!("ignored {}", fixture.path)),
            (Err(e), _) => {
                // The only refusals: an object on another host, or by another author.
                let why = e.to_string();
                assert!(
                    why.contains("actor's instance") || why.contains("another actor"),
                    "{}: {why}",
                    fixture.path
                );
                outcomes.push(format!("refused {}: {why}", fixture.path));
            }
        }
    }
    println!("{stored} stored\n{}", outcomes.join("\n"));
    assert!(stored >= 25, "only {stored} real posts stored");
}

/// A follower must not aim our signed POSTs at another host, nor have `javascript:` links
/// shown: inboxes on another host refuse the actor, other URLs keep http(s) only.
#[test]
fn remote_urls_are_checked_before_they_are_stored() {
    let base = json!({
        "id": "https://social.example/users/a",
        "type": "Person",
        "preferredUsername": "a",
        "inbox": "https://social.example/users/a/inbox",
        "endpoints": { "sharedInbox": "https://social.example/inbox" },
        "url": "https://social.example/@a",
        "icon": { "type": "Image", "url": "https://social.example/a.png" },
        "publicKey": {
            "id": "https://social.example/users/a#main-key",
            "owner": "https://social.example/users/a",
            "publicKeyPem": "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
        },
    });
    let read = |changes: Value| {
        let mut document = base.clone();
        for (key, value) in changes.as_object().unwrap() {
            document[key] = value.clone();
        }
        remote_actor_form(serde_json::from_value(document).unwrap())
    };
    assert!(read(json!({})).is_ok());
    for hostile in [
        json!({ "inbox": "https://internal.example/admin" }),
        json!({ "inbox": "https://social.example:8443/inbox" }),
        json!({ "inbox": "ftp://social.example/inbox" }),
    ] {
        assert!(read(hostile.clone()).is_err(), "{hostile} was accepted");
    }
    // A shared inbox elsewhere is ignored: deliveries go to the actor's own inbox.
    let form =
        read(json!({ "endpoints": { "sharedInbox": "https://other.example/inbox" } })).unwrap();
    assert_eq!(form.shared_inbox, None);
    let form = read(json!({
        "url": "javascript:alert(1)",
        "icon": { "type": "Image", "url": "data:image/png;base64,AAAA" },
        "image": "file:///etc/passwd",
    }))
    .unwrap();
    assert_eq!(
        (form.url, form.icon_url, form.image_url),
        (None, None, None)
    );
}

#[test]
fn remote_post_links_keep_http_only() {
    let actor = url::Url::parse("https://social.example/users/a").unwrap();
    let note = json!({
        "id": "https://social.example/notes/1",
        "type": "Note",
        "attributedTo": actor.as_str(),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "content": "hi",
        "url": "javascript:alert(1)",
    });
    let post = munifed::federation::objects::remote_post::incoming_post(&actor, &note)
        .unwrap()
        .unwrap();
    assert_eq!(post.url, None);
}
