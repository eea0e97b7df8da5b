//! Idempotency keys of `POST /orders`, scoped to the caller. A create claims its key in the
//! transaction of its batch (`intake.rs`); a concurrent duplicate blocks on the key's unique
//! index until the first commits, then finds the stored request and response here instead of
//! creating a second order.

use sqlx::PgPool;
use uuid::Uuid;

use super::rows::StoredRequest;

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
