//! Idempotency keys of `POST /orders`, scoped to the caller. A create claims its key in its
//! own transaction; a concurrent duplicate blocks on the key's unique index until the first
//! commits, then finds the stored request and response instead of creating a second order.

use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::rows::StoredRequest;

/// Claims `key` for `principal`; false when it is already taken (by a committed request).
pub async fn claim_key(
    conn: &mut PgConnection,
    principal: Uuid,
    key: &str,
    request: &Value,
) -> sqlx::Result<bool> {
    sqlx::query_scalar::<_, bool>(
        "INSERT INTO idempotency_keys (principal_id, key, request) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING RETURNING true",
    )
    .bind(principal)
    .bind(key)
    .bind(request)
    .fetch_optional(conn)
    .await
    .map(|claimed| claimed.is_some())
}

/// Records the response of the request that claimed `key`.
pub async fn store_response(
    conn: &mut PgConnection,
    principal: Uuid,
    key: &str,
    order_id: Uuid,
    status: u16,
    body: &Value,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE idempotency_keys SET order_id = $3, response_status = $4, response_body = $5 \
         WHERE principal_id = $1 AND key = $2",
    )
    .bind(principal)
    .bind(key)
    .bind(order_id)
    .bind(i16::try_from(status).unwrap_or(i16::MAX))
    .bind(body)
    .execute(conn)
    .await
    .map(drop)
}

/// What the request that claimed `key` for `principal` sent and got, if it committed.
pub async fn find_key(
    pool: &PgPool,
    principal: Uuid,
    key: &str,
) -> sqlx::Result<Option<StoredRequest>> {
    sqlx::query_as(
        "SELECT request, response_status, response_body FROM idempotency_keys \
         WHERE principal_id = $1 AND key = $2",
    )
    .bind(principal)
    .bind(key)
    .fetch_optional(pool)
    .await
}
