//! `GET /v1/orders` (filtered, sorted newest first, oldest first, by priority then age or due first, in
//! keyset pages) and `GET /v1/orders/stats` (counts per status under the same filters, how many
//! are overdue, and when an order becomes overdue). Agents only ever see orders assigned to them.

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_platform::{Json, Query, openapi::Problems, problem::ProblemBody};

use super::query::{FilterQuery, PageQuery, SortQuery};
use crate::{
    error::ApiResult,
    repository::{self, Cursor},
    state::AppState,
    views::{OrderPage, OrderStats},
};

/// List orders, newest first unless sorted otherwise.
#[utoipa::path(
    get,
    path = "/v1/orders",
    tag = "orders",
    params(FilterQuery, SortQuery, PageQuery),
    responses(
        (status = 200, description = "One page of orders", body = OrderPage),
        (status = 400, description = "A malformed filter, sort or cursor, or a limit above 200", body = ProblemBody, content_type = "application/problem+json"),
        Problems<401, 403>,
    )
)]
pub async fn list_orders(
    State(state): State<AppState>,
    principal: Principal,
    Query(filter): Query<FilterQuery>,
    Query(sort): Query<SortQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<OrderPage>> {
    let scope = principal.require(Permission::OrdersRead)?;
    let filter = filter.parse(&principal, scope, state.settings.overdue_after)?;
    let sort = sort.sort(state.settings.overdue_after);
    let (cursor, limit) = page.parse()?;
    let (items, more) = repository::list(&state.db, &filter, sort, cursor, limit).await?;
    let next_cursor = more
        .then(|| items.last().map(|row| Cursor::after(row).encode(sort)))
        .flatten();
    Ok(Json(OrderPage { items, next_cursor }))
}

/// Count orders per status under the same filters as the list, and how many are overdue.
#[utoipa::path(
    get,
    path = "/v1/orders/stats",
    tag = "orders",
    params(FilterQuery),
    responses(
        (status = 200, description = "Counts per status, the overdue count and thresholds", body = OrderStats),
        Problems<400, 401, 403>,
    )
)]
pub async fn order_stats(
    State(state): State<AppState>,
    principal: Principal,
    Query(filter): Query<FilterQuery>,
) -> ApiResult<Json<OrderStats>> {
    let scope = principal.require(Permission::OrdersRead)?;
    let overdue_after = state.settings.overdue_after;
    let filter = filter.parse(&principal, scope, overdue_after)?;
    let counts = repository::stats(&state.db, &filter, overdue_after).await?;
    Ok(Json(OrderStats::new(counts, overdue_after)))
}
