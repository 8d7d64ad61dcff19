//! One error type for the whole application, with one mapping to HTTP statuses.
//! The client sees a short, safe reason; the cause of a 5xx goes to the log only.

use std::collections::BTreeMap;

use activitypub_federation::error::Error as FederationError;
use actix_web::{http::StatusCode, HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("not found")]
    NotFound,
    #[error("gone")]
    Gone,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts (429): failed logins beyond the throttle.
    #[error("{0}")]
    TooManyRequests(String),
    /// Too busy for now (503 with `Retry-After`): the write queue is full.
    #[error("{0}")]
    Busy(String),
    #[error("request body is larger than the limit")]
    PayloadTooLarge,
    /// Input that fails validation, with a message per field (422).
    #[error("invalid input: {}", describe_fields(.0))]
    Validation(BTreeMap<String, String>),
    #[error("{0}")]
    Federation(#[from] FederationError),
    /// Another server failed us (502): a fetch that may work later.
    #[error("remote server: {0}")]
    Upstream(String),
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

impl AppError {
    pub fn not_found() -> AppError {
        ErrorKind::NotFound.into()
    }
    pub fn bad_request(why: impl Into<String>) -> AppError {
        ErrorKind::BadRequest(why.into()).into()
    }
    pub fn unauthorized(why: impl Into<String>) -> AppError {
        ErrorKind::Unauthorized(why.into()).into()
    }
    pub fn upstream(why: impl Into<String>) -> AppError {
        ErrorKind::Upstream(why.into()).into()
    }

    pub fn forbidden(why: impl Into<String>) -> AppError {
        ErrorKind::Forbidden(why.into()).into()
    }
    pub fn too_many_requests(why: impl Into<String>) -> AppError {
        ErrorKind::TooManyRequests(why.into()).into()
    }
    pub fn busy(why: impl Into<String>) -> AppError {
        ErrorKind::Busy(why.into()).into()
    }
    pub fn conflict(why: impl Into<String>) -> AppError {
        ErrorKind::Conflict(why.into()).into()
    }
    pub fn other(error: anyhow::Error) -> AppError {
        ErrorKind::Other(error).into()
    }
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        ErrorKind::Validation([(field.to_string(), message.into())].into_iter().collect()).into()
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

/// When a client refused while busy may try again, in seconds.
const BUSY_RETRY_AFTER_SECS: u64 = 5;

fn describe_fields(fields: &BTreeMap<String, String>) -> String {
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

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let ErrorKind::Validation(fields) = &self.kind {
            return HttpResponse::build(status)
                .json(serde_json::json!({ "error": "invalid input", "fields": fields }));
        }
        if let ErrorKind::Busy(why) = &self.kind {
            tracing::debug!(%why, "request refused while busy");
            return HttpResponse::build(status)
                .insert_header((actix_web::http::header::RETRY_AFTER, BUSY_RETRY_AFTER_SECS))
                .json(serde_json::json!({ "error": why }));
        }
        let message = if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            match status {
                StatusCode::BAD_GATEWAY => "a remote server could not be reached or answered badly",
                _ => "internal error",
            }
            .to_string()
        } else {
            self.to_string()
        };
        HttpResponse::build(status).json(serde_json::json!({ "error": message }))
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
