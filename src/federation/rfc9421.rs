//! RFC 9421 HTTP Message Signatures on requests to us, as Mastodon 4.5 and Fedify send them
//! first: `Signature-Input: sig1=("@method" "@target-uri" "@authority" "content-digest");
//! created=…;keyid="…#main-key";alg="rsa-v1_5-sha256"` with `Signature: sig1=:…:`. The rules
//! are those of our draft-cavage checks: the signature must bind the method, the target,
//! this host and (with a body) its digest, and be fresh.

use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::HttpRequest;
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use reqwest_middleware::ClientWithMiddleware;
use sfv::{BareItem, Dictionary, FieldType, InnerList, List, ListEntry, Parser};
use sha2::{Digest, Sha256, Sha512};
use url::Url;

use crate::{
    crypto::SigningKey,
    error::{AppError, AppResult},
    federation::{signatures::single_header, ACTIVITY_JSON},
    i18n::Message,
    urls::Urls,
};

/// A signature read from a request, checked for everything but the key.
pub struct MessageSignature {
    pub key_id: Url,
    /// The signature base (RFC 9421 section 2.5) the signature is over.
    pub base: String,
    pub signature: Vec<u8>,
}

fn refused(why: impl Into<Message>) -> AppError {
    AppError::unauthorized(why)
}

/// Whether the request carries an RFC 9421 signature.
pub fn is_signed(req: &HttpRequest) -> bool {
    req.headers().contains_key("signature-input")
}

fn dictionary(req: &HttpRequest, name: &str) -> AppResult<Dictionary> {
    let value = single_header(req, name)?
        .ok_or_else(|| refused(Message::new("error-signature-header-missing").arg("name", name)))?;
    Parser::new(value).parse::<Dictionary>().map_err(|e| {
        refused(
            Message::new("error-signature-header-unreadable")
                .arg("name", name)
                .arg("error", e),
        )
    })
}

/// `Content-Digest` (RFC 9530) names the body's SHA-256 or SHA-512.
fn check_content_digest(req: &HttpRequest, body: &[u8]) -> AppResult<()> {
    let digests = dictionary(req, "content-digest")?;
    let matches = digests.iter().any(|(algorithm, entry)| {
        let ListEntry::Item(item) = entry else {
            return false;
        };
        let Some(sent) = item.bare_item.as_byte_sequence() else {
            return false;
        };
        match algorithm.as_str() {
            "sha-256" => Sha256::digest(body).as_slice() == sent,
            "sha-512" => Sha512::digest(body).as_slice() == sent,
            _ => false,
        }
    });
    if !matches {
        return Err(refused("error-content-digest-mismatch"));
    }
    Ok(())
}

/// The `@signature-params` line's value: the covered components and parameters, serialised
/// as a structured field (RFC 9421 section 2.3).
fn signature_params(input: &InnerList) -> Option<String> {
    let list: List = vec![ListEntry::InnerList(input.clone())];
    list.serialize()
}

