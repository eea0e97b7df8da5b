//! Reads: a filtered, keyset-paginated list in one of four orders (newest first, oldest
//! first, priority then age, due first; the cursor carries the sort key), the counts per status under the
//! same filters (with how many are overdue), the open orders per assignee, and one full order
//! with items and history.

use chrono::{DateTime, Utc};
use lom_contracts::{OrderRow, OrderStatus, Priority};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::rows::{ChangeRow, OpenOrders, ROW_SELECT, StatusCount, StoredOrder};
use crate::domain::{OverdueAfter, parse_hyphenated};

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
    /// Empty means every priority.
    pub priorities: Vec<Priority>,
    /// Created at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    pub created_to: Option<DateTime<Utc>>,
    /// Only orders overdue by these thresholds.
    pub overdue: Option<OverdueAfter>,
}

/// The order of a list. Each reads an index in order (`orders_live_created_idx` either way,
/// `orders_live_priority_idx`, `orders_open_due_idx`), and `id` breaks ties, so a keyset page
/// never skips or repeats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// `created_at` descending.
    #[default]
    Newest,
    /// `created_at` ascending: first in, first out.
    Oldest,
    /// High priority first, then the oldest first.
    Priority,
    /// Open orders (PENDING, CONFIRMED) by when they are due, `created_at` plus their
    /// priority's threshold, the most overdue first; then the closed ones, oldest first.
    Due(OverdueAfter),
}

/// An open order: one the due sort lists first, the statuses overdue applies to.
const OPEN: &str = "o.status IN ('PENDING', 'CONFIRMED')";

/// The rank `Sort::Priority` orders by, word for word the expression `orders_live_priority_idx`
/// indexes (so the planner matches them).
const PRIORITY_RANK: &str = "(CASE o.priority WHEN 'high' THEN 0 ELSE 1 END)";

fn priority_rank(priority: Priority) -> i32 {
    match priority {
        Priority::High => 0,
        Priority::Normal => 1,
    }
}

/// A position in a list: every sort key of the last row of a page. Any position is one under
/// every sort, so a cursor is never refused for the sort it comes with; a list keeps its
/// order by sending it with the sort it was made under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The priority rank (0 high, 1 normal); read by `Sort::Priority` and `Sort::Due`.
    pub rank: i32,
    /// PENDING or CONFIRMED when the page was read; read only by `Sort::Due`.
    pub open: bool,
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    pub fn after(row: &OrderRow) -> Self {
        Self {
            rank: priority_rank(row.priority),
            open: matches!(row.status, OrderStatus::Pending | OrderStatus::Confirmed),
            created_at: row.created_at,
            id: row.id,
        }
    }

    /// `<microseconds since the epoch>_<id>`, then `_<rank>` under `Sort::Priority` and
    /// `_<rank>_<o (open) or c (closed)>` under `Sort::Due`: documented, so a client can tell a
    /// cursor it was given from a mistyped one before asking.
    pub fn encode(&self, sort: Sort) -> String {
        let key = format!("{}_{}", self.created_at.timestamp_micros(), self.id);
        match sort {
            Sort::Priority => format!("{key}_{}", self.rank),
            Sort::Due(_) => format!("{key}_{}_{}", self.rank, if self.open { 'o' } else { 'c' }),
            Sort::Newest | Sort::Oldest => key,
        }
    }

    /// Without a rank, the rank is 0 (high); without the open mark, open.
    pub fn decode(text: &str) -> Option<Self> {
        let mut parts = text.split('_');
        let micros = parts.next()?;
        // Up to 17 digits: at most year 5138, inside PostgreSQL's timestamp range.
        if !(1..=17).contains(&micros.len()) || !micros.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id = parse_hyphenated(parts.next()?)?;
        let rank = match parts.next() {
            None | Some("0") => 0,
            Some("1") => 1,
            Some(_) => return None,
        };
        let open = match parts.next() {
            None | Some("o") => true,
            Some("c") => false,
            Some(_) => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            rank,
            open,
            created_at: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id,
        })
    }

    /// Where this position falls in `Sort::Due`: open first, then the due time (`created_at`
    /// plus the threshold of an open order's priority), then the id.
    fn due_key(&self, after: OverdueAfter) -> (bool, DateTime<Utc>, Uuid) {
        let due = if self.open {
            self.created_at + threshold(after, self.rank)
        } else {
            self.created_at
        };
        (!self.open, due, self.id)
    }
}

