//! The changes to an order, each run inside the caller's transaction: create (customer,
//! address, order, items and first history row in one statement, answered from what it
//! returned), field updates, assignment and soft deletion. Every change bumps `version` and
//! leaves a history row per changed field (status with its cancellation reason, priority, note,
//! assignee), with its actor.

use chrono::{DateTime, Utc};
use lom_contracts::{CancelReason, OrderRow, Priority};
use sqlx::PgConnection;
use uuid::Uuid;

use super::rows::{AddressRow, ChangeRow, ItemRow, StoredOrder, row_by_id};
use crate::domain::{NewOrder, StatusChange, Text};

const INSERT_ORDER: &str = "\
WITH c AS (
    INSERT INTO customers (id, name, email, phone) VALUES ($1, $2, $3, $4)
    ON CONFLICT (email) DO UPDATE
        SET name = EXCLUDED.name,
            phone = COALESCE(EXCLUDED.phone, customers.phone),
            updated_at = now()
    RETURNING id, name, email, phone
), a AS (
    INSERT INTO addresses (id, customer_id, line1, line2, city, postal_code, country)
    SELECT $5, c.id, $6, $7, $8, $9, $10 FROM c
    RETURNING id, customer_id
), o AS (
    INSERT INTO orders (id, customer_id, shipping_address_id, priority, note, currency,
                        total_minor, item_count, unit_count)
    SELECT $11, a.customer_id, a.id, $12, $13, $14, $15, $16, $24 FROM a
    RETURNING id, number, status, priority, assignee_id, total_minor, currency, item_count,
              unit_count, version, created_at, updated_at
), i AS (
    INSERT INTO order_items (order_id, line_no, sku, name, quantity, unit_price_minor,
                             line_total_minor)
    SELECT $11, u.line_no, u.sku, u.name, u.quantity, u.unit_price, u.line_total
    FROM UNNEST($17::smallint[], $18::text[], $19::text[], $20::int[], $21::bigint[],
                $22::bigint[]) AS u(line_no, sku, name, quantity, unit_price, line_total)
), h AS (
    INSERT INTO order_status_history (order_id, from_status, to_status, actor_id)
    SELECT o.id, NULL, o.status, $23 FROM o
    RETURNING changed_at
)
SELECT o.id, o.number, o.status, o.priority, o.assignee_id, o.total_minor, o.currency,
       o.item_count, o.unit_count, o.version, o.created_at, o.updated_at, c.id AS customer_id,
       c.name AS customer_name, c.email AS customer_email, c.phone AS customer_phone,
       h.changed_at
FROM o, c, h";

/// Writes a new order in one round trip and returns it as stored: what the statement
/// returned (number, timestamps, the customer as upserted) and the rest as given.
pub async fn insert_order(
    conn: &mut PgConnection,
    order: &NewOrder,
    actor: Uuid,
) -> sqlx::Result<StoredOrder> {
    let items = &order.items;
    let line_nos: Vec<i16> = (1..=i16::try_from(items.len()).unwrap_or(i16::MAX)).collect();
    let item_count = i32::try_from(items.len()).unwrap_or(i32::MAX);
    let quantities: Vec<i32> = items
        .iter()
        .map(|i| i32::try_from(i.quantity.get()).unwrap_or(i32::MAX))
        .collect();
    let unit_count = quantities
        .iter()
        .fold(0_i32, |sum, q| sum.saturating_add(*q));
    sqlx::query_as(INSERT_ORDER)
        .bind(Uuid::now_v7())
        .bind(order.customer.name.as_str())
        .bind(order.customer.email.as_str())
        .bind(order.customer.phone.as_ref().map(Text::as_str))
        .bind(Uuid::now_v7())
        .bind(order.address.line1.as_str())
        .bind(order.address.line2.as_ref().map(Text::as_str))
        .bind(order.address.city.as_str())
        .bind(order.address.postal_code.as_str())
        .bind(&order.address.country)
        .bind(Uuid::now_v7())
        .bind(order.priority.as_str())
        .bind(order.note.as_ref().map(Text::as_str))
        .bind(order.currency.as_str())
        .bind(order.total.minor())
        .bind(item_count)
        .bind(line_nos)
        .bind(items.iter().map(|i| i.sku.as_str()).collect::<Vec<_>>())
        .bind(items.iter().map(|i| i.name.as_str()).collect::<Vec<_>>())
        .bind(quantities)
        .bind(
            items
                .iter()
                .map(|i| i.unit_price.minor())
                .collect::<Vec<_>>(),
        )
        .bind(
            items
                .iter()
                .map(|i| i.line_total.minor())
                .collect::<Vec<_>>(),
        )
        .bind(actor)
        .bind(unit_count)
        .fetch_one(conn)
        .await
        .map(|inserted: Inserted| inserted.stored(order, actor))
}

/// What the insert returned: the list row, the customer as upserted and when the first
/// history row was written.
#[derive(sqlx::FromRow)]
struct Inserted {
    #[sqlx(flatten)]
    order: OrderRow,
    customer_id: Uuid,
    customer_phone: Option<String>,
    changed_at: DateTime<Utc>,
}

