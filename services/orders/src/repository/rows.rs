//! The list-row query and its mapping, shared by reads, writes and events.

use lom_contracts::OrderRow;
use sqlx::{PgConnection, Row, postgres::PgRow};
use uuid::Uuid;

/// The list-row `SELECT … FROM orders o JOIN customers c`, as a literal for `concat!`.
macro_rules! row_select {
    () => {
        "SELECT o.id, o.number, o.status, o.priority, c.name AS customer_name, \
         c.email AS customer_email, o.assignee_id, o.total_minor, o.currency, o.item_count, \
         o.version, o.created_at, o.updated_at \
         FROM orders o JOIN customers c ON c.id = o.customer_id"
    };
}

pub(super) const ROW_SELECT: &str = row_select!();

/// A text column holding one of a vocabulary's names (status, priority).
pub(super) fn parse_column<T>(column: &str, value: &str) -> sqlx::Result<T>
where
    T: std::str::FromStr<Err = lom_contracts::UnknownValue>,
{
    value.parse().map_err(|e| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    })
}

pub(super) fn order_row(row: PgRow) -> Result<OrderRow, sqlx::Error> {
    let status: String = row.try_get("status")?;
    let priority: String = row.try_get("priority")?;
    Ok(OrderRow {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        status: parse_column("status", &status)?,
        priority: parse_column("priority", &priority)?,
        customer_name: row.try_get("customer_name")?,
        customer_email: row.try_get("customer_email")?,
        assignee_id: row.try_get("assignee_id")?,
        total: row.try_get("total_minor")?,
        currency: row.try_get("currency")?,
        item_count: row.try_get("item_count")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Locks the live order `id` (`FOR UPDATE`), so concurrent changes queue and each sees the
/// version the previous one committed.
pub async fn lock_current(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query(concat!(
        row_select!(),
        " WHERE o.id = $1 AND o.deleted_at IS NULL FOR UPDATE OF o"
    ))
    .bind(id)
    .try_map(order_row)
    .fetch_optional(conn)
    .await
}

pub(super) async fn row_by_id(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<OrderRow> {
    sqlx::query(concat!(row_select!(), " WHERE o.id = $1"))
        .bind(id)
        .try_map(order_row)
        .fetch_one(conn)
        .await
}
