//! The set-based statements of a batch of creates (group commit, `crate::intake`), each one
//! round trip whatever the batch's size: claim the batch's idempotency keys, each for the
//! order it will create; write every customer, address, order, item and first history row;
//! write every `order.created` event. A customer is written only when an order changes its name or phone.
//! The batch's emails and keys are distinct (the intake defers
//! duplicates to a later batch) and rows that others may also lock (keys, customers) are
//! taken in one sorted order, so two batches never wait on each other in a cycle.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use lom_contracts::{OrderEvent, OrderRow};
use serde_json::Value;
use sqlx::{PgConnection, types::Json};
use uuid::Uuid;

use super::rows::{AddressRow, ChangeRow, ItemRow, StoredOrder};
use crate::domain::{NewOrder, Text};

/// An order to write, the id it will have, and who places it.
#[derive(Debug)]
pub struct OrderToWrite<'a> {
    pub id: Uuid,
    pub order: &'a NewOrder,
    pub actor: Uuid,
}

/// An idempotency key to claim: its caller, the key, the request it came with and the id of
/// the order that request will create.
#[derive(Debug)]
pub struct KeyClaim<'a> {
    pub principal: Uuid,
    pub key: &'a str,
    pub request: &'a Value,
    pub order_id: Uuid,
}

/// Claims the keys, each for its order (the row is final: the order is written later in the
/// same transaction, and the key is never updated); answers which of them were free (the
/// others belong to a committed request; a claim that a running transaction holds waits for
/// it to end). The request is kept as the SHA-256 of its canonical JSONB text.
pub async fn claim_keys(
    conn: &mut PgConnection,
    claims: &[KeyClaim<'_>],
) -> sqlx::Result<HashSet<(Uuid, String)>> {
    let rows: Vec<(Uuid, String)> = sqlx::query_as(
        "INSERT INTO idempotency_keys (principal_id, key, request_sha256, order_id) \
         SELECT principal_id, key, sha256(convert_to(request::text, 'UTF8')), order_id \
         FROM UNNEST($1::uuid[], $2::text[], $3::jsonb[], $4::uuid[]) \
             AS u(principal_id, key, request, order_id) \
         ORDER BY principal_id, key \
         ON CONFLICT DO NOTHING RETURNING principal_id, key",
    )
    .bind(claims.iter().map(|c| c.principal).collect::<Vec<_>>())
    .bind(claims.iter().map(|c| c.key).collect::<Vec<_>>())
    .bind(claims.iter().map(|c| c.request).collect::<Vec<_>>())
    .bind(claims.iter().map(|c| c.order_id).collect::<Vec<_>>())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

const INSERT_ORDERS: &str = "\
WITH input AS (
    SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                         $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[], $12::text[],
                         $13::text[], $14::text[], $15::bigint[], $16::int[], $17::int[],
                         $18::uuid[])
        WITH ORDINALITY AS i(customer_id, name, email, phone, address_id, line1, line2, city,
                             postal_code, country, order_id, priority, note, currency, total,
                             item_count, unit_count, actor_id, n)
), changed AS (
    INSERT INTO customers (id, name, email, phone)
    SELECT customer_id, name, email, phone FROM input ORDER BY email
    ON CONFLICT (email) DO UPDATE
        SET name = EXCLUDED.name,
            phone = COALESCE(EXCLUDED.phone, customers.phone),
            updated_at = now()
        WHERE customers.name IS DISTINCT FROM EXCLUDED.name
           OR customers.phone IS DISTINCT FROM COALESCE(EXCLUDED.phone, customers.phone)
    RETURNING id, name, email, phone
), c AS (
    SELECT * FROM changed
    UNION ALL
    SELECT customers.id, customers.name, customers.email, customers.phone
    FROM customers JOIN input ON customers.email = input.email
    WHERE NOT EXISTS (SELECT 1 FROM changed WHERE changed.email = customers.email)
), a AS (
    INSERT INTO addresses (id, customer_id, line1, line2, city, postal_code, country)
    SELECT input.address_id, c.id, input.line1, input.line2, input.city, input.postal_code,
           input.country
    FROM input JOIN c ON c.email = input.email
    RETURNING id, customer_id
), o AS (
    INSERT INTO orders (id, customer_id, shipping_address_id, priority, note, currency,
                        total_minor, item_count, unit_count)
    SELECT input.order_id, a.customer_id, a.id, input.priority, input.note, input.currency,
           input.total, input.item_count, input.unit_count
    FROM input JOIN a ON a.id = input.address_id
    ORDER BY input.n
    RETURNING id, number, status, priority, assignee_id, total_minor, currency, item_count,
              unit_count, version, created_at, updated_at
), i AS (
    INSERT INTO order_items (order_id, line_no, sku, name, quantity, unit_price_minor,
                             line_total_minor)
    SELECT u.* FROM UNNEST($19::uuid[], $20::smallint[], $21::text[], $22::text[], $23::int[],
                           $24::bigint[], $25::bigint[])
        AS u(order_id, line_no, sku, name, quantity, unit_price, line_total)
    JOIN o ON o.id = u.order_id
), h AS (
    INSERT INTO order_status_history (order_id, from_status, to_status, actor_id)
    SELECT o.id, NULL, o.status, input.actor_id FROM o JOIN input ON input.order_id = o.id
    RETURNING order_id, changed_at
)
SELECT o.id, o.number, o.status, o.priority, o.assignee_id, o.total_minor, o.currency,
       o.item_count, o.unit_count, o.version, o.created_at, o.updated_at, c.id AS customer_id,
       c.name AS customer_name, c.email AS customer_email, c.phone AS customer_phone,
       h.changed_at
