//! The write load of a chaos run: open-model writes at a steady rate through both gateways
//! (creates by the storefront account, assignments by a dispatcher, status changes by the
//! order's agent), each attempt and its outcome kept in a [`Ledger`] for the checker. An order
//! whose last write was refused or got no answer is never written again, so each order's
//! writes form one chain of versions the checker can hold the database to.

use std::{
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use lom_contracts::OrderStatus;
use reqwest::{Client, RequestBuilder, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::faults::wall_ms;
use crate::{clock, gateway};

/// The fields of an order the chaos run follows (from a write's answer, a list row or an event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderState {
    pub id: Uuid,
    pub version: i64,
    pub status: OrderStatus,
    pub assignee_id: Option<Uuid>,
}

/// What one write asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Write {
    /// `marker` is the order's note, unique to this attempt.
    Create {
        marker: String,
    },
    Status {
        order_id: Uuid,
        to: OrderStatus,
    },
    Assign {
        order_id: Uuid,
        to: Option<Uuid>,
    },
}

/// How a write ended, as its caller saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "detail", rename_all = "snake_case")]
pub enum Outcome {
    /// 201/200 with the order.
    Acked,
    /// Refused: a 4xx, or a 503 (the gateway or a service could not take it).
    Refused(u16),
    /// No gateway accepted the connection: the request never left.
    NotSent,
    /// Sent, but no answer (timeout, reset), or an answer that does not say (a 5xx other than
    /// 503, e.g. the gateway's 504 `outcome-unknown`): it may or may not have happened.
    Unknown(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    pub write: Write,
    /// The version the write was based on (0 for a create).
    pub expected_version: i64,
    /// When it was sent (ms since the epoch).
    pub sent_ms: u64,
    pub outcome: Outcome,
    /// The order as the answer gave it.
    pub acked: Option<OrderState>,
}

/// Every attempt, in the order they finished.
#[derive(Default)]
pub struct Ledger(Mutex<Vec<Attempt>>);

impl Ledger {
    fn push(&self, attempt: Attempt) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(attempt);
    }

    pub fn take(&self) -> Vec<Attempt> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The accounts that write.
#[derive(Clone)]
pub struct Writers {
    pub storefront: String,
    pub dispatcher: String,
    /// Each agent's user id and token.
    pub agents: Vec<(Uuid, String)>,
}

/// Both gateways, tried in turn: a request whose connection is refused goes to the other one
/// (safe: it was never sent), as a client behind a balancer would see it.
#[derive(Clone)]
pub struct Gateways {
    pub http: Client,
    pub urls: Arc<Vec<String>>,
    next: Arc<AtomicUsize>,
}

impl Gateways {
    pub fn new(urls: Vec<String>) -> anyhow::Result<Self> {
        Ok(Self {
            http: gateway::http_client()?,
            urls: Arc::new(urls),
            next: Arc::default(),
        })
    }

    /// Sends the request `build` makes for a gateway base URL, to one gateway or, when it
    /// refuses the connection, the next.
    pub async fn send(
        &self,
        build: impl Fn(&Client, &str) -> RequestBuilder,
    ) -> Result<reqwest::Response, Outcome> {
        let first = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.urls.len() {
            let url = &self.urls[(first + i) % self.urls.len()];
            match build(&self.http, url).send().await {
                Ok(response) => return Ok(response),
                Err(err) if err.is_connect() => {}
                Err(err) if err.is_timeout() => return Err(Outcome::Unknown("timeout".into())),
                Err(err) => return Err(Outcome::Unknown(transport_error(&err))),
            }
        }
        Err(Outcome::NotSent)
    }
}

fn transport_error(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        text = format!("{text}: {inner}");
        source = inner.source();
    }
    text
}

/// Orders that may be written next (no write in flight, last write acknowledged).
#[derive(Default)]
struct Pool(Mutex<Vec<OrderState>>);

