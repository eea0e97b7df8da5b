//! Publishes synthetic order events straight into Redis, in the exact envelope of
//! `lom-contracts` and by the same atomic step as orders-service (INCR `seq`, append to the
//! bounded history, PUBLISH), so the gateway's fan-out can be driven without the database.
//! Each event's customer name carries its intended publish time.

use std::{
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use anyhow::Context;
use chrono::Utc;
use lom_contracts::{
    Actor, EventType, OrderEvent, OrderRow, OrderStatus, Priority,
    keys::{PUBLISH_SCRIPT, UNSEQUENCED_PREFIX},
};
use redis::{Script, aio::MultiplexedConnection};
use uuid::Uuid;

use crate::fleet::STAMP_PREFIX;

const HISTORY_CAP: usize = 10_000;
/// Reads of `seq` before [`Publisher::current_seq`] gives up (pauses 0.1, 0.2 … 1.6 s).
const SEQ_READ_ATTEMPTS: u32 = 6;

/// The Redis names of one event stream.
#[derive(Debug, Clone)]
pub struct Stream {
    pub channel: String,
    pub seq_key: String,
    pub history_key: String,
    pub ids_key: String,
}

impl Stream {
    /// The stream the gateway reads (the names orders-service publishes under).
    pub fn gateway() -> Self {
        Self {
            channel: lom_contracts::keys::EVENTS_CHANNEL.to_owned(),
            seq_key: lom_contracts::keys::EVENTS_SEQ_KEY.to_owned(),
            history_key: lom_contracts::keys::EVENTS_HISTORY_KEY.to_owned(),
            ids_key: lom_contracts::keys::EVENTS_IDS_KEY.to_owned(),
        }
    }

    /// A separate stream for the Node baseline hub.
    pub fn baseline(channel: &str) -> Self {
        Self {
            channel: channel.to_owned(),
            seq_key: format!("{channel}:seq"),
            history_key: format!("{channel}:history"),
            ids_key: format!("{channel}:ids"),
        }
    }
}

#[derive(Clone)]
pub struct Publisher {
    connection: MultiplexedConnection,
    script: Arc<Script>,
    stream: Stream,
    pub failures: Arc<AtomicU64>,
    /// The first error seen, for the report.
    pub first_error: Arc<Mutex<Option<String>>>,
}

impl Publisher {
    pub async fn connect(redis_url: &str, stream: Stream) -> anyhow::Result<Self> {
        let client = redis::Client::open(redis_url).context("Redis URL")?;
        let connection = client
            .get_multiplexed_async_connection()
            .await
            .context("connecting to Redis")?;
        Ok(Self {
            connection,
            script: Arc::new(Script::new(PUBLISH_SCRIPT)),
            stream,
            failures: Arc::new(AtomicU64::new(0)),
            first_error: Arc::new(Mutex::new(None)),
        })
    }

    /// The stream's current `seq` (0 before the first event). A read that is not measured:
    /// a Redis busy with a heavy step (its default 500 ms answer timeout) is asked again, up
    /// to [`SEQ_READ_ATTEMPTS`] times over about 6 s, rather than ending the run.
    pub async fn current_seq(&self) -> anyhow::Result<u64> {
        let mut pause = Duration::from_millis(100);
        let mut attempt = 1;
        loop {
            let mut connection = self.connection.clone();
            let read: redis::RedisResult<Option<u64>> = redis::cmd("GET")
                .arg(&self.stream.seq_key)
                .query_async(&mut connection)
                .await;
            match read {
                Ok(seq) => return Ok(seq.unwrap_or(0)),
                Err(err) if attempt < SEQ_READ_ATTEMPTS => {
                    tracing::warn!(attempt, error = %err, "reading the event seq failed; retrying");
                }
                Err(err) => {
                    return Err(err).with_context(|| {
                        format!("reading {} failed {attempt} times", self.stream.seq_key)
                    });
                }
            }
            tokio::time::sleep(pause).await;
            pause *= 2;
            attempt += 1;
        }
    }

    /// Publishes one `order.created` event stamped with `stamp_ns`.
    pub async fn publish(&self, index: u64, stamp_ns: u64) {
        let result = self.try_publish(index, stamp_ns).await;
        if let Err(err) = result {
            self.failures.fetch_add(1, Ordering::Relaxed);
            self.first_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert_with(|| format!("{err:#}"));
        }
    }

    async fn try_publish(&self, index: u64, stamp_ns: u64) -> anyhow::Result<u64> {
        let event = event(index, stamp_ns);
        let json = serde_json::to_string(&event)?;
        let tail = json
            .strip_prefix(UNSEQUENCED_PREFIX)
            .context("the envelope does not start with seq")?;
        let mut connection = self.connection.clone();
        let seq: u64 = self
            .script
            .key(&self.stream.seq_key)
            .key(&self.stream.history_key)
            .key(&self.stream.ids_key)
            .arg(tail)
            .arg(HISTORY_CAP)
            .arg(&self.stream.channel)
            .arg(event.event_id.to_string())
            .invoke_async(&mut connection)
            .await?;
        Ok(seq)
    }
}

/// A synthetic `order.created` envelope (seq 0 until the script assigns it).
fn event(index: u64, stamp_ns: u64) -> OrderEvent {
    let now = Utc::now();
    OrderEvent {
        seq: 0,
        event_id: Uuid::now_v7(),
        kind: EventType::OrderCreated,
        occurred_at: now,
        order: OrderRow {
            id: Uuid::now_v7(),
            number: format!("ORD-B{index:07}"),
            status: OrderStatus::Pending,
            priority: Priority::Normal,
            customer_name: format!("{STAMP_PREFIX}{stamp_ns}"),
            customer_email: format!("bench-{}@example.com", index % 50_000),
            assignee_id: None,
            total: 45_000 + i64::try_from(index % 1_000).unwrap_or(0) * 100,
            currency: "THB".to_owned(),
            item_count: 2,
            unit_count: 2,
            version: 1,
            created_at: now,
            updated_at: now,
        },
        actor: Actor { id: Uuid::nil() },
        previous: None,
        reason: None,
        note: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_envelope_starts_with_the_placeholder_seq() {
        let json = serde_json::to_string(&event(3, 42)).unwrap();
        assert!(json.starts_with(UNSEQUENCED_PREFIX), "{json}");
        assert!(json.contains("\"customer_name\":\"bench 42\""), "{json}");
        assert!(json.contains("\"order.created\""));
    }
}