FROM input JOIN o ON o.id = input.order_id JOIN c ON c.email = input.email
     JOIN h ON h.order_id = o.id
ORDER BY input.n";

/// Writes the orders (distinct customer emails) and returns each as stored, in the order
/// given: what the statement returned (number, timestamps, the customer as upserted) and the
/// rest as given. One round trip — two when a customer that another transaction inserted
/// after this statement began is unchanged: the upsert locks that row without returning it,
/// and the statement's snapshot cannot see it, so its orders go again in a second statement
/// (whose snapshot does).
pub async fn insert_orders(
    conn: &mut PgConnection,
    orders: &[OrderToWrite<'_>],
) -> sqlx::Result<Vec<StoredOrder>> {
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    let mut written: HashMap<Uuid, Inserted> = HashMap::with_capacity(orders.len());
    for _attempt in 0..2 {
        let (missing_ids, missing): (Vec<Uuid>, Vec<&OrderToWrite>) = ids
            .iter()
            .zip(orders)
            .filter(|(id, _)| !written.contains_key(*id))
            .unzip();
        if missing.is_empty() {
            break;
        }
        for row in insert_statement(&mut *conn, &missing_ids, &missing).await? {
            written.insert(row.order.id, row);
        }
    }
    ids.iter()
        .zip(orders)
        .map(|(id, o)| {
            let row = written.remove(id).ok_or(sqlx::Error::RowNotFound)?;
            Ok(row.stored(o.order, o.actor))
        })
        .collect()
}

/// One run of [`INSERT_ORDERS`] for `orders`, with ids `ids`: the rows of those it wrote.
async fn insert_statement(
    conn: &mut PgConnection,
    ids: &[Uuid],
    orders: &[&OrderToWrite<'_>],
) -> sqlx::Result<Vec<Inserted>> {
    let each = |f: fn(&NewOrder) -> Option<&str>| -> Vec<Option<&str>> {
        orders.iter().map(|o| f(o.order)).collect()
    };
    let mut items = Items::default();
    for (id, o) in ids.iter().zip(orders) {
        items.push(*id, o.order);
    }
    sqlx::query_as(INSERT_ORDERS)
        .bind(orders.iter().map(|_| Uuid::now_v7()).collect::<Vec<_>>())
        .bind(each(|o| Some(o.customer.name.as_str())))
        .bind(each(|o| Some(o.customer.email.as_str())))
        .bind(each(|o| o.customer.phone.as_ref().map(Text::as_str)))
        .bind(orders.iter().map(|_| Uuid::now_v7()).collect::<Vec<_>>())
        .bind(each(|o| Some(o.address.line1.as_str())))
        .bind(each(|o| o.address.line2.as_ref().map(Text::as_str)))
        .bind(each(|o| Some(o.address.city.as_str())))
        .bind(each(|o| Some(o.address.postal_code.as_str())))
        .bind(each(|o| Some(o.address.country.as_str())))
        .bind(ids)
        .bind(each(|o| Some(o.priority.as_str())))
        .bind(each(|o| o.note.as_ref().map(Text::as_str)))
        .bind(each(|o| Some(o.currency.as_str())))
        .bind(
            orders
                .iter()
                .map(|o| o.order.total.minor())
                .collect::<Vec<_>>(),
        )
        .bind(
            orders
                .iter()
                .map(|o| count(o.order.items.len()))
                .collect::<Vec<_>>(),
        )
        .bind(
            orders
                .iter()
                .map(|o| unit_count(o.order))
                .collect::<Vec<_>>(),
        )
        .bind(orders.iter().map(|o| o.actor).collect::<Vec<_>>())
        .bind(items.order_ids)
        .bind(items.line_nos)
        .bind(items.skus)
        .bind(items.names)
        .bind(items.quantities)
        .bind(items.unit_prices)
        .bind(items.line_totals)
        .fetch_all(conn)
        .await
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn quantity(item: &crate::domain::NewItem) -> i32 {
    i32::try_from(item.quantity.get()).unwrap_or(i32::MAX)
}

fn unit_count(order: &NewOrder) -> i32 {
    order
        .items
        .iter()
        .fold(0_i32, |sum, item| sum.saturating_add(quantity(item)))
}

/// Every item of the batch as columns, each line with its order's id.
#[derive(Default)]
struct Items<'a> {
    order_ids: Vec<Uuid>,
    line_nos: Vec<i16>,
    skus: Vec<&'a str>,
    names: Vec<&'a str>,
    quantities: Vec<i32>,
    unit_prices: Vec<i64>,
    line_totals: Vec<i64>,
}

impl<'a> Items<'a> {
    fn push(&mut self, order_id: Uuid, order: &'a NewOrder) {
        for (line_no, item) in (1_i16..).zip(&order.items) {
            self.order_ids.push(order_id);
            self.line_nos.push(line_no);
            self.skus.push(item.sku.as_str());
            self.names.push(item.name.as_str());
            self.quantities.push(quantity(item));
            self.unit_prices.push(item.unit_price.minor());
            self.line_totals.push(item.line_total.minor());
        }
    }
}

/// What the insert returned for one order: the list row, the customer as upserted and when
/// the first history row was written.
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
                    quantity: quantity(item),
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

/// Writes the batch's `order.created` events in one round trip; answers each event's outbox
/// id, in the order given. No `NOTIFY`: the intake publishes the events itself once they
/// committed, and the relay only picks up what it left.
pub async fn write_created(
    conn: &mut PgConnection,
    events: &[OrderEvent],
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "WITH e AS (
             INSERT INTO outbox (event_id, event_type, order_id, payload)
             SELECT event_id, event_type, order_id, payload
             FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[])
                 WITH ORDINALITY AS u(event_id, event_type, order_id, payload, n)
             ORDER BY n
             RETURNING id, event_id
         )
         SELECT e.id FROM UNNEST($1::uuid[]) WITH ORDINALITY AS u(event_id, n)
             JOIN e USING (event_id)
         ORDER BY u.n",
    )
    .bind(events.iter().map(|e| e.event_id).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>())
    .bind(events.iter().map(|e| e.order.id).collect::<Vec<_>>())
    .bind(events.iter().map(Json).collect::<Vec<_>>())
    .fetch_all(conn)
    .await
}
