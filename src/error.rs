//! One error type for the whole application, with one mapping to HTTP statuses.
//! The client sees a short, safe reason, in its language; the cause of a 5xx goes to the
//! log only. Reasons are messages of `locales/*/errors.ftl`; `Display` writes them in
//! English (logs, the command line, tests).

use std::collections::BTreeMap;

use activitypub_federation::error::Error as FederationError;
use actix_web::{
    error::{PathError, QueryPayloadError, UrlencodedError},
    http::StatusCode,
    HttpRequest, HttpResponse, ResponseError,
};

use crate::i18n::{Message, Tr};

#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("not found")]
    NotFound,
    #[error("gone")]
    Gone,
    #[error("{0}")]
    BadRequest(Message),
    #[error("{0}")]
    Unauthorized(Message),
    #[error("{0}")]
    Forbidden(Message),
    #[error("{0}")]
    Conflict(Message),
    /// Too many attempts (429): failed logins beyond the throttle.
    #[error("{0}")]
    TooManyRequests(Message),
    /// Too busy for now (503 with `Retry-After`): the write queue is full.
    #[error("{0}")]
    Busy(Message),
    #[error("request body is larger than the limit")]
    PayloadTooLarge,
    /// Input that fails validation, with a message per field (422).
    #[error("invalid input: {}", describe_fields(.0))]
    Validation(BTreeMap<String, Message>),
    #[error("{0}")]
    Federation(#[from] FederationError),
    /// Another server failed us (502): a fetch that may work later.
    #[error("remote server: {0}")]
    Upstream(Message),
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("database pool error: {0}")]
    Pool(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
#[error("{kind}")]
pub struct AppError {
    pub kind: ErrorKind,
}

pub type AppResult<T> = Result<T, AppError>;

/// An error shared by callers that waited on one piece of work (a cache load): what the
/// client is told is kept; a server-side cause, which cannot be copied, is kept as text.
impl From<std::sync::Arc<AppError>> for AppError {
    fn from(shared: std::sync::Arc<AppError>) -> AppError {
        std::sync::Arc::try_unwrap(shared).unwrap_or_else(|shared| {
            let kind = match &shared.kind {
                ErrorKind::NotFound => ErrorKind::NotFound,
                ErrorKind::Gone => ErrorKind::Gone,
                ErrorKind::BadRequest(m) => ErrorKind::BadRequest(m.clone()),
                ErrorKind::Unauthorized(m) => ErrorKind::Unauthorized(m.clone()),
                ErrorKind::Forbidden(m) => ErrorKind::Forbidden(m.clone()),
                ErrorKind::Conflict(m) => ErrorKind::Conflict(m.clone()),
                ErrorKind::TooManyRequests(m) => ErrorKind::TooManyRequests(m.clone()),
                ErrorKind::Busy(m) => ErrorKind::Busy(m.clone()),
                ErrorKind::PayloadTooLarge => ErrorKind::PayloadTooLarge,
                ErrorKind::Validation(fields) => ErrorKind::Validation(fields.clone()),
                ErrorKind::Upstream(m) => ErrorKind::Upstream(m.clone()),
                // What cannot be copied keeps its status and what the client is told.
                _ if shared.is_not_found() => ErrorKind::NotFound,
                _ => match shared.status_code() {
                    StatusCode::GONE => ErrorKind::Gone,
                    StatusCode::BAD_REQUEST => ErrorKind::BadRequest(shared.to_message()),
                    StatusCode::UNAUTHORIZED => ErrorKind::Unauthorized(shared.to_message()),
                    StatusCode::FORBIDDEN => ErrorKind::Forbidden(shared.to_message()),
                    StatusCode::BAD_GATEWAY => ErrorKind::Upstream(shared.to_message()),
                    _ => ErrorKind::Other(anyhow::anyhow!("{shared:#}")),
                },
            };
            AppError { kind }
        })
    }
}

impl AppError {
    pub fn not_found() -> AppError {
        ErrorKind::NotFound.into()
    }
    pub fn bad_request(why: impl Into<Message>) -> AppError {
        ErrorKind::BadRequest(why.into()).into()
    }
    pub fn unauthorized(why: impl Into<Message>) -> AppError {
        ErrorKind::Unauthorized(why.into()).into()
    }
    pub fn upstream(why: impl Into<Message>) -> AppError {
        ErrorKind::Upstream(why.into()).into()
    }

    pub fn forbidden(why: impl Into<Message>) -> AppError {
        ErrorKind::Forbidden(why.into()).into()
    }
    pub fn too_many_requests(why: impl Into<Message>) -> AppError {
        ErrorKind::TooManyRequests(why.into()).into()
    }
    pub fn busy(why: impl Into<Message>) -> AppError {
        ErrorKind::Busy(why.into()).into()
    }
    pub fn conflict(why: impl Into<Message>) -> AppError {
        ErrorKind::Conflict(why.into()).into()
    }
    pub fn other(error: anyhow::Error) -> AppError {
        ErrorKind::Other(error).into()
    }
    pub fn invalid(field: &str, message: impl Into<Message>) -> AppError {
        ErrorKind::Validation([(field.to_string(), message.into())].into_iter().collect()).into()
    }

    /// The reason of the errors that carry one (for the panel's flash); for invalid input,
    /// the message of its field when only one field was refused (`AppError::invalid`).
    pub fn message(&self) -> Option<&Message> {
        match &self.kind {
            ErrorKind::BadRequest(why)
            | ErrorKind::Unauthorized(why)
            | ErrorKind::Forbidden(why)
            | ErrorKind::Conflict(why)
            | ErrorKind::TooManyRequests(why)
            | ErrorKind::Busy(why)
            | ErrorKind::Upstream(why) => Some(why),
            ErrorKind::Validation(fields) if fields.len() == 1 => fields.values().next(),
            _ => None,
        }
    }

    /// The JSON answer, every message in `tr`'s language: `{"error": …}`, with `"fields"`
    /// for invalid input, and `Retry-After` when busy. The 5xx causes stay out of it.
    pub fn response_in(&self, tr: Tr) -> HttpResponse {
        let status = self.status_code();
        if let ErrorKind::Validation(fields) = &self.kind {
            let fields: BTreeMap<&str, String> = fields
                .iter()
                .map(|(field, message)| (field.as_str(), message.text(tr)))
                .collect();
            return HttpResponse::build(status).json(
                serde_json::json!({ "error": tr.t("error-invalid-input"), "fields": fields }),
            );
        }
        let mut response = HttpResponse::build(status);
        if matches!(self.kind, ErrorKind::Busy(_)) {
            response.insert_header((actix_web::http::header::RETRY_AFTER, BUSY_RETRY_AFTER_SECS));
        }
        response.json(serde_json::json!({ "error": self.text(tr) }))
    }

    /// What went wrong, in `tr`'s language: the cause of a 5xx only in general terms.
    pub fn text(&self, tr: Tr) -> String {
        self.to_message().text(tr)
    }

    /// What went wrong, as a message to write in the reader's language.
    pub fn to_message(&self) -> Message {
        match &self.kind {
            ErrorKind::Busy(why) => why.clone(),
            _ if self.status_code() == StatusCode::BAD_GATEWAY => Message::new("error-upstream"),
            _ if self.status_code().is_server_error() => Message::new("error-internal"),
            ErrorKind::NotFound
            | ErrorKind::Db(diesel::result::Error::NotFound)
            | ErrorKind::Federation(FederationError::NotFound) => Message::new("error-not-found"),
            ErrorKind::Gone => Message::new("error-gone"),
            ErrorKind::PayloadTooLarge => Message::new("error-payload-too-large"),
            ErrorKind::Validation(fields) if fields.len() != 1 => {
                Message::new("error-invalid-input")
            }
            _ => match self.message() {
                Some(why) => why.clone(),
                // The federation library's own reasons, for other servers: in English.
                None => Message::new("error-remote-failure").arg("reason", self),
            },
        }
    }

    pub fn pool(error: impl std::fmt::Display) -> AppError {
        ErrorKind::Pool(error.to_string()).into()
    }

    pub fn is_not_found(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::NotFound
                | ErrorKind::Db(diesel::result::Error::NotFound)
                | ErrorKind::Federation(FederationError::NotFound)
        )
    }
}

