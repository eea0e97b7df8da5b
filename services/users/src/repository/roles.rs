//! The role catalogue and the permissions each role bundles.

use sqlx::{PgExecutor, PgPool};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoleRow {
    pub id: i16,
    pub name: String,
    pub description: String,
    pub permissions: Vec<String>,
}

pub async fn list(db: &PgPool) -> sqlx::Result<Vec<RoleRow>> {
    sqlx::query_as(
        "SELECT r.id, r.name, r.description,
                COALESCE(array_agg(p.name ORDER BY p.name) FILTER (WHERE p.name IS NOT NULL), '{}')
                  AS permissions
         FROM roles r
         LEFT JOIN role_permissions rp ON rp.role_id = r.id
         LEFT JOIN permissions p ON p.id = rp.permission_id
         GROUP BY r.id
         ORDER BY r.id",
    )
    .fetch_all(db)
    .await
}

/// The ids of the named roles, in the order given; `None` for names that do not exist.
pub async fn resolve(db: impl PgExecutor<'_>, names: &[String]) -> sqlx::Result<Vec<Option<i16>>> {
    let rows: Vec<(String, i16)> =
        sqlx::query_as("SELECT name, id FROM roles WHERE name = ANY($1)")
            .bind(names)
            .fetch_all(db)
            .await?;
    Ok(names
        .iter()
        .map(|name| rows.iter().find(|(n, _)| n == name).map(|(_, id)| *id))
        .collect())
}