/// The overdue threshold of the priority ranked `rank`, as the microseconds the due sort adds.
fn threshold(after: OverdueAfter, rank: i32) -> chrono::TimeDelta {
    let threshold = if rank == 0 { after.high } else { after.normal };
    chrono::TimeDelta::microseconds(i64::try_from(threshold.as_micros()).unwrap_or(i64::MAX / 2))
}

/// `o` is PENDING or CONFIRMED for longer than its priority's threshold (PostgreSQL's clock).
pub(super) fn push_overdue(query: &mut QueryBuilder<Postgres>, after: OverdueAfter) {
    query
        .push("(o.status IN ('PENDING', 'CONFIRMED') AND o.created_at < now() - CASE o.priority WHEN 'high' THEN ")
        .push_bind(after.high.as_secs_f64())
        .push(" ELSE ")
        .push_bind(after.normal.as_secs_f64())
        .push(" END * interval '1 second')");
}

pub(super) fn push_filters(query: &mut QueryBuilder<Postgres>, filter: &OrderFilter) {
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
    if !filter.priorities.is_empty() {
        let names: Vec<&str> = filter.priorities.iter().map(|p| p.as_str()).collect();
        query
            .push(" AND o.priority = ANY(")
            .push_bind(names)
            .push(")");
    }
    if let Some(from) = filter.created_from {
        query.push(" AND o.created_at >= ").push_bind(from);
    }
    if let Some(to) = filter.created_to {
        query.push(" AND o.created_at < ").push_bind(to);
    }
    if let Some(after) = filter.overdue {
        query.push(" AND ");
        push_overdue(query, after);
    }
    if let Some(q) = &filter.q {
        let pattern = format!("%{}%", escape_like(q));
        query
            .push(" AND (lower(o.number) LIKE lower(")
            .push_bind(pattern.clone())
            .push(") OR lower(c.name) LIKE lower(")
            .push_bind(pattern.clone())
            .push(") OR lower(c.email) LIKE lower(")
            .push_bind(pattern)
            .push("))");
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

/// `ORDER BY` for `sort` over every row (the export's; the list pages `Sort::Due` by its parts).
pub(super) fn push_order_by(query: &mut QueryBuilder<Postgres>, sort: Sort) {
    match sort {
        Sort::Newest => query.push(" ORDER BY o.created_at DESC, o.id DESC"),
        Sort::Oldest => query.push(" ORDER BY o.created_at, o.id"),
        Sort::Priority => query.push(format!(" ORDER BY {PRIORITY_RANK}, o.created_at, o.id")),
        Sort::Due(after) => {
            query.push(" ORDER BY ");
            push_due_order(query, after, "o.")
        }
    };
}

fn micros(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX / 2)
}

/// One page of at most `limit` rows in `sort` order after `cursor` (made for that sort), and
/// whether more follow.
pub async fn list(
    pool: &PgPool,
    filter: &OrderFilter,
    sort: Sort,
    cursor: Option<Cursor>,
    limit: i64,
) -> sqlx::Result<(Vec<OrderRow>, bool)> {
    let mut query = QueryBuilder::new("");
    match sort {
        Sort::Due(after) => push_due_page(&mut query, filter, after, cursor, limit),
        _ => push_page(&mut query, filter, sort, cursor, limit),
    }
    let mut rows: Vec<OrderRow> = query.build_query_as().fetch_all(pool).await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((rows, more))
}

/// A page under one of the sorts that is a single index order.
fn push_page(
    query: &mut QueryBuilder<Postgres>,
    filter: &OrderFilter,
    sort: Sort,
    cursor: Option<Cursor>,
    limit: i64,
) {
    query.push(ROW_SELECT);
    push_filters(query, filter);
    if let Some(cursor) = cursor {
        match sort {
            Sort::Newest => query.push(" AND (o.created_at, o.id) < ("),
            Sort::Oldest | Sort::Due(_) => query.push(" AND (o.created_at, o.id) > ("),
            Sort::Priority => query
                .push(format!(" AND ({PRIORITY_RANK}, o.created_at, o.id) > ("))
                .push_bind(cursor.rank)
                .push(", "),
        };
        query
            .push_bind(cursor.created_at)
            .push(", ")
            .push_bind(cursor.id)
            .push(")");
    }
    push_order_by(query, sort);
    query.push(" LIMIT ").push_bind(limit + 1);
}

/// A page of `Sort::Due`, which is no single column order (the thresholds are settings): within
/// one priority an open order's due time grows with `created_at`, so the page merges three
/// index-ordered runs of at most `limit + 1` rows each (open high and open normal from an index
/// of open orders, `orders_open_due_idx`, the rest from `orders_live_created_idx`), each starting after the
/// cursor's due time translated into its own `created_at`, and keeps the first `limit + 1`.
fn push_due_page(
    query: &mut QueryBuilder<Postgres>,
    filter: &OrderFilter,
    after: OverdueAfter,
    cursor: Option<Cursor>,
    limit: i64,
) {
    let position = cursor.map(|cursor| cursor.due_key(after));
    query.push("SELECT * FROM (");
    for (run, rank) in [(0, Some(0)), (1, Some(1)), (2, None)] {
        if run > 0 {
            query.push(" UNION ALL ");
        }
        query.push("(").push(ROW_SELECT);
        push_filters(query, filter);
        let due_at = match rank {
            Some(rank) => {
                let priority = if rank == 0 { "high" } else { "normal" };
                query.push(format!(" AND {OPEN} AND o.priority = '{priority}'"));
                threshold(after, rank)
            }
            None => {
                query.push(format!(" AND NOT {OPEN}"));
                chrono::TimeDelta::zero()
            }
        };
        match position {
            // The cursor is among the closed orders: no open order follows it.
            Some((true, _, _)) if rank.is_some() => {
                query.push(" AND false");
            }
            // Every closed order follows an open cursor.
            Some((false, _, _)) if rank.is_none() => {}
            Some((_, due, id)) => {
                query
                    .push(" AND (o.created_at, o.id) > (")
                    .push_bind(due - due_at)
                    .push(", ")
                    .push_bind(id)
                    .push(")");
            }
            None => {}
        }
        query
            .push(" ORDER BY o.created_at, o.id LIMIT ")
            .push_bind(limit + 1)
            .push(")");
    }
    query.push(") AS page ORDER BY ");
    push_due_order(query, after, "");
    query.push(" LIMIT ").push_bind(limit + 1);
}

/// `Sort::Due`'s keys over columns named with `table` (`o.` or none): open first, the due
/// time, the id.
fn push_due_order<'q>(
    query: &'q mut QueryBuilder<Postgres>,
    after: OverdueAfter,
    table: &str,
) -> &'q mut QueryBuilder<Postgres> {
    let open = format!("{table}status IN ('PENDING', 'CONFIRMED')");
    query
        .push(format!(
            "NOT {open}, CASE WHEN {open} THEN {table}created_at + CASE {table}priority WHEN 'high' THEN "
        ))
        .push_bind(micros(after.high))
        .push(" ELSE ")
        .push_bind(micros(after.normal))
        .push(format!(
            " END * interval '1 microsecond' ELSE {table}created_at END, {table}id"
        ))
}

