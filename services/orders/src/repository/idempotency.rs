//! Idempotency keys of `POST /orders`, scoped to the caller. A create claims its key for the
//! order it is about to write, in the transaction of its batch (`intake.rs`); a concurrent
//! duplicate blocks on the key's unique index until the first commits, then finds here which
//! order the key created and whether it came with the same request.

use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use super::rows::KeyRecord;

/// The order created under `key` for `principal` and whether `request` is the request that
/// created it (the same canonical JSONB text), if that request committed.
pub async fn find_key(
    pool: &PgPool,
    principal: Uuid,
    key: &str,
    request: &Value,
) -> sqlx::Result<Option<KeyRecord>> {
    sqlx::query_as(
        "SELECT order_id, request_sha256 = sha256(convert_to($3::jsonb::text, 'UTF8')) \
                AS same_request \
         FROM idempotency_keys WHERE principal_id = $1 AND key = $2",
    )
    .bind(principal)
    .bind(key)
    .bind(sqlx::types::Json(request))
    .fetch_optional(pool)
    .await
}
