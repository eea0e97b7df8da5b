//! Refresh tokens, stored by SHA-256 hash only, chained within a family.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, Postgres, Transaction};
use uuid::Uuid;

#[derive(Debug, sqlx::FromRow)]
pub struct TokenRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub struct NewToken<'a> {
    pub id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub hash: &'a [u8],
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(db: impl PgExecutor<'_>, token: NewToken<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (id, user_id, family_id, parent_id, token_hash, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token.id)
    .bind(token.user_id)
    .bind(token.family_id)
    .bind(token.parent_id)
    .bind(token.hash)
    .bind(token.expires_at)
    .execute(db)
    .await
    .map(drop)
}

/// The token with this hash, locked until the transaction ends (rotation is serialised).
pub async fn lock_by_hash(
    tx: &mut Transaction<'_, Postgres>,
    hash: &[u8],
) -> sqlx::Result<Option<TokenRow>> {
    sqlx::query_as(
        "SELECT id, user_id, family_id, expires_at, rotated_at, revoked_at
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE",
    )
    .bind(hash)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn find_family_by_hash(
    db: impl PgExecutor<'_>,
    hash: &[u8],
) -> sqlx::Result<Option<(Uuid, Uuid)>> {
    sqlx::query_as("SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = $1")
        .bind(hash)
        .fetch_optional(db)
        .await
}

/// Whether the token that replaced `parent` is still unused (neither rotated nor revoked).
pub async fn successor_unused(
    tx: &mut Transaction<'_, Postgres>,
    parent: Uuid,
) -> sqlx::Result<bool> {
    let unused: Option<bool> = sqlx::query_scalar(
        "SELECT rotated_at IS NULL AND revoked_at IS NULL FROM refresh_tokens WHERE parent_id = $1",
    )
    .bind(parent)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(unused.unwrap_or(false))
}

pub async fn mark_rotated(tx: &mut Transaction<'_, Postgres>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(drop)
}

/// Revokes every live token of a family; returns how many.
pub async fn revoke_family(
    db: impl PgExecutor<'_>,
    family_id: Uuid,
    reason: &str,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2
         WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family_id)
    .bind(reason)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

/// Revokes every live token of an account (deactivation, password reset).
pub async fn revoke_user(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    reason: &str,
) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2
         WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(reason)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}
