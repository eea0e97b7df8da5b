//! The outbox relay: the path from a committed change to Redis (creates excepted: the intake
//! publishes those right after their COMMIT, and the relay takes only the ones it left behind
//! for longer than `DIRECT_PUBLISH_GRACE_MS`). Woken by `NOTIFY` (sent by each change at
//! commit) or a safety tick, it takes the relay lock, publishes unpublished rows in id
//! order and stamps them in the same transaction. If Redis or PostgreSQL fails it backs off
//! and retries, so nothing committed is ever dropped; a crash after publishing and before
//! stamping publishes again, which the publish script turns into a no-op (same `event_id`, same
//! `seq`), so each event reaches Redis once. `orders_event_relay_duration_seconds` times each
//! event from its change (`occurred_at`, just before the commit) to its publication.

use std::{convert::Infallible, time::Duration};

use chrono::Utc;
use lom_contracts::OrderEvent;
use sqlx::{PgPool, postgres::PgListener};

use super::publisher::{PublishError, Publisher};
use crate::repository::{self, OUTBOX_CHANNEL};

const BATCH: i64 = 500;
const MIN_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(1);
/// A safety net for lost notifications; normal delivery is the `NOTIFY` wake-up.
const SAFETY_TICK: Duration = Duration::from_secs(2);
/// How often to look while the `LISTEN` connection is down.
const POLL_WITHOUT_LISTENER: Duration = Duration::from_millis(250);

#[derive(Debug, thiserror::Error)]
enum RelayError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Publish(#[from] PublishError),
}

#[derive(Debug, Clone)]
pub struct Relay {
    pool: PgPool,
    publisher: Publisher,
}

impl Relay {
    pub fn new(pool: PgPool, publisher: Publisher) -> Self {
        Self { pool, publisher }
    }

    /// Runs until dropped.
    pub async fn run(self) -> Infallible {
        let mut listener = None;
        let mut backoff = MIN_BACKOFF;
        loop {
            if listener.is_none() {
                listener = self.listen().await;
            }
            match self.drain().await {
                Ok(()) => backoff = MIN_BACKOFF,
                Err(err) => {
                    tracing::warn!(error = %err, retry_in_ms = backoff.as_millis(), "outbox relay failed; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    continue;
                }
            }
            wait_for_work(&mut listener).await;
        }
    }

    async fn listen(&self) -> Option<PgListener> {
        let mut listener = PgListener::connect_with(&self.pool)
            .await
            .inspect_err(|err| tracing::warn!(error = %err, "outbox relay cannot LISTEN"))
            .ok()?;
        listener
            .listen(OUTBOX_CHANNEL)
            .await
            .inspect_err(|err| tracing::warn!(error = %err, "outbox relay cannot LISTEN"))
            .ok()?;
        Some(listener)
    }

    /// Publishes every committed, unpublished event, oldest first.
    async fn drain(&self) -> Result<(), RelayError> {
        loop {
            let mut tx = self.pool.begin().await?;
            if !repository::try_lead_relay(&mut tx).await? {
                // Another relay is draining; it will see our rows too.
                return Ok(());
            }
            let batch = repository::unpublished(&mut tx, BATCH).await?;
            if batch.is_empty() {
                tx.commit().await?;
                return Ok(());
            }
            let events: Vec<_> = batch.iter().map(|pending| &pending.event).collect();
            let seqs = self.publisher.publish(&events).await?;
            record_delays(&events);
            let ids: Vec<i64> = batch.iter().map(|pending| pending.id).collect();
            repository::mark_published(&mut tx, &ids, &seqs).await?;
            tx.commit().await?;
            tracing::debug!(count = ids.len(), "published outbox events");
            if i64::try_from(batch.len()).unwrap_or(BATCH) < BATCH {
                return Ok(());
            }
        }
    }
}

/// Times each of `events`, just published, from its change to now.
pub(crate) fn record_delays(events: &[&OrderEvent]) {
    let published_at = Utc::now();
    for event in events {
        let delay = (published_at - event.occurred_at)
            .to_std()
            .unwrap_or_default();
        metrics::histogram!("orders_event_relay_duration_seconds").record(delay);
    }
}

/// Waits for a notification (then swallows the others already buffered), or a tick.
async fn wait_for_work(listener: &mut Option<PgListener>) {
    let Some(active) = listener.as_mut() else {
        tokio::time::sleep(POLL_WITHOUT_LISTENER).await;
        return;
    };
    tokio::select! {
        received = active.try_recv() => match received {
            Ok(Some(_)) => while active.next_buffered().is_some() {},
            // The connection dropped; it reconnects on the next receive.
            Ok(None) => {}
            Err(err) => {
                tracing::warn!(error = %err, "outbox relay lost its LISTEN connection");
                *listener = None;
            }
        },
        () = tokio::time::sleep(SAFETY_TICK) => {}
    }
}
