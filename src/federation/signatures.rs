//! HTTP signatures (draft-cavage, as Mastodon): signing our POSTs, and the checks made on
//! incoming signed requests before any key is fetched.

use std::{
    collections::BTreeMap,
    time::{Duration, SystemTime},
};

use activitypub_federation::{config::Data, fetch::object_id::ObjectId};

use actix_web::HttpRequest;
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use reqwest_middleware::ClientWithMiddleware;
use sha2::{Digest, Sha256};
use url::Url;

use crate::{
    crypto::{verify, SigningKey},
    db::{self, actors::DbActor},
    domain::moderation::FederationMode,
    error::{AppError, AppResult},
    federation::{rfc9421, ACTIVITY_JSON},
    i18n::Message,
    service::domains,
    state::AppState,
    urls::{host_and_port, path_and_query, Urls},
};

/// What our signed POSTs accept in answer, as Mastodon asks.
const ACCEPT_ACTIVITY: &str =
    "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

/// Builds the signed POST with the given Date (tests forge stale ones), signed as Mastodon
/// signs its own: `(request-target) host date digest content-type`, `Host` as reqwest will
/// send it (from the URL), a SHA-256 `Digest` of the body. Signed on the caller's thread: a
/// signature costs about a third of a millisecond, less than handing it to another thread
/// and back.
pub fn signed_post_request(
    client: &ClientWithMiddleware,
    inbox: &Url,
    actor_id: &Url,
    key: &SigningKey,
    body: Vec<u8>,
    date: SystemTime,
) -> anyhow::Result<reqwest::Request> {
    let date = httpdate::fmt_http_date(date);
    let digest = format!("SHA-256={}", BASE64.encode(Sha256::digest(&body)));
    let signing_string = format!(
        "(request-target): post {}\nhost: {}\ndate: {date}\ndigest: {digest}\ncontent-type: {ACTIVITY_JSON}",
        path_and_query(inbox),
        host_and_port(inbox)
    );
    let signature = BASE64.encode(key.sign(signing_string.as_bytes())?);
    let header = format!(
        r#"keyId="{}",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="{signature}""#,
        Urls::key_id(actor_id)
    );
    Ok(client
        .post(inbox.as_str())
        .header("date", date)
        .header("digest", digest)
        .header("content-type", ACTIVITY_JSON)
        .header("accept", ACCEPT_ACTIVITY)
        .header("signature", header)
        .body(body)
        .build()?)
}

/// The headers every signature we accept must cover: what binds it to this request on this
/// server at this time (and to this body, for a POST). A signature over less, `(created)`
/// alone say, could be replayed elsewhere or with another body.
const COVERED_BY_EVERY_SIGNATURE: [&str; 3] = ["(request-target)", "host", "date"];

/// The one value of a header (401 when it is sent twice: the checks here and the library's
/// verifier must read the same value, and they do not pick the same one of several).
pub fn single_header<'a>(req: &'a HttpRequest, name: &str) -> AppResult<Option<&'a str>> {
    let mut values = req.headers().get_all(name);
    let first = values.next();
    if values.next().is_some() {
        return Err(AppError::unauthorized(
            Message::new("error-header-repeated").arg("name", name),
        ));
    }
    first
        .map(|v| {
            v.to_str().map_err(|_| {
                AppError::unauthorized(Message::new("error-header-not-text").arg("name", name))
            })
        })
        .transpose()
}

