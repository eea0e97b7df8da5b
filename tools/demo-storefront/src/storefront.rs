//! The storefront loop: signs in through the gateway as the storefront service account, then
//! places generated orders at a steady rate (each with its own `Idempotency-Key`), signing in
//! again when the token is refused, and reports a summary every ten seconds.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use tokio::sync::{RwLock, Semaphore};

use crate::generator::{OrderGenerator, Rng};

/// What to do and as whom.
#[derive(Debug, Clone)]
pub struct StorefrontOptions {
    pub gateway: String,
    pub email: String,
    pub password: String,
    /// Orders per second (> 0).
    pub rate: f64,
    /// Stop after this many orders; run until stopped when `None`.
    pub count: Option<u64>,
    /// Requests in flight at most; beyond that the storefront waits instead of piling up.
    pub max_in_flight: usize,
}

#[derive(Default)]
struct Counters {
    created: AtomicU64,
    failed: AtomicU64,
    latency_ms_total: AtomicU64,
}

struct Shared {
    http: Client,
    options: StorefrontOptions,
    token: RwLock<Option<String>>,
    counters: Counters,
}

/// Runs until `count` orders are placed or `stop` resolves; returns how many were created.
pub async fn run(
    options: StorefrontOptions,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<u64> {
    if !(options.rate.is_finite() && options.rate > 0.0) {
        bail!("--rate must be a positive number of orders per second");
    }
    let http = Client::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(10))
        .tcp_nodelay(true)
        .build()
        .context("building the HTTP client")?;
    let shared = Arc::new(Shared {
        http,
        options: options.clone(),
        token: RwLock::new(None),
        counters: Counters::default(),
    });
    let first_token = sign_in_until_ready(&shared).await?;
    *shared.token.write().await = Some(first_token);
    tracing::info!(
        "signed in as {}; placing {} orders/s at {}",
        options.email,
        options.rate,
        options.gateway
    );

    let slots = Arc::new(Semaphore::new(options.max_in_flight.max(1)));
    let mut generator = OrderGenerator::new(Rng::from_time());
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / options.rate));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut report = tokio::time::interval(Duration::from_secs(10));
    report.tick().await;
    let mut last_reported = (0, 0);
    let mut placed = 0u64;
    tokio::pin!(stop);

    loop {
        if options.count.is_some_and(|count| placed >= count) {
            break;
        }
        tokio::select! {
            () = &mut stop => break,
            _ = report.tick() => last_reported = report_progress(&shared.counters, last_reported),
            _ = ticks.tick() => {
                let Ok(permit) = slots.clone().acquire_owned().await else { break };
                let (order, _) = generator.next_order();
                let shared = shared.clone();
                placed += 1;
                tokio::spawn(async move {
                    place_order(&shared, order).await;
                    drop(permit);
                });
            }
        }
    }
    // Let the orders already sent finish (bounded by the client timeout).
    let _ = slots
        .acquire_many(options.max_in_flight.max(1) as u32)
        .await;
    let created = shared.counters.created.load(Ordering::Relaxed);
    tracing::info!(
        "stopped: {created} orders created, {} failed",
        shared.counters.failed.load(Ordering::Relaxed)
    );
    Ok(created)
}

fn report_progress(counters: &Counters, (created_before, failed_before): (u64, u64)) -> (u64, u64) {
    let created = counters.created.load(Ordering::Relaxed);
    let failed = counters.failed.load(Ordering::Relaxed);
    let new = created - created_before;
    let mean_ms = counters.latency_ms_total.swap(0, Ordering::Relaxed) / new.max(1);
    tracing::info!(
        "{new} orders created in the last 10 s ({created} in all), {} failed, mean {mean_ms} ms",
        failed - failed_before
    );
    (created, failed)
}

async fn place_order(shared: &Shared, order: Value) {
    let key = uuid::Uuid::new_v4().to_string();
    let started = Instant::now();
    // One retry after signing in again: the token may have expired meanwhile.
    for attempt in 0..2 {
        let token = shared.token.read().await.clone().unwrap_or_default();
        let response = shared
            .http
            .post(format!("{}/api/v1/orders", shared.options.gateway))
            .bearer_auth(&token)
            .header("Idempotency-Key", &key)
            .json(&order)
            .send()
            .await;
        match response {
            Ok(r) if r.status() == StatusCode::CREATED => {
                let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                shared
                    .counters
                    .latency_ms_total
                    .fetch_add(elapsed, Ordering::Relaxed);
                let n = shared.counters.created.fetch_add(1, Ordering::Relaxed);
                if n == 0 {
                    let body: Value = r.json().await.unwrap_or_default();
                    tracing::info!(
                        "first order created: {}",
                        body["number"].as_str().unwrap_or("?")
                    );
                }
                return;
            }
            Ok(r) if r.status() == StatusCode::UNAUTHORIZED && attempt == 0 => {
                refresh_token(shared, &token).await;
            }
            Ok(r) => {
                let status = r.status();
                let body = r.text().await.unwrap_or_default();
                tracing::warn!("order refused: {status} {}", truncate(&body, 300));
                break;
            }
            Err(e) => {
                tracing::warn!("order not sent: {e}");
                break;
            }
        }
    }
    shared.counters.failed.fetch_add(1, Ordering::Relaxed);
}

/// Signs in again unless another task already replaced the refused token.
async fn refresh_token(shared: &Shared, refused: &str) {
    let mut token = shared.token.write().await;
    if token.as_deref().is_some_and(|current| current != refused) {
        return;
    }
    match sign_in(shared).await {
        Ok(fresh) => {
            tracing::info!("token refused; signed in again");
            *token = Some(fresh);
        }
        Err(e) => tracing::warn!("signing in again failed: {e:#}"),
    }
}

/// Signs in, retrying while the gateway is not reachable yet (it may still be starting).
async fn sign_in_until_ready(shared: &Shared) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match sign_in(shared).await {
            Ok(token) => return Ok(token),
            Err(e) if Instant::now() < deadline && is_transient(&e) => {
                tracing::debug!("gateway not ready: {e:#}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

fn is_transient(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<reqwest::Error>()
        .is_some_and(|e| e.is_connect() || e.is_timeout())
        || error.to_string().contains("503")
}

async fn sign_in(shared: &Shared) -> anyhow::Result<String> {
    let options = &shared.options;
    let response = shared
        .http
        .post(format!("{}/api/v1/auth/login", options.gateway))
        .json(&serde_json::json!({ "email": options.email, "password": options.password }))
        .send()
        .await?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or_default();
    if status != StatusCode::OK {
        bail!(
            "signing in as {} failed: {status} {}",
            options.email,
            body["detail"].as_str().unwrap_or_default()
        );
    }
    body["access_token"]
        .as_str()
        .map(str::to_owned)
        .context("the login answer has no access_token")
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}
