//! The language switch at the foot of every page, and errors told in the language of the
//! request that met them.

use actix_web::{
    body::{BoxBody, MessageBody},
    cookie::{time::Duration as CookieDuration, Cookie, SameSite},
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web, HttpResponse,
};
use serde::Deserialize;

use crate::{
    error::AppError,
    i18n::{Language, Tr, LANGUAGE_COOKIE},
    web::admin::PanelError,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/language/{code}", web::get().to(http_get_language));
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

/// `/language/{code}?back=/path`: remembers the choice for a year and goes back to the
/// page it was made on (a path of this site only; anything else goes home).
async fn http_get_language(code: web::Path<String>, back: web::Query<Back>) -> HttpResponse {
    let Some(language) = Language::parse(&code) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("unknown language: munifed speaks en, fr and es");
    };
    let back = back
        .back
        .as_deref()
        .filter(|path| is_local_path(path))
        .unwrap_or("/");
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(
            Cookie::build(LANGUAGE_COOKIE, language.code())
                .path("/")
                .same_site(SameSite::Lax)
                .http_only(true)
                .max_age(CookieDuration::days(365))
                .finish(),
        )
        .finish()
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
    let tr = Tr::of(request.request());
    let response = next.call(request).await?;
    let translated = response.response().error().and_then(|error| {
        if let Some(error) = error.as_error::<AppError>() {
            Some(error.response_in(tr))
        } else {
            error
                .as_error::<PanelError>()
                .map(|error| error.response_in(tr))
        }
    });
    match translated {
        Some(translated) => {
            let (request, original) = response.into_parts();
            let mut translated = translated;
            for (name, value) in original.headers() {
                if !translated.headers().contains_key(name) {
                    translated.headers_mut().insert(name.clone(), value.clone());
                }
            }
            Ok(ServiceResponse::new(request, translated))
        }
        None => Ok(response.map_into_boxed_body()),
    }
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
