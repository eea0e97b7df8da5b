//! `/v1/roles`: the role catalogue with each role's permissions.

use axum::extract::State;
use lom_auth::Principal;
use lom_platform::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{error::ApiResult, repository::roles, state::AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_roles))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    pub name: String,
    pub description: String,
    pub permissions: Vec<String>,
}

/// Every role and the permissions it grants (any signed-in caller).
#[utoipa::path(
    get,
    path = "/v1/roles",
    tag = "roles",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<RoleView>),
        (status = 401, body = lom_platform::problem::ProblemBody, content_type = "application/problem+json"),
    ),
)]
async fn list_roles(
    _caller: Principal,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<RoleView>>> {
    let rows = roles::list(&state.db).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| RoleView {
                name: r.name,
                description: r.description,
                permissions: r.permissions,
            })
            .collect(),
    ))
}