/// A query string that does not parse (`?page=x`): 400 with the reason, in the request's
/// language like every other error (actix's own answer is English text).
pub fn bad_query(error: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    AppError::bad_request(Message::new("error-query-invalid").arg("error", error)).into()
}

/// A path segment that does not parse.
pub fn bad_path(error: PathError, _: &HttpRequest) -> actix_web::Error {
    AppError::bad_request(Message::new("error-path-invalid").arg("error", error)).into()
}

/// A form that does not parse; one over the size limit is 413, and a body of another type
/// or unknown length keeps actix's own answer (415, 411).
pub fn bad_form(error: UrlencodedError, _: &HttpRequest) -> actix_web::Error {
    match error {
        UrlencodedError::Overflow { .. }
        | UrlencodedError::Payload(actix_web::error::PayloadError::Overflow) => {
            AppError::from(ErrorKind::PayloadTooLarge).into()
        }
        UrlencodedError::ContentType | UrlencodedError::UnknownLength => error.into(),
        _ => AppError::bad_request(Message::new("error-form-invalid").arg("error", error)).into(),
    }
}

/// When a client refused while busy may try again, in seconds.
const BUSY_RETRY_AFTER_SECS: u64 = 5;

fn describe_fields(fields: &BTreeMap<String, Message>) -> String {
    fields
        .iter()
        .map(|(field, message)| format!("{field} {message}"))
        .collect::<Vec<_>>()
        .join("; ")
}

impl<E: Into<ErrorKind>> From<E> for AppError {
    fn from(kind: E) -> Self {
        AppError { kind: kind.into() }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match &self.kind {
            ErrorKind::NotFound | ErrorKind::Db(diesel::result::Error::NotFound) => {
                StatusCode::NOT_FOUND
            }
            ErrorKind::Gone => StatusCode::GONE,
            ErrorKind::BadRequest(_) => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden(_) => StatusCode::FORBIDDEN,
            ErrorKind::Conflict(_) => StatusCode::CONFLICT,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Federation(e) => federation_status(e),
            ErrorKind::Upstream(_) => StatusCode::BAD_GATEWAY,
            ErrorKind::Db(_) | ErrorKind::Pool(_) | ErrorKind::Other(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// Logged here, once: the answer is written again in the request's language with
    /// `response_in`, which logs nothing.
    fn error_response(&self) -> HttpResponse {
        if let ErrorKind::Busy(why) = &self.kind {
            tracing::debug!(%why, "request refused while busy");
        } else if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        self.response_in(Tr::default())
    }
}

fn federation_status(error: &FederationError) -> StatusCode {
    use FederationError as F;
    match error {
        F::NotFound => StatusCode::NOT_FOUND,
        F::ActivityBodyDigestInvalid | F::ActivitySignatureInvalid => StatusCode::UNAUTHORIZED,
        F::ParseReceivedActivity { .. } | F::UrlVerificationError(_) | F::UrlParse(_) => {
            StatusCode::BAD_REQUEST
        }
        F::DomainResolveError(_) | F::ResolveInternalIpError(..) => StatusCode::FORBIDDEN,
        F::ObjectDeleted(_) => StatusCode::GONE,
        _ => StatusCode::BAD_GATEWAY,
    }
}
