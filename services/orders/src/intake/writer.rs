//! One writer of the intake: takes what is queued, splits it into transactions without
//! duplicate emails or keys, writes each and answers its callers.

use std::{collections::HashSet, sync::Arc};

use lom_contracts::{EventType, OrderEvent};
use lom_platform::{Problem, db};
use sqlx::{PgConnection, PgPool};
use tokio::sync::{Mutex, mpsc};

use super::{BATCH_CAP, Create, Created, Queued};
use crate::{
    error::{ApiError, database_problem},
    repository::{self, KeyClaim, OUTBOX_CHANNEL, OrderToWrite, StoredResponse},
    views::OrderDetail,
};

/// Takes batches from `queue` until every sender is gone.
pub(super) async fn run(pool: PgPool, queue: Arc<Mutex<mpsc::UnboundedReceiver<Queued>>>) {
    let mut taken = Vec::with_capacity(BATCH_CAP);
    loop {
        if queue.lock().await.recv_many(&mut taken, BATCH_CAP).await == 0 {
            return;
        }
        let mut pending = std::mem::take(&mut taken);
        while !pending.is_empty() {
            let (batch, later) = without_duplicates(pending);
            write_and_answer(&pool, batch).await;
            pending = later;
        }
    }
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
/// be one order's — each of its orders alone; answers every caller.
async fn write_and_answer(pool: &PgPool, batch: Vec<Queued>) {
    let creates: Vec<&Create> = batch.iter().map(|q| &q.create).collect();
    metrics::histogram!("orders_intake_batch_size").record(creates.len() as f64);
    let outcome = write(pool, &creates).await;
    match outcome {
        Ok(created) => answer(batch, created.into_iter().map(Ok)),
        Err(BatchError::Database(err)) if batch.len() > 1 && !db::is_unavailable(&err) => {
            tracing::warn!(error = %err, size = batch.len(), "batch refused; writing its orders one by one");
            for queued in batch {
                let alone = match write(pool, &[&queued.create]).await {
                    Ok(mut created) => created.pop().map_or_else(|| Err(internal()), Ok),
                    Err(err) => Err(err.into()),
                };
                let _ = queued.reply.send(alone);
            }
        }
        Err(err) => {
            let problem = err.problem();
            answer(
                batch,
                std::iter::repeat_with(|| Err(problem.clone().into())),
            );
        }
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

/// Writes `creates` in one transaction; answers each, in order.
async fn write(pool: &PgPool, creates: &[&Create]) -> Result<Vec<Created>, BatchError> {
    let mut tx = pool.begin().await?;
    let claims: Vec<KeyClaim> = creates
        .iter()
        .filter_map(|c| {
            c.key.as_ref().map(|k| KeyClaim {
                principal: c.actor,
                key: &k.key,
                request: &k.request,
            })
        })
        .collect();
    let claimed = if claims.is_empty() {
        HashSet::new()
    } else {
        repository::claim_keys(&mut tx, &claims).await?
    };
    let free: Vec<&Create> = creates
        .iter()
        .copied()
        .filter(|c| {
            c.key
                .as_ref()
                .is_none_or(|k| claimed.contains(&(c.actor, k.key.clone())))
        })
        .collect();
    let written = if free.is_empty() {
        Vec::new()
    } else {
        write_orders(&mut tx, &free).await?
    };
    db::commit(tx).await?;
    let mut written = free.iter().zip(written).peekable();
    Ok(creates
        .iter()
        .map(|c| match written.next_if(|(f, _)| std::ptr::eq(**f, *c)) {
            Some((_, detail)) => Created::New(Box::new(detail)),
            None => Created::KeyTaken,
        })
        .collect())
}

/// Writes the orders of `creates` (whose keys, if any, are claimed), their events and stored
/// responses; answers each order's 201 body, in order.
async fn write_orders(
    tx: &mut PgConnection,
    creates: &[&Create],
) -> sqlx::Result<Vec<OrderDetail>> {
    let orders: Vec<OrderToWrite> = creates
        .iter()
        .map(|c| OrderToWrite {
            order: &c.order,
            actor: c.actor,
        })
        .collect();
    let stored = repository::insert_orders(&mut *tx, &orders).await?;
    let events: Vec<OrderEvent> = stored
        .iter()
        .zip(creates)
        .map(|(s, c)| repository::new_event(EventType::OrderCreated, &s.order, c.actor))
        .collect();
    let written: Vec<OrderDetail> = stored.into_iter().map(OrderDetail::from).collect();
    let responses: Vec<StoredResponse> = creates
        .iter()
        .zip(&written)
        .filter_map(|(c, detail)| {
            c.key.as_ref().map(|k| StoredResponse {
                principal: c.actor,
                key: &k.key,
                order_id: detail.id,
                body: serde_json::to_value(detail).unwrap_or_default(),
            })
        })
        .collect();
    repository::write_created(tx, &events, &responses, OUTBOX_CHANNEL).await?;
    Ok(written)
}
