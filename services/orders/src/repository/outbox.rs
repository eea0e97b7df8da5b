//! The transactional outbox: each change inserts its event (without `seq`) in its own
//! transaction and wakes listeners with `NOTIFY` (delivered at commit); the relay reads the
//! unpublished rows in id order and stamps them with the `seq` they got. Creates are the
//! exception (`intake.rs`): their events are published by the intake right after the COMMIT,
//! and reach the relay only if that failed.

use chrono::Utc;
use lom_contracts::{Actor, CancelReason, EventType, NoteAdded, OrderEvent, OrderRow, PriorState};
use sqlx::PgConnection;
use uuid::Uuid;

/// The `LISTEN`/`NOTIFY` channel that wakes the relay.
pub const OUTBOX_CHANNEL: &str = "orders_outbox";

/// Only one relay per database publishes at a time (transaction-scoped advisory lock key).
pub const RELAY_LOCK_KEY: i64 = 0x6f72_6465_7273; // "orders"

/// Records the event of a change to `order` made by `actor`; `previous` is where the order
/// stood before (none for a creation), `reason` why it was cancelled (for a cancellation).
pub async fn write_event(
    conn: &mut PgConnection,
    kind: EventType,
    order: &OrderRow,
    previous: Option<PriorState>,
    reason: Option<&CancelReason>,
    actor: Uuid,
) -> sqlx::Result<()> {
    insert_event(
        conn,
        &OrderEvent {
            previous,
            reason: reason.cloned(),
            ..new_event(kind, order, actor)
        },
    )
    .await
}

/// A new event of `kind` about `order` by `actor`, stamped now, with nothing more.
pub fn new_event(kind: EventType, order: &OrderRow, actor: Uuid) -> OrderEvent {
    OrderEvent {
        seq: 0,
        event_id: Uuid::now_v7(),
        kind,
        occurred_at: Utc::now(),
        order: order.clone(),
        actor: Actor { id: actor },
        previous: None,
        reason: None,
        note: None,
    }
}

/// Records the `order.noted` event of `note`, written on `order` (as it stands).
pub async fn write_note_event(
    conn: &mut PgConnection,
    order: &OrderRow,
    note: NoteAdded,
) -> sqlx::Result<()> {
    let event = new_event(EventType::OrderNoted, order, note.author_id);
    insert_event(
        conn,
        &OrderEvent {
            occurred_at: note.created_at,
            note: Some(note),
            ..event
        },
    )
    .await
}

async fn insert_event(conn: &mut PgConnection, event: &OrderEvent) -> sqlx::Result<()> {
    sqlx::query(
        "WITH e AS (INSERT INTO outbox (event_id, event_type, order_id, payload) \
         VALUES ($1, $2, $3, $4) RETURNING id) \
         SELECT pg_notify($5, '') FROM e",
    )
    .bind(event.event_id)
    .bind(event.kind.as_str())
    .bind(event.order.id)
    .bind(sqlx::types::Json(event))
    .bind(OUTBOX_CHANNEL)
    .execute(conn)
    .await
    .map(drop)
}

/// An event committed but not yet published.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub id: i64,
    #[sqlx(rename = "payload", json)]
    pub event: OrderEvent,
}

/// Takes the relay lock for this transaction; false when another relay holds it.
pub async fn try_lead_relay(conn: &mut PgConnection) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(RELAY_LOCK_KEY)
        .fetch_one(conn)
        .await
}

/// How long the relay leaves an unpublished `order.created` event to the intake, which
/// publishes the events of each batch right after its COMMIT; after that the event is the
/// relay's (the intake's publish failed, or its process died).
pub const DIRECT_PUBLISH_GRACE_MS: i64 = 1_000;

/// Up to `limit` unpublished events, oldest first — but no `order.created` younger than
/// [`DIRECT_PUBLISH_GRACE_MS`], which the intake is publishing.
pub async fn unpublished(conn: &mut PgConnection, limit: i64) -> sqlx::Result<Vec<Pending>> {
    sqlx::query_as(
        "SELECT id, payload FROM outbox WHERE published_at IS NULL \
         AND (event_type <> 'order.created' OR created_at < now() - $2 * interval '1 millisecond') \
         ORDER BY id LIMIT $1",
    )
    .bind(limit)
    .bind(DIRECT_PUBLISH_GRACE_MS)
    .fetch_all(conn)
    .await
}

/// Stamps published rows with the `seq` each got (by the relay, or by the intake — whichever
/// stamps second writes the same `seq`: the publish script gives an event its first `seq`).
pub async fn mark_published(
    conn: &mut PgConnection,
    ids: &[i64],
    seqs: &[i64],
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE outbox SET published_at = now(), seq = u.seq \
         FROM UNNEST($1::bigint[], $2::bigint[]) AS u(id, seq) WHERE outbox.id = u.id",
    )
    .bind(ids)
    .bind(seqs)
    .execute(conn)
    .await
    .map(drop)
}

/// Stamps published rows with the `seq` each got, outside any transaction and without waiting
/// for the WAL flush (`synchronous_commit` off for this statement): a stamp lost in a crash
/// only makes the relay publish the event again, which the publish script turns into a no-op.
pub async fn stamp_published(
    conn: &mut PgConnection,
    ids: &[i64],
    seqs: &[i64],
) -> sqlx::Result<()> {
    sqlx::query(
        "WITH lazy AS (SELECT set_config('synchronous_commit', 'off', true)) \
         UPDATE outbox SET published_at = now(), seq = u.seq \
         FROM UNNEST($1::bigint[], $2::bigint[]) AS u(id, seq), lazy \
         WHERE outbox.id = u.id AND outbox.published_at IS NULL",
    )
    .bind(ids)
    .bind(seqs)
    .execute(conn)
    .await
    .map(drop)
}
