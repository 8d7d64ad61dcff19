//! ActivityPub: wire types, activities, HTTP endpoints, signatures and the delivery queue.

pub mod activities;
pub mod delivery;
pub mod guard;
pub mod lenient;
pub mod network;
pub mod objects;
pub mod rfc9421;
pub mod routes;
pub mod signatures;
pub mod signed_fetch;
pub mod webfinger;

use activitypub_federation::config::{FederationConfig, UrlVerifier};
use actix_web::http::header::HeaderMap;
use serde_json::{json, Value};

use url::Url;

use crate::{
    error::{AppError, AppResult},
    service::domains,
    state::AppState,
};

pub const AS_CONTEXT: &str = "https://www.w3.org/ns/activitystreams";
pub const SECURITY_CONTEXT: &str = "https://w3id.org/security/v1";
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// The context of every document we serve: ActivityStreams, security, and inline term
/// definitions for every extension (never a remote context of our own): Mastodon's,
/// schema.org's, Mobilizon's and munifed's (for calls).
pub fn context() -> Value {
    json!([
        AS_CONTEXT,
        SECURITY_CONTEXT,
        {
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "Hashtag": "as:Hashtag",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "alsoKnownAs": { "@id": "as:alsoKnownAs", "@type": "@id" },
            "movedTo": { "@id": "as:movedTo", "@type": "@id" },
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "PostalAddress": "schema:PostalAddress",
            "VirtualLocation": "schema:VirtualLocation",
            "address": { "@id": "schema:address", "@type": "@id" },
            "streetAddress": "schema:streetAddress",
            "postalCode": "schema:postalCode",
            "addressLocality": "schema:addressLocality",
            "addressRegion": "schema:addressRegion",
            "addressCountry": "schema:addressCountry",
            "eventStatus": { "@id": "schema:eventStatus", "@type": "@id" },
            "mz": "https://joinmobilizon.org/ns#",
            "timezone": { "@id": "mz:timezone", "@type": "xsd:string" },
            "joinMode": { "@id": "mz:joinMode", "@type": "mz:joinModeType" },
            "externalParticipationUrl": { "@id": "mz:externalParticipationUrl", "@type": "schema:URL" },
            "isOnline": { "@id": "mz:isOnline", "@type": "xsd:boolean" },
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "munifed": "https://munifed.org/ns#",
            "callKind": "munifed:callKind",
            "deadline": { "@id": "munifed:deadline", "@type": "xsd:dateTime" },
            "eligibility": "munifed:eligibility",
            "applyUrl": { "@id": "munifed:applyUrl", "@type": "@id" }
        }
    ])
}

/// A wire type as JSON (serialising our own types cannot fail but for a bug).
pub fn to_json(value: &impl serde::Serialize) -> AppResult<Value> {
    serde_json::to_value(value).map_err(|e| AppError::other(e.into()))
}

/// Puts `@context` first in a serialised document.
pub fn with_context(document: Value) -> Value {
    match document {
        Value::Object(fields) => {
            let mut out = serde_json::Map::with_capacity(fields.len() + 1);
            out.insert("@context".into(), context());
            out.extend(fields.into_iter().filter(|(k, _)| k != "@context"));
            Value::Object(out)
        }
        other => other,
    }
}

/// Whether a request's `Accept` asks for ActivityStreams JSON rather than a page.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(actix_web::http::header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .any(|accept| accept.contains(ACTIVITY_JSON) || accept.contains("application/ld+json"))
}

/// Refuses URLs on blocked domains before any request is made to them.
#[derive(Clone)]
struct BlockedDomains {
    state: AppState,
}

#[async_trait::async_trait]
impl UrlVerifier for BlockedDomains {
    async fn verify(&self, url: &Url) -> Result<(), activitypub_federation::error::Error> {
        let blocked = domains::refuses_actor(&self.state, url)
            .await
            .map_err(|e| activitypub_federation::error::Error::Other(e.to_string()))?;
        if blocked {
            return Err(activitypub_federation::error::Error::UrlVerificationError(
                "domain is blocked",
            ));
        }
        Ok(())
    }
}

/// The federation library's configuration around our state. Its GETs go through our client,
/// which signs them (`signed_fetch`), so the library is given no key of its own.
pub async fn federation_config(state: AppState) -> anyhow::Result<FederationConfig<AppState>> {
    let settings = state.settings.clone();
    let config = FederationConfig::builder()
        .domain(settings.instance.domain.clone())
        .url_verifier(Box::new(BlockedDomains {
            state: state.clone(),
        }))
        .client(state.http.clone())
        .http_fetch_limit(settings.federation.fetch_limit)
        .request_timeout(settings.request_timeout())
        .http_signature_compat(true)
        .debug(settings.federation.dev_mode)
        .app_data(state)
        .build()
        .await?;
    Ok(config)
}