/// Reads the request's first RFC 9421 signature and checks it before any key is fetched:
/// it covers `@method`, `@target-uri` or `@path`, `@authority` (this instance) and, with a
/// body, `content-digest` (which must match it); `created` is within `max_age_secs` of now;
/// `alg`, when given, is `rsa-v1_5-sha256`. `base` is this instance's base URL.
pub fn precheck(
    req: &HttpRequest,
    body: Option<&[u8]>,
    base: &Url,
    max_age_secs: i64,
) -> AppResult<MessageSignature> {
    if req.headers().contains_key("authorization") {
        return Err(refused("error-signature-header-only"));
    }
    let inputs = dictionary(req, "signature-input")?;
    let signatures = dictionary(req, "signature")?;
    let (label, input) = inputs
        .first()
        .ok_or_else(|| refused("error-signature-input-empty"))?;
    let ListEntry::InnerList(input) = input else {
        return Err(refused("error-signature-input-not-list"));
    };
    let signature = match signatures.get(label.as_str()) {
        Some(ListEntry::Item(item)) => item.bare_item.as_byte_sequence().map(<[u8]>::to_vec),
        _ => None,
    }
    .ok_or_else(|| {
        refused(Message::new("error-signature-label-missing").arg("label", label.as_str()))
    })?;
    let param = |name: &str| input.params.get(name);
    let key_id = param("keyid")
        .and_then(BareItem::as_string)
        .and_then(|k| Url::parse(k.as_str()).ok())
        .ok_or_else(|| refused("error-signature-no-keyid-url"))?;
    if let Some(alg) = param("alg") {
        if alg.as_string().map(|a| a.as_str()) != Some("rsa-v1_5-sha256") {
            return Err(refused("error-signature-alg-unsupported"));
        }
    }
    let created = param("created")
        .and_then(BareItem::as_integer)
        .map(i64::from)
        .ok_or_else(|| refused("error-signature-no-created"))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default();
    // At most a minute ahead (clocks differ), at most max_age behind.
    if created - now > 60 || now - created > max_age_secs {
        return Err(refused("error-signature-created-skew"));
    }
    if let Some(expires) = param("expires").and_then(BareItem::as_integer) {
        if i64::from(expires) < now {
            return Err(refused("error-signature-expired"));
        }
    }

    let mut components = Vec::with_capacity(input.items.len());
    for item in &input.items {
        let name = item
            .bare_item
            .as_string()
            .map(|s| s.as_str().to_string())
            .ok_or_else(|| refused("error-signature-component-not-string"))?;
        if !item.params.is_empty() {
            return Err(refused(
                Message::new("error-signature-component-parameters").arg("name", &name),
            ));
        }
        components.push(name);
    }
    let covers = |name: &str| components.iter().any(|c| c == name);
    let mut required = vec!["@method", "@authority"];
    if body.is_some() {
        required.push("content-digest");
    }
    for name in required {
        if !covers(name) {
            return Err(refused(
                Message::new("error-signature-must-cover").arg("name", name),
            ));
        }
    }
    if !covers("@target-uri") && !covers("@path") {
        return Err(refused("error-signature-must-cover-target"));
    }
    if !covers("@target-uri") && req.uri().query().is_some() && !covers("@query") {
        return Err(refused("error-signature-must-cover-query"));
    }
    if let Some(body) = body {
        check_content_digest(req, body)?;
    }

    let authority = crate::urls::host_and_port(base);
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let mut lines = Vec::with_capacity(components.len() + 1);
    for name in &components {
        let value = match name.as_str() {
            "@method" => req.method().as_str().to_string(),
            "@authority" => authority.clone(),
            "@target-uri" => format!("{}://{authority}{path_and_query}", base.scheme()),
            "@path" => req.uri().path().to_string(),
            "@query" => format!("?{}", req.uri().query().unwrap_or_default()),
            "@scheme" => base.scheme().to_string(),
            derived if derived.starts_with('@') => {
                return Err(refused(
                    Message::new("error-signature-component-unsupported").arg("name", derived),
                ));
            }
            header => {
                let value = single_header(req, header)?.ok_or_else(|| {
                    refused(
                        Message::new("error-signature-signed-header-missing").arg("header", header),
                    )
                })?;
                if header == "host" && !value.eq_ignore_ascii_case(&authority) {
                    return Err(refused(
                        Message::new("error-signature-wrong-authority")
                            .arg("value", format!("{value:?}"))
                            .arg("authority", &authority),
                    ));
                }
                value.trim().to_string()
            }
        };
        lines.push(format!("\"{name}\": {value}"));
    }
    let params =
        signature_params(input).ok_or_else(|| refused("error-signature-params-unserialisable"))?;
    lines.push(format!("\"@signature-params\": {params}"));
    Ok(MessageSignature {
        key_id,
        base: lines.join("\n"),
        signature,
    })
}

/// A POST of `body` to `inbox` signed with RFC 9421 by `actor_id`'s key, covering
/// `@method @target-uri @authority content-digest` (what Mastodon and Fedify send).
pub fn signed_post(
    client: &ClientWithMiddleware,
    inbox: &Url,
    actor_id: &Url,
    key: &SigningKey,
    body: Vec<u8>,
) -> anyhow::Result<reqwest::Request> {
    let digest = format!("sha-256=:{}:", BASE64.encode(Sha256::digest(&body)));
    let created = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let params = format!(
        r#"("@method" "@target-uri" "@authority" "content-digest");created={created};keyid="{}";alg="rsa-v1_5-sha256""#,
        Urls::key_id(actor_id)
    );
    let base = format!(
        "\"@method\": POST\n\"@target-uri\": {inbox}\n\"@authority\": {}\n\"content-digest\": {digest}\n\"@signature-params\": {params}",
        crate::urls::host_and_port(inbox)
    );
    let signature = BASE64.encode(key.sign(base.as_bytes())?);
    Ok(client
        .post(inbox.as_str())
        .header("Content-Type", ACTIVITY_JSON)
        .header("Accept", ACTIVITY_JSON)
        .header("Content-Digest", digest)
        .header("Signature-Input", format!("sig1={params}"))
        .header("Signature", format!("sig1=:{signature}:"))
        .body(body)
        .build()?)
}

#[cfg(test)]
mod tests {
    use sfv::{Dictionary, ListEntry, Parser};

    use super::signature_params;

    /// The published examples (RFC 9421 appendix B.2) sign with RSA-PSS, ECDSA, Ed25519 and
    /// HMAC, none of which munifed accepts (rsa-v1_5-sha256 only); their signature
    /// parameters are serialised the same whatever the algorithm.
    #[test]
    fn signature_params_are_serialised_as_the_published_examples() {
        for (input, label, expected) in [
            (
                r#"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
                "sig-b21",
                r#"();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#,
            ),
            (
                r#"sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example""#,
                "sig-b22",
                r#"("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example""#,
            ),
        ] {
            let parsed = Parser::new(input).parse::<Dictionary>().expect("parses");
            let Some(ListEntry::InnerList(list)) = parsed.get(label) else {
                panic!("no inner list in {input}");
            };
            assert_eq!(signature_params(list).as_deref(), Some(expected));
        }
    }
}
