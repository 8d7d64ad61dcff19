//! Property tests: the inbound parsers never panic and refuse garbage, seeded from the real
//! documents in tests/fixtures with parts replaced at random. CI runs proptest's default
//! case count; for a long run: `PROPTEST_CASES=100000 cargo test --test it properties`.

use std::sync::LazyLock;

use munifed::federation::{
    activities::InboxActivity,
    lenient::id_of,
    objects::{
        actor::{remote_actor_form, ApubActor},
        remote_post::read_post,
    },
    signatures::{key_owner, precheck},
    webfinger::parse_handle,
};
use proptest::prelude::*;
use serde_json::Value;

use crate::fixtures::fixtures;

static DOCUMENTS: LazyLock<Vec<Value>> = LazyLock::new(|| {
    fixtures()
        .iter()
        .filter_map(|f| serde_json::from_str(&f.text).ok())
        .collect()
});

/// Any JSON value, a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
        prop::sample::select(vec![
            "https://www.w3.org/ns/activitystreams#Public",
            "https://a.example/users/x",
            "javascript:alert(1)",
            "Note",
            "Create",
            "<script>x</script>",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z@]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A real document with one field (at the top or in `object`) replaced or added.
fn mutated_document() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "id",
        "type",
        "actor",
        "object",
        "to",
        "cc",
        "attributedTo",
        "content",
        "contentMap",
        "name",
        "url",
        "inbox",
        "endpoints",
        "publicKey",
        "icon",
        "published",
        "startTime",
        "tag",
        "preferredUsername",
        "summary",
    ]);
    (0..DOCUMENTS.len(), keys, any::<bool>(), json()).prop_map(|(i, key, inner, value)| {
        let mut document = DOCUMENTS[i].clone();
        let target = match document.get_mut("object") {
            Some(object) if inner && object.is_object() => object,
            _ => &mut document,
        };
        if let Some(fields) = target.as_object_mut() {
            fields.insert(key.to_string(), value);
        }
        document
    })
}

proptest! {
    #[test]
    fn inbound_documents_never_panic_the_parsers(document in mutated_document()) {
        let _ = serde_json::from_value::<InboxActivity>(document.clone());
        if let Ok(actor) = serde_json::from_value::<ApubActor>(document.clone()) {
            if let Ok(form) = remote_actor_form(actor) {
                prop_assert!(form.inbox.starts_with("http"));
            }
        }
        let actor = document.get("actor").and_then(id_of);
        if let (Some(_), Some(object)) = (actor, document.get("object")) {
            if let Some(post) = read_post(object) {
                if let Some(url) = post.url {
                    prop_assert!(matches!(url.scheme(), "http" | "https"));
                }
            }
        }
    }

    #[test]
    fn any_json_never_panics_the_parsers(document in json()) {
        let _ = serde_json::from_value::<InboxActivity>(document.clone());
        let _ = serde_json::from_value::<ApubActor>(document.clone());
        let _ = read_post(&document);
    }

    #[test]
    fn signature_headers_are_refused_unless_complete(
        header in ".{0,200}",
        key in prop::sample::select(vec!["https://a.example/users/x#main-key", "x", ""]),
        covered in prop::sample::select(vec!["(request-target) host date digest", "(created)", "host date", ""]),
        extra in prop::sample::select(vec!["", r#",headers="digest""#, r#",keyId="https://b.example/k""#, r#",signature="x""#, ",algorithm=hs2019"]),
    ) {
        let signature = format!(r#"keyId="{key}",headers="{covered}",signature="{header}"{extra}"#);
        for text in [header.as_str(), signature.as_str()] {
            let Ok(value) = actix_web::http::header::HeaderValue::from_str(text) else {
                continue;
            };
            let request = actix_web::test::TestRequest::post()
                .uri("/inbox")
                .insert_header(("host", "city.example"))
                .insert_header(("date", httpdate::fmt_http_date(std::time::SystemTime::now())))
                .insert_header(("signature", value))
                .to_http_request();
            let accepted = precheck(&request, "city.example", 3600).is_ok();
            // Complete: a URL keyId, the four headers covered, and no parameter named twice
            // (the random signature value may itself hold parameter text).
            let complete = key.starts_with("https://")
                && covered == "(request-target) host date digest"
                && text.starts_with("keyId=")
                && (extra.is_empty() || extra.starts_with(",algorithm"));
            prop_assert!(!accepted || complete, "{text:?} accepted");
        }
    }

    #[test]
    fn key_ids_and_handles_never_panic(text in ".{0,80}", name in "[a-z0-9_]{1,20}", host in "[a-z0-9-]{1,20}(\\.[a-z]{2,6}){1,2}") {
        if let Ok(url) = url::Url::parse(&text) {
            let _ = key_owner(&url);
        }
        let _ = parse_handle(&text);
        let parsed = parse_handle(&format!("@{name}@{host}"));
        prop_assert_eq!(parsed.map(|h| (h.name, h.host)), Some((name, host)));
    }
}