/// Counts per status under `filter` (only the statuses some order has), each with how many
/// are overdue by `overdue`.
pub async fn stats(
    pool: &PgPool,
    filter: &OrderFilter,
    overdue: OverdueAfter,
) -> sqlx::Result<Vec<StatusCount>> {
    let mut query = QueryBuilder::new(
        "SELECT o.status, count(*) AS n, \
         count(*) FILTER (WHERE o.created_at > now() - interval '1 hour') AS recent, \
         count(*) FILTER (WHERE ",
    );
    push_overdue(&mut query, overdue);
    query.push(") AS overdue FROM orders o JOIN customers c ON c.id = o.customer_id");
    push_filters(&mut query, filter);
    query.push(" GROUP BY o.status");
    query.build_query_as().fetch_all(pool).await
}

/// Open (not final) orders per assignee, for everyone who holds at least one.
pub async fn open_by_assignee(pool: &PgPool) -> sqlx::Result<Vec<OpenOrders>> {
    // The predicate is the partial index's (orders_open_assignee_idx), word for word.
    sqlx::query_as(
        "SELECT assignee_id, count(*) AS orders FROM orders \
         WHERE deleted_at IS NULL AND assignee_id IS NOT NULL \
           AND status NOT IN ('DELIVERED', 'CANCELLED') \
         GROUP BY assignee_id",
    )
    .fetch_all(pool)
    .await
}

