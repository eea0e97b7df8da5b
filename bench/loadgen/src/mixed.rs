//! Mixed traffic, open model like intake (each operation due at `start + i/rate`, latency from
//! its due time): creates by the storefront account, status changes (PENDING → CONFIRMED →
//! PROCESSING → SHIPPED → DELIVERED) and assignments (to the seeded agent, or back to nobody)
//! by the dispatcher, in the fixed ratio of [`KINDS`]. Each update carries the version of the
//! order's last answer; an order is written by one operation at a time (taken from the
//! [`Orders`] pool, put back with its new version), so a 409 is a real fault, not a race of
//! the generator's own making.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use lom_contracts::OrderStatus;
use reqwest::{Client, RequestBuilder, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::{
    check::{Acked, Check},
    clock, gateway,
    stats::{self, Latency},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Create,
    Status,
    Assign,
}

/// The ratio, one slot per tenth of the operations: 50 % creates, 30 % status changes, 20 %
/// assignments, interleaved.
pub const KINDS: [Kind; 10] = [
    Kind::Create,
    Kind::Status,
    Kind::Create,
    Kind::Assign,
    Kind::Create,
    Kind::Status,
    Kind::Create,
    Kind::Assign,
    Kind::Create,
    Kind::Status,
];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Create => "create",
            Kind::Status => "status",
            Kind::Assign => "assign",
        }
    }
}

fn kind_of(i: u64) -> Kind {
    KINDS[(i % KINDS.len() as u64) as usize]
}

/// One kind's outcome in a step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KindStep {
    pub kind: Kind,
    pub sent: u64,
    /// 201 (create) or 200 (update).
    pub ok: u64,
    /// 409: a version conflict or an illegal transition.
    pub conflicts: u64,
    /// Everything else that failed, by kind (status code, timeout, client cap, …).
    pub errors: u64,
    pub error_kinds: BTreeMap<String, u64>,
    /// Updates not sent because every order was busy or finished (the pool was empty).
    pub no_free_order: u64,
    /// Successes per second over the send window.
    pub achieved_per_s: f64,
    /// Of the successes, from the due time.
    pub latency: Latency,
}

/// One rate step.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MixedStep {
    /// Target operations per second (all kinds).
    pub rate: f64,
    pub duration_s: f64,
    pub kinds: Vec<KindStep>,
    /// CPU seconds of each measured process over the step (sending and stragglers).
    pub cpu_s: BTreeMap<String, f64>,
    /// The check of the step's creates.
    pub check: Option<Check>,
}

impl MixedStep {
    pub fn ok(&self) -> u64 {
        self.kinds.iter().map(|k| k.ok).sum()
    }

    /// CPU milliseconds of `process` per successful operation.
    pub fn cpu_ms_per_op(&self, process: &str) -> Option<f64> {
        let ok = self.ok();
        self.cpu_s
            .get(process)
            .filter(|_| ok > 0)
            .map(|s| s * 1_000.0 / ok as f64)
    }

    /// Sustained: every operation sent and answered with success, each kind's p99 within the
    /// limit, and the creates' check passed.
    pub fn sustained(&self, p99_limit_ms: f64) -> bool {
        self.kinds
            .iter()
            .all(|k| k.ok == k.sent && k.no_free_order == 0 && k.latency.p99_ms <= p99_limit_ms)
            && self.check.as_ref().is_some_and(Check::passed)
    }
}

/// A whole ramp, as saved.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MixedResult {
    pub duration_s: f64,
    pub p99_limit_ms: f64,
    /// The highest sustained rate (operations/s; 0 if none).
    pub max_sustained_per_s: f64,
    pub steps: Vec<MixedStep>,
}

/// An order as the last answer gave it.
#[derive(Debug, Clone, Deserialize)]
struct Answer {
    id: Uuid,
    number: String,
    version: i64,
    status: OrderStatus,
    assignee_id: Option<Uuid>,
}

/// Orders free to be written next (no write in flight, last write succeeded, not finished).
#[derive(Default)]
pub struct Orders(Mutex<Vec<Answer>>);

impl Orders {
    fn take(&self) -> Option<Answer> {
        let mut orders = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if orders.is_empty() {
            return None;
        }
        let i = fastrand::usize(..orders.len());
        Some(orders.swap_remove(i))
    }

    fn put(&self, order: Answer) {
        if order.status != OrderStatus::Delivered {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(order);
        }
    }
}

/// Who sends, where, and the orders they work on (kept from step to step).
#[derive(Clone)]
pub struct Traffic {
    pub http: Client,
    pub gateway: String,
    pub storefront: String,
    pub dispatcher: String,
    pub agent: Uuid,
    pub orders: Arc<Orders>,
}

#[derive(Default)]
struct Tally {
    latency_us: Vec<u64>,
    ok: u64,
    conflicts: u64,
    errors: BTreeMap<String, u64>,
    sent: u64,
    no_free_order: u64,
}

