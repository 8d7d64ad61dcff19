//! The panel's session cookie, its CSRF check, flash messages, and errors shown as pages.

use std::{future::Future, pin::Pin};

use activitypub_federation::config::Data;
use actix_web::{
    cookie::{time::Duration as CookieDuration, Cookie, SameSite},
    dev::Payload,
    http::{header, StatusCode},
    web, FromRequest, HttpRequest, HttpResponse, ResponseError,
};
use askama::Template;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::de::DeserializeOwned;

use std::net::IpAddr;

use crate::{
    config::Cidr,
    error::AppError,
    i18n::{Message, Tr},
    service::sessions::{self, Session},
    state::AppState,
};

pub const SESSION_COOKIE: &str = "munifed_session";
const FLASH_COOKIE: &str = "munifed_flash";

/// A panel error: a missing session sends the browser to the login page, anything else is
/// a page saying what went wrong.
#[derive(Debug)]
pub struct PanelError(pub AppError);

impl From<AppError> for PanelError {
    fn from(error: AppError) -> PanelError {
        PanelError(error)
    }
}

impl std::fmt::Display for PanelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for PanelError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            // Logged here, once, and told in general terms.
            let _ = self.0.error_response();
        }
        self.response_in(Tr::default())
    }
}

impl PanelError {
    /// The error page in `tr`'s language (`errors_in_language` writes it again in the
    /// request's).
    pub fn response_in(&self, tr: Tr) -> HttpResponse {
        let status = self.status_code();
        if status == StatusCode::UNAUTHORIZED {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/admin/login"))
                .finish();
        }
        let message = if status.is_server_error() {
            tr.t("panel-error-ours")
        } else {
            self.0.text(tr)
        };
        let page = super::ErrorPage {
            chrome: super::Chrome::anonymous("", tr),
            status: status.as_u16(),
            heading: tr.t(match status {
                StatusCode::FORBIDDEN => "panel-error-not-allowed",
                StatusCode::NOT_FOUND => "panel-error-not-found",
                StatusCode::TOO_MANY_REQUESTS => "panel-error-too-many",
                _ if status.is_server_error() => "panel-error-error",
                _ => "panel-error-did-not-work",
            }),
            message,
        };
        let html = page.render().unwrap_or_else(|_| status.to_string());
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html)
    }
}

pub type PanelResult = Result<HttpResponse, PanelError>;

/// The signed-in staff member (a request without a live session is sent to log in).
pub struct Panel {
    pub session: Session,
    pub flash: Option<Flash>,
    /// The staff member's language.
    pub tr: Tr,
}

impl FromRequest for Panel {
    type Error = PanelError;
    type Future = Pin<Box<dyn Future<Output = Result<Panel, PanelError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let secret = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
        let flash = req
            .cookie(FLASH_COOKIE)
            .and_then(|c| Flash::decode(c.value()));
        let data = Data::<AppState>::extract(req).into_inner();
        let tr = crate::web::language::of(req);
        Box::pin(async move {
            let data = data.map_err(|_| AppError::other(anyhow::anyhow!("no application data")))?;
            let secret = secret.ok_or_else(|| AppError::unauthorized("error-log-in-first"))?;
            let session = sessions::current(&data, &secret)
                .await?
                .ok_or_else(|| AppError::unauthorized("error-session-ended"))?;
            Ok(Panel { session, flash, tr })
        })
    }
}

/// A form that changes something: from a signed-in staff member, carrying the session's
/// CSRF token, sent from our own origin. The only way a handler gets a POSTed form.
pub struct PanelForm<T> {
    pub panel: Panel,
    pub form: T,
}

/// What every state-changing form carries.
pub trait WithCsrf {
    fn csrf(&self) -> &str;
}

