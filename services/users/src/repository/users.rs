//! Accounts with their roles and the permissions those roles grant.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::domain::{DisplayName, Email};

/// An account as the API shows it, with its roles and effective permissions.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub roles: Vec<String>,
    pub permissions: Vec<String>,
    /// When the account's sessions were last ended (deactivation, password reset).
    pub sessions_revoked_at: Option<DateTime<Utc>>,
}

/// What login needs: the account and its password hash.
#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: Uuid,
    pub password_hash: String,
    pub is_active: bool,
}

/// The account columns plus aggregated roles and permissions, followed by `$tail` (static
/// SQL only: `concat!` takes literals alone, so no value can ever be spliced in).
macro_rules! select_users {
    ($tail:expr) => {
        concat!(
            r"
SELECT u.id, u.email, u.display_name, u.is_active, u.created_at, u.updated_at, u.sessions_revoked_at,
       COALESCE(array_agg(DISTINCT r.name ORDER BY r.name) FILTER (WHERE r.name IS NOT NULL), '{}') AS roles,
       COALESCE(array_agg(DISTINCT p.name ORDER BY p.name) FILTER (WHERE p.name IS NOT NULL), '{}') AS permissions
FROM users u
LEFT JOIN user_roles ur ON ur.user_id = u.id
LEFT JOIN roles r ON r.id = ur.role_id
LEFT JOIN role_permissions rp ON rp.role_id = r.id
LEFT JOIN permissions p ON p.id = rp.permission_id
",
            $tail
        )
    };
}

pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(select_users!("WHERE u.id = $1 GROUP BY u.id"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn credentials(db: &PgPool, email: &Email) -> sqlx::Result<Option<Credentials>> {
    sqlx::query_as("SELECT id, password_hash, is_active FROM users WHERE lower(email) = lower($1)")
        .bind(email.as_str())
        .fetch_optional(db)
        .await
}

/// Accounts matching `search` (email or name, case-insensitive), by name; at most `limit`.
pub async fn list(
    db: &PgPool,
    search: Option<&str>,
    include_inactive: bool,
    limit: i64,
) -> sqlx::Result<Vec<UserRow>> {
    let pattern = search.map(|s| format!("%{}%", escape_like(s)));
    sqlx::query_as(select_users!(
        "WHERE ($1::text IS NULL OR u.email ILIKE $1 OR u.display_name ILIKE $1)
           AND ($2 OR u.is_active)
         GROUP BY u.id
         ORDER BY lower(u.display_name), u.id
         LIMIT $3"
    ))
    .bind(pattern)
    .bind(include_inactive)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Whether account `u` holds a role that may work orders (`orders:update` in any scope): the
/// people orders can be assigned to. A static SQL condition, spliced by `concat!` only.
macro_rules! works_orders {
    () => {
        "EXISTS (
           SELECT 1 FROM user_roles wr
           JOIN role_permissions wrp ON wrp.role_id = wr.role_id
           JOIN permissions wp ON wp.id = wrp.permission_id
           WHERE wr.user_id = u.id AND wp.name IN ('orders:update', 'orders:update:assigned'))"
    };
}

/// Active accounts that may work orders; one or all, by name, then email (identical names in
/// a stable order).
pub async fn assignable(db: &PgPool, only: Option<Uuid>) -> sqlx::Result<Vec<UserRow>> {
    sqlx::query_as(select_users!(concat!(
        "WHERE u.is_active AND ($1::uuid IS NULL OR u.id = $1) AND ",
        works_orders!(),
        " GROUP BY u.id
         ORDER BY lower(u.display_name), lower(u.email), u.id"
    )))
    .bind(only)
    .fetch_all(db)
    .await
}

/// Who an id is, for anyone who reads orders.
#[derive(Debug, sqlx::FromRow)]
pub struct NameRow {
    pub id: Uuid,
    pub display_name: String,
    pub is_active: bool,
    pub works_orders: bool,
}

/// Every account's name, deactivated ones included (the history still names them), by name
/// then email.
pub async fn names(db: &PgPool) -> sqlx::Result<Vec<NameRow>> {
    sqlx::query_as(concat!(
        "SELECT u.id, u.display_name, u.is_active, ",
        works_orders!(),
        " AS works_orders FROM users u ORDER BY lower(u.display_name), lower(u.email), u.id"
    ))
    .fetch_all(db)
    .await
}

/// Ends every session of the account now; returns the moment, which tokens issued at or
/// before its second no longer outlive.
pub async fn revoke_sessions(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
) -> sqlx::Result<DateTime<Utc>> {
    sqlx::query_scalar(
        "UPDATE users SET sessions_revoked_at = now() WHERE id = $1 RETURNING sessions_revoked_at",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await
}

pub async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    email: &Email,
    display_name: &DisplayName,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(email.as_str())
    .bind(display_name.as_str())
    .bind(password_hash)
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// Locks the account row against other changes for the rest of the transaction; false when it
/// does not exist. `NO KEY UPDATE`: rows that merely reference the account (an audit entry
/// naming it as the actor) need not wait for it, so a transaction holding this lock and waiting
/// for another cannot deadlock with it.
pub async fn lock(tx: &mut Transaction<'_, Postgres>, id: Uuid) -> sqlx::Result<bool> {
    let found: Option<(Uuid,)> =
        sqlx::query_as("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.is_some())
}

pub async fn set_display_name(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    name: &DisplayName,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(name.as_str())
        .execute(&mut **tx)
        .await
        .map(drop)
}

pub async fn set_active(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    active: bool,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET is_active = $2, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(active)
        .execute(&mut **tx)
        .await
        .map(drop)
}

pub async fn set_password_hash(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    hash: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(hash)
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// Replaces the account's roles with `role_ids`.
pub async fn replace_roles(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    role_ids: &[i16],
    granted_by: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND NOT (role_id = ANY($2))")
        .bind(id)
        .bind(role_ids)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO user_roles (user_id, role_id, granted_by)
         SELECT $1, unnest($2::smallint[]), $3
         ON CONFLICT (user_id, role_id) DO NOTHING",
    )
    .bind(id)
    .bind(role_ids)
    .bind(granted_by)
    .execute(&mut **tx)
    .await
    .map(drop)
}

/// Makes the transactions that take it run one after another from here to their end (a
/// transaction-scoped advisory lock), so each sees what the previous one committed.
pub async fn serialize_admin_removals(tx: &mut Transaction<'_, Postgres>) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('users.admin_removal'))")
        .execute(&mut **tx)
        .await
        .map(drop)
}

/// Active accounts holding the admin role, other than `except`.
pub async fn count_other_active_admins(
    tx: &mut Transaction<'_, Postgres>,
    except: Option<Uuid>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM users u
         JOIN user_roles ur ON ur.user_id = u.id
         JOIN roles r ON r.id = ur.role_id
         WHERE r.name = 'admin' AND u.is_active AND ($1::uuid IS NULL OR u.id <> $1)",
    )
    .bind(except)
    .fetch_one(&mut **tx)
    .await
}

/// `%`, `_` and `\` in a search are data, not wildcards.
fn escape_like(raw: &str) -> String {
    raw.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
