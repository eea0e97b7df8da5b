//! The export's reads, in one read-only repeatable-read snapshot so the count it checks the cap
//! with and the rows it streams agree: how many orders a filter selects (counted up to a bound),
//! and those orders, in the list's order, passed on one by one as PostgreSQL sends them (never all
//! held in memory).

use std::time::Duration;

use futures_util::StreamExt;
use lom_contracts::OrderRow;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Transaction};
use tokio::sync::mpsc;

use super::{
    read::{push_filters, push_order_by},
    rows::ROW_SELECT,
};
use crate::repository::{OrderFilter, Sort};

/// How long the export's statement may run, the client's download included (the pool's
/// statement timeout is for requests that answer at once).
const EXPORT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(600);

/// Opens the snapshot an export reads in.
pub async fn snapshot(pool: &PgPool) -> sqlx::Result<Transaction<'static, Postgres>> {
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SET LOCAL statement_timeout = {}",
        EXPORT_STATEMENT_TIMEOUT.as_millis()
    )))
    .execute(&mut *tx)
    .await?;
    Ok(tx)
}

/// How many live orders `filter` selects, counting no further than `bound`.
pub async fn count_up_to(
    conn: &mut PgConnection,
    filter: &OrderFilter,
    bound: i64,
) -> sqlx::Result<i64> {
    let mut query = QueryBuilder::new(
        "SELECT count(*) FROM (SELECT 1 FROM orders o JOIN customers c ON c.id = o.customer_id",
    );
    push_filters(&mut query, filter);
    query.push(" LIMIT ").push_bind(bound).push(") AS selected");
    query.build_query_scalar().fetch_one(conn).await
}

/// Sends each order `filter` selects to `rows`, in `sort`'s order, as PostgreSQL sends it: as
/// fast as the receiver takes them. A failure is sent as the last item; a receiver that is gone
/// ends the query.
pub async fn send_rows(
    conn: &mut PgConnection,
    filter: &OrderFilter,
    sort: Sort,
    rows: &mpsc::Sender<sqlx::Result<OrderRow>>,
) {
    let mut query = QueryBuilder::new(ROW_SELECT);
    push_filters(&mut query, filter);
    push_order_by(&mut query, sort);
    let mut stream = query.build_query_as::<OrderRow>().fetch(conn);
    while let Some(row) = stream.next().await {
        let failed = row.is_err();
        if rows.send(row).await.is_err() || failed {
            break;
        }
    }
}
