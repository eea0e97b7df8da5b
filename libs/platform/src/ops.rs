//! Operations endpoints every service serves: `/healthz` (the process is alive), `/readyz`
//! (every dependency answers within a bound, else 503 problem+json) and `/metrics` (open on
//! an internal network, or only to a scraper with the `METRICS_TOKEN` bearer token).

use std::{collections::BTreeMap, future::Future, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use crate::{Json, problem::Problem};

/// How long one dependency check may take before the service counts as not ready.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

/// The dependencies a service needs to serve traffic.
pub trait Readiness: Clone + Send + Sync + 'static {
    /// One named result per dependency; an `Err` holds a short reason safe to show.
    fn check(&self) -> impl Future<Output = Vec<(&'static str, Result<(), String>)>> + Send;
}

/// The operations routes. With `metrics_token`, `/metrics` answers only requests that carry
/// it as a bearer token (401 problem otherwise): set it wherever the port is reachable by
/// people, as the gateway's is.
pub fn router<R: Readiness>(readiness: R, metrics_token: Option<SecretString>) -> Router {
    // Install the recorder now, so what is counted before the first scrape is kept.
    crate::metrics::handle();
    let metrics_route = match metrics_token {
        None => get(metrics),
        Some(token) => {
            let token = Arc::new(token);
            get(move |headers: HeaderMap| protected_metrics(token, headers))
        }
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz::<R>))
        .with_state(readiness)
        .route("/metrics", metrics_route)
}

async fn protected_metrics(token: Arc<SecretString>, headers: HeaderMap) -> Response {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    if constant_time_eq::constant_time_eq(presented.as_bytes(), token.expose_secret().as_bytes()) {
        metrics().await
    } else {
        Problem::unauthorized("Reading the metrics needs the metrics token.").into_response()
    }
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn readyz<R: Readiness>(State(readiness): State<R>) -> Response {
    let results = readiness.check().await;
    let ready = results.iter().all(|(_, r)| r.is_ok());
    let checks: BTreeMap<_, _> = results
        .into_iter()
        .map(|(name, result)| (name, result.err().unwrap_or_else(|| "ok".to_owned())))
        .collect();
    if ready {
        Json(json!({ "status": "ready", "checks": checks })).into_response()
    } else {
        Problem::unavailable("A dependency is not reachable.")
            .with_extension("checks", checks)
            .into_response()
    }
}

async fn metrics() -> Response {
    let body = crate::metrics::handle().render();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4"),
        )],
        body,
    )
        .into_response()
}

/// Runs `check` with [`CHECK_TIMEOUT`], turning a timeout into a readable reason.
pub async fn bounded<F, E>(check: F) -> Result<(), String>
where
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    match tokio::time::timeout(CHECK_TIMEOUT, check).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("unreachable: {e}")),
        Err(_) => Err("timed out".to_owned()),
    }
}