impl Inserted {
    /// The order as stored: what the statement returned, and the rest as given.
    fn stored(self, order: &NewOrder, actor: Uuid) -> StoredOrder {
        let address = &order.address;
        let status = self.order.status;
        StoredOrder {
            order: self.order,
            note: order.note.as_ref().map(|n| n.as_str().to_owned()),
            customer_id: self.customer_id,
            customer_phone: self.customer_phone,
            address: AddressRow {
                line1: address.line1.as_str().to_owned(),
                line2: address.line2.as_ref().map(|l| l.as_str().to_owned()),
                city: address.city.as_str().to_owned(),
                postal_code: address.postal_code.as_str().to_owned(),
                country: address.country.clone(),
            },
            items: order
                .items
                .iter()
                .map(|item| ItemRow {
                    sku: item.sku.as_str().to_owned(),
                    name: item.name.as_str().to_owned(),
                    quantity: i32::try_from(item.quantity.get()).unwrap_or(i32::MAX),
                    unit_price: item.unit_price.minor(),
                    line_total: item.line_total.minor(),
                })
                .collect(),
            history: vec![ChangeRow {
                kind: "status".to_owned(),
                at: self.changed_at,
                actor_id: actor,
                from_status: None,
                to_status: Some(status),
                previous_assignee_id: None,
                assignee_id: None,
                reason_code: None,
                reason_text: None,
                from_priority: None,
                to_priority: None,
                previous_note: None,
                note: None,
                undo: false,
            }],
        }
    }
}

/// What a PATCH changes; `note: Some(None)` clears the note.
#[derive(Debug, Clone, Default)]
pub struct FieldChanges {
    pub status: Option<StatusChange>,
    pub priority: Option<Priority>,
    pub note: Option<Option<Text>>,
    /// Why, when `status` cancels the order.
    pub reason: Option<CancelReason>,
}

/// Updates the locked order `$1` and records each priority or note that really changed (all
/// parts of one statement see the row as it was before, so `old` is the previous value).
const UPDATE_FIELDS: &str = "\
WITH old AS (
    SELECT priority, note FROM orders WHERE id = $1
), new AS (
    UPDATE orders SET status = COALESCE($2, status), priority = COALESCE($3, priority),
                      note = CASE WHEN $4 THEN $5 ELSE note END,
                      version = version + 1, updated_at = now()
    WHERE id = $1
    RETURNING priority, note
)
INSERT INTO order_field_changes (order_id, field, from_value, to_value, actor_id)
SELECT $1, f.field, f.from_value, f.to_value, $6
FROM old, new,
     LATERAL (VALUES ('priority', old.priority, new.priority), ('note', old.note, new.note))
         AS f(field, from_value, to_value)
WHERE f.from_value IS DISTINCT FROM f.to_value";

/// Applies `changes` to the locked order `id`, recording each changed field in the history.
pub async fn update_fields(
    conn: &mut PgConnection,
    id: Uuid,
    changes: &FieldChanges,
    actor: Uuid,
) -> sqlx::Result<OrderRow> {
    let status = changes.status.map(|c| c.to().as_str());
    sqlx::query(UPDATE_FIELDS)
        .bind(id)
        .bind(status)
        .bind(changes.priority.map(Priority::as_str))
        .bind(changes.note.is_some())
        .bind(
            changes
                .note
                .as_ref()
                .and_then(|n| n.as_ref().map(Text::as_str)),
        )
        .bind(actor)
        .execute(&mut *conn)
        .await?;
    if let Some(change) = changes.status {
        record_status(conn, id, change, changes.reason.as_ref(), actor).await?;
    }
    row_by_id(conn, id).await
}

async fn record_status(
    conn: &mut PgConnection,
    id: Uuid,
    change: StatusChange,
    reason: Option<&CancelReason>,
    actor: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO order_status_history \
         (order_id, from_status, to_status, actor_id, reason_code, reason_text) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(change.from().as_str())
    .bind(change.to().as_str())
    .bind(actor)
    .bind(reason.map(|r| r.code.as_str()))
    .bind(reason.and_then(|r| r.text.as_deref()))
    .execute(conn)
    .await
    .map(drop)
}

/// Sets (or clears) the assignee of the locked order `id` and records the assignment.
pub async fn assign(
    conn: &mut PgConnection,
    current: &OrderRow,
    assignee: Option<Uuid>,
    actor: Uuid,
) -> sqlx::Result<OrderRow> {
    sqlx::query(
        "WITH o AS (UPDATE orders SET assignee_id = $2, version = version + 1, \
         updated_at = now() WHERE id = $1 RETURNING id) \
         INSERT INTO order_assignments (order_id, previous_assignee_id, assignee_id, actor_id) \
         SELECT o.id, $3, $2, $4 FROM o",
    )
    .bind(current.id)
    .bind(assignee)
    .bind(current.assignee_id)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    row_by_id(conn, current.id).await
}

/// Marks the locked order `id` deleted; its rows and history stay.
pub async fn soft_delete(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<OrderRow> {
    sqlx::query(
        "UPDATE orders SET deleted_at = now(), version = version + 1, updated_at = now() \
         WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    row_by_id(conn, id).await
}
