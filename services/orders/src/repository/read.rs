//! Reads: a filtered, keyset-paginated list (newest first on `(created_at, id)`), the counts
//! per status under the same filters, and one full order with items and history.

use chrono::{DateTime, Utc};
use lom_contracts::{CancelReason, OrderRow, OrderStatus};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row, postgres::PgRow};
use uuid::Uuid;

use super::rows::{ROW_SELECT, order_row, parse_column};
use crate::domain::parse_hyphenated;
use crate::views::{
    AddressView, CustomerView, HistoryEntry, HistoryKind, ItemView, OrderDetail, OrderStats,
};

/// Whose orders a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignee {
    Unassigned,
    User(Uuid),
}

/// The filters of a list or stats request, plus the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub statuses: Vec<OrderStatus>,
    pub assignee: Option<Assignee>,
    /// Already validated search text, matched case-insensitively as a substring.
    pub q: Option<String>,
    /// Set for callers who may only see orders assigned to them.
    pub only_assigned_to: Option<Uuid>,
}

/// A position in the newest-first order: the last row of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    pub fn after(row: &OrderRow) -> Self {
        Self {
            created_at: row.created_at,
            id: row.id,
        }
    }

    /// `<microseconds since the epoch>_<id>`: documented, so a client can tell a cursor it
    /// was given from a mistyped one before asking.
    pub fn encode(&self) -> String {
        format!("{}_{}", self.created_at.timestamp_micros(), self.id)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let (micros, id) = text.split_once('_')?;
        // Up to 17 digits: at most year 5138, inside PostgreSQL's timestamp range.
        if !(1..=17).contains(&micros.len()) || !micros.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Self {
            created_at: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id: parse_hyphenated(id)?,
        })
    }
}

fn push_filters(query: &mut QueryBuilder<Postgres>, filter: &OrderFilter) {
    query.push(" WHERE o.deleted_at IS NULL");
    if !filter.statuses.is_empty() {
        let names: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
        query
            .push(" AND o.status = ANY(")
            .push_bind(names)
            .push(")");
    }
    match filter.assignee {
        Some(Assignee::Unassigned) => {
            query.push(" AND o.assignee_id IS NULL");
        }
        Some(Assignee::User(id)) => {
            query.push(" AND o.assignee_id = ").push_bind(id);
        }
        None => {}
    }
    if let Some(user) = filter.only_assigned_to {
        query.push(" AND o.assignee_id = ").push_bind(user);
    }
    if let Some(q) = &filter.q {
        let pattern = format!("%{}%", escape_like(q));
        query
            .push(" AND (o.number ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR c.name ILIKE ")
            .push_bind(pattern.clone())
            .push(" OR c.email ILIKE ")
            .push_bind(pattern)
            .push(")");
    }
}

/// `%`, `_` and `\` match themselves.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// One page of at most `limit` rows after `cursor`, and whether more follow.
pub async fn list(
    pool: &PgPool,
    filter: &OrderFilter,
    cursor: Option<Cursor>,
    limit: i64,
) -> sqlx::Result<(Vec<OrderRow>, bool)> {
    let mut query = QueryBuilder::new(ROW_SELECT);
    push_filters(&mut query, filter);
    if let Some(cursor) = cursor {
        query
            .push(" AND (o.created_at, o.id) < (")
            .push_bind(cursor.created_at)
            .push(", ")
            .push_bind(cursor.id)
            .push(")");
    }
    query
        .push(" ORDER BY o.created_at DESC, o.id DESC LIMIT ")
        .push_bind(limit + 1);
    let mut rows = query.build().try_map(order_row).fetch_all(pool).await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((rows, more))
}

/// Counts per status (every status present, zeros included) under `filter`.
pub async fn stats(pool: &PgPool, filter: &OrderFilter) -> sqlx::Result<OrderStats> {
    let mut query = QueryBuilder::new(
        "SELECT o.status, count(*) AS n, \
         count(*) FILTER (WHERE o.created_at > now() - interval '1 hour') AS recent \
         FROM orders o JOIN customers c ON c.id = o.customer_id",
    );
    push_filters(&mut query, filter);
    query.push(" GROUP BY o.status");
    let rows = query.build().fetch_all(pool).await?;
    let mut stats = OrderStats {
        counts: OrderStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), 0))
            .collect(),
        total: 0,
        created_last_hour: 0,
    };
    for row in rows {
        let status: String = row.try_get("status")?;
        let n: i64 = row.try_get("n")?;
        stats.total += n;
        stats.created_last_hour += row.try_get::<i64, _>("recent")?;
        stats.counts.insert(status, n);
    }
    Ok(stats)
}

const DETAIL_SELECT: &str = "SELECT o.id, o.number, o.status, o.priority, o.assignee_id, \
     o.note, o.total_minor, o.currency, o.item_count, o.version, o.created_at, o.updated_at, \
     c.id AS customer_id, c.name AS customer_name, c.email AS customer_email, \
     c.phone AS customer_phone, a.line1, a.line2, a.city, a.postal_code, a.country \
     FROM orders o JOIN customers c ON c.id = o.customer_id \
     JOIN addresses a ON a.id = o.shipping_address_id \
     WHERE o.id = $1 AND o.deleted_at IS NULL";

