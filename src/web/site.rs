//! What every public page shares: the header (name, logo, navigation), the footer (contact,
//! feeds), the stylesheet with the instance's accent colour, and how a page is sent (its
//! security headers, `ETag` and `Cache-Control`, 304 when the visitor has it already).

use std::hash::{DefaultHasher, Hash, Hasher};

use activitypub_federation::config::Data;
use actix_web::{
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{header, Method, StatusCode},
    middleware::Next,
    web, HttpRequest, HttpResponse, HttpResponseBuilder,
};
use askama::Template;

use crate::{
    domain::accent::Accent,
    error::{AppError, AppResult},
    i18n::Tr,
    service::instance,
    state::AppState,
    web::language,
};

/// The hand-written stylesheet; the accent colour's variables are put in front of it.
const STYLESHEET: &str = include_str!("static/site.css");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/site.css", web::get().to(http_get_stylesheet));
}

/// The navigation: (message, link, section). A page is in the section its path starts with.
const NAVIGATION: [(&str, &str, &str); 5] = [
    ("nav-news", "/news", "/news"),
    ("nav-calls", "/calls", "/calls"),
    ("nav-events", "/events", "/events"),
    ("nav-network", "/network/events", "/network"),
    ("nav-timeline", "/timeline", "/timeline"),
];

/// The header and footer of a public page.
pub struct Site {
    pub name: String,
    /// How to reach the people who run the instance, as entered, and as a link when it is
    /// an e-mail address or a web address.
    pub contact: String,
    pub contact_link: Option<String>,
    /// The main account's icon, from our own origin.
    pub logo: Option<String>,
    /// The stylesheet's address, with its version.
    pub stylesheet: String,
    /// (label, link, `aria-current`: `page` on the link's own page, `true` elsewhere in its
    /// section)
    pub navigation: Vec<(String, &'static str, Option<&'static str>)>,
    /// The visitor's language: every text of the page comes through it.
    pub tr: Tr,
    /// The language switch: (code, name in itself, whether it is in use).
    pub languages: Vec<(&'static str, &'static str, bool)>,
    /// Where the switch comes back to: this page.
    pub back: String,
}

impl Site {
    /// The header and footer of the page at `path`, in `tr`'s language.
    pub async fn new(data: &Data<AppState>, path: &str, tr: Tr) -> AppResult<Site> {
        let info = instance::info(data).await?;
        Ok(Site {
            name: info.name.clone(),
            contact_link: contact_link(&info.contact),
            contact: info.contact.clone(),
            logo: instance::logo(data).await?,
            stylesheet: format!("/site.css?v={}", stylesheet(info.accent).0),
            navigation: navigation(path, tr),
            tr,
            languages: language::switch(tr),
            back: path.to_string(),
        })
    }
}

/// The navigation as shown on the page at `path`.
fn navigation(path: &str, tr: Tr) -> Vec<(String, &'static str, Option<&'static str>)> {
    NAVIGATION
        .iter()
        .map(|(label, link, section)| {
            let current = if path == *link {
                Some("page")
            } else if path == *section || path.starts_with(&format!("{section}/")) {
                Some("true")
            } else {
                None
            };
            (tr.t(label), *link, current)
        })
        .collect()
}

/// A contact as a link: an e-mail address or an http(s) address; other text (a phone
/// number, an office) stays text.
fn contact_link(contact: &str) -> Option<String> {
    let contact = contact.trim();
    if contact.contains(char::is_whitespace) || contact.is_empty() {
        return None;
    }
    if let Ok(url) = url::Url::parse(contact) {
        return matches!(url.scheme(), "https" | "http").then(|| url.to_string());
    }
    let (user, domain) = contact.split_once('@')?;
    (!user.is_empty() && domain.contains('.') && !domain.contains('@'))
        .then(|| format!("mailto:{contact}"))
}

/// The stylesheet for an accent colour, and its version (a hash of the whole text, so that
/// a new colour or release is fetched at once and an unchanged one never again).
fn stylesheet(accent: Accent) -> (String, String) {
    let css = format!("{}{STYLESHEET}", accent.css_variables());
    (format!("{:016x}", hash_of(css.as_bytes())), css)
}

fn hash_of(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// `/site.css`: kept a year by browsers when asked for with the current version (the
/// address changes with it), otherwise revalidated.
async fn http_get_stylesheet(
    request: HttpRequest,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let (version, css) = stylesheet(instance::info(&data).await?.accent);
    let current = request.query_string() == format!("v={version}");
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::VARY, "Accept-Encoding"))
        .insert_header((header::ETAG, format!("W/\"{version}\"")))
        .insert_header((
            header::CACHE_CONTROL,
            if current {
                "public, max-age=31536000, immutable"
            } else {
                "public, no-cache"
            },
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(css))
}

/// Sends a public page: revalidated on every view (`no-cache`, a weak `ETag` of the
/// HTML), loading nothing but our own styles and images.
pub fn render(template: &impl Template) -> AppResult<HttpResponse> {
    render_with_status(StatusCode::OK, template)
}

/// A public page with another status than 200 (410 for a deleted post, 4xx for a form).
pub fn render_with_status(status: StatusCode, template: &impl Template) -> AppResult<HttpResponse> {
    render_page(status, template, "'none'")
}

