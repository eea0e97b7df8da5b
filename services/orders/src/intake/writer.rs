//! One writer of the intake: takes what is queued, splits it into transactions without
//! duplicate emails or keys, writes each, answers its callers, then publishes the events it
//! committed and stamps them published (what it fails to publish, the relay delivers).

use std::{collections::HashSet, sync::Arc, time::Duration};

use lom_contracts::{EventType, OrderEvent};
use lom_platform::{Problem, db};
use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::{Mutex, mpsc};
use uuid::Uuid;

use super::{BATCH_CAP, Create, Created, Queued};
use crate::{
    error::{ApiError, database_problem},
    events::{Publisher, relay::record_delays},
    repository::{self, KeyClaim, OrderToWrite},
    views::OrderDetail,
};

/// Takes batches from `queue` until every sender is gone.
pub(super) async fn run(
    pool: PgPool,
    publisher: Publisher,
    queue: Arc<Mutex<mpsc::UnboundedReceiver<Queued>>>,
    max_wait: Duration,
) {
    let mut taken = Vec::with_capacity(BATCH_CAP);
    loop {
        if queue.lock().await.recv_many(&mut taken, BATCH_CAP).await == 0 {
            return;
        }
        let mut pending = std::mem::take(&mut taken);
        while !pending.is_empty() {
            let (batch, later) = without_duplicates(without_expired(pending, max_wait));
            if batch.is_empty() {
                break;
            }
            // One connection for the whole cycle: the transaction, then the stamps.
            let mut conn = match pool.acquire().await {
                Ok(conn) => conn,
                Err(err) => {
                    let problem = database_problem(&err);
                    answer(
                        batch,
                        std::iter::repeat_with(|| Err(problem.clone().into())),
                    );
                    pending = later;
                    continue;
                }
            };
            let committed = write_and_answer(&mut conn, batch).await;
            publish(&mut conn, &publisher, committed).await;
            pending = later;
        }
    }
}

/// Keeps what has waited at most `max_wait`; refuses the rest with 503 (not written).
fn without_expired(queued: Vec<Queued>, max_wait: Duration) -> Vec<Queued> {
    let (fresh, expired): (Vec<Queued>, Vec<Queued>) = queued
        .into_iter()
        .partition(|q| q.since.elapsed() <= max_wait);
    if !expired.is_empty() {
        metrics::counter!("orders_intake_refused_total").increment(expired.len() as u64);
        let problem = Problem::unavailable(
            "More orders arrived than the database can write just now; nothing was written, retry.",
        );
        answer(
            expired,
            std::iter::repeat_with(|| Err(problem.clone().into())),
        );
    }
    fresh
}

/// Splits `queued` into a batch whose emails and (caller, key) pairs are distinct, and the
/// rest (for the next transaction), keeping arrival order.
fn without_duplicates(queued: Vec<Queued>) -> (Vec<Queued>, Vec<Queued>) {
    let mut emails = HashSet::new();
    let mut keys = HashSet::new();
    queued.into_iter().partition(|q| {
        let create = &q.create;
        let key_free = create
            .key
            .as_ref()
            .is_none_or(|k| keys.insert((create.actor, k.key.clone())));
        key_free && emails.insert(create.order.customer.email.as_str().to_owned())
    })
}

/// Writes `batch` in one transaction, or — when the database refuses it for a reason that may
/// be one order's — each of its orders alone; answers every caller; returns the events that
/// committed.
async fn write_and_answer(conn: &mut PgConnection, batch: Vec<Queued>) -> Committed {
    let creates: Vec<&Create> = batch.iter().map(|q| &q.create).collect();
    metrics::histogram!("orders_intake_batch_size").record(creates.len() as f64);
    let outcome = write(conn, &creates).await;
    match outcome {
        Ok((created, committed)) => {
            answer(batch, created.into_iter().map(Ok));
            committed
        }
        Err(BatchError::Database(err)) if batch.len() > 1 && !db::is_unavailable(&err) => {
            tracing::warn!(error = %err, size = batch.len(), "batch refused; writing its orders one by one");
            let mut all = Committed::default();
            for queued in batch {
                let alone = match write(conn, &[&queued.create]).await {
                    Ok((mut created, committed)) => {
                        all.append(committed);
                        created.pop().map_or_else(|| Err(internal()), Ok)
                    }
                    Err(err) => Err(err.into()),
                };
                let _ = queued.reply.send(alone);
            }
            all
        }
        Err(err) => {
            let problem = err.problem();
            answer(
                batch,
                std::iter::repeat_with(|| Err(problem.clone().into())),
            );
            Committed::default()
        }
    }
}

/// Committed `order.created` events and their outbox ids, not yet published.
#[derive(Debug, Default)]
struct Committed {
    events: Vec<OrderEvent>,
    outbox_ids: Vec<i64>,
}

impl Committed {
    fn append(&mut self, mut other: Committed) {
        self.events.append(&mut other.events);
        self.outbox_ids.append(&mut other.outbox_ids);
    }
}