/// The live order `id` with its customer, address, items and history.
pub async fn detail(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<OrderDetail>> {
    let Some(row) = sqlx::query(DETAIL_SELECT)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let items = sqlx::query(
        "SELECT sku, name, quantity, unit_price_minor, line_total_minor FROM order_items \
         WHERE order_id = $1 ORDER BY line_no",
    )
    .bind(id)
    .try_map(|r: PgRow| {
        Ok(ItemView {
            sku: r.try_get("sku")?,
            name: r.try_get("name")?,
            quantity: r.try_get("quantity")?,
            unit_price: r.try_get("unit_price_minor")?,
            line_total: r.try_get("line_total_minor")?,
        })
    })
    .fetch_all(&mut *conn)
    .await?;
    let history = history(conn, id).await?;
    detail_from(row, items, history).map(Some)
}

fn detail_from(
    row: PgRow,
    items: Vec<ItemView>,
    history: Vec<HistoryEntry>,
) -> sqlx::Result<OrderDetail> {
    let status: String = row.try_get("status")?;
    let priority: String = row.try_get("priority")?;
    Ok(OrderDetail {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        status: parse_column("status", &status)?,
        priority: parse_column("priority", &priority)?,
        customer: CustomerView {
            id: row.try_get("customer_id")?,
            name: row.try_get("customer_name")?,
            email: row.try_get("customer_email")?,
            phone: row.try_get("customer_phone")?,
        },
        shipping_address: AddressView {
            line1: row.try_get("line1")?,
            line2: row.try_get("line2")?,
            city: row.try_get("city")?,
            postal_code: row.try_get("postal_code")?,
            country: row.try_get("country")?,
        },
        items,
        assignee_id: row.try_get("assignee_id")?,
        note: row.try_get("note")?,
        total: row.try_get("total_minor")?,
        currency: row.try_get("currency")?,
        item_count: row.try_get("item_count")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        history,
    })
}

async fn history(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Vec<HistoryEntry>> {
    sqlx::query(
        // Changes made together (one transaction, one `at`) list the status change last, as
        // the headline of the change.
        "SELECT 'status' AS kind, changed_at AS at, actor_id, from_status, to_status, \
                NULL::uuid AS previous_assignee_id, NULL::uuid AS assignee_id, \
                reason_code, reason_text, NULL AS from_value, NULL AS to_value, undo, \
                3 AS rank, id \
         FROM order_status_history WHERE order_id = $1 \
         UNION ALL \
         SELECT 'assignment', assigned_at, actor_id, NULL, NULL, previous_assignee_id, \
                assignee_id, NULL, NULL, NULL, NULL, undo, 2, id \
         FROM order_assignments WHERE order_id = $1 \
         UNION ALL \
         SELECT field, changed_at, actor_id, NULL, NULL, NULL, NULL, NULL, NULL, \
                from_value, to_value, false, CASE field WHEN 'note' THEN 0 ELSE 1 END, id \
         FROM order_field_changes WHERE order_id = $1 \
         ORDER BY at, rank, id",
    )
    .bind(id)
    .try_map(|r: PgRow| {
        let kind = match r.try_get::<&str, _>("kind")? {
            "status" => HistoryKind::Status,
            "assignment" => HistoryKind::Assignment,
            "priority" => HistoryKind::Priority,
            _ => HistoryKind::Note,
        };
        let text = |column: &str| r.try_get::<Option<String>, _>(column);
        let status = |column: &str| text(column)?.map(|s| parse_column(column, &s)).transpose();
        let (from_value, to_value) = (text("from_value")?, text("to_value")?);
        let (from_priority, to_priority, previous_note, note) = match kind {
            HistoryKind::Priority => (
                from_value
                    .map(|v| parse_column("from_value", &v))
                    .transpose()?,
                to_value.map(|v| parse_column("to_value", &v)).transpose()?,
                None,
                None,
            ),
            HistoryKind::Note => (None, None, from_value, to_value),
            HistoryKind::Status | HistoryKind::Assignment => (None, None, None, None),
        };
        let reason = text("reason_code")?
            .map(|code| {
                Ok::<_, sqlx::Error>(CancelReason {
                    code: parse_column("reason_code", &code)?,
                    text: text("reason_text")?,
                })
            })
            .transpose()?;
        Ok(HistoryEntry {
            kind,
            at: r.try_get("at")?,
            actor_id: r.try_get("actor_id")?,
            from_status: status("from_status")?,
            to_status: status("to_status")?,
            previous_assignee_id: r.try_get("previous_assignee_id")?,
            assignee_id: r.try_get("assignee_id")?,
            reason,
            from_priority,
            to_priority,
            previous_note,
            note,
            undo: r.try_get("undo")?,
        })
    })
    .fetch_all(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_garbage_is_not_a_cursor() {
        let cursor = Cursor {
            created_at: DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        let id = "0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b";
        for bad in [
            String::new(),
            "!!".into(),
            "bm90LWEtY3Vyc29y".into(),
            format!("+12_{id}"),
            format!("123456789012345678_{id}"),
            format!("-12_{id}"),
            format!("12_{}", id.replace('-', "")),
            format!("12:{id}"),
        ] {
            assert_eq!(Cursor::decode(&bad), None, "{bad}");
        }
    }

    #[test]
    fn like_metacharacters_match_themselves() {
        assert_eq!(escape_like(r"50%_off\"), r"50\%\_off\\");
    }
}
