//! Which language a request is answered in, the switch at the foot of every page, and
//! errors told in the language of the request that met them.
//!
//! A request's language is, in order: the visitor's choice from the switch (remembered in
//! a cookie), the browser's `Accept-Language`, then the instance's
//! `instance.default_language` (held as app data) — except that JSON errors, which programs
//! read too, stay in English unless a language was asked for.

use std::future::{ready, Ready};

use activitypub_federation::config::Data;
use actix_web::{
    body::{BoxBody, MessageBody},
    cookie::{time::Duration as CookieDuration, Cookie, SameSite},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web, FromRequest, HttpRequest, HttpResponse,
};
use serde::Deserialize;

use crate::{
    error::{AppError, AppResult},
    i18n::{Language, Tr},
    state::AppState,
    web::admin::PanelError,
};

/// The cookie the language switch sets.
pub const LANGUAGE_COOKIE: &str = "munifed_lang";

/// The language the visitor asked for: the switch's, else the browser's among ours.
fn asked(request: &HttpRequest) -> Option<Language> {
    request
        .cookie(LANGUAGE_COOKIE)
        .and_then(|c| Language::parse(c.value()))
        .or_else(|| {
            request
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Language::from_accept_language)
        })
}

/// The instance's `default_language`.
fn default(request: &HttpRequest) -> Language {
    request.app_data::<Language>().copied().unwrap_or_default()
}

/// The language `request` is answered in.
pub fn of(request: &HttpRequest) -> Tr {
    Tr(asked(request).unwrap_or_else(|| default(request)))
}

impl FromRequest for Tr {
    type Error = actix_web::Error;
    type Future = Ready<Result<Tr, actix_web::Error>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(Ok(of(request)))
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/language/{code}", web::get().to(http_get_language));
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// `/language/{code}?back=/path`: remembers the choice for a year and goes back to the
/// page it was made on (a path of this site only; anything else goes home).
async fn http_get_language(
    code: web::Path<String>,
    back: web::Query<Back>,
    data: Data<AppState>,
) -> AppResult<HttpResponse> {
    let language = Language::parse(&code).ok_or_else(AppError::not_found)?;
    let back = back
        .back
        .as_deref()
        .filter(|path| is_local_path(path))
        .unwrap_or("/");
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(
            Cookie::build(LANGUAGE_COOKIE, language.code())
                .path("/")
                .same_site(SameSite::Lax)
                .http_only(true)
                .secure(data.urls.base().scheme() == "https")
                .max_age(CookieDuration::days(365))
                .finish(),
        )
        .finish())
}

/// A path on this site: `/…` but not `//host` or `/\host`, which browsers read as
/// another site.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control())
}

/// Writes an error answer again in the request's language: errors are made where the
/// request is not at hand, and told in English until here.
pub async fn errors_in_language(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (asked, default) = (asked(request.request()), default(request.request()));
    let response = next.call(request).await?;
    let Some(error) = response.response().error() else {
        return Ok(response.map_into_boxed_body());
    };
    let page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let tr = Tr(match asked {
        Some(language) => language,
        None if page => default,
        None => Language::En,
    });
    let translated = if let Some(error) = error.as_error::<AppError>() {
        Some(error.response_in(tr))
    } else {
        error
            .as_error::<PanelError>()
            .map(|error| error.response_in(tr))
    };
    let (request, original) = response.into_parts();
    // The original answer keeps its headers and its error (for the request log); only
    // its body is written again.
    let mut response = match translated {
        Some(translated) => {
            let (head, body) = translated.into_parts();
            let mut response = original.set_body(body);
            if let Some(content_type) = head.headers().get(header::CONTENT_TYPE) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, content_type.clone());
            }
            response
        }
        None => original.map_into_boxed_body(),
    };
    response.headers_mut().append(
        header::VARY,
        header::HeaderValue::from_static("Accept-Language, Cookie"),
    );
    Ok(ServiceResponse::new(request, response))
}

/// Which languages the switch offers and which is in use.
pub fn switch(tr: Tr) -> Vec<(&'static str, &'static str, bool)> {
    Language::ALL
        .into_iter()
        .map(|language| {
            (
                language.code(),
                language.autonym(),
                language == tr.language(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn the_switch_goes_back_only_to_our_own_pages() {
        assert!(is_local_path("/news?page=2"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example/"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/\nSet-Cookie: x"));
    }
}