#[derive(Default)]
struct Tallies {
    kinds: BTreeMap<Kind, Tally>,
    acked: Vec<Acked>,
}

/// Sends `rate` operations/s for `duration`, then waits for the stragglers. Returns the step
/// (without CPU or check) and the creates' 201s.
pub async fn run_step(
    traffic: &Traffic,
    rate: f64,
    duration: Duration,
    max_in_flight: usize,
    first_index: u64,
) -> (MixedStep, Vec<Acked>) {
    let count = (rate * duration.as_secs_f64()).round().max(1.0) as u64;
    let tallies = Arc::new(Mutex::new(Tallies::default()));
    let slots = Arc::new(Semaphore::new(max_in_flight.max(1)));
    let schedule = clock::Schedule::starting_in(rate, clock::FIRST_SEND_LEAD);
    for i in 0..count {
        let due_ns = schedule.wait_for(i).await;
        let kind = kind_of(i);
        let order = match kind {
            Kind::Create => None,
            Kind::Status | Kind::Assign => match traffic.orders.take() {
                Some(order) => Some(order),
                None => {
                    let mut t = tallies.lock().unwrap_or_else(PoisonError::into_inner);
                    t.kinds.entry(kind).or_default().no_free_order += 1;
                    continue;
                }
            },
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            let mut t = tallies.lock().unwrap_or_else(PoisonError::into_inner);
            let tally = t.kinds.entry(kind).or_default();
            tally.sent += 1;
            *tally
                .errors
                .entry("client in-flight cap reached".into())
                .or_default() += 1;
            if let Some(order) = order {
                traffic.orders.put(order);
            }
            continue;
        };
        let traffic = traffic.clone();
        let tallies = tallies.clone();
        tokio::spawn(async move {
            let result = send(&traffic, kind, order, first_index + i, due_ns).await;
            let done_ns = clock::now_ns();
            let mut t = tallies.lock().unwrap_or_else(PoisonError::into_inner);
            let tally = t.kinds.entry(kind).or_default();
            tally.sent += 1;
            match result {
                Ok(answer) => {
                    tally.ok += 1;
                    tally
                        .latency_us
                        .push(clock::micros_between(due_ns, done_ns));
                    if kind == Kind::Create {
                        t.acked.push(Acked {
                            id: answer.id,
                            number: answer.number.clone(),
                        });
                    }
                    traffic.orders.put(answer);
                }
                Err(Failure::Conflict) => tally.conflicts += 1,
                Err(Failure::Other(what)) => *tally.errors.entry(what).or_default() += 1,
            }
            drop(permit);
        });
    }
    let send_window = schedule.elapsed().as_secs_f64().max(1e-9);
    let _ = slots.acquire_many(max_in_flight.max(1) as u32).await;
    let Tallies {
        kinds: mut tallies,
        acked,
    } = std::mem::take(&mut *tallies.lock().unwrap_or_else(PoisonError::into_inner));
    let kinds = [Kind::Create, Kind::Status, Kind::Assign]
        .into_iter()
        .map(|kind| {
            let mut t = tallies.remove(&kind).unwrap_or_default();
            KindStep {
                kind,
                sent: t.sent,
                ok: t.ok,
                conflicts: t.conflicts,
                errors: t.errors.values().sum(),
                error_kinds: t.errors,
                no_free_order: t.no_free_order,
                achieved_per_s: t.ok as f64 / send_window,
                latency: stats::summarize(&mut t.latency_us),
            }
        })
        .collect::<Vec<_>>();
    for k in &kinds {
        tracing::info!(
            rate,
            kind = ?k.kind,
            sent = k.sent,
            ok = k.ok,
            conflicts = k.conflicts,
            errors = k.errors,
            no_free_order = k.no_free_order,
            p50_ms = k.latency.p50_ms,
            p99_ms = k.latency.p99_ms,
            "mixed step"
        );
    }
    let step = MixedStep {
        rate,
        duration_s: duration.as_secs_f64(),
        kinds,
        cpu_s: BTreeMap::new(),
        check: None,
    };
    (step, acked)
}

enum Failure {
    Conflict,
    Other(String),
}