/// A page other websites may show in a frame: those of `frame_ancestors` (CSP sources).
/// Cached for five minutes: every visit to those websites asks for it.
pub fn render_framed(template: &impl Template, frame_ancestors: &str) -> AppResult<HttpResponse> {
    let mut response = render_page(StatusCode::OK, template, frame_ancestors)?;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}

fn render_page(
    status: StatusCode,
    template: &impl Template,
    frame_ancestors: &str,
) -> AppResult<HttpResponse> {
    let html = template
        .render()
        .map_err(|e| AppError::other(anyhow::anyhow!("template: {e}")))?;
    let mut response = revalidated(status, "text/html; charset=utf-8", &html);
    if status.is_client_error() {
        // The answer to one visitor's form: not for caches.
        response.insert_header((header::CACHE_CONTROL, "no-store"));
    }
    Ok(response
        // The language: the switch's cookie, else the browser's.
        .insert_header((
            header::VARY,
            "Accept, Accept-Encoding, Accept-Language, Cookie",
        ))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            // No form-action: the follow form sends visitors on to their own server.
            format!(
                "default-src 'none'; style-src 'self'; img-src 'self'; \
                 frame-ancestors {frame_ancestors}; base-uri 'none'"
            ),
        ))
        .insert_header((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(html))
}

/// A response that caches revalidate on every use (`no-cache`) by a weak `ETag` of its
/// body: pages, feeds and calendars, which change whenever something is published.
pub fn revalidated(status: StatusCode, content_type: &str, body: &str) -> HttpResponseBuilder {
    let mut response = HttpResponse::build(status);
    response
        .content_type(content_type)
        .insert_header((
            header::ETAG,
            format!("W/\"{:016x}\"", hash_of(body.as_bytes())),
        ))
        .insert_header((header::CACHE_CONTROL, "public, no-cache"));
    response
}

/// Whether an `If-None-Match` header names `etag` (weak comparison, as for GET).
pub fn matches_if_none_match(if_none_match: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    let etag = opaque(etag);
    if_none_match
        .split(',')
        .any(|tag| tag.trim() == "*" || opaque(tag) == etag)
}

/// Answers 304 Not Modified, without the body, when a GET's `If-None-Match` names the
/// `ETag` of the response (pages, the stylesheet, feeds).
pub async fn not_modified(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let asked = (request.method() == Method::GET)
        .then(|| request.headers().get(header::IF_NONE_MATCH))
        .flatten()
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let response = next.call(request).await?;
    let unchanged = asked.is_some_and(|asked| {
        response.status() == StatusCode::OK
            && response
                .headers()
                .get(header::ETAG)
                .and_then(|etag| etag.to_str().ok())
                .is_some_and(|etag| matches_if_none_match(&asked, etag))
    });
    if !unchanged {
        return Ok(response.map_into_boxed_body());
    }
    let (request, full) = response.into_parts();
    let mut response = HttpResponse::NotModified();
    for (name, value) in full.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.append_header((name.clone(), value.clone()));
        }
    }
    Ok(ServiceResponse::new(request, response.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accent::{DARK_BACKGROUNDS, LIGHT_BACKGROUNDS};

    #[test]
    fn contacts_become_links_only_when_they_are_addresses() {
        assert_eq!(
            contact_link("press@city.example").as_deref(),
            Some("mailto:press@city.example")
        );
        assert_eq!(
            contact_link("https://city.example/contact").as_deref(),
            Some("https://city.example/contact")
        );
        for text in [
            "+33 1 23 45 67 89",
            "Town hall, room 4",
            "javascript:alert(1)",
            "a@b",
            "",
        ] {
            assert_eq!(contact_link(text), None, "{text}");
        }
    }

    #[test]
    fn the_stylesheet_uses_the_backgrounds_link_colours_are_checked_against() {
        for background in LIGHT_BACKGROUNDS.iter().chain(DARK_BACKGROUNDS.iter()) {
            assert!(
                STYLESHEET.contains(&background.hex()),
                "{}",
                background.hex()
            );
        }
    }

    #[test]
    fn sections_are_marked_in_the_navigation() {
        let current = |path: &str| -> Vec<Option<&str>> {
            navigation(path, Tr::default())
                .into_iter()
                .map(|(_, _, current)| current)
                .collect()
        };
        assert_eq!(current("/calls"), [None, Some("page"), None, None, None]);
        assert_eq!(
            current("/calls/closed"),
            [None, Some("true"), None, None, None]
        );
        assert_eq!(
            current("/network/events"),
            [None, None, None, Some("page"), None]
        );
        assert_eq!(
            current("/network/calls"),
            [None, None, None, Some("true"), None]
        );
        assert!(current("/newsletter").iter().all(Option::is_none));
        assert!(current("/").iter().all(Option::is_none));
    }

    #[test]
    fn if_none_match_compares_weakly_and_in_lists() {
        assert!(matches_if_none_match("W/\"abc\"", "W/\"abc\""));
        assert!(matches_if_none_match("\"x\", \"abc\"", "W/\"abc\""));
        assert!(matches_if_none_match("*", "\"abc\""));
        assert!(!matches_if_none_match("\"abd\"", "\"abc\""));
    }
}
