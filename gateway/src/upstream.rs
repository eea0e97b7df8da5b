//! Calls to the services: one pooled keep-alive client, bounded connect and request times, the
//! request id and the client address passed along, and only known headers crossing in either
//! direction. A service that is down or too slow becomes a 503 problem within about a second;
//! except that a change (POST, PATCH, PUT, DELETE) that was sent and got no answer becomes a
//! 504 `outcome-unknown`: it may have been made, so it must not look refused. A service's 5xx
//! never reaches the caller with its body, except its 503 and its own 504 `outcome-unknown`.
//! A download ([`Upstreams::stream`]) is passed through as it arrives, never held whole: its
//! bound is the wait for the answer to start and for each next piece, not the whole transfer.

use std::{net::SocketAddr, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::{ConnectInfo, Request},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use lom_platform::{Problem, http_stack::REQUEST_ID, problem::CONTENT_TYPE as PROBLEM_JSON};

use crate::configuration::Settings;

/// The services behind the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Users,
    Orders,
}

impl Service {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Users => "users-service",
            Self::Orders => "orders-service",
        }
    }
}

/// Request headers a service may see.
const FORWARDED_REQUEST_HEADERS: [HeaderName; 4] = [
    header::AUTHORIZATION,
    header::CONTENT_TYPE,
    header::ACCEPT,
    HeaderName::from_static("idempotency-key"),
];

/// Response headers a caller may see from a service.
const FORWARDED_RESPONSE_HEADERS: [HeaderName; 6] = [
    header::CONTENT_TYPE,
    header::CONTENT_DISPOSITION,
    header::RETRY_AFTER,
    header::ALLOW,
    header::LOCATION,
    header::WWW_AUTHENTICATE,
];

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

#[derive(Clone)]
pub struct Upstreams {
    client: reqwest::Client,
    /// For downloads: no bound on the whole transfer, only on each wait.
    streaming: reqwest::Client,
    users: String,
    orders: String,
    body_limit: usize,
}

/// A service's answer, before it becomes ours.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Upstreams {
    pub fn new(settings: &Settings) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(settings.upstream_connect_timeout)
            .timeout(settings.upstream_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(64)
            .tcp_nodelay(true)
            .build()?;
        let streaming = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(settings.upstream_connect_timeout)
            .read_timeout(settings.upstream_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .build()?;
        Ok(Self {
            client,
            streaming,
            users: settings.users_url.clone(),
            orders: settings.orders_url.clone(),
            body_limit: settings.limits.body_limit_bytes,
        })
    }

    fn base(&self, service: Service) -> &str {
        match service {
            Service::Users => &self.users,
            Service::Orders => &self.orders,
        }
    }

    /// Forwards a public request (`/api/v1/...`) to `service` (`/v1/...`) and returns the
    /// service's answer as ours.
    pub async fn forward(&self, service: Service, request: Request) -> Response {
        let (parts, body) = request.into_parts();
        let public_path = parts.uri.path().to_owned();
        let path_and_query = internal_path_and_query(&parts.uri);
        let body = match axum::body::to_bytes(body, self.body_limit).await {
            Ok(body) => body,
            Err(_) => return Problem::from_status(StatusCode::PAYLOAD_TOO_LARGE).into_response(),
        };
        let headers = forwarded_headers(&parts);
        match self
            .send(service, parts.method, &path_and_query, headers, body)
            .await
        {
            Ok(reply) => reply.into_public_response(service, &public_path),
            Err(problem) => problem.into_response(),
        }
    }

    /// Forwards a read whose answer may be large (a download) to `service`, passing the body
    /// on piece by piece as it arrives; a problem answer is handled like [`Self::forward`]'s.
    /// A failure half-way breaks the download off, so it never looks complete.
    pub async fn stream(&self, service: Service, request: Request) -> Response {
        let (parts, _) = request.into_parts();
        let public_path = parts.uri.path().to_owned();
        let url = format!(
            "{}{}",
            self.base(service),
            internal_path_and_query(&parts.uri)
        );
        let result = self
            .streaming
            .get(url)
            .headers(forwarded_headers(&parts))
            .send()
            .await;
        let response = match result {
            Ok(response) => response,
            Err(err) => {
                tracing::warn!(service = service.name(), error = %err, "upstream download failed");
                metrics::counter!("gateway_upstream_failures_total", "service" => service.name())
                    .increment(1);
                return Problem::unavailable(format!(
                    "{} is unavailable; try again shortly.",
                    service.name()
                ))
                .into_response();
            }
        };
        let status = response.status();
        let headers = known_response_headers(response.headers());
        if !status.is_success() {
            // A refusal is short: read it whole and answer as any other.
            return match response.bytes().await {
                Ok(body) => Reply {
                    status,
                    headers,
                    body,
                }
                .into_public_response(service, &public_path),
                Err(_) => {
                    Problem::unavailable(format!("{} did not answer in full.", service.name()))
                        .into_response()
                }
            };
        }
        let pieces = futures_util::stream::unfold(response, move |mut response| async move {
            match response.chunk().await {
                Ok(Some(piece)) => Some((Ok(piece), response)),
                Ok(None) => None,
                Err(err) => {
                    tracing::warn!(service = service.name(), error = %err, "upstream download broke off");
                    Some((Err(err), response))
                }
            }
        });
        let mut answer = Response::new(Body::from_stream(pieces));
        *answer.status_mut() = status;
        *answer.headers_mut() = headers;
        answer
    }

    /// One call to `service`; transport failures are already problems.
    pub async fn send(
        &self,
        service: Service,
        method: Method,
        path_and_query: &str,
        headers: HeaderMap,
        body: Bytes,
    ) -> Result<Reply, Problem> {
        let url = format!("{}{path_and_query}", self.base(service));
        let read_only = method.is_safe();
        let result = self
            .client
            .request(method, url)
            .headers(headers)
            .body(body)
            .send()
            .await;
        let response = match result {
            Ok(response) => response,
            Err(err) => {
                tracing::warn!(service = service.name(), error = %err, timeout = err.is_timeout(), connect = err.is_connect(), "upstream call failed");
                metrics::counter!("gateway_upstream_failures_total", "service" => service.name())
                    .increment(1);
                // Not sent at all (the connection was refused), or only a read: plainly unavailable.
                if err.is_connect() || read_only {
                    return Err(Problem::unavailable(format!(
                        "{} is unavailable; try again shortly.",
                        service.name()
                    )));
                }
                return Err(outcome_unknown(service));
            }
        };
        let status = response.status();
        let headers = known_response_headers(response.headers());
        let body = response.bytes().await.map_err(|err| {
            tracing::warn!(service = service.name(), error = %err, "upstream body failed");
            if read_only {
                Problem::unavailable(format!("{} did not answer in full.", service.name()))
            } else {
                outcome_unknown(service)
            }
        })?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }
}

