//! `PATCH /v1/users/{id}`: parses the change, then applies it by the account rules
//! (`crate::accounts`).

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_platform::{
    FieldError, Json, Path, Problem, http_stack::RequestId, openapi::Problems, problem::ProblemBody,
};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::resolve_roles;
use crate::{
    accounts::{self, AccountChange},
    domain::{DisplayName, NewPassword},
    error::{ApiResult, user_not_found},
    repository::users,
    routes::schemas,
    state::AppState,
    views::UserView,
};

/// Only the fields present change; at least one must be.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1, example = json!({"roles": ["dispatcher"]}))]
pub struct UpdateUserRequest {
    #[serde(default, deserialize_with = "lom_platform::json::given")]
    #[schema(schema_with = schemas::display_name)]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "lom_platform::json::given")]
    #[schema(schema_with = schemas::role_names)]
    pub roles: Option<Vec<String>>,
    /// `false` deactivates the account and revokes its sessions.
    #[serde(default, deserialize_with = "lom_platform::json::given")]
    #[schema(nullable = false)]
    pub active: Option<bool>,
    /// A new password (admin reset); revokes the account's sessions.
    #[serde(default, deserialize_with = "lom_platform::json::given")]
    #[schema(schema_with = schemas::new_password)]
    pub password: Option<String>,
}

/// Changes display name, roles, active flag or password. Deactivating an account or
/// resetting its password revokes its sessions. The last active admin cannot be
/// deactivated or lose the admin role, and nobody can deactivate themselves.
#[utoipa::path(
    patch, path = "/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)),
    request_body = UpdateUserRequest, security(("bearer" = [])),
    responses(
        (status = 200, body = UserView),
        Problems<403, 404, 422>,
        (status = 409, description = "Would leave no active admin, or deactivate yourself", body = ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(super) async fn update_user(
    caller: Principal,
    State(state): State<AppState>,
    RequestId(request_id): RequestId,
    Path(id): Path<Uuid>,
    Json(request): Json<UpdateUserRequest>,
) -> ApiResult<Json<UserView>> {
    caller.require_all(Permission::UsersManage)?;
    let mut errors = Vec::new();
    let display_name = request
        .display_name
        .as_deref()
        .map(DisplayName::parse)
        .transpose()
        .map_err(|m| errors.push(FieldError::new("display_name", m)))
        .ok()
        .flatten();
    let password = request
        .password
        .as_deref()
        .map(NewPassword::parse)
        .transpose()
        .map_err(|m| errors.push(FieldError::new("password", m)))
        .ok()
        .flatten();
    let role_ids = match &request.roles {
        Some(names) => Some(resolve_roles(&state, names, &mut errors).await?),
        None => None,
    };
    if !errors.is_empty() {
        return Err(Problem::validation(errors).into());
    }
    if display_name.is_none()
        && password.is_none()
        && role_ids.is_none()
        && request.active.is_none()
    {
        return Err(Problem::validation(vec![FieldError::new(
            "body",
            "name at least one of display_name, roles, active, password",
        )])
        .into());
    }
    let password_hash = match &password {
        Some(p) => Some(state.hasher.hash(p).await?),
        None => None,
    };

    let change = AccountChange {
        display_name,
        roles: role_ids.zip(request.roles),
        active: request.active,
        password_hash,
    };
    accounts::change(&state, id, caller.user_id, change, request_id).await?;
    let user = users::find(&state.db, id)
        .await?
        .ok_or_else(user_not_found)?;
    Ok(Json(user.into()))
}
