//! The changes to an existing order, each run inside the caller's transaction (creates are
//! `intake.rs`'s): field updates, assignment and soft deletion. Every change bumps `version` and
//! leaves a history row per changed field (status with its cancellation reason, priority, note,
//! assignee), with its actor.

use lom_contracts::{CancelReason, OrderRow, Priority};
use sqlx::PgConnection;
use uuid::Uuid;

use super::rows::row_by_id;
use crate::domain::{StatusChange, Text};

/// What a PATCH changes; `note: Some(None)` clears the note.
#[derive(Debug, Clone, Default)]
pub struct FieldChanges {
    pub status: Option<StatusChange>,
    pub priority: Option<Priority>,
    pub note: Option<Option<Text>>,
    /// Why, when `status` cancels the order.
    pub reason: Option<CancelReason>,
}

/// Updates the locked order `$1` and records each priority or note that really changed (all
/// parts of one statement see the row as it was before, so `old` is the previous value).
const UPDATE_FIELDS: &str = "\
WITH old AS (
    SELECT priority, note FROM orders WHERE id = $1
), new AS (
    UPDATE orders SET status = COALESCE($2, status), priority = COALESCE($3, priority),
                      note = CASE WHEN $4 THEN $5 ELSE note END,
                      version = version + 1, updated_at = now()
    WHERE id = $1
    RETURNING priority, note
)
INSERT INTO order_field_changes (order_id, field, from_value, to_value, actor_id)
SELECT $1, f.field, f.from_value, f.to_value, $6
FROM old, new,
     LATERAL (VALUES ('priority', old.priority, new.priority), ('note', old.note, new.note))
         AS f(field, from_value, to_value)
WHERE f.from_value IS DISTINCT FROM f.to_value";

/// Applies `changes` to the locked order `id`, recording each changed field in the history.
pub async fn update_fields(
    conn: &mut PgConnection,
    id: Uuid,
    changes: &FieldChanges,
    actor: Uuid,
) -> sqlx::Result<OrderRow> {
    let status = changes.status.map(|c| c.to().as_str());
    sqlx::query(UPDATE_FIELDS)
        .bind(id)
        .bind(status)
        .bind(changes.priority.map(Priority::as_str))
        .bind(changes.note.is_some())
        .bind(
            changes
                .note
                .as_ref()
                .and_then(|n| n.as_ref().map(Text::as_str)),
        )
        .bind(actor)
        .execute(&mut *conn)
        .await?;
    if let Some(change) = changes.status {
        record_status(conn, id, change, changes.reason.as_ref(), actor).await?;
    }
    row_by_id(conn, id).await
}

async fn record_status(
    conn: &mut PgConnection,
    id: Uuid,
    change: StatusChange,
    reason: Option<&CancelReason>,
    actor: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO order_status_history \
         (order_id, from_status, to_status, actor_id, reason_code, reason_text) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(change.from().as_str())
    .bind(change.to().as_str())
    .bind(actor)
    .bind(reason.map(|r| r.code.as_str()))
    .bind(reason.and_then(|r| r.text.as_deref()))
    .execute(conn)
    .await
    .map(drop)
}

/// Sets (or clears) the assignee of the locked order `id` and records the assignment.
pub async fn assign(
    conn: &mut PgConnection,
    current: &OrderRow,
    assignee: Option<Uuid>,
    actor: Uuid,
) -> sqlx::Result<OrderRow> {
    sqlx::query(
        "WITH o AS (UPDATE orders SET assignee_id = $2, version = version + 1, \
         updated_at = now() WHERE id = $1 RETURNING id) \
         INSERT INTO order_assignments (order_id, previous_assignee_id, assignee_id, actor_id) \
         SELECT o.id, $3, $2, $4 FROM o",
    )
    .bind(current.id)
    .bind(assignee)
    .bind(current.assignee_id)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    row_by_id(conn, current.id).await
}

/// Marks the locked order `id` deleted; its rows and history stay.
pub async fn soft_delete(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<OrderRow> {
    sqlx::query(
        "UPDATE orders SET deleted_at = now(), version = version + 1, updated_at = now() \
         WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    row_by_id(conn, id).await
}
