//! The KPI reads of `GET /v1/orders/metrics`: one clock, then one statement per figure, all in
//! one read-only snapshot. Each statement reads only the rows it counts (the last hour's orders,
//! the open orders, today's status changes) through the indexes of the `kpi_indexes` migration,
//! so a million finished orders cost nothing; `tests/api/metrics.rs` holds the `#[ignore]`d
//! program that seeds a million and prints each statement's `EXPLAIN (ANALYZE, BUFFERS)`.

use chrono::{DateTime, DurationRound, FixedOffset, NaiveTime, TimeDelta, Utc};
use lom_contracts::OrderStatus;
use sqlx::{PgConnection, Postgres, QueryBuilder, postgres::PgRow};
use uuid::Uuid;

use crate::domain::OverdueAfter;

/// Whose orders the figures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsScope {
    Everyone,
    /// Only the orders assigned to this person (an agent's board).
    AssignedTo(Uuid),
}

/// The instant the figures are read at (the database's, once for all statements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now: DateTime<Utc>,
    /// The start of the current minute.
    pub minute: DateTime<Utc>,
    /// Midnight of today at the requested offset from UTC.
    pub day_start: DateTime<Utc>,
}

impl Clock {
    pub fn at(now: DateTime<Utc>, utc_offset: FixedOffset) -> Self {
        let minute = now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now);
        // A fixed offset has no gaps: the local midnight exists, once.
        let day_start = now
            .with_timezone(&utc_offset)
            .date_naive()
            .and_time(NaiveTime::MIN)
            .and_local_timezone(utc_offset)
            .single()
            .map_or(now, |midnight| midnight.with_timezone(&Utc));
        Self {
            now,
            minute,
            day_start,
        }
    }
}

/// Orders created in one minute (absent: none).
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct MinuteCount {
    pub minute: DateTime<Utc>,
    pub orders: i64,
}

/// Orders in one status: open ones now, finished ones finished today.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct StatusTally {
    pub status: OrderStatus,
    pub orders: i64,
}

/// How long orders that first reached `status` today took from creation (seconds).
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct LeadTimeRow {
    pub status: OrderStatus,
    pub orders: i64,
    pub median_seconds: Option<f64>,
    pub p90_seconds: Option<f64>,
}

/// Open orders whose age falls in band `band` (an index into the band bounds), and how many
/// of them are overdue.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct AgeCount {
    pub band: i32,
    pub orders: i64,
    pub overdue: i64,
}

/// Open orders one person holds; `None` is the unassigned ones.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct AssigneeCount {
    pub assignee_id: Option<Uuid>,
    pub orders: i64,
}

/// Everything the metrics view is built from.
#[derive(Debug, Clone)]
pub struct MetricsRows {
    pub clock: Clock,
    pub per_minute: Vec<MinuteCount>,
    pub by_status: Vec<StatusTally>,
    pub lead_times: Vec<LeadTimeRow>,
    pub ageing: Vec<AgeCount>,
    pub by_assignee: Vec<AssigneeCount>,
}

/// Minutes in the per-minute window, the current one included.
pub const WINDOW_MINUTES: i32 = 60;

/// The lower bounds of the ageing bands after the first, in seconds (the first band starts at
/// zero, the last is open-ended): under 15 min, 15–60 min, 1–4 h, 4–24 h, 1–3 days, 3 days+.
pub const AGE_BAND_STARTS: [f64; 5] = [900.0, 3_600.0, 14_400.0, 86_400.0, 259_200.0];

/// The open-order predicate, word for word the partial index's (`orders_open_created_idx`).
macro_rules! open_orders {
    () => {
        "o.deleted_at IS NULL AND o.status NOT IN ('DELIVERED', 'CANCELLED')"
    };
}

/// The statements of one metrics read, by name (the bench program explains each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statement {
    PerMinute,
    ByStatus,
    LeadTimes,
    Ageing,
    ByAssignee,
}

