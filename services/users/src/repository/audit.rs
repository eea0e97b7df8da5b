//! The audit log of privileged actions: who did what to whom, with which request.

use serde_json::Value;
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

/// One audit entry, written in the same transaction as the action it records.
pub struct Entry<'a> {
    pub actor: Option<Uuid>,
    pub action: &'static str,
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
    .bind(entry.action)
    .bind(entry.target)
    .bind(entry.details)
    .bind(entry.request_id)
    .execute(&mut **tx)
    .await
    .map(drop)
}
