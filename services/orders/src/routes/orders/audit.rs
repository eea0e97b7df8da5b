//! `GET /v1/orders/audit`: the order actions of the audit log (who did what to which order,
//! when), newest first, filtered by actor, action and time, paged by a keyset cursor; for
//! `audit:read`, the permission that reads users-service's account audit.

use axum::extract::State;
use chrono::{DateTime, Utc};
use lom_auth::{Permission, Principal};
use lom_platform::{FieldError, Json, Problem, Query, openapi::Problems};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::schemas;
use crate::{
    error::ApiResult,
    repository::actions::{self, ActionCursor, ActionFilter, OrderAction},
    state::AppState,
    views::OrderActionView,
};

const DEFAULT_LIMIT: i64 = 50;
/// Keep in step with the `limit` parameter's documented maximum.
const MAX_LIMIT: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderAuditParams {
    /// Only what this account did.
    actor: Option<Uuid>,
    /// Only this kind of action.
    #[param(inline)]
    action: Option<OrderAction>,
    /// From this instant on (inclusive), RFC 3339. A range ending before it starts is empty.
    from: Option<DateTime<Utc>>,
    /// Before this instant (exclusive), RFC 3339.
    to: Option<DateTime<Utc>>,
    /// The `next_cursor` of the previous page, sent with the same filters (empty or absent:
    /// the first page).
    #[param(schema_with = schemas::action_cursor)]
    cursor: Option<String>,
    /// Actions per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// One page of order actions; `next_cursor` is null on the last.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderAuditPage {
    pub items: Vec<OrderActionView>,
    pub next_cursor: Option<String>,
}

fn bad_parameter(field: &str, message: &str) -> Problem {
    Problem::bad_request(format!("{field}: {message}"))
        .with_extension("errors", [FieldError::new(field, message)])
}

/// The order actions of the audit log: who did what to which order, when.
///
/// Built from the orders' own history (creation, status changes, cancellations with their
/// reason, assignments, undo, priority and note changes, internal notes) and the audit of what
/// leaves no history row (a deletion, a CSV export). A bulk request appears as the change it
/// made to each order. Newest first; actions at the same instant (one change touching several
/// fields) list the status change before the others.
#[utoipa::path(
    get, path = "/v1/orders/audit", tag = "order-audit", params(OrderAuditParams),
    responses(
        (status = 200, body = OrderAuditPage),
        Problems<400, 401, 403>,
    ),
)]
pub async fn order_audit(
    principal: Principal,
    State(state): State<AppState>,
    Query(params): Query<OrderAuditParams>,
) -> ApiResult<Json<OrderAuditPage>> {
    principal.require_all(Permission::AuditRead)?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad_parameter("limit", &format!("must be between 1 and {MAX_LIMIT}")).into());
    }
    let after = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            ActionCursor::decode(text)
                .ok_or_else(|| bad_parameter("cursor", "not a cursor from this API"))?,
        ),
    };
    let filter = ActionFilter {
        actor: params.actor,
        action: params.action,
        from: params.from,
        to: params.to,
        after,
    };
    let mut rows = actions::list_actions(&state.db, &filter, limit + 1).await?;
    let next_cursor = if rows.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
        rows.truncate(rows.len() - 1);
        rows.last().map(|row| ActionCursor::after(row).encode())
    } else {
        None
    };
    Ok(Json(OrderAuditPage {
        items: rows.into_iter().map(OrderActionView::from).collect(),
        next_cursor,
    }))
}