impl Statement {
    pub const ALL: [Self; 5] = [
        Self::PerMinute,
        Self::ByStatus,
        Self::LeadTimes,
        Self::Ageing,
        Self::ByAssignee,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::PerMinute => "orders per minute, last 60 minutes",
            Self::ByStatus => "orders by status (open now, finished today)",
            Self::LeadTimes => "PENDING to CONFIRMED / SHIPPED today, median and p90",
            Self::Ageing => "open orders by age band",
            Self::ByAssignee => "open orders per assignee",
        }
    }

    /// Appends this statement, with its binds, to `query` (empty, or an `EXPLAIN …` prefix).
    pub fn push(
        self,
        query: &mut QueryBuilder<Postgres>,
        clock: &Clock,
        scope: MetricsScope,
        overdue: OverdueAfter,
    ) {
        match self {
            Self::PerMinute => {
                query
                    .push(
                        "SELECT date_trunc('minute', o.created_at) AS minute, count(*) AS orders \
                         FROM orders o WHERE o.deleted_at IS NULL AND o.created_at >= ",
                    )
                    .push_bind(window_start(clock));
                push_scope(query, scope);
                query.push(" GROUP BY 1");
            }
            Self::ByStatus => {
                query.push(concat!(
                    "SELECT o.status, count(*) AS orders FROM orders o WHERE ",
                    open_orders!()
                ));
                push_scope(query, scope);
                // A finished order counts on the day it was finished (its status's change
                // today; an undone and redone finish counts once).
                query
                    .push(
                        " GROUP BY o.status UNION ALL \
                         SELECT h.to_status, count(DISTINCT h.order_id) \
                         FROM order_status_history h JOIN orders o ON o.id = h.order_id \
                         WHERE h.to_status IN ('DELIVERED', 'CANCELLED') AND h.changed_at >= ",
                    )
                    .push_bind(clock.day_start)
                    .push(" AND o.status = h.to_status AND o.deleted_at IS NULL");
                push_scope(query, scope);
                query.push(" GROUP BY h.to_status");
            }
            Self::LeadTimes => {
                // An order counts on the day it first reached the status; it was PENDING from
                // its creation.
                query
                    .push(
                        "WITH reached AS ( \
                           SELECT h.to_status, h.order_id, min(h.changed_at) AS at \
                           FROM order_status_history h \
                           WHERE h.to_status IN ('CONFIRMED', 'SHIPPED') AND h.changed_at >= ",
                    )
                    .push_bind(clock.day_start)
                    .push(
                        " GROUP BY h.to_status, h.order_id) \
                         SELECT r.to_status AS status, count(*) AS orders, \
                           percentile_cont(0.5) WITHIN GROUP \
                             (ORDER BY extract(epoch FROM r.at - o.created_at)::float8) AS median_seconds, \
                           percentile_cont(0.9) WITHIN GROUP \
                             (ORDER BY extract(epoch FROM r.at - o.created_at)::float8) AS p90_seconds \
                         FROM reached r ",
                    );
                match scope {
                    // One primary-key probe per order reached today (the LIMIT keeps the
                    // planner from scanning every order to join them).
                    MetricsScope::Everyone => query.push(
                        "CROSS JOIN LATERAL (SELECT o.created_at FROM orders o \
                         WHERE o.id = r.order_id AND o.deleted_at IS NULL LIMIT 1) o",
                    ),
                    // The agent's own orders are few: the planner joins them from their index.
                    MetricsScope::AssignedTo(user) => query
                        .push("JOIN orders o ON o.id = r.order_id AND o.deleted_at IS NULL")
                        .push(" AND o.assignee_id = ")
                        .push_bind(user),
                };
                // Only an order created before today can have reached the status before.
                query
                    .push(" WHERE (o.created_at >= ")
                    .push_bind(clock.day_start)
                    .push(
                        " OR NOT EXISTS (SELECT 1 FROM order_status_history e \
                           WHERE e.order_id = r.order_id AND e.to_status = r.to_status \
                             AND e.changed_at < ",
                    )
                    .push_bind(clock.day_start)
                    .push(")) GROUP BY r.to_status");
            }
            Self::Ageing => {
                query
                    .push("SELECT width_bucket(extract(epoch FROM ")
                    .push_bind(clock.now)
                    .push(" - o.created_at)::float8, ")
                    .push_bind(AGE_BAND_STARTS.to_vec())
                    .push("::float8[]) AS band, count(*) AS orders, count(*) FILTER (WHERE ");
                // now() is the snapshot's, the clock's `now`.
                super::read::push_overdue(query, overdue);
                query.push(concat!(") AS overdue FROM orders o WHERE ", open_orders!()));
                push_scope(query, scope);
                query.push(" GROUP BY 1");
            }
            Self::ByAssignee => {
                query.push(concat!(
                    "SELECT o.assignee_id, count(*) AS orders FROM orders o WHERE ",
                    open_orders!()
                ));
                push_scope(query, scope);
                query.push(
                    " GROUP BY o.assignee_id \
                     ORDER BY o.assignee_id IS NOT NULL, count(*) DESC, o.assignee_id",
                );
            }
        }
    }
}

