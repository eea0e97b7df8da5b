//! `GET /v1/orders/workload`: how many open orders each person holds, for the assign list and
//! the assignee filter (the dashboard joins it with users-service's people by id).

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_platform::{Json, openapi::Problems};

use crate::{error::ApiResult, repository, state::AppState, views::AssigneeWorkload};

/// Open orders per assignee: one entry per person holding at least one order that is neither
/// DELIVERED nor CANCELLED (absent means none). For those who read every order.
#[utoipa::path(
    get,
    path = "/v1/orders/workload",
    tag = "orders",
    responses(
        (status = 200, description = "Open orders per assignee", body = Vec<AssigneeWorkload>),
        Problems<401, 403>,
    )
)]
pub async fn workload(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<Json<Vec<AssigneeWorkload>>> {
    principal.require_all(Permission::OrdersRead)?;
    let rows = repository::open_by_assignee(&state.db).await?;
    Ok(Json(rows.into_iter().map(AssigneeWorkload::from).collect()))
}