/// Checks of a signed request made before its body is read or any key fetched: one Signature
/// header (and no Authorization, which the verifier would read first) with one keyId,
/// covering `(request-target)`, `host`, `date` (and `digest` for a request with a body);
/// a Host, when sent, that is this instance; a Date within `max_age_secs` of now. Returns
/// the keyId.
pub fn precheck(req: &HttpRequest, instance_domain: &str, max_age_secs: i64) -> AppResult<Url> {
    if req.headers().contains_key("authorization") {
        return Err(AppError::unauthorized("error-signature-header-only"));
    }
    let signature = single_header(req, "signature")?
        .ok_or_else(|| AppError::unauthorized("error-signature-missing"))?;
    let params = signature_params(signature).map_err(AppError::unauthorized)?;
    let key_id = params
        .get("keyId")
        .ok_or_else(|| AppError::unauthorized("error-signature-no-keyid"))?;
    let key_id =
        Url::parse(key_id).map_err(|_| AppError::unauthorized("error-signature-keyid-not-url"))?;
    let covered: Vec<&str> = params
        .get("headers")
        .map(|h| h.split_ascii_whitespace().collect())
        .unwrap_or_default();
    let with_body = req.method() == actix_web::http::Method::POST;
    let required = COVERED_BY_EVERY_SIGNATURE
        .iter()
        .chain(with_body.then_some(&"digest"));
    for header in required {
        if !covered.iter().any(|c| c.eq_ignore_ascii_case(header)) {
            return Err(AppError::unauthorized(
                Message::new("error-http-signature-must-cover").arg("header", header),
            ));
        }
    }
    // Without a Host (HTTP/2 behind some proxies), the verifier uses this instance's.
    if let Some(host) = single_header(req, "host")? {
        if !host.eq_ignore_ascii_case(instance_domain) {
            return Err(AppError::unauthorized(
                Message::new("error-signature-wrong-authority")
                    .arg("value", format!("{host:?}"))
                    .arg("authority", instance_domain),
            ));
        }
    }
    check_date(req, max_age_secs)?;
    if with_body {
        single_header(req, "digest")?;
    }
    Ok(key_id)
}

/// The body's SHA-256 is the one the (single) Digest header names.
pub fn check_digest(req: &HttpRequest, body: &[u8]) -> AppResult<()> {
    let digest = single_header(req, "digest")?
        .ok_or_else(|| AppError::unauthorized("error-signature-no-digest"))?;
    let expected = BASE64.encode(Sha256::digest(body));
    let matches = digest.split(',').any(|part| {
        part.trim()
            .split_once('=')
            .is_some_and(|(algorithm, value)| {
                algorithm.eq_ignore_ascii_case("SHA-256") && value == expected
            })
    });
    if !matches {
        return Err(AppError::unauthorized("error-digest-mismatch"));
    }
    Ok(())
}

/// Refuses a key that is not on the host of the actor it signs for.
pub fn check_key_owner(key_id: &Url, actor: &Url) -> AppResult<()> {
    if key_id.host_str() != actor.host_str() || key_id.port() != actor.port() {
        return Err(AppError::unauthorized("error-signature-key-not-actors"));
    }
    Ok(())
}

/// The signed request's Date is within `max_age_secs` of now, either way.
fn check_date(req: &HttpRequest, max_age_secs: i64) -> AppResult<()> {
    let date = single_header(req, "date")?
        .ok_or_else(|| AppError::unauthorized("error-signature-no-date"))?;
    let date = httpdate::parse_http_date(date)
        .map_err(|_| AppError::unauthorized("error-date-not-http-date"))?;
    let skew = match date.duration_since(SystemTime::now()) {
        Ok(ahead) => ahead.as_secs(),
        Err(behind) => behind.duration().as_secs(),
    };
    if skew > max_age_secs.unsigned_abs() {
        return Err(AppError::unauthorized("error-date-skew"));
    }
    Ok(())
}

/// The `name="value"` parameters of a Signature header; a name given twice is refused (the
/// verifier would read the other one).
fn signature_params(header: &str) -> Result<BTreeMap<String, String>, Message> {
    let mut params = BTreeMap::new();
    for part in header.split(',') {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        // The verifier reads keys as written: ` headers` is not `headers` to it.
        if key != key.trim() {
            return Err(
                Message::new("error-signature-parameter-spaces").arg("key", format!("{key:?}"))
            );
        }
        let value = value.trim().trim_matches('"').to_string();
        if params.insert(key.to_string(), value).is_some() {
            return Err(Message::new("error-signature-parameter-twice").arg("key", key));
        }
    }
    Ok(params)
}

