//! Inbound HTTP signatures (draft-cavage) signed by hand, each with one fault: every one is
//! refused with 401 and changes nothing.

use std::time::SystemTime;

use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use munifed::{crypto::SigningKey, db};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{spawn_pair, spawn_receiver, TestApp};

/// A request to sign: what is sent, and which headers the signature covers.
struct Signed<'a> {
    body: Vec<u8>,
    /// The Digest header sent (by default the body's).
    digest: Option<String>,
    /// The Host header sent and signed (by default the receiver's).
    host: Option<String>,
    /// The headers the signature covers, in order.
    covered: &'a [&'a str],
}

impl<'a> Signed<'a> {
    /// A correct request for `body`.
    fn of(body: Vec<u8>) -> Signed<'a> {
        Signed {
            body,
            digest: None,
            host: None,
            covered: ALL,
        }
    }
}

fn digest_of(body: &[u8]) -> String {
    format!("SHA-256={}", BASE64.encode(Sha256::digest(body)))
}

async fn private_key(app: &TestApp, actor: &url::Url) -> SigningKey {
    let key = actor.to_string();
    let pem = db::run(&app.data().db, move |conn| {
        let actor = db::actors::by_ap_id(conn, &key)?.ok_or(diesel::NotFound)?;
        Ok(db::actors::private_key(conn, actor.id)?)
    })
    .await
    .unwrap()
    .unwrap();
    SigningKey::from_pem(&pem).unwrap()
}

/// POSTs to `receiver`'s shared inbox, signed by `signer` (an account of `signer_app`) over
/// the headers `request.covered` names.
async fn post(
    receiver: &TestApp,
    signer_app: &TestApp,
    signer: &url::Url,
    request: Signed<'_>,
) -> reqwest::StatusCode {
    let key = private_key(signer_app, signer).await;
    post_with_key(receiver, &key, signer, request).await
}

/// POSTs to `receiver`'s shared inbox, signed with `key` under the keyId of `key_owner`.
async fn post_with_key(
    receiver: &TestApp,
    key: &SigningKey,
    signer: &url::Url,
    request: Signed<'_>,
) -> reqwest::StatusCode {
    let date = httpdate::fmt_http_date(SystemTime::now());
    let digest = request
        .digest
        .clone()
        .unwrap_or_else(|| digest_of(&request.body));
    let host = request
        .host
        .clone()
        .unwrap_or_else(|| receiver.domain.clone());
    let created = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signing_string: Vec<String> = request
        .covered
        .iter()
        .map(|name| match *name {
            "(request-target)" => "(request-target): post /inbox".to_string(),
            "(created)" => format!("(created): {created}"),
            "host" => format!("host: {host}"),
            "date" => format!("date: {date}"),
            "digest" => format!("digest: {digest}"),
            other => panic!("no value for {other}"),
        })
        .collect();
    let signature = key.sign(signing_string.join("\n").as_bytes()).unwrap();
    let header = format!(
        r#"keyId="{signer}#main-key",algorithm="rsa-sha256",created={created},headers="{}",signature="{}""#,
        request.covered.join(" "),
        BASE64.encode(signature)
    );
    receiver
        .http
        .post(receiver.url("/inbox"))
        .header("Host", host)
        .header("Date", date)
        .header("Digest", digest)
        .header("Content-Type", "application/activity+json")
        .header("Signature", header)
        .body(request.body)
        .send()
        .await
        .unwrap()
        .status()
}

const ALL: &[&str] = &["(request-target)", "host", "date", "digest"];

fn follow(alpha: &TestApp, beta: &TestApp, id: &str) -> Vec<u8> {
    json!({
        "id": beta.url(&format!("/activities/{id}")).to_string(),
        "type": "Follow",
        "actor": beta.url("/users/news").to_string(),
        "object": alpha.url("/users/news").to_string(),
    })
    .to_string()
    .into_bytes()
}