const DETAIL_SELECT: &str = "SELECT o.id, o.number, o.status, o.priority, o.assignee_id, \
     o.note, o.total_minor, o.currency, o.item_count, o.unit_count, o.version, o.created_at, o.updated_at, \
     c.id AS customer_id, c.name AS customer_name, c.email AS customer_email, \
     c.phone AS customer_phone, a.line1, a.line2, a.city, a.postal_code, a.country \
     FROM orders o JOIN customers c ON c.id = o.customer_id \
     JOIN addresses a ON a.id = o.shipping_address_id \
     WHERE o.id = $1 AND o.deleted_at IS NULL";

/// The live order `id` with its customer, address, items and history.
pub async fn detail(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<StoredOrder>> {
    let Some(mut order) = sqlx::query_as::<_, StoredOrder>(DETAIL_SELECT)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    order.items = sqlx::query_as(
        "SELECT sku, name, quantity, unit_price_minor, line_total_minor FROM order_items \
         WHERE order_id = $1 ORDER BY line_no",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    order.history = history(conn, id).await?;
    Ok(Some(order))
}

async fn history(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Vec<ChangeRow>> {
    sqlx::query_as(
        // Changes made together (one transaction, one `at`) list the status change last, as
        // the headline of the change.
        "SELECT 'status' AS kind, changed_at AS at, actor_id, from_status, to_status, \
                NULL::uuid AS previous_assignee_id, NULL::uuid AS assignee_id, \
                reason_code, reason_text, NULL AS from_priority, NULL AS to_priority, \
                NULL AS previous_note, NULL AS note, undo, 3 AS rank, id \
         FROM order_status_history WHERE order_id = $1 \
         UNION ALL \
         SELECT 'assignment', assigned_at, actor_id, NULL, NULL, previous_assignee_id, \
                assignee_id, NULL, NULL, NULL, NULL, NULL, NULL, undo, 2, id \
         FROM order_assignments WHERE order_id = $1 \
         UNION ALL \
         SELECT field, changed_at, actor_id, NULL, NULL, NULL, NULL, NULL, NULL, \
                CASE field WHEN 'priority' THEN from_value END, \
                CASE field WHEN 'priority' THEN to_value END, \
                CASE field WHEN 'note' THEN from_value END, \
                CASE field WHEN 'note' THEN to_value END, \
                false, CASE field WHEN 'note' THEN 0 ELSE 1 END, id \
         FROM order_field_changes WHERE order_id = $1 \
         UNION ALL \
         SELECT 'internal_note', created_at, author_id, NULL, NULL, NULL, NULL, NULL, NULL, \
                NULL, NULL, NULL, body, false, 4, id \
         FROM order_notes WHERE order_id = $1 \
         ORDER BY at, rank, id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_carries_the_rank_by_priority_and_the_rank_and_openness_due_first() {
        let at = DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap();
        let cursor = Cursor {
            rank: 1,
            open: false,
            created_at: at,
            id: Uuid::now_v7(),
        };
        let due = Sort::Due(OverdueAfter {
            high: std::time::Duration::from_secs(900),
            normal: std::time::Duration::from_secs(3600),
        });
        assert!(cursor.encode(due).ends_with("_1_c"));
        assert_eq!(Cursor::decode(&cursor.encode(due)), Some(cursor));
        let open = Cursor::decode(&cursor.encode(Sort::Priority));
        assert_eq!(
            open,
            Some(Cursor {
                open: true,
                ..cursor
            })
        );
        let plain = cursor.encode(Sort::Oldest);
        assert_eq!(plain, cursor.encode(Sort::Newest));
        assert_eq!(
            Cursor::decode(&plain),
            Some(Cursor {
                rank: 0,
                open: true,
                ..cursor
            })
        );
    }

    #[test]
    fn garbage_is_not_a_cursor() {
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
            format!("12_{id}_2"),
            format!("12_{id}_"),
            format!("12_{id}_0_x"),
            format!("12_{id}_0_o_"),
            format!("12_{id}_0_o_c"),
        ] {
            assert_eq!(Cursor::decode(&bad), None, "{bad}");
        }
    }

    #[test]
    fn like_metacharacters_match_themselves() {
        assert_eq!(escape_like(r"50%_off\"), r"50\%\_off\\");
    }
}
