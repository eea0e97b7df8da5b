//! The audit of order actions that leave no history row of their own (a deletion, an export),
//! in `order_audit`.

use serde_json::Value;
use sqlx::PgExecutor;
use uuid::Uuid;

/// What an `order_audit` row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Orders were downloaded as CSV; `details` holds the filters and the row count.
    Exported,
    /// One order was deleted (recorded in the deletion's transaction).
    Deleted,
}

impl AuditAction {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Exported => "orders.exported",
            Self::Deleted => "order.deleted",
        }
    }
}

/// One `order_audit` row: `actor` did `action`, to `order` when it concerns one.
pub struct AuditEntry<'a> {
    pub actor: Uuid,
    pub action: AuditAction,
    pub order: Option<Uuid>,
    pub details: Value,
    pub request_id: Option<&'a str>,
}

/// Records `entry` (on its own, or in the transaction of the change it audits).
pub async fn record_audit(db: impl PgExecutor<'_>, entry: AuditEntry<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO order_audit (actor_id, action, order_id, details, request_id) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(entry.actor)
    .bind(entry.action.as_str())
    .bind(entry.order)
    .bind(entry.details)
    .bind(entry.request_id)
    .execute(db)
    .await
    .map(drop)
}