/// The actor a key id names: `…/users/x#main-key` (Mastodon) or `…/users/x/main-key`
/// (GoToSocial) both name `…/users/x`.
pub fn key_owner(key_id: &Url) -> Url {
    let mut owner = key_id.clone();
    owner.set_fragment(None);
    if let Some(path) = owner.path().strip_suffix("/main-key").map(str::to_string) {
        owner.set_path(&path);
    }
    owner
}

/// Authorized fetch: the actor that signed this GET, verified against its public key.
/// Mastodon signs `(request-target) host date` (and `accept`), without a Digest; every
/// header the signature lists must be present.
pub async fn verify_signed_get(req: &HttpRequest, data: &Data<AppState>) -> AppResult<DbActor> {
    let max_age = data.settings.federation.signature_max_age_secs;
    // What was signed, and the signature: RFC 9421 when the sender used it, else cavage.
    let (key_url, message, signature) = if rfc9421::is_signed(req) {
        let signed = rfc9421::precheck(req, None, data.urls.base(), max_age)?;
        (signed.key_id, signed.base, signed.signature)
    } else {
        let key_url = precheck(req, &data.urls.domain(), max_age)?;
        let (message, signature) = cavage_message(req, data, &[])?;
        (key_url, message, signature)
    };
    let owner = key_owner(&key_url);
    if domains::refuses_actor(data, &owner).await? {
        return Err(AppError::forbidden("error-blocked-here"));
    }
    let signer = verified_signer(data, &owner, message.as_bytes(), &signature, |_| {
        AppError::unauthorized("error-signer-unreachable")
    })
    .await?;
    // The key's owner was guessed from its id; the verified signer is checked too.
    if domains::refuses_actor(data, &signer.ap_id).await? {
        return Err(AppError::forbidden("error-blocked-here"));
    }
    Ok(signer)
}

/// What a draft-cavage signature signed, and the signature, for a request `precheck`
/// passed; `also_required` names headers it must cover besides `(request-target) host date`.
pub fn cavage_message(
    req: &HttpRequest,
    data: &AppState,
    also_required: &[&str],
) -> AppResult<(String, Vec<u8>)> {
    let max_age = data.settings.federation.signature_max_age_secs;
    let mut headers: BTreeMap<String, String> = req
        .headers()
        .iter()
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_string())))
        .collect();
    headers
        .entry("host".into())
        .or_insert_with(|| data.urls.domain());
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let mut config = http_signature_normalization::Config::new()
        .require_header("(request-target)")
        .require_header("host")
        .require_header("date")
        .set_expiration(Duration::from_secs(max_age.unsigned_abs()));
    for header in also_required {
        config = config.require_header(header);
    }
    let unverified = config
        .begin_verify(req.method().as_str(), path, headers)
        .map_err(|e| {
            AppError::unauthorized(Message::new("error-signature-invalid").arg("error", e))
        })?;
    let signature = BASE64
        .decode(unverified.signature())
        .map_err(|_| AppError::unauthorized("error-signature-not-base64"))?;
    Ok((unverified.signing_string().to_string(), signature))
}

/// The actor `owner`, once `signature` of `message` verifies with its key: read or fetched,
/// and fetched once more for a rotated key when the one on file fails (`refetch_key`).
/// `fetch_error` says what a failed fetch is answered with.
pub async fn verified_signer(
    data: &Data<AppState>,
    owner: &Url,
    message: &[u8],
    signature: &[u8],
    fetch_error: impl Fn(AppError) -> AppError,
) -> AppResult<DbActor> {
    let fetch = || async {
        ObjectId::<DbActor>::from(owner.clone())
            .dereference(data)
            .await
            .map_err(&fetch_error)
    };
    let mut signer = fetch().await?;
    let verifies = |signer: &DbActor| verify(&signer.public_key, message, signature);
    if !verifies(&signer) && refetch_key(data, owner).await {
        signer = fetch().await?;
    }
    if !verifies(&signer) {
        return Err(AppError::unauthorized("error-signature-does-not-verify"));
    }
    Ok(signer)
}

