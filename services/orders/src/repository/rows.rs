//! What the repository answers with (rows, mapped with `sqlx::FromRow`; the API's views are
//! built from them in `views.rs`) and the list-row query shared by reads, writes and events.

use chrono::{DateTime, Utc};
use lom_contracts::{CancelReasonCode, OrderRow, OrderStatus, Priority};
use sqlx::PgConnection;
use uuid::Uuid;

/// The list-row `SELECT … FROM orders o JOIN customers c`, as a literal for `concat!`.
macro_rules! row_select {
    () => {
        "SELECT o.id, o.number, o.status, o.priority, c.name AS customer_name, \
         c.email AS customer_email, o.assignee_id, o.total_minor, o.currency, o.item_count, \
         o.unit_count, \
         o.version, o.created_at, o.updated_at \
         FROM orders o JOIN customers c ON c.id = o.customer_id"
    };
}

pub(super) const ROW_SELECT: &str = row_select!();

/// A live order with everything it holds: its list row, the rest of its customer, where it
/// ships, its items and its history (oldest first).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredOrder {
    #[sqlx(flatten)]
    pub order: OrderRow,
    pub note: Option<String>,
    pub customer_id: Uuid,
    pub customer_phone: Option<String>,
    #[sqlx(flatten)]
    pub address: AddressRow,
    #[sqlx(skip)]
    pub items: Vec<ItemRow>,
    #[sqlx(skip)]
    pub history: Vec<ChangeRow>,
}

/// An order's shipping address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AddressRow {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

/// One line of an order; money in minor units.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    #[sqlx(rename = "unit_price_minor")]
    pub unit_price: i64,
    #[sqlx(rename = "line_total_minor")]
    pub line_total: i64,
}

/// One change in an order's history. `kind` is `status`, `assignment`, `priority`, `note` or
/// `internal_note` (its text in `note`); only the columns of that kind are set.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangeRow {
    pub kind: String,
    pub at: DateTime<Utc>,
    pub actor_id: Uuid,
    pub from_status: Option<OrderStatus>,
    pub to_status: Option<OrderStatus>,
    pub previous_assignee_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub reason_code: Option<CancelReasonCode>,
    pub reason_text: Option<String>,
    pub from_priority: Option<Priority>,
    pub to_priority: Option<Priority>,
    pub previous_note: Option<String>,
    pub note: Option<String>,
    pub undo: bool,
}

/// How many live orders under a filter have one status, and how many of them are recent.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct StatusCount {
    pub status: OrderStatus,
    #[sqlx(rename = "n")]
    pub orders: i64,
    #[sqlx(rename = "recent")]
    pub created_last_hour: i64,
    /// How many of them are overdue.
    pub overdue: i64,
}

/// How many open (not delivered, not cancelled) orders one person holds.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenOrders {
    pub assignee_id: Uuid,
    pub orders: i64,
}

/// What an idempotency key holds: the order its request created, and whether a new request
/// with the key is the same request.
#[derive(Debug, sqlx::FromRow)]
pub struct KeyRecord {
    pub order_id: Uuid,
    pub same_request: bool,
}

/// Locks the live order `id` (`FOR UPDATE`), so concurrent changes queue and each sees the
/// version the previous one committed.
pub async fn lock_current(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as(concat!(
        row_select!(),
        " WHERE o.id = $1 AND o.deleted_at IS NULL FOR UPDATE OF o"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub(super) async fn row_by_id(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<OrderRow> {
    sqlx::query_as(concat!(row_select!(), " WHERE o.id = $1"))
        .bind(id)
        .fetch_one(conn)
        .await
}
