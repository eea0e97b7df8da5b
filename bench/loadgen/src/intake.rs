//! Open-model order intake: orders are due at a constant rate (the `i`-th at `start + i/rate`)
//! and each is sent at its due time whatever happened to the earlier ones, so a slow server
//! cannot slow the generator down; latency runs from the due time, not from the actual send
//! (no coordinated omission). A request that cannot even start because `max_in_flight` are
//! already waiting counts as an error.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use reqwest::{Client, StatusCode};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::{
    check::{Acked, Check, Checker},
    clock, gateway,
    stats::{self, Latency},
};

/// One rate step's outcome.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Step {
    /// Target orders per second.
    pub rate: f64,
    pub duration_s: f64,
    pub sent: u64,
    pub created: u64,
    pub errors: u64,
    /// Error kinds and counts (status code, timeout, client overload, …).
    pub error_kinds: BTreeMap<String, u64>,
    /// Orders created per second over the send window.
    pub achieved_per_s: f64,
    pub latency: Latency,
    /// The correctness check of the step's 201s (absent where the phase does not check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Check>,
}

impl Step {
    /// Sustained: no error, p99 within `p99_limit_ms`, the rate was really offered, and the
    /// check (if any) found every order once with its event.
    pub fn sustained(&self, p99_limit_ms: f64) -> bool {
        self.errors == 0
            && self.latency.p99_ms <= p99_limit_ms
            && self.created == self.sent
            && self.check.as_ref().is_none_or(Check::passed)
    }
}

/// A whole ramp, as saved.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IntakeResult {
    pub duration_s: f64,
    pub p99_limit_ms: f64,
    /// The highest sustained rate (orders/s; 0 if none).
    pub max_sustained_per_s: f64,
    pub steps: Vec<Step>,
}

#[derive(Default)]
struct Outcomes {
    latency_us: Vec<u64>,
    acked: Vec<Acked>,
    errors: BTreeMap<String, u64>,
}

/// Where and as whom to send.
#[derive(Clone)]
pub struct Target {
    pub http: Client,
    pub gateway: String,
    pub token: String,
}

/// Sends `rate` orders/s for `duration`, then waits for the stragglers (bounded by the
/// client timeout). `first_index` numbers the orders (for their content). Returns the step and
/// the orders its 201s acknowledged.
pub async fn run_step(
    target: &Target,
    rate: f64,
    duration: Duration,
    max_in_flight: usize,
    first_index: u64,
) -> (Step, Vec<Acked>) {
    let count = (rate * duration.as_secs_f64()).round().max(1.0) as u64;
    let outcomes = Arc::new(Mutex::new(Outcomes::default()));
    let slots = Arc::new(Semaphore::new(max_in_flight.max(1)));
    let schedule = clock::Schedule::starting_in(rate, clock::FIRST_SEND_LEAD);
    let mut overloaded = 0u64;
    for i in 0..count {
        let due_ns = schedule.wait_for(i).await;
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            overloaded += 1;
            continue;
        };
        let target = target.clone();
        let outcomes = outcomes.clone();
        tokio::spawn(async move {
            let result = post_order(&target, first_index + i, due_ns).await;
            let done_ns = clock::now_ns();
            let mut outcomes = outcomes.lock().unwrap_or_else(PoisonError::into_inner);
            match result {
                Ok(order) => {
                    outcomes.acked.push(order);
                    outcomes
                        .latency_us
                        .push(clock::micros_between(due_ns, done_ns));
                }
                Err(kind) => *outcomes.errors.entry(kind).or_default() += 1,
            }
            drop(permit);
        });
    }
    let send_window = schedule.elapsed();
    let _ = slots.acquire_many(max_in_flight.max(1) as u32).await;
    let mut outcomes =
        std::mem::take(&mut *outcomes.lock().unwrap_or_else(PoisonError::into_inner));
    if overloaded > 0 {
        outcomes
            .errors
            .insert("client in-flight cap reached".into(), overloaded);
    }
    let errors = outcomes.errors.values().sum();
    let created = outcomes.acked.len() as u64;
    let step = Step {
        rate,
        duration_s: duration.as_secs_f64(),
        sent: count,
        created,
        errors,
        error_kinds: outcomes.errors,
        achieved_per_s: created as f64 / send_window.as_secs_f64().max(1e-9),
        latency: stats::summarize(&mut outcomes.latency_us),
        check: None,
    };
    tracing::info!(
        rate,
        created = step.created,
        errors = step.errors,
        p50_ms = step.latency.p50_ms,
        p99_ms = step.latency.p99_ms,
        p999_ms = step.latency.p999_ms,
        "intake step"
    );
    (step, outcomes.acked)
}

async fn post_order(target: &Target, index: u64, due_ns: u64) -> Result<Acked, String> {
    let response = target
        .http
        .post(format!("{}/api/v1/orders", target.gateway))
        .bearer_auth(&target.token)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&gateway::order_body(index, due_ns))
        .send()
        .await
        .map_err(|err| {
            if err.is_timeout() {
                "timeout".to_owned()
            } else if err.is_connect() {
                "connect error".to_owned()
            } else {
                "transport error".to_owned()
            }
        })?;
    let status = response.status();
    // Read the whole body so the connection goes back to the pool.
    let body = response.bytes().await;
    if status != StatusCode::CREATED {
        return Err(format!("status {}", status.as_u16()));
    }
    let body = body.map_err(|_| "201 with a truncated body".to_owned())?;
    serde_json::from_slice(&body).map_err(|_| "201 without an order id and number".to_owned())
}

/// Rising rates until two steps in a row are not sustained (one can be noise from a shared
/// machine; the report counts only sustained steps), each step's 201s checked by `checker`.
pub async fn ramp(
    target: &Target,
    checker: &Checker,
    rates: &[f64],
    duration: Duration,
    max_in_flight: usize,
    p99_limit_ms: f64,
) -> anyhow::Result<Vec<Step>> {
    let mut steps = Vec::new();
    let mut index = 0;
    let mut misses = 0;
    for &rate in rates {
        let from_seq = checker.current_seq().await?;
        let (mut step, acked) = run_step(target, rate, duration, max_in_flight, index).await;
        step.check = Some(checker.verify(&acked, from_seq).await?);
        index += step.sent;
        misses = if step.sustained(p99_limit_ms) {
            0
        } else {
            misses + 1
        };
        steps.push(step);
        if misses == 2 {
            break;
        }
        // Let the relay and the database settle between steps.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(steps)
}
