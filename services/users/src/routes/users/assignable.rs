//! `GET /v1/users/assignable` (the assignee picker) and `GET /v1/users/assignable/{id}` (asked
//! by orders-service before it assigns): active staff who may work orders.

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_platform::{Json, Path, openapi::Problems};
use uuid::Uuid;

use crate::{
    error::{ApiResult, not_assignable},
    repository::users,
    state::AppState,
    views::UserView,
};

/// Active staff who may work orders, for the assignee picker.
#[utoipa::path(
    get, path = "/v1/users/assignable", tag = "users", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<UserView>),
        Problems<403>,
    ),
)]
pub(super) async fn list_assignable(
    caller: Principal,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<UserView>>> {
    caller.require_all(Permission::OrdersAssign)?;
    let rows = users::assignable(&state.db, None).await?;
    Ok(Json(rows.into_iter().map(UserView::from).collect()))
}

/// One assignable account: 404 unless it is active and may work orders (orders-service
/// asks this before assigning).
#[utoipa::path(
    get, path = "/v1/users/assignable/{id}", tag = "users", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = UserView),
        Problems<403, 404>,
    ),
)]
pub(super) async fn get_assignable(
    caller: Principal,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    caller.require_all(Permission::OrdersAssign)?;
    let user = users::assignable(&state.db, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(not_assignable)?;
    Ok(Json(user.into()))
}