#[tokio::test]
async fn each_signature_fault_gets_401_and_changes_nothing() {
    let (alpha, beta) = spawn_pair().await;
    let signer = beta.url("/users/news");
    // Alpha knows beta's actor already: no fetch moves the counts below.
    munifed::federation::webfinger::resolve_actor(&alpha.data(), signer.as_str())
        .await
        .unwrap();
    let before = alpha.snapshot().await;
    let body = follow(&alpha, &beta, "f1");
    let faults: Vec<(&str, Signed)> = vec![
        (
            "a body changed after signing",
            Signed {
                body: follow(&alpha, &beta, "f2"),
                digest: Some(digest_of(&body)),
                host: None,
                covered: ALL,
            },
        ),
        (
            "a Digest of another body",
            Signed {
                body: body.clone(),
                digest: Some(digest_of(b"{}")),
                host: None,
                covered: ALL,
            },
        ),
        (
            "no date covered",
            Signed {
                body: body.clone(),
                digest: None,
                host: None,
                covered: &["(request-target)", "host", "digest"],
            },
        ),
        (
            "no host covered",
            Signed {
                body: body.clone(),
                digest: None,
                host: None,
                covered: &["(request-target)", "date", "digest"],
            },
        ),
        (
            "no (request-target) covered",
            Signed {
                body: body.clone(),
                digest: None,
                host: None,
                covered: &["host", "date", "digest"],
            },
        ),
        (
            "no digest covered",
            Signed {
                body: body.clone(),
                digest: None,
                host: None,
                covered: &["(request-target)", "host", "date"],
            },
        ),
        (
            "only (created) covered",
            Signed {
                body: body.clone(),
                digest: None,
                host: None,
                covered: &["(created)"],
            },
        ),
        (
            "signed for another server (a replay)",
            Signed {
                body: body.clone(),
                digest: None,
                host: Some(beta.domain.clone()),
                covered: ALL,
            },
        ),
    ];
    for (fault, request) in faults {
        let status = post(&alpha, &beta, &signer, request).await;
        assert_eq!(status, 401, "{fault}");
    }
    assert_eq!(alpha.snapshot().await, before);
    // The same request, correctly signed, is accepted.
    let status = post(
        &alpha,
        &beta,
        &signer,
        Signed {
            body,
            digest: None,
            host: None,
            covered: ALL,
        },
    )
    .await;
    assert_eq!(status, 202);
}

#[tokio::test]
async fn unsigned_requests_get_401_before_their_body_is_read_and_signed_garbage_400() {
    let (alpha, beta) = spawn_pair().await;
    let unsigned = alpha
        .http
        .post(alpha.url("/inbox"))
        .header("Content-Type", "application/activity+json")
        .body("{ this is not json")
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    let signer = beta.url("/users/news");
    let status = post(
        &alpha,
        &beta,
        &signer,
        Signed {
            body: b"{ this is not json".to_vec(),
            digest: None,
            host: None,
            covered: ALL,
        },
    )
    .await;
    assert_eq!(status, 400);
    let not_an_object: Value = json!(["a", "list"]);
    let status = post(
        &alpha,
        &beta,
        &signer,
        Signed {
            body: not_an_object.to_string().into_bytes(),
            digest: None,
            host: None,
            covered: ALL,
        },
    )
    .await;
    assert_eq!(status, 400);
}

