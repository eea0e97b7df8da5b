//! The correctness check after each intake (and mixed-traffic) step: every 201 the load
//! generator got is exactly one order row in PostgreSQL (same id and number) and exactly one
//! `order.created` event in the Redis history. [`compare`] is the pure judgement;
//! [`Checker`] reads the database and the history (waiting for the outbox relay to publish).
//!
//! Exactness: the history is capped (`ORDERS_EVENT_HISTORY`, trimmed from the oldest `seq`),
//! so the checker reads every event after the `seq` the step started from and then verifies
//! that the oldest event still held is not newer than the step's first one: if the cap trimmed
//! any event of the step, the check fails as unsound instead of reporting it as missing
//! (`bench/run.sh` sizes the cap above the largest step).

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use anyhow::{Context, ensure};
use lom_contracts::keys::{EVENTS_HISTORY_KEY, EVENTS_SEQ_KEY};
use redis::aio::MultiplexedConnection;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

/// An order the service acknowledged with a 201.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Acked {
    pub id: Uuid,
    pub number: String,
}

/// What the check of one step found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// 201s received.
    pub acked: u64,
    /// Acknowledged orders with no row of that id and number.
    pub missing: u64,
    /// Acknowledged orders answered twice, or held by more than one row (by id or number).
    pub duplicated: u64,
    /// Acknowledged orders without an `order.created` event in the history.
    pub events_missing: u64,
    /// Acknowledged orders with more than one `order.created` event.
    pub events_duplicated: u64,
}

impl Check {
    pub fn passed(&self) -> bool {
        self.missing + self.duplicated + self.events_missing + self.events_duplicated == 0
    }
}

/// Judges the acknowledged orders against the rows `(id, number)` read for them and the order
/// ids of the `order.created` events published since the step began.
pub fn compare(acked: &[Acked], rows: &[(Uuid, String)], created_events: &[Uuid]) -> Check {
    let mut answers: HashMap<Uuid, (u64, &str)> = HashMap::with_capacity(acked.len());
    for order in acked {
        answers.entry(order.id).or_insert((0, &order.number)).0 += 1;
    }
    let mut rows_by_id: HashMap<Uuid, Vec<&str>> = HashMap::with_capacity(rows.len());
    let mut rows_by_number: HashMap<&str, u64> = HashMap::with_capacity(rows.len());
    for (id, number) in rows {
        rows_by_id.entry(*id).or_default().push(number);
        *rows_by_number.entry(number).or_default() += 1;
    }
    let mut events: HashMap<Uuid, u64> = HashMap::with_capacity(created_events.len());
    for id in created_events {
        *events.entry(*id).or_default() += 1;
    }
    let mut check = Check {
        acked: acked.len() as u64,
        ..Check::default()
    };
    for (id, (answered, number)) in &answers {
        let held = rows_by_id.get(id).map_or(&[][..], Vec::as_slice);
        if !held.contains(number) {
            check.missing += 1;
        }
        let by_number = rows_by_number.get(number).copied().unwrap_or(0);
        if *answered > 1 || held.len() > 1 || by_number > 1 {
            check.duplicated += 1;
        }
        match events.get(id).copied().unwrap_or(0) {
            0 => check.events_missing += 1,
            1 => {}
            _ => check.events_duplicated += 1,
        }
    }
    check
}

/// How long the relay gets to publish a step's events.
const PUBLISH_DEADLINE: Duration = Duration::from_secs(20);
/// History entries read per request.
const PAGE: usize = 5_000;

/// Reads the orders database and the event history of the running stack.
pub struct Checker {
    pool: PgPool,
    redis: MultiplexedConnection,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    order: EntryOrder,
}

#[derive(Deserialize)]
struct EntryOrder {
    id: Uuid,
}

impl Checker {
    pub async fn connect(database_url: &str, redis_url: &str) -> anyhow::Result<Self> {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(database_url)
            .await
            .context("connecting to the orders database")?;
        let config = redis::AsyncConnectionConfig::new()
            .set_response_timeout(Some(Duration::from_secs(10)))
            .set_connection_timeout(Some(Duration::from_secs(5)));
        let redis = redis::Client::open(redis_url)
            .context("Redis URL")?
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .context("connecting to Redis")?;
        Ok(Self { pool, redis })
    }

    /// The orders database (for the CPU accounting of its backends).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The stream's current `seq`: where the next step's events begin.
    pub async fn current_seq(&self) -> anyhow::Result<u64> {
        let seq: Option<u64> = redis::cmd("GET")
            .arg(EVENTS_SEQ_KEY)
            .query_async(&mut self.redis.clone())
            .await
            .context("reading the event seq")?;
        Ok(seq.unwrap_or(0))
    }

    /// Checks `acked` (the 201s of a step that began when the stream stood at `from_seq`).
    pub async fn verify(&self, acked: &[Acked], from_seq: u64) -> anyhow::Result<Check> {
        let ids: Vec<Uuid> = acked.iter().map(|a| a.id).collect();
        let numbers: Vec<String> = acked.iter().map(|a| a.number.clone()).collect();
        let created = self.created_events(&ids, from_seq).await?;
        let rows: Vec<(Uuid, String)> =
            sqlx::query_as("SELECT id, number FROM orders WHERE id = ANY($1) OR number = ANY($2)")
                .bind(&ids)
                .bind(&numbers)
                .fetch_all(&self.pool)
                .await
                .context("reading the acknowledged orders")?;
        let check = compare(acked, &rows, &created);
        tracing::info!(?check, "intake check");
        Ok(check)
    }