impl Pool {
    fn take_random(&self) -> Option<OrderState> {
        let mut orders = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if orders.is_empty() {
            return None;
        }
        let i = fastrand::usize(..orders.len());
        Some(orders.swap_remove(i))
    }

    fn put(&self, order: OrderState) {
        if !matches!(
            order.status,
            OrderStatus::Delivered | OrderStatus::Cancelled
        ) {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(order);
        }
    }
}

/// Share of writes that create an order.
const CREATE_SHARE: f64 = 0.3;
/// Writes waiting for an answer at most (a request beyond it counts as not sent).
const MAX_IN_FLIGHT: usize = 2_048;

/// The running load: started by [`Load::start`], stopped (and its in-flight writes awaited)
/// by [`Load::stop`].
pub struct Load {
    pub ledger: Arc<Ledger>,
    pool: Arc<Pool>,
    gateways: Gateways,
    writers: Writers,
    run: String,
    counter: Arc<AtomicUsize>,
}

impl Load {
    pub fn new(gateways: Gateways, writers: Writers, run: String) -> Self {
        Self {
            ledger: Arc::default(),
            pool: Arc::default(),
            gateways,
            writers,
            run,
            counter: Arc::default(),
        }
    }

    /// Writes at `rate` per second until `running` turns false, then waits for the answers.
    pub async fn run(&self, rate: f64, running: &AtomicBool) {
        let slots = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
        let schedule = clock::Schedule::starting_in(rate, Duration::ZERO);
        let mut i = 0u64;
        while running.load(Ordering::Relaxed) {
            schedule.wait_for(i).await;
            i += 1;
            let Ok(permit) = slots.clone().try_acquire_owned() else {
                self.ledger.push(Attempt {
                    write: Write::Create {
                        marker: "not sent: client in-flight cap".into(),
                    },
                    expected_version: 0,
                    sent_ms: wall_ms(),
                    outcome: Outcome::NotSent,
                    acked: None,
                });
                continue;
            };
            let worker = self.worker();
            tokio::spawn(async move {
                worker.one_write().await;
                drop(permit);
            });
        }
        let _ = tokio::time::timeout(
            Duration::from_secs(30),
            slots.acquire_many(MAX_IN_FLIGHT as u32),
        )
        .await;
    }

    fn worker(&self) -> Worker {
        Worker {
            ledger: self.ledger.clone(),
            pool: self.pool.clone(),
            gateways: self.gateways.clone(),
            writers: self.writers.clone(),
            marker: format!(
                "chaos {} {}",
                self.run,
                self.counter.fetch_add(1, Ordering::Relaxed)
            ),
        }
    }
}

struct Worker {
    ledger: Arc<Ledger>,
    pool: Arc<Pool>,
    gateways: Gateways,
    writers: Writers,
    marker: String,
}

impl Worker {
    async fn one_write(self) {
        let order = if fastrand::f64() < CREATE_SHARE {
            None
        } else {
            self.pool.take_random()
        };
        let Some(order) = order else {
            return self.create().await;
        };
        let agent_of = |id: Uuid| self.writers.agents.iter().find(|(a, _)| *a == id);
        let (write, token, body) = match order.assignee_id.and_then(agent_of) {
            // Mostly the agent moves its order on; sometimes a dispatcher hands it to another
            // agent or takes it back.
            Some((_, token)) if fastrand::f64() < 0.85 => {
                let to = next_status(order.status);
                (
                    Write::Status {
                        order_id: order.id,
                        to,
                    },
                    token.clone(),
                    json!({ "status": to, "version": order.version }),
                )
            }
            _ => {
                let to = if order.assignee_id.is_some() && fastrand::f64() < 0.3 {
                    None
                } else {
                    let (agent, _) =
                        &self.writers.agents[fastrand::usize(..self.writers.agents.len())];
                    Some(*agent)
                };
                (
                    Write::Assign {
                        order_id: order.id,
                        to,
                    },
                    self.writers.dispatcher.clone(),
                    json!({ "assignee_id": to, "version": order.version }),
                )
            }
        };
        let path = match &write {
            Write::Assign { .. } => format!("/api/v1/orders/{}/assign", order.id),
            _ => format!("/api/v1/orders/{}", order.id),
        };
        let assign = matches!(write, Write::Assign { .. });
        let sent_ms = wall_ms();
        let result = self
            .gateways
            .send(|http, base| {
                let url = format!("{base}{path}");
                let request = if assign {
                    http.post(url)
                } else {
                    http.patch(url)
                };
                request.bearer_auth(&token).json(&body)
            })
            .await;
        let (outcome, acked) = answer(result, StatusCode::OK).await;
        if let Some(state) = acked {
            self.pool.put(state);
        }
        self.ledger.push(Attempt {
            write,
            expected_version: order.version,
            sent_ms,
            outcome,
            acked,
        });
    }