/// After a signature failed with the key on file, fetches `actor` again for a rotated key,
/// unless it was fetched in the last seconds (by this very request) or was fetched again
/// in the last minute (a stream of forged signatures must not become a stream of fetches).
/// Whether it was fetched.
pub async fn refetch_key(data: &Data<AppState>, actor: &Url) -> bool {
    let key = actor.to_string();
    let stored = db::run(&data.db, move |conn| Ok(db::actors::by_ap_id(conn, &key)?)).await;
    let fresh = chrono::TimeDelta::seconds(10);
    if let Ok(Some(stored)) = stored {
        if db::now() - stored.last_refreshed_at < fresh {
            return false; // fetched moments ago, when the request came in
        }
    }
    if data.key_refetches.contains_key(actor) {
        return false;
    }
    data.key_refetches.insert(actor.clone(), ()).await;
    data.actor_cache.invalidate(actor).await;
    let refetched = ObjectId::<DbActor>::from(actor.clone())
        .dereference_forced(data)
        .await;
    if let Err(e) = &refetched {
        tracing::debug!(%actor, error = %e, "refetching a signer's key failed");
    }
    refetched.is_ok()
}

/// With `federation.authorized_fetch`, refuses unsigned or badly signed ActivityPub GETs.
pub async fn require_authorized_fetch(req: &HttpRequest, data: &Data<AppState>) -> AppResult<()> {
    // A closed network shows its objects to its members only, as Mastodon's limited
    // federation mode does.
    let closed = domains::mode(data).await? == FederationMode::Allowlist;
    if data.settings.federation.authorized_fetch || closed {
        verify_signed_get(req, data).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use base64::Engine;
    use url::Url;

    use super::{key_owner, signature_params, signed_post_request, BASE64};
    use crate::crypto::{verify, SigningKey};

    #[test]
    fn posts_are_signed_as_mastodon_signs_them() {
        let keypair =
            activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
        let key = SigningKey::from_pem(&keypair.private_key).expect("key");
        let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new()).build();
        let inbox = Url::parse("https://h.example:8443/inbox?a=b").expect("url");
        let actor = Url::parse("https://city.example/users/news").expect("url");
        let date = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let request = signed_post_request(&client, &inbox, &actor, &key, b"{}".to_vec(), date)
            .expect("request");
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(header("date"), "Fri, 15 Jan 2027 08:00:00 GMT");
        assert_eq!(
            header("digest"),
            "SHA-256=RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o="
        );
        let params = signature_params(&header("signature")).expect("params");
        assert_eq!(
            params.get("keyId").map(String::as_str),
            Some("https://city.example/users/news#main-key")
        );
        assert_eq!(
            params.get("headers").map(String::as_str),
            Some("(request-target) host date digest content-type")
        );
        // What a receiver rebuilds from the request: the port stays in Host, the query in
        // the target.
        let signed = format!(
            "(request-target): post /inbox?a=b\nhost: h.example:8443\ndate: {}\ndigest: {}\ncontent-type: application/activity+json",
            header("date"),
            header("digest")
        );
        let signature = BASE64
            .decode(
                params
                    .get("signature")
                    .map(String::as_str)
                    .unwrap_or_default(),
            )
            .expect("base64");
        assert!(verify(&keypair.public_key, signed.as_bytes(), &signature));
        assert!(!verify(
            &keypair.public_key,
            signed.replace("8443", "443").as_bytes(),
            &signature
        ));
    }

    #[test]
    fn key_ids_name_their_actor() {
        for key in [
            "https://m.example/users/a#main-key",
            "https://g.example/users/a/main-key",
        ] {
            let owner = key_owner(&url::Url::parse(key).expect("url"));
            assert!(owner.as_str().ends_with("/users/a"), "{owner}");
        }
    }

    #[test]
    fn reads_signature_parameters_once_each() {
        let header = r#"keyId="https://a.example/users/x#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="abc=""#;
        let params = signature_params(header).expect("params");
        assert_eq!(
            params.get("keyId").map(String::as_str),
            Some("https://a.example/users/x#main-key")
        );
        assert_eq!(params.get("signature").map(String::as_str), Some("abc="));
        assert_eq!(params.get("missing"), None);
        let twice = format!(r#"{header},headers="digest""#);
        assert!(signature_params(&twice).is_err());
    }
}
