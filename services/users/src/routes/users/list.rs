//! `GET /v1/users`: accounts by name, optionally matching a search and including deactivated
//! ones.

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_platform::{Json, Problem, Query, openapi::Problems};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    error::ApiResult,
    repository::users,
    routes::schemas::{self, SEARCH_MAX},
    state::AppState,
    views::UserView,
};

const MAX_LIST: i64 = 500;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Matches email or display name, case-insensitively.
    #[param(schema_with = schemas::user_search)]
    pub q: Option<String>,
    /// Include deactivated accounts (default false).
    #[serde(default)]
    pub include_inactive: bool,
}

/// Lists accounts by name.
#[utoipa::path(
    get, path = "/v1/users", tag = "users", params(ListParams), security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<UserView>),
        Problems<401, 403>,
    ),
)]
pub(super) async fn list_users(
    caller: Principal,
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<Vec<UserView>>> {
    caller.require_all(Permission::UsersRead)?;
    let raw = params.q.as_deref().unwrap_or_default();
    if raw.chars().count() > SEARCH_MAX {
        return Err(
            Problem::bad_request(format!("q must be at most {SEARCH_MAX} characters")).into(),
        );
    }
    if raw.chars().any(char::is_control) {
        return Err(Problem::bad_request("q must not contain control characters").into());
    }
    let search = Some(raw.trim()).filter(|q| !q.is_empty());
    let rows = users::list(&state.db, search, params.include_inactive, MAX_LIST).await?;
    Ok(Json(rows.into_iter().map(UserView::from).collect()))
}