/// Replaces an account's key pair, as a server rotating its keys does.
async fn rotate_key(app: &TestApp, account: &url::Url) {
    let keypair = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let id = account.to_string();
    db::run(&app.data().db, move |conn| {
        use diesel::{ExpressionMethods, RunQueryDsl};
        use munifed::db::schema::actors;
        diesel::update(actors::table)
            .filter(actors::ap_id.eq(id))
            .set((
                actors::public_key.eq(keypair.public_key),
                actors::private_key.eq(Some(keypair.private_key)),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_signer_with_a_new_key_is_fetched_again_and_believed() {
    let (alpha, beta) = spawn_pair().await;
    let signer = beta.url("/users/news");
    munifed::federation::webfinger::resolve_actor(&alpha.data(), signer.as_str())
        .await
        .unwrap();
    rotate_key(&beta, &signer).await;
    // Alpha fetched the actor a little while ago (not so long that it would fetch it anyway).
    let id = signer.to_string();
    db::run(&alpha.data().db, move |conn| {
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        use munifed::db::schema::actors;
        diesel::update(actors::table.filter(actors::ap_id.eq(id)))
            .set(actors::last_refreshed_at.eq(db::now() - chrono::TimeDelta::seconds(12)))
            .execute(conn)?;
        Ok(())
    })
    .await
    .unwrap();
    alpha.data().actor_cache.invalidate(&signer).await;
    // Alpha still has the old key: it fetches beta's actor again and the Follow is accepted.
    let status = post(
        &alpha,
        &beta,
        &signer,
        Signed::of(follow(&alpha, &beta, "k1")),
    )
    .await;
    assert_eq!(status, 202);
    let stored = alpha.snapshot().await;
    assert_eq!(stored[1], 1, "the follow was recorded");
    // A forged signature (a key the actor never had) is still refused, without a fetch
    // storm: the actor was fetched again less than a minute ago.
    let keypair = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let forged = SigningKey::from_pem(&keypair.private_key).unwrap();
    let status = post_with_key(
        &alpha,
        &forged,
        &signer,
        Signed::of(follow(&alpha, &beta, "k2")),
    )
    .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn the_deletion_of_an_unknown_account_is_accepted_without_a_fetch() {
    let (alpha, beta) = spawn_pair().await;
    let home = spawn_receiver(410).await;
    let gone = home.inbox.join("/users/gone").unwrap();
    let key = private_key(&beta, &beta.url("/users/news")).await;
    let delete = json!({
        "id": format!("{gone}#delete"),
        "type": "Delete",
        "actor": gone.as_str(),
        "object": gone.as_str(),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    });
    let before = alpha.snapshot().await;
    let status = post_with_key(
        &alpha,
        &key,
        &gone,
        Signed::of(delete.to_string().into_bytes()),
    )
    .await;
    assert_eq!(status, 202);
    assert_eq!(home.hits(), 0, "nothing was fetched");
    assert_eq!(alpha.snapshot().await, before);
}

#[tokio::test]
async fn the_deletion_of_a_known_account_whose_document_is_gone_is_accepted() {
    let (alpha, beta) = spawn_pair().await;
    let home = spawn_receiver(410).await;
    let gone = home.inbox.join("/users/gone").unwrap();
    let beta_news = beta.url("/users/news");
    let key = private_key(&beta, &beta_news).await;
    // Alpha knows the account (with the key it signs with), from a fetch two days ago.
    let public_key = munifed::service::accounts::by_name(&beta.data(), "news")
        .await
        .unwrap()
        .public_key;
    let id = gone.to_string();
    db::run(&alpha.data().db, move |conn| {
        let mut form = crate::helpers::remote_actor(&id, None);
        form.public_key = public_key;
        form.last_refreshed_at = db::now() - chrono::TimeDelta::days(2);
        db::actors::insert(conn, &form)?;
        Ok(())
    })
    .await
    .unwrap();
    let delete = json!({
        "id": format!("{gone}#delete"),
        "type": "Delete",
        "actor": gone.as_str(),
        "object": gone.as_str(),
    });
    let status = post_with_key(
        &alpha,
        &key,
        &gone,
        Signed::of(delete.to_string().into_bytes()),
    )
    .await;
    assert_eq!(status, 202);
    let id = gone.to_string();
    let left = db::run(&alpha.data().db, move |conn| {
        Ok(db::actors::by_ap_id(conn, &id)?)
    })
    .await
    .unwrap();
    assert!(left.is_none(), "the account was forgotten");
}

/// The checks and the verifier must read the same headers: a request that sends one twice
/// (a second Digest for a forged body, a second Date, Host or Signature) is refused.
#[tokio::test]
async fn duplicated_headers_are_refused() {
    let (alpha, beta) = spawn_pair().await;
    let signer = beta.url("/users/news");
    munifed::federation::webfinger::resolve_actor(&alpha.data(), signer.as_str())
        .await
        .unwrap();
    let before = alpha.snapshot().await;
    let key = private_key(&beta, &signer).await;
    let original = follow(&alpha, &beta, "d1");
    let forged = follow(&alpha, &beta, "d2");
    let date = httpdate::fmt_http_date(SystemTime::now());
    let digest = digest_of(&original);
    let signing_string = format!(
        "(request-target): post /inbox\nhost: {}\ndate: {date}\ndigest: {digest}",
        alpha.domain
    );
    let signature = format!(
        r#"keyId="{signer}#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="{}""#,
        BASE64.encode(key.sign(signing_string.as_bytes()).unwrap())
    );
    // One header map with every value, so that a header can be sent twice.
    let send = |body: Vec<u8>, extra: Vec<(&'static str, String)>| {
        let mut headers = reqwest::header::HeaderMap::new();
        let base = [
            ("content-type", "application/activity+json".to_string()),
            ("date", date.clone()),
            ("signature", signature.clone()),
        ];
        for (name, value) in base.into_iter().chain(extra) {
            headers.append(name, value.parse().unwrap());
        }
        let request = alpha.http.post(alpha.url("/inbox")).headers(headers);
        async move { request.body(body).send().await.unwrap().status() }
    };
    // A Digest of the forged body first, the signed one last.
    let status = send(
        forged.clone(),
        vec![("digest", digest_of(&forged)), ("digest", digest.clone())],
    )
    .await;
    assert_eq!(status, 401);
    let status = send(
        original.clone(),
        vec![("digest", digest.clone()), ("date", date.clone())],
    )
    .await;
    assert_eq!(status, 401, "two Dates");
    let status = send(
        original.clone(),
        vec![("digest", digest.clone()), ("signature", signature.clone())],
    )
    .await;
    assert_eq!(status, 401, "two Signatures");
    let status = send(
        original.clone(),
        vec![
            ("digest", digest.clone()),
            ("authorization", format!("Signature {signature}")),
        ],
    )
    .await;
    assert_eq!(status, 401, "an Authorization beside the Signature");
    assert_eq!(alpha.snapshot().await, before);
    // The same request without the duplicate is accepted.
    let status = send(original, vec![("digest", digest)]).await;
    assert_eq!(status, 202);
}

/// An RFC 9421 request: the components covered and what they are computed from.
struct MessageSigned<'a> {
    method: &'a str,
    path: &'a str,
    body: Option<Vec<u8>>,
    /// The body the Content-Digest names (by default the body sent).
    digested: Option<Vec<u8>>,
    /// The authority signed (by default the receiver's).
    authority: Option<String>,
    covered: &'a [&'a str],
    /// Seconds before now the signature was made.
    age: u64,
}

impl<'a> MessageSigned<'a> {
    fn post(body: Vec<u8>) -> MessageSigned<'a> {
        MessageSigned {
            method: "POST",
            path: "/inbox",
            body: Some(body),
            digested: None,
            authority: None,
            covered: &["@method", "@target-uri", "@authority", "content-digest"],
            age: 0,
        }
    }
}

/// Sends an RFC 9421-signed request to `receiver`, signed with `key` as `signer`.
async fn send_rfc9421(
    receiver: &TestApp,
    key: &SigningKey,
    signer: &url::Url,
    request: MessageSigned<'_>,
) -> reqwest::StatusCode {
    let authority = request
        .authority
        .clone()
        .unwrap_or_else(|| receiver.domain.clone());
    let target = format!("http://{authority}{}", request.path);
    let digest = request
        .digested
        .as_ref()
        .or(request.body.as_ref())
        .map(|body| format!("sha-256=:{}:", BASE64.encode(Sha256::digest(body))));
    let created = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - request.age;
    let components: Vec<String> = request.covered.iter().map(|c| format!("\"{c}\"")).collect();
    let params = format!(
        "({});created={created};keyid=\"{signer}#main-key\";alg=\"rsa-v1_5-sha256\"",
        components.join(" ")
    );
    let mut lines: Vec<String> = request
        .covered
        .iter()
        .map(|c| {
            let value = match *c {
                "@method" => request.method.to_string(),
                "@target-uri" => target.clone(),
                "@authority" => authority.clone(),
                "@path" => request.path.to_string(),
                "content-digest" => digest.clone().unwrap_or_default(),
                other => panic!("no value for {other}"),
            };
            format!("\"{c}\": {value}")
        })
        .collect();
    lines.push(format!("\"@signature-params\": {params}"));
    let signature = BASE64.encode(key.sign(lines.join("\n").as_bytes()).unwrap());
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
    let mut builder = receiver
        .http
        .request(method, receiver.url(request.path))
        .header("Accept", "application/activity+json")
        .header("Signature-Input", format!("sig1={params}"))
        .header("Signature", format!("sig1=:{signature}:"));
    if let Some(digest) = digest {
        builder = builder.header("Content-Digest", digest);
    }
    if let Some(body) = request.body {
        builder = builder
            .header("Content-Type", "application/activity+json")
            .body(body);
    }
    builder.send().await.unwrap().status()
}

#[tokio::test]
async fn rfc9421_signatures_are_verified_with_the_same_rules() {
    let (alpha, beta) = spawn_pair().await;
    let signer = beta.url("/users/news");
    munifed::federation::webfinger::resolve_actor(&alpha.data(), signer.as_str())
        .await
        .unwrap();
    let key = private_key(&beta, &signer).await;
    let before = alpha.snapshot().await;
    let body = follow(&alpha, &beta, "r1");
    let faults: Vec<(&str, MessageSigned)> = vec![
        (
            "a body changed after signing",
            MessageSigned {
                digested: Some(follow(&alpha, &beta, "r2")),
                ..MessageSigned::post(body.clone())
            },
        ),
        (
            "no @authority covered",
            MessageSigned {
                covered: &["@method", "@target-uri", "content-digest"],
                ..MessageSigned::post(body.clone())
            },
        ),
        (
            "no content-digest covered",
            MessageSigned {
                covered: &["@method", "@target-uri", "@authority"],
                ..MessageSigned::post(body.clone())
            },
        ),
        (
            "no target covered",
            MessageSigned {
                covered: &["@method", "@authority", "content-digest"],
                ..MessageSigned::post(body.clone())
            },
        ),
        (
            "made two hours ago",
            MessageSigned {
                age: 7200,
                ..MessageSigned::post(body.clone())
            },
        ),
        (
            "signed for another server",
            MessageSigned {
                authority: Some(beta.domain.clone()),
                ..MessageSigned::post(body.clone())
            },
        ),
    ];
    for (fault, request) in faults {
        assert_eq!(
            send_rfc9421(&alpha, &key, &signer, request).await,
            401,
            "{fault}"
        );
    }
    assert_eq!(alpha.snapshot().await, before);
    // Forged with another key.
    let keypair = activitypub_federation::http_signatures::generate_actor_keypair().unwrap();
    let forged = SigningKey::from_pem(&keypair.private_key).unwrap();
    let status = send_rfc9421(&alpha, &forged, &signer, MessageSigned::post(body.clone())).await;
    assert_eq!(status, 401);
    // Correct, with @target-uri or with @path.
    let status = send_rfc9421(&alpha, &key, &signer, MessageSigned::post(body)).await;
    assert_eq!(status, 202);
    assert_eq!(
        alpha.snapshot().await[1],
        before[1] + 1,
        "the follow was recorded"
    );
    let status = send_rfc9421(
        &alpha,
        &key,
        &signer,
        MessageSigned {
            covered: &["@method", "@path", "@authority", "content-digest"],
            ..MessageSigned::post(follow(&alpha, &beta, "r3"))
        },
    )
    .await;
    assert_eq!(status, 202);
}

#[tokio::test]
async fn rfc9421_signed_gets_pass_authorized_fetch() {
    let alpha =
        crate::helpers::spawn_app_with(&[("MUNIFED__FEDERATION__AUTHORIZED_FETCH", "true")]).await;
    let beta = crate::helpers::spawn_app().await;
    let signer = beta.url("/users/news");
    let key = private_key(&beta, &signer).await;
    let get = |covered: &'static [&'static str]| MessageSigned {
        method: "GET",
        path: "/users/news",
        body: None,
        digested: None,
        authority: None,
        covered,
        age: 0,
    };
    let status = send_rfc9421(
        &alpha,
        &key,
        &signer,
        get(&["@method", "@target-uri", "@authority"]),
    )
    .await;
    assert_eq!(status, 200);
    let status = send_rfc9421(&alpha, &key, &signer, get(&["@method", "@target-uri"])).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn rfc9421_requests_with_a_path_must_bind_their_query() {
    let alpha =
        crate::helpers::spawn_app_with(&[("MUNIFED__FEDERATION__AUTHORIZED_FETCH", "true")]).await;
    let beta = crate::helpers::spawn_app().await;
    let signer = beta.url("/users/news");
    let key = private_key(&beta, &signer).await;
    let status = send_rfc9421(
        &alpha,
        &key,
        &signer,
        MessageSigned {
            method: "GET",
            path: "/users/news/followers?page=1",
            body: None,
            digested: None,
            authority: None,
            covered: &["@method", "@path", "@authority"],
            age: 0,
        },
    )
    .await;
    assert_eq!(status, 401, "the query is not signed");
}
