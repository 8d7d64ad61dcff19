//! HTTP signatures (draft-cavage, as Mastodon): signing our POSTs, and the checks made on
//! incoming signed requests before any key is fetched.

use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, SystemTime},
};

use activitypub_federation::{config::Data, fetch::object_id::ObjectId};

use actix_web::HttpRequest;
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use http_signature_normalization_reqwest::prelude::{Config, SignExt};
use reqwest_middleware::ClientWithMiddleware;
use sha2::{Digest, Sha256};
use url::Url;

use crate::{
    crypto::{verify, SigningKey},
    db::actors::DbActor,
    error::{AppError, AppResult},
    federation::ACTIVITY_JSON,
    service::domains,
    state::AppState,
    urls::{host_and_port, Urls},
};

/// POSTs `body` to `inbox`, signed by `actor_id`'s key over
/// `(request-target) host date digest`.
pub async fn post_signed(
    client: &ClientWithMiddleware,
    inbox: &Url,
    actor_id: &Url,
    key: Arc<SigningKey>,
    body: Vec<u8>,
) -> anyhow::Result<reqwest::Response> {
    let request =
        signed_post_request(client, inbox, actor_id, key, body, SystemTime::now()).await?;
    Ok(client.execute(request).await?)
}

/// Builds the signed POST with the given Date (tests forge stale ones).
pub async fn signed_post_request(
    client: &ClientWithMiddleware,
    inbox: &Url,
    actor_id: &Url,
    key: Arc<SigningKey>,
    body: Vec<u8>,
    date: SystemTime,
) -> anyhow::Result<reqwest::Request> {
    let config = Config::new().mastodon_compat();
    let request = client
        .post(inbox.as_str())
        .header("Date", httpdate::fmt_http_date(date))
        .header("Content-Type", ACTIVITY_JSON)
        .header(
            "Accept",
            "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
        )
        .signature_with_digest(
            config,
            Urls::key_id(actor_id),
            Sha256::new(),
            body,
            move |signing_string| {
                let signature = key.sign(signing_string.as_bytes())?;
                Ok::<_, anyhow::Error>(BASE64.encode(signature))
            },
        )
        .await?;
    Ok(request)
}

/// The headers every signature we accept must cover: what binds it to this request on this
/// server at this time (and to this body, for a POST). A signature over less, `(created)`
/// alone say, could be replayed elsewhere or with another body.
const COVERED_BY_EVERY_SIGNATURE: [&str; 3] = ["(request-target)", "host", "date"];

/// Checks of a signed request made before its body is read or any key fetched: a Signature
/// header with a keyId, covering `(request-target)`, `host`, `date` (and `digest` for a
/// request with a body); a Host that is this instance; a Date within `max_age_secs` of now.
/// Returns the keyId.
pub fn precheck(req: &HttpRequest, instance_domain: &str, max_age_secs: i64) -> AppResult<Url> {
    let signature = req
        .headers()
        .get("signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AppError::unauthorized("the request has no HTTP signature"))?;
    let key_id = signature_param(signature, "keyId")
        .ok_or_else(|| AppError::unauthorized("the HTTP signature has no keyId"))?;
    let key_id = Url::parse(&key_id)
        .map_err(|_| AppError::unauthorized("the signature's keyId is not a URL"))?;
    let covered = signature_param(signature, "headers").unwrap_or_default();
    let covered: Vec<&str> = covered.split_ascii_whitespace().collect();
    let with_body = req.method() == actix_web::http::Method::POST;
    let required = COVERED_BY_EVERY_SIGNATURE
        .iter()
        .chain(with_body.then_some(&"digest"));
    for header in required {
        if !covered.iter().any(|c| c.eq_ignore_ascii_case(header)) {
            return Err(AppError::unauthorized(format!(
                "the HTTP signature must cover {header}"
            )));
        }
    }
    let host = req
        .headers()
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !host.eq_ignore_ascii_case(instance_domain) {
        return Err(AppError::unauthorized(format!(
            "the request is signed for {host:?}, not for {instance_domain}"
        )));
    }
    check_date(req, max_age_secs)?;
    Ok(key_id)
}

/// Refuses a key that is not on the host of the actor it signs for.
pub fn check_key_owner(key_id: &Url, actor: &Url) -> AppResult<()> {
    if key_id.host_str() != actor.host_str() || key_id.port() != actor.port() {
        return Err(AppError::unauthorized(
            "the request is signed by a key that does not belong to the activity's actor",
        ));
    }
    Ok(())
}

/// The signed request's Date is within `max_age_secs` of now, either way.
fn check_date(req: &HttpRequest, max_age_secs: i64) -> AppResult<()> {
    let date = req
        .headers()
        .get("date")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| AppError::unauthorized("the signed request has no Date"))?;
    let date = httpdate::parse_http_date(date)
        .map_err(|_| AppError::unauthorized("the Date header is not an HTTP date"))?;
    let skew = match date.duration_since(SystemTime::now()) {
        Ok(ahead) => ahead.as_secs(),
        Err(behind) => behind.duration().as_secs(),
    };
    if skew > max_age_secs.unsigned_abs() {
        return Err(AppError::unauthorized(
            "the request's Date is too far from the current time",
        ));
    }
    Ok(())
}

/// One `name="value"` parameter of a Signature header.
fn signature_param(header: &str, name: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (key, value) = part.trim().split_once('=')?;
        (key.trim() == name).then(|| value.trim().trim_matches('"').to_string())
    })
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
    let key_url = precheck(req, &data.urls.domain(), max_age)?;
    let owner = key_owner(&key_url);
    if domains::is_blocked(data, &host_and_port(&owner)).await? {
        return Err(AppError::forbidden("your domain is blocked"));
    }
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
    let unverified = http_signature_normalization::Config::new()
        .set_expiration(Duration::from_secs(max_age.unsigned_abs()))
        .begin_verify(req.method().as_str(), path, headers)
        .map_err(|e| AppError::unauthorized(format!("invalid HTTP signature: {e}")))?;
    let signer = ObjectId::<DbActor>::from(owner)
        .dereference(data)
        .await
        .map_err(|_| AppError::unauthorized("the signing actor could not be fetched"))?;
    let valid = unverified.verify(|signature, signing_string| {
        BASE64.decode(signature).is_ok_and(|signature| {
            verify(&signer.public_key, signing_string.as_bytes(), &signature)
        })
    });
    if !valid {
        return Err(AppError::unauthorized("the HTTP signature does not verify"));
    }
    Ok(signer)
}

/// With `federation.authorized_fetch`, refuses unsigned or badly signed ActivityPub GETs.
pub async fn require_authorized_fetch(req: &HttpRequest, data: &Data<AppState>) -> AppResult<()> {
    if data.settings.federation.authorized_fetch {
        verify_signed_get(req, data).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{key_owner, signature_param};

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
    fn reads_signature_parameters() {
        let header = r#"keyId="https://a.example/users/x#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="abc=""#;
        assert_eq!(
            signature_param(header, "keyId").as_deref(),
            Some("https://a.example/users/x#main-key")
        );
        assert_eq!(
            signature_param(header, "signature").as_deref(),
            Some("abc=")
        );
        assert_eq!(signature_param(header, "missing"), None);
    }
}
