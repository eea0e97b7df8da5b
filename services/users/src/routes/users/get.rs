//! `GET /v1/users/{id}`: one account.

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_platform::{Json, Path, openapi::Problems};
use uuid::Uuid;

use crate::{
    error::{ApiResult, user_not_found},
    repository::users,
    state::AppState,
    views::UserView,
};

/// One account.
#[utoipa::path(
    get, path = "/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = UserView),
        Problems<403, 404>,
    ),
)]
pub(super) async fn get_user(
    caller: Principal,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    caller.require_all(Permission::UsersRead)?;
    let user = users::find(&state.db, id)
        .await?
        .ok_or_else(user_not_found)?;
    Ok(Json(user.into()))
}
