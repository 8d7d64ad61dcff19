//! Logging: tracing, with tracing-actix-web's request span (and request id) on every request.

use std::time::Instant;

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header::{HeaderName, HeaderValue},
    middleware::Next,
    HttpMessage,
};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber; `RUST_LOG` overrides `log.level`. Safe to call twice.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match settings.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// When a request started, for the line that ends it.
struct Started(Instant);

/// tracing-actix-web's root span for every request (method, route, status, request id),
/// with the caller's own `X-Request-Id` when it sent a sane one, and one line at the end
/// with the status and the time taken.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        request.extensions_mut().insert(Started(Instant::now()));
        let caller_id = request
            .headers()
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .filter(|v| {
                !v.is_empty()
                    && v.len() <= 64
                    && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            .unwrap_or_default()
            .to_string();
        tracing_actix_web::root_span!(request, caller_request_id = %caller_id)
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        if let Ok(response) = outcome {
            let status = response.status().as_u16();
            let elapsed_ms = response
                .request()
                .extensions()
                .get::<Started>()
                .map(|started| started.0.elapsed().as_millis())
                .unwrap_or_default();
            span.in_scope(|| {
                if status >= 500 {
                    tracing::error!(status, elapsed_ms, "request finished");
                } else {
                    tracing::info!(status, elapsed_ms, "request finished");
                }
            });
        }
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// Returns the request's id (from the root span) to the caller, for bug reports.
pub async fn echo_request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = req.extensions().get::<RequestId>().copied();
    let mut response = next.call(req).await?;
    if let Some(value) = request_id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok()) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}
