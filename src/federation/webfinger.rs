//! Finding actors: `@name@host` handles through WebFinger, actor URLs directly. Our own
//! resolver: the library's compares the subject's letter case in debug builds, and live
//! servers answer with other cases.

use activitypub_federation::{config::Data, fetch::object_id::ObjectId};
use serde::Deserialize;
use url::Url;

use crate::{
    db::actors::DbActor,
    error::{AppError, AppResult},
    federation::guard::{check_remote_url, describe, Refused},
    i18n::Message,
    service::{accounts, domains},
    state::AppState,
    urls::host_and_port,
};

/// The largest WebFinger document read.
const MAX_JRD_BYTES: usize = 256 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub struct Handle {
    pub name: String,
    pub host: String,
}

/// Parses `@name@host`, `name@host` or `acct:name@host`.
pub fn parse_handle(input: &str) -> Option<Handle> {
    let trimmed = input.trim();
    let bare = trimmed.strip_prefix("acct:").unwrap_or(trimmed);
    let bare = bare.strip_prefix('@').unwrap_or(bare);
    let (name, host) = bare.rsplit_once('@')?;
    let valid_host = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if name.is_empty() || name.contains(['/', '@', ' ']) || !valid_host {
        return None;
    }
    Some(Handle {
        name: name.to_string(),
        host: host.to_ascii_lowercase(),
    })
}

#[derive(Deserialize)]
struct Jrd {
    #[serde(default)]
    links: Vec<JrdLink>,
}

#[derive(Deserialize)]
struct JrdLink {
    rel: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    href: Option<String>,
    /// The subscribe template (`http://ostatus.org/schema/1.0/subscribe`).
    template: Option<String>,
}

/// WebFinger's relation for "follow or interact with `{uri}` from this account".
pub const SUBSCRIBE_REL: &str = "http://ostatus.org/schema/1.0/subscribe";

/// The actor behind a handle or URL, fetched (and cached) when it is remote.
pub async fn resolve_actor(data: &Data<AppState>, input: &str) -> AppResult<DbActor> {
    let input = input.trim();
    if input.starts_with("https://") || input.starts_with("http://") {
        let url = Url::parse(input).map_err(|e| {
            AppError::bad_request(
                Message::new("error-url-invalid")
                    .arg("url", input)
                    .arg("error", e),
            )
        })?;
        return dereference(data, url).await;
    }
    let handle = parse_handle(input).ok_or_else(|| {
        AppError::bad_request(
            Message::new("error-not-handle-nor-url").arg("input", format!("{input:?}")),
        )
    })?;
    if handle.host == data.urls.domain() {
        return accounts::by_name(data, &handle.name).await;
    }
    if domains::is_blocked(data, &handle.host).await? {
        return Err(AppError::forbidden(
            Message::new("error-domain-blocked").arg("domain", &handle.host),
        ));
    }
    let key = format!("{}@{}", handle.name, handle.host).to_lowercase();
    let actor_url = match data.webfinger_cache.get(&key).await {
        Some(url) => url,
        None => {
            let url = webfinger_lookup(data, &handle).await?;
            data.webfinger_cache.insert(key, url.clone()).await;
            url
        }
    };
    dereference(data, actor_url).await
}

async fn dereference(data: &Data<AppState>, url: Url) -> AppResult<DbActor> {
    let actor = ObjectId::<DbActor>::from(url.clone())
        .dereference(data)
        .await
        .map_err(|e| match e.kind {
            crate::error::ErrorKind::Federation(_) | crate::error::ErrorKind::BadRequest(_) => {
                AppError::bad_request(
                    Message::new("error-actor-fetch-failed")
                        .arg("actor", &url)
                        .arg("error", e),
                )
            }
            _ => e,
        })?;
    Ok(actor)
}

/// Asks the handle's host for the actor URL of `acct:name@host`.
async fn webfinger_lookup(data: &Data<AppState>, handle: &Handle) -> AppResult<Url> {
    let jrd = fetch_jrd(data, handle).await?;
    jrd.links
        .iter()
        .filter(|link| link.rel.as_deref() == Some("self"))
        .find(|link| {
            link.kind.as_deref().is_some_and(|kind| {
                kind.contains("application/activity+json") || kind.contains("application/ld+json")
            })
        })
        .and_then(|link| link.href.as_deref())
        .and_then(|href| Url::parse(href).ok())
        .ok_or_else(|| {
            AppError::bad_request(
                Message::new("error-webfinger-no-actor-link")
                    .arg("handle", format!("@{}@{}", handle.name, handle.host)),
            )
        })
}

/// Where to send a visitor who wants to follow or answer `uri` from their own account
/// (`@name@host`) or server (`host`): their server's subscribe template from WebFinger,
/// else Mastodon's `/authorize_interaction` there.
pub async fn interaction_url(data: &Data<AppState>, input: &str, uri: &Url) -> AppResult<Url> {
    let input = input.trim();
    let host = match parse_handle(input) {
        Some(handle) if handle.host == data.urls.domain() => handle.host,
        Some(handle) => {
            if let Some(url) = subscribe_template(data, &handle)
                .await
                .and_then(|template| subscribe_url(&template, uri))
            {
                return Ok(url);
            }
            handle.host
        }
        None => parse_host(input)
            .ok_or_else(|| AppError::invalid("handle", "error-handle-or-server-expected"))?,
    };
    let scheme = data.settings.scheme_for(&host);
    let mut url = Url::parse(&format!("{scheme}://{host}/authorize_interaction")).map_err(|e| {
        AppError::invalid(
            "handle",
            Message::new("error-url-invalid")
                .arg("url", &host)
                .arg("error", e),
        )
    })?;
    url.query_pairs_mut().append_pair("uri", uri.as_str());
    Ok(url)
}