fn push_scope(query: &mut QueryBuilder<Postgres>, scope: MetricsScope) {
    if let MetricsScope::AssignedTo(user) = scope {
        query.push(" AND o.assignee_id = ").push_bind(user);
    }
}

/// The first minute of the per-minute window.
pub fn window_start(clock: &Clock) -> DateTime<Utc> {
    clock.minute - TimeDelta::minutes(i64::from(WINDOW_MINUTES - 1))
}

/// Starts the read-only snapshot every statement of one read sees, and reads its clock: `now`
/// is the database's, "today" starts at midnight `utc_offset` minutes east of UTC.
pub async fn snapshot(conn: &mut PgConnection, utc_offset: FixedOffset) -> sqlx::Result<Clock> {
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *conn)
        .await?;
    let now: DateTime<Utc> = sqlx::query_scalar("SELECT now()").fetch_one(conn).await?;
    Ok(Clock::at(now, utc_offset))
}

/// Every figure for `scope` at `clock`, inside the transaction [`snapshot`] started; orders
/// waiting longer than `overdue` are counted as overdue in their age band.
pub async fn read(
    conn: &mut PgConnection,
    clock: Clock,
    scope: MetricsScope,
    overdue: OverdueAfter,
) -> sqlx::Result<MetricsRows> {
    let read = (&clock, scope, overdue);
    Ok(MetricsRows {
        per_minute: rows(conn, Statement::PerMinute, read).await?,
        by_status: rows(conn, Statement::ByStatus, read).await?,
        lead_times: rows(conn, Statement::LeadTimes, read).await?,
        ageing: rows(conn, Statement::Ageing, read).await?,
        by_assignee: rows(conn, Statement::ByAssignee, read).await?,
        clock,
    })
}

async fn rows<T>(
    conn: &mut PgConnection,
    statement: Statement,
    (clock, scope, overdue): (&Clock, MetricsScope, OverdueAfter),
) -> sqlx::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
{
    let mut query = QueryBuilder::new("");
    statement.push(&mut query, clock, scope, overdue);
    query.build_query_as().fetch_all(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_cuts_minutes_and_days_at_the_offset() {
        let now: DateTime<Utc> = "2026-12-01T18:42:31.5Z".parse().unwrap();
        let bangkok = FixedOffset::east_opt(7 * 3600).unwrap();
        let clock = Clock::at(now, bangkok);
        assert_eq!(
            clock.minute,
            "2026-12-01T18:42:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        // 01:42 on 2 December in Bangkok: its day began at 17:00 UTC on the 1st.
        assert_eq!(
            clock.day_start,
            "2026-12-01T17:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        let honolulu = FixedOffset::west_opt(10 * 3600).unwrap();
        let clock = Clock::at(now, honolulu);
        assert_eq!(
            clock.day_start,
            "2026-12-01T10:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            window_start(&clock),
            "2026-12-01T17:43:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
