//! `GET /v1/orders/{id}`: the full order with items and history.

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_platform::{Json, Path, openapi::Problems};
use uuid::Uuid;

use super::in_scope;
use crate::{
    error::{ApiResult, order_not_found},
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
        Problems<400, 401, 403, 404>,
    )
)]
pub async fn get_order(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<OrderDetail>> {
    let scope = principal.require(Permission::OrdersRead)?;
    let mut conn = state.db.acquire().await?;
    let order = repository::detail(&mut conn, id)
        .await?
        .filter(|stored| in_scope(scope, stored.order.assignee_id, principal.user_id))
        .ok_or_else(order_not_found)?;
    Ok(Json(order.into()))
}
