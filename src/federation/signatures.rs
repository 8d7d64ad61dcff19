//! HTTP signatures (draft-cavage, as Mastodon): signing our POSTs, and the checks made on
//! incoming signed requests before any key is fetched.

use std::{sync::Arc, time::SystemTime};

use actix_web::HttpRequest;
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use http_signature_normalization_reqwest::prelude::{Config, SignExt};
use reqwest_middleware::ClientWithMiddleware;
use rsa::{pkcs8::DecodePrivateKey, Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};
use url::Url;

use crate::{
    error::{AppError, AppResult},
    federation::ACTIVITY_JSON,
    urls::Urls,
};

/// Parses a PEM private key (slow: callers cache the result).
pub fn parse_private_key(pem: &str) -> anyhow::Result<RsaPrivateKey> {
    RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| anyhow::anyhow!("invalid private key: {e}"))
}

/// POSTs `body` to `inbox`, signed by `actor_id`'s key over
/// `(request-target) host date digest`.
pub async fn post_signed(
    client: &ClientWithMiddleware,
    inbox: &Url,
    actor_id: &Url,
    key: Arc<RsaPrivateKey>,
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
    key: Arc<RsaPrivateKey>,
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
                let signature = key.sign(
                    Pkcs1v15Sign::new::<Sha256>(),
                    &Sha256::digest(signing_string.as_bytes()),
                )?;
                Ok::<_, anyhow::Error>(BASE64.encode(signature))
            },
        )
        .await?;
    Ok(request)
}

/// Cheap checks of a signed request, made before fetching the signer's key: a Signature
/// header is there, its keyId belongs to the activity's actor's host, and the Date is
/// within `max_age_secs` of now.
pub fn precheck(req: &HttpRequest, actor: &Url, max_age_secs: i64) -> AppResult<()> {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let signature = header("signature")
        .ok_or_else(|| AppError::unauthorized("the request has no HTTP signature"))?;
    let key_id = signature_param(signature, "keyId")
        .ok_or_else(|| AppError::unauthorized("the HTTP signature has no keyId"))?;
    let key_url = Url::parse(&key_id)
        .map_err(|_| AppError::unauthorized("the signature's keyId is not a URL"))?;
    if key_url.host_str() != actor.host_str() || key_url.port() != actor.port() {
        return Err(AppError::unauthorized(
            "the request is signed by a key that does not belong to the activity's actor",
        ));
    }
    let date =
        header("date").ok_or_else(|| AppError::unauthorized("the signed request has no Date"))?;
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

#[cfg(test)]
mod tests {
    use super::signature_param;

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
