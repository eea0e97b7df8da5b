//! `/v1/orders`: list, stats, workload, metrics, export, the audit of order actions, read, create, update, cancel, assign, undo
//! and delete orders, one action on many at once (bulk), and write internal notes on them.

mod assign;
mod audit;
mod bulk;
mod cancel;
mod create;
mod delete;
mod export;
mod get;
mod list;
mod metrics;
mod notes;
mod query;
mod schemas;
mod undo;
mod update;
mod workload;

use lom_auth::Scope;
use lom_contracts::{CancelReason, EventType, OrderRow};
use lom_platform::Problem;
use sqlx::PgConnection;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiResult, order_not_found, version_conflict},
    repository,
    state::AppState,
    views::OrderDetail,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::list_orders, create::create_order))
        .routes(routes!(list::order_stats))
        .routes(routes!(workload::workload))
        .routes(routes!(metrics::order_metrics))
        .routes(routes!(bulk::bulk_orders))
        .routes(routes!(export::export_orders))
        .routes(routes!(audit::order_audit))
        .routes(routes!(
            get::get_order,
            update::update_order,
            delete::delete_order
        ))
        .routes(routes!(assign::assign_order))
        .routes(routes!(cancel::cancel_order))
        .routes(routes!(undo::undo_order))
        .routes(routes!(notes::add_note))
}

/// Whether a caller with `scope` may see an order assigned to `assignee`.
fn in_scope(scope: Scope, assignee: Option<Uuid>, caller: Uuid) -> bool {
    scope == Scope::All || assignee == Some(caller)
}

/// Locks the order for the rest of the transaction and checks the `version` the caller read:
/// 404 when it is missing or outside the caller's `scope`, 409 `version-conflict` with the
/// current order when someone changed it meanwhile.
async fn lock_at_version(
    conn: &mut PgConnection,
    id: Uuid,
    version: i64,
    scope: Scope,
    caller: Uuid,
) -> ApiResult<OrderRow> {
    let current = repository::lock_current(conn, id)
        .await?
        .filter(|order| in_scope(scope, order.assignee_id, caller))
        .ok_or_else(order_not_found)?;
    if current.version != version {
        let stored = repository::detail(conn, id)
            .await?
            .ok_or_else(order_not_found)?;
        return Err(version_conflict(&stored.into()).into());
    }
    Ok(current)
}

/// Records the `order.updated` event of a change from `before` to `after` (with why, for a
/// cancellation) and returns the order as it now is, in the same transaction.
async fn record_update(
    conn: &mut PgConnection,
    before: &OrderRow,
    after: &OrderRow,
    reason: Option<&CancelReason>,
    actor: Uuid,
) -> ApiResult<OrderDetail> {
    repository::write_event(
        conn,
        EventType::OrderUpdated,
        after,
        Some(before.prior_state()),
        reason,
        actor,
    )
    .await?;
    let stored = repository::detail(conn, after.id)
        .await?
        .ok_or_else(Problem::internal)?;
    Ok(stored.into())
}
