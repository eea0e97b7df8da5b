//! Internal notes: written on an order, read back as part of its history.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// One stored note.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoteRow {
    pub id: i64,
    pub author_id: Uuid,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_note(
    conn: &mut PgConnection,
    order_id: Uuid,
    author_id: Uuid,
    body: &str,
) -> sqlx::Result<NoteRow> {
    sqlx::query_as(
        "INSERT INTO order_notes (order_id, author_id, body) VALUES ($1, $2, $3) \
         RETURNING id, author_id, body, created_at",
    )
    .bind(order_id)
    .bind(author_id)
    .bind(body)
    .fetch_one(conn)
    .await
}
