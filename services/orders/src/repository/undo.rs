//! What undo needs: the change that brought an order to its current version (read back from
//! the outbox, whose event says who made it, when, and where the order stood before), and the
//! reversal itself, recorded in the history as an undo.

use chrono::{DateTime, Utc};
use lom_contracts::{EventType, OrderEvent, OrderRow, PriorState};
use sqlx::PgConnection;
use uuid::Uuid;

use super::rows::row_by_id;

/// The change that brought an order to a version.
#[derive(Debug, Clone)]
pub struct LastChange {
    pub kind: EventType,
    pub actor: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// Where the order stood before it.
    pub previous: Option<PriorState>,
    /// Whether it was itself an undo.
    pub was_undo: bool,
}

/// The change that brought order `id` to `version`, if its event is still in the outbox.
pub async fn last_change(
    conn: &mut PgConnection,
    id: Uuid,
    version: i64,
) -> sqlx::Result<Option<LastChange>> {
    let event: Option<sqlx::types::Json<OrderEvent>> = sqlx::query_scalar(
        "SELECT payload FROM outbox \
         WHERE order_id = $1 AND (payload -> 'order' ->> 'version')::bigint = $2 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(sqlx::types::Json(event)) = event else {
        return Ok(None);
    };
    let was_undo: bool = sqlx::query_scalar(
        "SELECT COALESCE((SELECT undo FROM ( \
             SELECT undo, changed_at AS at, id FROM order_status_history WHERE order_id = $1 \
             UNION ALL \
             SELECT undo, assigned_at, id FROM order_assignments WHERE order_id = $1 \
         ) h ORDER BY at DESC, id DESC LIMIT 1), false)",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(Some(LastChange {
        kind: event.kind,
        actor: event.actor.id,
        occurred_at: event.occurred_at,
        previous: event.previous,
        was_undo,
    }))
}

/// Puts the locked order `current` back to `to` (status and assignee), recording each reversed
/// field as an undo by `actor`.
pub async fn revert(
    conn: &mut PgConnection,
    current: &OrderRow,
    to: PriorState,
    actor: Uuid,
) -> sqlx::Result<OrderRow> {
    sqlx::query(
        "UPDATE orders SET status = $2, assignee_id = $3, version = version + 1, \
         updated_at = now() WHERE id = $1",
    )
    .bind(current.id)
    .bind(to.status.as_str())
    .bind(to.assignee_id)
    .execute(&mut *conn)
    .await?;
    if to.status != current.status {
        sqlx::query(
            "INSERT INTO order_status_history (order_id, from_status, to_status, actor_id, undo) \
             VALUES ($1, $2, $3, $4, true)",
        )
        .bind(current.id)
        .bind(current.status.as_str())
        .bind(to.status.as_str())
        .bind(actor)
        .execute(&mut *conn)
        .await?;
    }
    if to.assignee_id != current.assignee_id {
        sqlx::query(
            "INSERT INTO order_assignments \
             (order_id, previous_assignee_id, assignee_id, actor_id, undo) \
             VALUES ($1, $2, $3, $4, true)",
        )
        .bind(current.id)
        .bind(current.assignee_id)
        .bind(to.assignee_id)
        .bind(actor)
        .execute(&mut *conn)
        .await?;
    }
    row_by_id(conn, current.id).await
}
