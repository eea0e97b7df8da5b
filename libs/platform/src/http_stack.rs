//! The middleware stack every service wraps its router in, outermost first: panic → 500
//! problem, request id (kept from the caller when well-formed, else a new UUID) on the span,
//! the response and upstream hops, security headers, problem rendering, metrics, a request
//! timeout and a body size limit that answers 413 before anything is parsed.

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::Request,
    http::{HeaderName, HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::problem::{CONTENT_TYPE as PROBLEM_JSON, Problem};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; object-src 'none'";
const DOCS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
     script-src 'self'; frame-ancestors 'none'; object-src 'none'";

/// Limits of the stack; services take them from their settings.
#[derive(Debug, Clone, Copy)]
pub struct StackLimits {
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
}

impl Default for StackLimits {
    fn default() -> Self {
        Self {
            body_limit_bytes: 64 * 1024,
            request_timeout: Duration::from_secs(10),
        }
    }
}

/// Wraps `router` in the common stack.
pub fn wrap(router: Router, limits: StackLimits) -> Router {
    router.layer(
        ServiceBuilder::new()
            .layer(CatchPanicLayer::custom(|_| {
                Problem::internal().into_response()
            }))
            .layer(middleware::from_fn(sanitize_request_id))
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &Request| {
                        let request_id = request
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default();
                        tracing::info_span!(
                            "request",
                            request_id,
                            method = %request.method(),
                            path = request.uri().path(),
                        )
                    })
                    .on_request(())
                    .on_response(DefaultOnResponse::new().level(Level::DEBUG)),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(middleware::from_fn(security_headers))
            .layer(middleware::from_fn(render_problems))
            .layer(middleware::from_fn(log_failures))
            .layer(middleware::from_fn(crate::metrics::track_http))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                limits.request_timeout,
            ))
            .layer(RequestBodyLimitLayer::new(limits.body_limit_bytes)),
    )
}

/// Drops a caller's request id that is not a short token, so logs cannot be forged with it.
async fn sanitize_request_id(mut request: Request, next: Next) -> Response {
    let valid = request.headers().get(REQUEST_ID).is_none_or(|value| {
        let bytes = value.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 128
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    });
    if !valid {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

async fn security_headers(request: Request, next: Next) -> Response {
    let is_docs = request.uri().path().starts_with("/docs");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if is_docs { DOCS_CSP } else { API_CSP }),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Logs every server error at error level and every client error at debug level; the
/// request span carries the request id.
async fn log_failures(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if status.is_server_error() {
        tracing::error!(status = status.as_u16(), "request failed");
    } else if status.is_client_error() {
        tracing::debug!(status = status.as_u16(), "request rejected");
    }
    response
}

/// Middleware: completes problems with `instance` and `request_id`, and gives every other
/// error response (the framework's plain-text 404, 405, 413, …) the problem shape, keeping
/// its headers (`Allow`, `Retry-After`).
async fn render_problems(request: Request, next: Next) -> Response {
    let instance = request.uri().path().to_owned();
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;

    let problem = match response.extensions().get::<Arc<Problem>>() {
        Some(problem) => Some(problem.as_ref().clone()),
        None if is_foreign_error(&response) => Some(Problem::from_status(response.status())),
        None => None,
    };
    let Some(problem) = problem else {
        return response;
    };
    let (parts, _) = response.into_parts();
    let mut rendered = problem.to_response(Some(&instance), request_id.as_deref());
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().entry(name).or_insert(value.clone());
        }
    }
    rendered
}

fn is_foreign_error(response: &Response) -> bool {
    let status = response.status();
    (status.is_client_error() || status.is_server_error())
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_none_or(|ct| ct.as_bytes() != PROBLEM_JSON.as_bytes())
}

/// The request id of the current request (set by the stack), for audit rows and upstream
/// calls.
#[derive(Debug, Clone, Default)]
pub struct RequestId(pub Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .headers
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        ))
    }
}