/// A handle's subscribe template: cached, looked up by at most a few requests at once
/// (anyone can ask through the public follow form), never from a blocked domain.
async fn subscribe_template(data: &Data<AppState>, handle: &Handle) -> Option<String> {
    let key = format!("{}@{}", handle.name, handle.host).to_lowercase();
    if let Some(known) = data.subscribe_templates.get(&key).await {
        return known;
    }
    // Busy: the visitor is sent to their server's authorize_interaction instead.
    let _permit = data.interaction_lookups.clone().try_acquire_owned().ok()?;
    let template = match fetch_jrd(data, handle).await {
        Ok(jrd) => jrd
            .links
            .into_iter()
            .find(|link| link.rel.as_deref() == Some(SUBSCRIBE_REL))
            .and_then(|link| link.template),
        Err(e) => {
            tracing::info!(error = %e, "no WebFinger for a remote interaction");
            None
        }
    };
    data.subscribe_templates.insert(key, template.clone()).await;
    template
}

/// The subscribe template filled with `uri`, when it makes an http(s) address. (Any address
/// the visitor's server names: as in Mastodon's remote follow, the visitor chose it.)
fn subscribe_url(template: &str, uri: &Url) -> Option<Url> {
    if !template.contains("{uri}") {
        return None;
    }
    let encoded: String = url::form_urlencoded::byte_serialize(uri.as_str().as_bytes()).collect();
    Url::parse(&template.replace("{uri}", &encoded))
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
}

/// A server as a visitor types it: `mastodon.social`, `https://mastodon.social/`.
fn parse_host(input: &str) -> Option<String> {
    let bare = input
        .strip_prefix("https://")
        .or_else(|| input.strip_prefix("http://"))
        .unwrap_or(input)
        .trim_end_matches('/');
    let valid = !bare.is_empty()
        && bare.contains(['.', ':'])
        && bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    valid.then(|| bare.to_ascii_lowercase())
}

/// The WebFinger document of a handle, from its host.
async fn fetch_jrd(data: &Data<AppState>, handle: &Handle) -> AppResult<Jrd> {
    if domains::is_blocked(data, &handle.host).await? {
        return Err(AppError::forbidden(
            Message::new("error-domain-blocked").arg("domain", &handle.host),
        ));
    }
    let scheme = data.settings.scheme_for(&handle.host);
    let mut url = Url::parse(&format!("{scheme}://{}/.well-known/webfinger", handle.host))
        .map_err(|e| {
            AppError::bad_request(
                Message::new("error-url-invalid")
                    .arg("url", &handle.host)
                    .arg("error", e),
            )
        })?;
    url.query_pairs_mut()
        .append_pair("resource", &format!("acct:{}@{}", handle.name, handle.host));
    check_remote_url(&data.settings, &url).map_err(|e| AppError::forbidden(e.0))?;
    // Each reason names the handle it could not look up.
    let unreachable = |why: Message| {
        AppError::bad_request(why.arg("handle", format!("@{}@{}", handle.name, handle.host)))
    };
    // Domains that delegate WebFinger to another host answer with a redirect: follow up to
    // two, each target checked like the first URL.
    let mut redirects = 0;
    let mut response = loop {
        let response = data
            .http
            .get(url.as_str())
            .header("Accept", "application/jrd+json, application/json")
            .send()
            .await
            .map_err(|e| {
                if Refused::is_cause_of(&e) {
                    AppError::forbidden(
                        Message::new("error-request-refused").arg("reason", describe(&e)),
                    )
                } else {
                    unreachable(
                        Message::new("error-webfinger-unreachable").arg("error", describe(&e)),
                    )
                }
            })?;
        if !response.status().is_redirection() || redirects == 2 {
            break response;
        }
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .and_then(|l| url.join(l).ok())
            .ok_or_else(|| unreachable(Message::new("error-webfinger-redirect-no-location")))?;
        check_remote_url(&data.settings, &location).map_err(|e| AppError::forbidden(e.0))?;
        // A redirect must not lead where we refuse to go.
        if domains::is_blocked(data, &host_and_port(&location)).await? {
            return Err(AppError::forbidden(
                Message::new("error-domain-blocked").arg("domain", host_and_port(&location)),
            ));
        }
        url = location;
        redirects += 1;
    };
    if !response.status().is_success() {
        return Err(unreachable(
            Message::new("error-webfinger-status").arg("status", response.status()),
        ));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| unreachable(Message::new("error-webfinger-unreachable").arg("error", e)))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_JRD_BYTES {
            return Err(unreachable(Message::new("error-webfinger-too-large")));
        }
    }
    serde_json::from_slice(&body)
        .map_err(|e| unreachable(Message::new("error-webfinger-document-invalid").arg("error", e)))
}

#[cfg(test)]
mod tests {
    use super::{parse_handle, Handle};

    #[test]
    fn parses_handles_in_their_usual_forms() {
        let expected = Some(Handle {
            name: "news".into(),
            host: "city.example".into(),
        });
        assert_eq!(parse_handle("@news@city.example"), expected);
        assert_eq!(parse_handle("news@City.Example"), expected);
        assert_eq!(parse_handle("acct:news@city.example"), expected);
        assert_eq!(
            parse_handle("@news@localhost:8080").map(|h| h.host),
            Some("localhost:8080".into())
        );
        for bad in ["news", "@news@", "@@x", "a@b/c", "a b@c"] {
            assert_eq!(parse_handle(bad), None, "{bad}");
        }
    }
}
