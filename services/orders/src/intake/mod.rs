//! Group commit of order creates. Handlers validate an order, then [`Intake::create`] queues
//! it; a few writer tasks each take whatever is queued at that moment (at least one, at most
//! [`BATCH_CAP`]; never waiting on a timer for company, so an idle service pays nothing) and
//! write it as one transaction of set-based statements (`repository::intake`): claim the
//! batch's idempotency keys (each for the id its order will have), write all orders, write
//! all `order.created` events, COMMIT. Each caller gets its answer only after the COMMIT of the transaction
//! that holds its order. Then the writer publishes the batch's events to Redis itself (one
//! pipelined round trip, the relay's atomic step) and stamps them published, without waking
//! the relay; the relay delivers whatever a failed publish or a crash left behind.
//!
//! - **Duplicates in one batch.** Two creates with the same customer email, or the same
//!   caller's same `Idempotency-Key`, never share a transaction: the later one goes to the
//!   next transaction of the same writer, after the first committed — so the second of two
//!   same-key requests finds the key taken and answers the order the first created, as two concurrent
//!   requests always did.
//! - **One order the database refuses.** If the batch's transaction fails for any reason
//!   other than an unavailable database or a lost COMMIT answer, nothing of it was written;
//!   its orders are then written again one transaction each, so only the order the database
//!   refuses gets an error and the others commit.
//! - **Unavailable database, lost COMMIT answer.** Every caller of the batch gets the same
//!   answer: 503, or 504 `outcome-unknown`.
//! - **Several instances.** Each instance batches its own requests; keys and customers are
//!   locked in one sorted order by every batch, so concurrent batches queue, never deadlock.
//! - **Overload.** A create that waited in the queue longer than the configured bound
//!   (`ORDERS_INTAKE_MAX_WAIT_MS`) before a writer took it is answered 503 with `Retry-After`
//!   and never written, so a load beyond what the database writes is shed quickly instead of
//!   piling up until the callers time out (and their orders commit after they gave up).
//! - **Cancellation.** The writers own the work: a caller that goes away does not stop its
//!   batch (the `lom_platform::db::detached` rule).

mod writer;

use std::time::{Duration, Instant};

use lom_platform::Problem;
use serde_json::Value;
use sqlx::PgPool;
use tokio::sync::{Mutex, mpsc, oneshot};
use uuid::Uuid;

use crate::{domain::NewOrder, error::ApiResult, events::Publisher, views::OrderDetail};

/// At most this many creates share one transaction.
pub const BATCH_CAP: usize = 256;

/// A validated create: the order, who places it and their idempotency key, if any.
#[derive(Debug)]
pub struct Create {
    pub order: NewOrder,
    pub actor: Uuid,
    pub key: Option<IdempotencyKey>,
}

/// A caller's `Idempotency-Key` and the request it came with (compared on replay).
#[derive(Debug)]
pub struct IdempotencyKey {
    pub key: String,
    pub request: Value,
}

/// What became of a create.
#[derive(Debug)]
pub enum Created {
    /// The order was committed; this is its 201 body.
    New(Box<OrderDetail>),
    /// The key belongs to a request that committed before: answer by replaying it.
    KeyTaken,
}

struct Queued {
    create: Create,
    reply: oneshot::Sender<ApiResult<Created>>,
    /// When it was queued: one that waited longer than the intake's bound is refused.
    since: Instant,
}

/// The queue of creates and its writers; cheap to clone.
#[derive(Debug, Clone)]
pub struct Intake {
    queue: mpsc::UnboundedSender<Queued>,
}

impl std::fmt::Debug for Queued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.create.fmt(f)
    }
}

impl Intake {
    /// Starts `writers` writer tasks on `pool`, publishing with `publisher`; they stop when
    /// the last handle is dropped.
    pub fn start(pool: PgPool, publisher: Publisher, writers: usize, max_wait: Duration) -> Self {
        let (queue, receiver) = mpsc::unbounded_channel();
        let receiver = std::sync::Arc::new(Mutex::new(receiver));
        for _ in 0..writers.max(1) {
            tokio::spawn(writer::run(
                pool.clone(),
                publisher.clone(),
                receiver.clone(),
                max_wait,
            ));
        }
        Self { queue }
    }

    /// Writes `create` in the next batch and answers once that batch's outcome is known.
    pub async fn create(&self, create: Create) -> ApiResult<Created> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Queued {
                create,
                reply,
                since: Instant::now(),
            })
            .map_err(|_| Problem::unavailable("The service is shutting down."))?;
        answer
            .await
            .map_err(|_| Problem::unavailable("The service is shutting down."))?
    }
}