async fn send(
    traffic: &Traffic,
    kind: Kind,
    order: Option<Answer>,
    index: u64,
    due_ns: u64,
) -> Result<Answer, Failure> {
    let base = &traffic.gateway;
    let (request, success): (RequestBuilder, StatusCode) = match (kind, order) {
        (Kind::Status, Some(order)) => (
            traffic
                .http
                .patch(format!("{base}/api/v1/orders/{}", order.id))
                .bearer_auth(&traffic.dispatcher)
                .json(&json!({ "status": next_status(order.status), "version": order.version })),
            StatusCode::OK,
        ),
        (Kind::Assign, Some(order)) => (
            traffic
                .http
                .post(format!("{base}/api/v1/orders/{}/assign", order.id))
                .bearer_auth(&traffic.dispatcher)
                .json(&json!({
                    "assignee_id": order.assignee_id.xor(Some(traffic.agent)),
                    "version": order.version,
                })),
            StatusCode::OK,
        ),
        _ => (
            traffic
                .http
                .post(format!("{base}/api/v1/orders"))
                .bearer_auth(&traffic.storefront)
                .header("Idempotency-Key", Uuid::new_v4().to_string())
                .json(&gateway::order_body(index, due_ns)),
            StatusCode::CREATED,
        ),
    };
    let response = request.send().await.map_err(|err| {
        Failure::Other(if err.is_timeout() {
            "timeout".to_owned()
        } else if err.is_connect() {
            "connect error".to_owned()
        } else {
            "transport error".to_owned()
        })
    })?;
    let status = response.status();
    let body = response.bytes().await;
    if status == StatusCode::CONFLICT {
        return Err(Failure::Conflict);
    }
    if status != success {
        return Err(Failure::Other(format!("status {}", status.as_u16())));
    }
    let body = body.map_err(|_| Failure::Other("success with a truncated body".into()))?;
    serde_json::from_slice(&body)
        .map_err(|_| Failure::Other("success without a readable order".into()))
}

/// The next status forward along the machine (DELIVERED stays; a finished order never
/// comes back to the pool).
pub fn next_status(status: OrderStatus) -> OrderStatus {
    match status {
        OrderStatus::Pending => OrderStatus::Confirmed,
        OrderStatus::Confirmed => OrderStatus::Processing,
        OrderStatus::Processing => OrderStatus::Shipped,
        _ => OrderStatus::Delivered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ratio_is_half_creates_three_tenths_status_two_tenths_assignments() {
        let count = |kind| (0..1_000).filter(|&i| kind_of(i) == kind).count();
        assert_eq!(count(Kind::Create), 500);
        assert_eq!(count(Kind::Status), 300);
        assert_eq!(count(Kind::Assign), 200);
    }

    #[test]
    fn an_order_moves_forward_and_leaves_the_pool_when_delivered() {
        let orders = Orders::default();
        let mut order = Answer {
            id: Uuid::now_v7(),
            number: "ORD-000001".into(),
            version: 1,
            status: OrderStatus::Pending,
            assignee_id: None,
        };
        let mut path = vec![order.status];
        while order.status != OrderStatus::Delivered {
            order.status = next_status(order.status);
            path.push(order.status);
        }
        assert_eq!(
            path,
            [
                OrderStatus::Pending,
                OrderStatus::Confirmed,
                OrderStatus::Processing,
                OrderStatus::Shipped,
                OrderStatus::Delivered
            ]
        );
        orders.put(order.clone());
        assert!(orders.take().is_none(), "a delivered order is finished");
        order.status = OrderStatus::Shipped;
        orders.put(order);
        assert!(orders.take().is_some());
        assert!(orders.take().is_none(), "taken orders are out of the pool");
    }

    fn step(ok: u64, no_free_order: u64, p99_ms: f64, check: Option<Check>) -> MixedStep {
        MixedStep {
            rate: 10.0,
            duration_s: 1.0,
            kinds: vec![KindStep {
                kind: Kind::Status,
                sent: 10,
                ok,
                conflicts: 10 - ok,
                errors: 0,
                error_kinds: BTreeMap::new(),
                no_free_order,
                achieved_per_s: ok as f64,
                latency: Latency {
                    p99_ms,
                    ..Latency::default()
                },
            }],
            cpu_s: [("gateway".to_owned(), 0.02)].into(),
            check,
        }
    }

    #[test]
    fn a_step_is_sustained_only_when_everything_succeeded_in_time_and_checked() {
        let passed = Some(Check::default());
        assert!(step(10, 0, 5.0, passed.clone()).sustained(100.0));
        assert!(!step(9, 0, 5.0, passed.clone()).sustained(100.0), "a 409");
        assert!(!step(10, 1, 5.0, passed.clone()).sustained(100.0));
        assert!(!step(10, 0, 500.0, passed).sustained(100.0));
        assert!(!step(10, 0, 5.0, None).sustained(100.0), "unchecked");
        let missing = Check {
            missing: 1,
            ..Check::default()
        };
        assert!(!step(10, 0, 5.0, Some(missing)).sustained(100.0));
    }

    #[test]
    fn cpu_per_operation_divides_by_the_successes() {
        let s = step(10, 0, 5.0, None);
        assert_eq!(s.cpu_ms_per_op("gateway"), Some(2.0));
        assert_eq!(s.cpu_ms_per_op("redis"), None);
        assert_eq!(step(0, 0, 5.0, None).cpu_ms_per_op("gateway"), None);
    }
}