/// Publishes `committed` (one pipelined round trip to Redis) and stamps the outbox rows
/// published. A failure is logged and left to the relay, which takes unpublished creates
/// after `DIRECT_PUBLISH_GRACE_MS`; should both publish one event, the publish script gives
/// it its first `seq` and does not publish it again.
async fn publish(conn: &mut PgConnection, publisher: &Publisher, committed: Committed) {
    if committed.events.is_empty() {
        return;
    }
    let events: Vec<&OrderEvent> = committed.events.iter().collect();
    let seqs = match publisher.publish(&events).await {
        Ok(seqs) => seqs,
        Err(err) => {
            tracing::warn!(error = %err, count = events.len(), "events not published; the relay will");
            return;
        }
    };
    record_delays(&events);
    if let Err(err) = repository::stamp_published(conn, &committed.outbox_ids, &seqs).await {
        tracing::warn!(error = %err, "published events not stamped; the relay will stamp them");
    }
}

fn answer(batch: Vec<Queued>, answers: impl Iterator<Item = Result<Created, ApiError>>) {
    for (queued, answer) in batch.into_iter().zip(answers) {
        // A caller that went away no longer needs its answer; its order stands.
        let _ = queued.reply.send(answer);
    }
}

fn internal() -> ApiError {
    Problem::internal().into()
}

/// Why a batch wrote nothing, or may have.
#[derive(Debug)]
enum BatchError {
    Database(sqlx::Error),
    /// The COMMIT's answer was lost (504 `outcome-unknown`).
    OutcomeUnknown(Problem),
}

impl From<sqlx::Error> for BatchError {
    fn from(err: sqlx::Error) -> Self {
        Self::Database(err)
    }
}

impl From<db::CommitError> for BatchError {
    fn from(err: db::CommitError) -> Self {
        match err {
            db::CommitError::OutcomeUnknown(problem) => Self::OutcomeUnknown(problem),
            db::CommitError::Database(err) => Self::Database(err),
        }
    }
}

impl BatchError {
    /// The answer for every caller of the batch.
    fn problem(self) -> Problem {
        match self {
            Self::Database(err) => database_problem(&err),
            Self::OutcomeUnknown(problem) => problem,
        }
    }
}

impl From<BatchError> for ApiError {
    fn from(err: BatchError) -> Self {
        match err {
            BatchError::Database(err) => Self::Database(err),
            BatchError::OutcomeUnknown(problem) => Self::Problem(problem),
        }
    }
}

/// Writes `creates` in one transaction; answers each, in order, and the events committed.
async fn write(
    conn: &mut PgConnection,
    creates: &[&Create],
) -> Result<(Vec<Created>, Committed), BatchError> {
    // Each order's id is chosen now, so its key is claimed for it once and never updated.
    let ids: Vec<Uuid> = creates.iter().map(|_| Uuid::now_v7()).collect();
    let mut tx = conn.begin().await?;
    let claims: Vec<KeyClaim> = creates
        .iter()
        .zip(&ids)
        .filter_map(|(c, &order_id)| {
            c.key.as_ref().map(|k| KeyClaim {
                principal: c.actor,
                key: &k.key,
                request: &k.request,
                order_id,
            })
        })
        .collect();
    let claimed = if claims.is_empty() {
        HashSet::new()
    } else {
        repository::claim_keys(&mut tx, &claims).await?
    };
    let free: Vec<(Uuid, &Create)> = ids
        .into_iter()
        .zip(creates.iter().copied())
        .filter(|(_, c)| {
            c.key
                .as_ref()
                .is_none_or(|k| claimed.contains(&(c.actor, k.key.clone())))
        })
        .collect();
    let (written, committed) = if free.is_empty() {
        (Vec::new(), Committed::default())
    } else {
        write_orders(&mut tx, &free).await?
    };
    db::commit(tx).await?;
    let mut written = free.iter().zip(written).peekable();
    let created = creates
        .iter()
        .map(
            |c| match written.next_if(|((_, f), _)| std::ptr::eq(*f, *c)) {
                Some((_, detail)) => Created::New(Box::new(detail)),
                None => Created::KeyTaken,
            },
        )
        .collect();
    Ok((created, committed))
}

/// Writes the orders of `creates` (each with its id; their keys, if any, are claimed) and
/// their events; answers each order's 201 body, in order, and the events.
async fn write_orders(
    tx: &mut PgConnection,
    creates: &[(Uuid, &Create)],
) -> sqlx::Result<(Vec<OrderDetail>, Committed)> {
    let orders: Vec<OrderToWrite> = creates
        .iter()
        .map(|&(id, c)| OrderToWrite {
            id,
            order: &c.order,
            actor: c.actor,
        })
        .collect();
    let stored = repository::insert_orders(&mut *tx, &orders).await?;
    let events: Vec<OrderEvent> = stored
        .iter()
        .zip(creates)
        .map(|(s, (_, c))| repository::new_event(EventType::OrderCreated, &s.order, c.actor))
        .collect();
    let written: Vec<OrderDetail> = stored.into_iter().map(OrderDetail::from).collect();
    let outbox_ids = repository::write_created(tx, &events).await?;
    Ok((written, Committed { events, outbox_ids }))
}
