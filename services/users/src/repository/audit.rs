//! The audit log of privileged actions: who did what to whom, with which request; written in
//! the transaction of the action, read newest first by the audit-log page.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use sqlx::{PgPool, Postgres, Transaction};
use utoipa::ToSchema;
use uuid::Uuid;

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum Action {
    #[serde(rename = "user.created")]
    UserCreated,
    /// Renamed, roles changed, (de)activated or password reset: `details` says which.
    #[serde(rename = "user.updated")]
    UserUpdated,
    #[serde(rename = "user.admin_seeded")]
    AdminSeeded,
    /// A rotated refresh token was presented again: its whole family was revoked.
    #[serde(rename = "session.refresh_reuse_detected")]
    RefreshReuseDetected,
}

impl Action {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UserCreated => "user.created",
            Self::UserUpdated => "user.updated",
            Self::AdminSeeded => "user.admin_seeded",
            Self::RefreshReuseDetected => "session.refresh_reuse_detected",
        }
    }
}

/// One audit entry, written in the same transaction as the action it records.
pub struct Entry<'a> {
    pub actor: Option<Uuid>,
    pub action: Action,
    pub target: Option<Uuid>,
    pub details: Value,
    pub request_id: Option<&'a str>,
}

pub async fn record(tx: &mut Transaction<'_, Postgres>, entry: Entry<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, target_id, details, request_id)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(entry.actor)
    .bind(entry.action.as_str())
    .bind(entry.target)
    .bind(entry.details)
    .bind(entry.request_id)
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// An entry as read back, with the names of its actor and target accounts.
#[derive(Debug, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub action: String,
    pub target_id: Option<Uuid>,
    pub target_name: Option<String>,
    pub target_email: Option<String>,
    pub details: Value,
    pub request_id: Option<String>,
}

/// Which entries to read: all conditions hold; `before` is the keyset cursor (an entry id).
#[derive(Debug, Default)]
pub struct Filter {
    pub actor: Option<Uuid>,
    pub action: Option<Action>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub before: Option<i64>,
}

/// Up to `limit` entries matching `filter`, newest first.
pub async fn list(db: &PgPool, filter: &Filter, limit: i64) -> sqlx::Result<Vec<EntryRow>> {
    sqlx::query_as(
        "SELECT a.id, a.at, a.actor_id, actor.display_name AS actor_name, a.action, a.target_id,
                target.display_name AS target_name, target.email AS target_email, a.details,
                a.request_id
         FROM audit_log a
         LEFT JOIN users actor ON actor.id = a.actor_id
         LEFT JOIN users target ON target.id = a.target_id
         WHERE ($1::uuid IS NULL OR a.actor_id = $1)
           AND ($2::text IS NULL OR a.action = $2)
           AND ($3::timestamptz IS NULL OR a.at >= $3)
           AND ($4::timestamptz IS NULL OR a.at < $4)
           AND ($5::bigint IS NULL OR a.id < $5)
         ORDER BY a.id DESC
         LIMIT $6",
    )
    .bind(filter.actor)
    .bind(filter.action.map(Action::as_str))
    .bind(filter.from)
    .bind(filter.to)
    .bind(filter.before)
    .bind(limit)
    .fetch_all(db)
    .await
}