impl<T: DeserializeOwned + WithCsrf + 'static> FromRequest for PanelForm<T> {
    type Error = PanelError;
    type Future = Pin<Box<dyn Future<Output = Result<PanelForm<T>, PanelError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let same_origin = check_origin(req);
        let panel = Panel::from_request(req, payload);
        let form = web::Form::<T>::from_request(req, payload);
        Box::pin(async move {
            same_origin?;
            let panel = panel.await?;
            // The scope's form settings answer with an `AppError` (`error::bad_form`).
            let form = form
                .await
                .map_err(|e| match e.as_error::<AppError>() {
                    Some(refused) if refused.status_code() == StatusCode::PAYLOAD_TOO_LARGE => {
                        AppError::from(crate::error::ErrorKind::PayloadTooLarge)
                    }
                    Some(refused) => AppError::bad_request(refused.to_message()),
                    None => {
                        AppError::bad_request(Message::new("error-form-unreadable").arg("error", e))
                    }
                })?
                .into_inner();
            panel.session.check_csrf(form.csrf())?;
            Ok(PanelForm { panel, form })
        })
    }
}

/// 403 when the browser says the request comes from another origin (a cross-site form).
pub fn check_origin(req: &HttpRequest) -> Result<(), PanelError> {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return Ok(()); // not a browser, or an old one: the CSRF token decides
    };
    let ours = Data::<AppState>::extract(req)
        .into_inner()
        .ok()
        .map(|data| data.urls.base().origin().ascii_serialization());
    if origin.to_str().ok() == ours.as_deref() {
        Ok(())
    } else {
        Err(AppError::forbidden("error-form-cross-site").into())
    }
}

/// A message shown once, on the page a form sends the browser back to.
#[derive(Clone, Debug)]
pub struct Flash {
    /// notice or error
    pub kind: &'static str,
    /// Written in the staff member's language when the page shows it.
    pub message: Message,
}

impl Flash {
    /// `kind:message` with the message in URL-safe base64, which no cookie parser alters.
    pub fn encode(&self) -> String {
        format!(
            "{}:{}",
            self.kind,
            URL_SAFE_NO_PAD.encode(self.message.encode())
        )
    }

    pub fn decode(value: &str) -> Option<Flash> {
        let (kind, message) = value.split_once(':')?;
        let kind = match kind {
            "notice" => "notice",
            "error" => "error",
            _ => return None,
        };
        if message.len() > 4000 {
            return None;
        }
        let message = URL_SAFE_NO_PAD.decode(message).ok()?;
        Some(Flash {
            kind,
            message: Message::decode(std::str::from_utf8(&message).ok()?)?,
        })
    }
}

/// After a form: back to `to` with the notice `done`, or with the reason it was refused (a
/// 4xx); our own failures stay errors.
pub fn after_form<T>(
    to: &str,
    outcome: Result<T, AppError>,
    done: impl Into<Message>,
) -> PanelResult {
    after_form_with(to, outcome, |_| done.into())
}

/// `after_form` with a notice that tells what was done.
pub fn after_form_with<T>(
    to: &str,
    outcome: Result<T, AppError>,
    done: impl FnOnce(&T) -> Message,
) -> PanelResult {
    let flash = match outcome {
        Ok(value) => Flash {
            kind: "notice",
            message: done(&value),
        },
        Err(error) if error.status_code().is_client_error() => Flash {
            kind: "error",
            message: error.to_message(),
        },
        Err(error) => return Err(error.into()),
    };
    Ok(redirect_with(to, Some(&flash)))
}

pub fn redirect_with(to: &str, flash: Option<&Flash>) -> HttpResponse {
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, to));
    if let Some(flash) = flash {
        response.cookie(
            Cookie::build(FLASH_COOKIE, flash.encode())
                .path("/admin")
                .http_only(true)
                .same_site(SameSite::Strict)
                .max_age(CookieDuration::seconds(60))
                .finish(),
        );
    }
    response.finish()
}

/// A page of the panel, clearing the flash it showed.
pub fn page(template: &impl Template, shown_flash: bool) -> PanelResult {
    let html = template
        .render()
        .map_err(|e| AppError::other(anyhow::anyhow!("template: {e}")))?;
    let mut response = HttpResponse::Ok();
    response.content_type("text/html; charset=utf-8");
    if shown_flash {
        let mut gone = Cookie::build(FLASH_COOKIE, "").path("/admin").finish();
        gone.make_removal();
        response.cookie(gone);
    }
    Ok(response.body(html))
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure over https, for the panel only.
pub fn session_cookie(secret: &str, secure: bool, lifetime_hours: i64) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, secret.to_string())
        .path("/admin")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::hours(lifetime_hours))
        .finish()
}

