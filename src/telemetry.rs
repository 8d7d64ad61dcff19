//! Logging: tracing, with tracing-actix-web's request span (and request id) on every
//! request; and every request counted in the Prometheus metrics (`web::metrics`).

use std::{sync::Arc, time::Instant};

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::{
        header::{HeaderName, HeaderValue},
        Method,
    },
    middleware::Next,
    HttpMessage,
};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

use crate::{
    config::{LogFormat, LogSettings},
    metrics::Metrics,
};

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

/// The caller's own `X-Request-Id` (a proxy's), when it is short and plain.
fn caller_request_id(request: &ServiceRequest) -> Option<String> {
    request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_string)
}

/// The span of every request, with tracing-actix-web's request id: method, route, path and
/// outcome. Unlike its default span it leaves out the client's address, user agent and
/// query string (a public body's logs keep no more about visitors than they need).
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        request.extensions_mut().insert(Started(Instant::now()));
        let request_id = request.extensions().get::<RequestId>().copied();
        let span = tracing::info_span!(
            "request",
            request_id = tracing::field::Empty,
            caller_request_id = tracing::field::Empty,
            method = %request.method(),
            route = request.match_pattern().as_deref().unwrap_or("default"),
            path = %request.path(),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        );
        if let Some(id) = request_id {
            span.record("request_id", tracing::field::display(id));
        }
        if let Some(id) = caller_request_id(request) {
            span.record("caller_request_id", id);
        }
        span
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span.clone(), outcome);
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
    }
}

/// Returns the request id to the caller, for bug reports: the caller's own when it sent a
/// usable one (so a proxy's logs and ours line up), else the one tracing-actix-web made.
pub async fn echo_request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = caller_request_id(&req)
        .or_else(|| req.extensions().get::<RequestId>().map(|id| id.to_string()));
    let mut response = next.call(req).await?;
    if let Some(value) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

/// Counts every request by its route (the matched pattern, `unmatched` when no route knows
/// the path, so that scanners cannot grow the label's values), method and status.
pub async fn count_request(
    metrics: Arc<Metrics>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = method_label(req.method());
    let route = req.match_pattern();
    let result = next.call(req).await;
    let status = match &result {
        Ok(response) => response.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    metrics.request(
        route.as_deref().unwrap_or("unmatched"),
        method,
        status.as_u16(),
        started.elapsed(),
    );
    result
}

fn method_label(method: &Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}