/// 504: a change was sent to `service` and no (whole) answer came back, so it may or may not
/// have been made; the caller reads it back, or retries with the same `Idempotency-Key`.
fn outcome_unknown(service: Service) -> Problem {
    Problem::outcome_unknown(format!(
        "{} did not answer in time; the change may or may not have been made. Read it back before trying again.",
        service.name()
    ))
}

/// `/api/v1/...?query` → `/v1/...?query`.
fn internal_path_and_query(uri: &axum::http::Uri) -> String {
    let public_path = uri.path();
    let internal_path = public_path.strip_prefix("/api").unwrap_or(public_path);
    match uri.query() {
        Some(query) => format!("{internal_path}?{query}"),
        None => internal_path.to_owned(),
    }
}

/// The request headers a service may see, with our request id and the client address.
fn forwarded_headers(parts: &axum::http::request::Parts) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for name in FORWARDED_REQUEST_HEADERS {
        if let Some(value) = parts.headers.get(&name) {
            headers.insert(name, value.clone());
        }
    }
    pass_identity(&parts.headers, &parts.extensions, &mut headers);
    headers
}

/// The response headers a caller may see.
fn known_response_headers(from: &HeaderMap) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for name in FORWARDED_RESPONSE_HEADERS {
        if let Some(value) = from.get(&name) {
            headers.insert(name, value.clone());
        }
    }
    headers
}

/// Sets the request id and the client address (replacing anything the client sent).
pub fn pass_identity(
    incoming: &HeaderMap,
    extensions: &axum::http::Extensions,
    outgoing: &mut HeaderMap,
) {
    if let Some(id) = incoming.get(REQUEST_ID) {
        outgoing.insert(REQUEST_ID, id.clone());
    }
    if let Some(ConnectInfo(peer)) = extensions.get::<ConnectInfo<SocketAddr>>()
        && let Ok(value) = HeaderValue::from_str(&peer.ip().to_string())
    {
        outgoing.insert(X_FORWARDED_FOR, value);
    }
}

impl Reply {
    pub fn is_problem(&self) -> bool {
        self.headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|ct| ct.as_bytes() == PROBLEM_JSON.as_bytes())
    }

    /// The answer the caller gets: 5xx bodies are replaced by our own problem — except a 503
    /// and a service's own 504 `outcome-unknown` (its COMMIT's answer was lost), which the
    /// caller must see as they are — and a problem's `instance` names the public path.
    pub fn into_public_response(self, service: Service, public_path: &str) -> Response {
        let passes = self.status == StatusCode::SERVICE_UNAVAILABLE
            || (self.status == StatusCode::GATEWAY_TIMEOUT && self.is_problem());
        if self.status.is_server_error() && !passes {
            tracing::error!(
                service = service.name(),
                status = self.status.as_u16(),
                "upstream failed"
            );
            return Problem::internal().into_response();
        }
        let body = if self.is_problem() {
            rewrite_instance(&self.body, public_path).unwrap_or(self.body)
        } else {
            self.body
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        response
    }
}

fn rewrite_instance(body: &Bytes, public_path: &str) -> Option<Bytes> {
    let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value
        .as_object_mut()?
        .insert("instance".into(), public_path.into());
    serde_json::to_vec(&value).ok().map(Bytes::from)
}
