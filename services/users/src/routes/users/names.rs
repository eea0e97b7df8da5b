//! `GET /v1/users/names`: every account's display name, for anyone who reads orders.

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_platform::{Json, openapi::Problems};

use crate::{error::ApiResult, repository::users, state::AppState, views::UserName};

/// The display name of every account, deactivated ones included, for anyone who reads orders
/// (so an agent's board and timeline can name its colleagues), by name then email; each says
/// whether it may work orders (the assignee filter offers only those).
#[utoipa::path(
    get, path = "/v1/users/names", tag = "users", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<UserName>),
        Problems<403>,
    ),
)]
pub(super) async fn list_names(
    caller: Principal,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<UserName>>> {
    caller.require(Permission::OrdersRead)?;
    let rows = users::names(&state.db).await?;
    Ok(Json(rows.into_iter().map(UserName::from).collect()))
}