pub fn session_removal() -> Cookie<'static> {
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/admin").finish();
    gone.make_removal();
    gone
}

/// Where a login comes from, for throttling: the peer, or when the peer is a trusted proxy
/// (`server.trusted_proxies`), the nearest `X-Forwarded-For` hop that is not one (every
/// header line read, right to left). IPv6 addresses count by their /64.
pub fn client_address(req: &HttpRequest, trusted: &[Cidr]) -> String {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    let Some(mut client) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".to_string();
    };
    if is_trusted(client) {
        let hops: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                break; // unreadable: believe nothing further out
            };
            client = ip;
            if !is_trusted(ip) {
                break;
            }
        }
    }
    match client {
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & (u128::MAX << 64);
            format!("{}/64", std::net::Ipv6Addr::from(network))
        }
        v4 => v4.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{session_cookie, Flash, Message};

    #[test]
    fn the_session_cookie_is_secure_over_https() {
        let cookie = session_cookie("secret", true, 12).to_string();
        for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/admin"] {
            assert!(cookie.contains(flag), "{flag}: {cookie}");
        }
    }

    #[test]
    fn flash_messages_survive_the_cookie_and_refuse_anything_else() {
        let flash = Flash {
            kind: "error",
            message: Message::new("panel-flash-user-created").arg("email", "a; b = c&\"d\" é"),
        };
        let read = Flash::decode(&flash.encode()).expect("decoded");
        assert_eq!((read.kind, &read.message), ("error", &flash.message));
        assert_eq!(read.message.to_string(), "Created a; b = c&\"d\" é.");
        assert!(Flash::decode("script:<b>").is_none());
        assert!(Flash::decode("no colon").is_none());
        // Only messages of ours.
        // Only notices and errors of ours: no other message, no id that does not exist.
        for id in [
            "no-such-message",
            "format-date",
            concat!("panel-flash-", "none-such"),
        ] {
            let forged = Flash {
                kind: "notice",
                message: Message::new(id),
            };
            assert!(Flash::decode(&forged.encode()).is_none(), "{id}");
        }
        // Counts stay counts (plurals), text stays text (an account named 2024).
        let flash = Flash {
            kind: "notice",
            message: Message::new("panel-flash-forgotten")
                .arg("domain", "2024")
                .count("count", 1234),
        };
        let read = Flash::decode(&flash.encode()).expect("decoded");
        assert_eq!(
            read.message.to_string(),
            "2024 is forgotten: 1,234 accounts, their posts and follows."
        );
    }
}

#[cfg(test)]
mod address_tests {
    use actix_web::test::TestRequest;

    use super::client_address;
    use crate::config::Cidr;

    fn from(peer: &str, forwarded: &[&str]) -> String {
        let mut request = TestRequest::default().peer_addr(peer.parse().expect("peer"));
        for line in forwarded {
            request = request.append_header(("X-Forwarded-For", *line));
        }
        let trusted: Vec<Cidr> = ["127.0.0.1", "172.16.0.0/12"]
            .iter()
            .filter_map(|c| Cidr::parse(c))
            .collect();
        client_address(&request.to_http_request(), &trusted)
    }

    #[test]
    fn only_trusted_proxies_name_the_client() {
        // A peer that is no proxy of ours is the client, whatever it says.
        assert_eq!(from("203.0.113.9:1000", &["198.51.100.1"]), "203.0.113.9");
        // Behind our proxy: the nearest hop that is not a proxy of ours.
        assert_eq!(from("127.0.0.1:1000", &["198.51.100.1"]), "198.51.100.1");
        assert_eq!(
            from("172.17.0.1:1000", &["6.6.6.6, 198.51.100.1, 172.18.0.5"]),
            "198.51.100.1"
        );
        // A client's own header line comes first: the proxy's line, last, decides.
        assert_eq!(
            from("127.0.0.1:1000", &["6.6.6.6", "198.51.100.1"]),
            "198.51.100.1"
        );
        // Garbage is not believed; IPv6 counts by its /64.
        assert_eq!(from("127.0.0.1:1000", &["not an address"]), "127.0.0.1");
        assert_eq!(from("[2001:db8::1]:1000", &[]), "2001:db8::/64");
    }
}
