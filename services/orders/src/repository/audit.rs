//! The audit of order actions that leave no history row of their own (an export), in
//! `order_audit`.

use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// What an `order_audit` row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Orders were downloaded as CSV; `details` holds the filters and the row count.
    Exported,
}

impl AuditAction {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Exported => "orders.exported",
        }
    }
}

/// Records that `actor` did `action` (committed at once, on its own).
pub async fn record_audit(
    pool: &PgPool,
    actor: Uuid,
    action: AuditAction,
    details: Value,
    request_id: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO order_audit (actor_id, action, details, request_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(actor)
    .bind(action.as_str())
    .bind(details)
    .bind(request_id)
    .execute(pool)
    .await
    .map(drop)
}
