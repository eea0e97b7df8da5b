//! `GET /v1/orders/{id}`: the full order with items and history.

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_platform::{Json, problem::ProblemBody};

use super::{extract::OrderId, in_scope};
use crate::{
    error::{ApiError, order_not_found},
    repository,
    state::AppState,
    views::OrderDetail,
};

/// Read one order.
#[utoipa::path(
    get,
    path = "/v1/orders/{id}",
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = OrderDetail),
        (status = 401, description = "No valid access token", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Lacks orders:read", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such order, or not one the caller may see", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn get_order(
    State(state): State<AppState>,
    principal: Principal,
    OrderId(id): OrderId,
) -> Result<Json<OrderDetail>, ApiError> {
    let scope = principal.require(Permission::OrdersRead)?;
    let mut conn = state.db.acquire().await?;
    let order = repository::detail(&mut conn, id)
        .await?
        .filter(|order| in_scope(scope, order.assignee_id, principal.user_id))
        .ok_or_else(order_not_found)?;
    Ok(Json(order))
}