    /// The order ids of every `order.created` event after `from_seq`, read until each of
    /// `expected` has one or the relay's deadline passed.
    async fn created_events(&self, expected: &[Uuid], from_seq: u64) -> anyhow::Result<Vec<Uuid>> {
        let mut waiting: std::collections::HashSet<Uuid> = expected.iter().copied().collect();
        let mut created = Vec::with_capacity(expected.len());
        let mut after = from_seq;
        let deadline = Instant::now() + PUBLISH_DEADLINE;
        loop {
            let page: Vec<(String, f64)> = redis::cmd("ZRANGEBYSCORE")
                .arg(EVENTS_HISTORY_KEY)
                .arg(format!("({after}"))
                .arg("+inf")
                .arg("WITHSCORES")
                .arg("LIMIT")
                .arg(0)
                .arg(PAGE)
                .query_async(&mut self.redis.clone())
                .await
                .context("reading the event history")?;
            for (json, seq) in &page {
                after = after.max(*seq as u64);
                let entry: Entry = serde_json::from_str(json)
                    .with_context(|| format!("an unreadable event in the history: {json}"))?;
                if entry.kind == "order.created" {
                    waiting.remove(&entry.order.id);
                    created.push(entry.order.id);
                }
            }
            if page.len() < PAGE && (waiting.is_empty() || Instant::now() > deadline) {
                break;
            }
            if page.len() < PAGE {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        self.ensure_untrimmed(from_seq).await?;
        Ok(created)
    }

    /// Fails unless the history still holds every event after `from_seq` (the cap trims the
    /// oldest first, so it suffices that the oldest held is at most `from_seq + 1`).
    async fn ensure_untrimmed(&self, from_seq: u64) -> anyhow::Result<()> {
        let oldest: Vec<(String, f64)> = redis::cmd("ZRANGE")
            .arg(EVENTS_HISTORY_KEY)
            .arg(0)
            .arg(0)
            .arg("WITHSCORES")
            .query_async(&mut self.redis.clone())
            .await
            .context("reading the oldest event of the history")?;
        let current = self.current_seq().await?;
        let oldest_seq = oldest.first().map_or(current + 1, |(_, seq)| *seq as u64);
        ensure!(
            current == from_seq || oldest_seq <= from_seq + 1,
            "the event history was trimmed below this step's first event (oldest seq {oldest_seq}, \
             step began after {from_seq}): raise ORDERS_EVENT_HISTORY above the step's event count"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acked(n: u8) -> Acked {
        Acked {
            id: Uuid::from_u128(u128::from(n)),
            number: format!("ORD-{n:06}"),
        }
    }

    fn row(a: &Acked) -> (Uuid, String) {
        (a.id, a.number.clone())
    }

    #[test]
    fn every_acked_order_once_with_its_event_passes() {
        let orders = [acked(1), acked(2), acked(3)];
        let rows: Vec<_> = orders.iter().map(row).collect();
        let events: Vec<_> = orders.iter().map(|a| a.id).collect();
        let check = compare(&orders, &rows, &events);
        assert_eq!(
            check,
            Check {
                acked: 3,
                ..Check::default()
            }
        );
        assert!(check.passed());
    }

    #[test]
    fn an_absent_row_or_one_with_another_number_is_missing() {
        let orders = [acked(1), acked(2), acked(3)];
        let rows = vec![row(&orders[0]), (orders[1].id, "ORD-999999".to_owned())];
        let events: Vec<_> = orders.iter().map(|a| a.id).collect();
        let check = compare(&orders, &rows, &events);
        assert_eq!(check.missing, 2);
        assert_eq!(check.duplicated, 0);
        assert!(!check.passed());
    }

    #[test]
    fn two_answers_for_one_order_or_two_rows_with_its_number_are_duplicates() {
        let orders = [acked(1), acked(1), acked(2)];
        let other_row_same_number = (Uuid::from_u128(99), orders[2].number.clone());
        let rows = vec![row(&orders[0]), row(&orders[2]), other_row_same_number];
        let events = vec![orders[0].id, orders[2].id];
        let check = compare(&orders, &rows, &events);
        assert_eq!(check.acked, 3);
        assert_eq!(check.missing, 0);
        assert_eq!(check.duplicated, 2);
        assert!(!check.passed());
    }

    #[test]
    fn events_missing_and_published_twice_are_counted() {
        let orders = [acked(1), acked(2), acked(3)];
        let rows: Vec<_> = orders.iter().map(row).collect();
        let unrelated = Uuid::from_u128(77);
        let events = vec![orders[0].id, orders[0].id, orders[2].id, unrelated];
        let check = compare(&orders, &rows, &events);
        assert_eq!(check.events_missing, 1);
        assert_eq!(check.events_duplicated, 1);
        assert_eq!(check.missing + check.duplicated, 0);
        assert!(!check.passed());
    }
}