    async fn create(self) {
        let mut body = gateway::order_body(fastrand::u64(..), clock::now_ns());
        body["note"] = self.marker.clone().into();
        let key = Uuid::new_v4().to_string();
        let sent_ms = wall_ms();
        let token = &self.writers.storefront;
        let result = self
            .gateways
            .send(|http, base| {
                http.post(format!("{base}/api/v1/orders"))
                    .bearer_auth(token)
                    .header("Idempotency-Key", &key)
                    .json(&body)
            })
            .await;
        let (outcome, acked) = answer(result, StatusCode::CREATED).await;
        if let Some(state) = acked {
            self.pool.put(state);
        }
        self.ledger.push(Attempt {
            write: Write::Create {
                marker: self.marker,
            },
            expected_version: 0,
            sent_ms,
            outcome,
            acked,
        });
    }
}

/// The outcome of a write and, when it succeeded, the order it answered with.
async fn answer(
    result: Result<reqwest::Response, Outcome>,
    success: StatusCode,
) -> (Outcome, Option<OrderState>) {
    let response = match result {
        Ok(response) => response,
        Err(outcome) => return (outcome, None),
    };
    let status = response.status();
    let body = response.bytes().await;
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        return (
            Outcome::Unknown(format!("status {}", status.as_u16())),
            None,
        );
    }
    if status != success {
        return (Outcome::Refused(status.as_u16()), None);
    }
    match body.map(|bytes| serde_json::from_slice::<OrderState>(&bytes)) {
        Ok(Ok(state)) => (Outcome::Acked, Some(state)),
        // A success whose body did not arrive whole: it happened, but we cannot say as what.
        Ok(Err(err)) => (Outcome::Unknown(format!("unreadable answer: {err}")), None),
        Err(err) => (Outcome::Unknown(transport_error(&err)), None),
    }
}

/// The next status an agent moves its order to (now and then it cancels instead).
fn next_status(status: OrderStatus) -> OrderStatus {
    let cancellable = matches!(
        status,
        OrderStatus::Pending | OrderStatus::Confirmed | OrderStatus::Processing
    );
    if cancellable && fastrand::f64() < 0.05 {
        return OrderStatus::Cancelled;
    }
    crate::mixed::next_status(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agent_moves_an_order_forward_along_the_status_machine() {
        for _ in 0..100 {
            assert!(matches!(
                next_status(OrderStatus::Pending),
                OrderStatus::Confirmed | OrderStatus::Cancelled
            ));
            assert_eq!(
                next_status(OrderStatus::Shipped),
                OrderStatus::Delivered,
                "a shipped order cannot be cancelled"
            );
        }
    }

    #[test]
    fn finished_orders_leave_the_pool() {
        let pool = Pool::default();
        let order = |status| OrderState {
            id: Uuid::now_v7(),
            version: 1,
            status,
            assignee_id: None,
        };
        pool.put(order(OrderStatus::Delivered));
        pool.put(order(OrderStatus::Cancelled));
        assert!(pool.take_random().is_none());
        pool.put(order(OrderStatus::Shipped));
        assert!(pool.take_random().is_some());
    }
}
