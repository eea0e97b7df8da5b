//! Retention: idempotency records and published outbox rows are kept for a configurable time
//! and then deleted, in small batches so no statement holds locks for long. Unpublished outbox
//! rows are never deleted, whatever their age: they are what the relay still owes Redis.
//! Every instance prunes; deleting what another already deleted is harmless.

use std::{convert::Infallible, time::Duration};

use sqlx::PgPool;

/// How long each kind of record is kept.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// A retry with the same `Idempotency-Key` after this is a new request.
    pub idempotency_keys: Duration,
    /// Published events stay in the outbox this long (for inspection; Redis keeps the replay
    /// history).
    pub published_events: Duration,
    /// Time between two prunings.
    pub every: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            idempotency_keys: Duration::from_secs(24 * 3600),
            published_events: Duration::from_secs(7 * 24 * 3600),
            every: Duration::from_secs(600),
        }
    }
}

const BATCH: i64 = 1_000;

/// What one pruning deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub idempotency_keys: u64,
    pub published_events: u64,
}

/// Deletes every record past its retention, a batch at a time.
pub async fn prune(pool: &PgPool, retention: Retention) -> sqlx::Result<Pruned> {
    let mut pruned = Pruned::default();
    loop {
        let deleted = sqlx::query(
            "DELETE FROM idempotency_keys WHERE ctid IN (
                 SELECT ctid FROM idempotency_keys
                 WHERE created_at < now() - make_interval(secs => $1) LIMIT $2)",
        )
        .bind(retention.idempotency_keys.as_secs_f64())
        .bind(BATCH)
        .execute(pool)
        .await?
        .rows_affected();
        pruned.idempotency_keys += deleted;
        if deleted < BATCH.unsigned_abs() {
            break;
        }
    }
    loop {
        let deleted = sqlx::query(
            "DELETE FROM outbox WHERE id IN (
                 SELECT id FROM outbox
                 WHERE published_at IS NOT NULL
                   AND published_at < now() - make_interval(secs => $1)
                 ORDER BY id LIMIT $2)",
        )
        .bind(retention.published_events.as_secs_f64())
        .bind(BATCH)
        .execute(pool)
        .await?
        .rows_affected();
        pruned.published_events += deleted;
        if deleted < BATCH.unsigned_abs() {
            break;
        }
    }
    Ok(pruned)
}

/// Prunes every `retention.every`, forever; a failure is logged and retried next time.
pub async fn run(pool: PgPool, retention: Retention) -> Infallible {
    let mut tick = tokio::time::interval(retention.every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match prune(&pool, retention).await {
            Ok(pruned) if pruned != Pruned::default() => {
                tracing::info!(
                    idempotency_keys = pruned.idempotency_keys,
                    published_events = pruned.published_events,
                    "pruned records past their retention"
                );
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "pruning failed; retrying later"),
        }
    }
}
