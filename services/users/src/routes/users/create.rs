//! `POST /v1/users`: a new account with the given roles, audited in the same transaction.

use axum::{extract::State, http::StatusCode};
use lom_auth::{Permission, Principal};
use lom_platform::{
    FieldError, Json, Problem, db, http_stack::RequestId, openapi::Problems, problem::ProblemBody,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::resolve_roles;
use crate::{
    domain::{DisplayName, Email, NewPassword},
    error::{ApiResult, email_conflict},
    repository::{audit, users},
    routes::schemas,
    state::AppState,
    views::UserView,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "email": "somchai@example.com",
    "display_name": "สมชาย ใจดี",
    "password": "correct horse battery staple",
    "roles": ["agent"]
}))]
pub struct CreateUserRequest {
    #[schema(schema_with = schemas::email, example = "somchai@example.com")]
    pub email: String,
    /// Defaults to the part of the email before `@`.
    #[schema(schema_with = schemas::display_name_or_null)]
    pub display_name: Option<String>,
    #[schema(schema_with = schemas::new_password)]
    pub password: String,
    #[schema(schema_with = schemas::role_names, example = json!(["agent"]))]
    pub roles: Vec<String>,
}

/// Creates an account with the given roles.
#[utoipa::path(
    post, path = "/v1/users", tag = "users", request_body = CreateUserRequest, security(("bearer" = [])),
    responses(
        (status = 201, body = UserView),
        Problems<403, 422>,
        (status = 409, description = "The email is taken", body = ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(super) async fn create_user(
    caller: Principal,
    State(state): State<AppState>,
    RequestId(request_id): RequestId,
    Json(request): Json<CreateUserRequest>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    caller.require_all(Permission::UsersManage)?;
    let mut errors = Vec::new();
    let email = Email::parse(&request.email)
        .map_err(|m| errors.push(FieldError::new("email", m)))
        .ok();
    let display_name = match request.display_name.as_deref() {
        Some(raw) => DisplayName::parse(raw)
            .map_err(|m| errors.push(FieldError::new("display_name", m)))
            .ok(),
        None => email.as_ref().map(DisplayName::from_email),
    };
    let password = NewPassword::parse(&request.password)
        .map_err(|m| errors.push(FieldError::new("password", m)))
        .ok();
    let role_ids = resolve_roles(&state, &request.roles, &mut errors).await?;
    let (Some(email), Some(display_name), Some(password), true) =
        (email, display_name, password, errors.is_empty())
    else {
        return Err(Problem::validation(errors).into());
    };

    let hash = state.hasher.hash(&password).await?;
    let id = Uuid::now_v7();
    let caller_id = caller.user_id;
    let pool = state.db.clone();
    let roles = request.roles;
    db::detached(async move {
        let mut tx = pool.begin().await?;
        users::insert(&mut tx, id, &email, &display_name, &hash)
            .await
            .map_err(email_conflict)?;
        users::replace_roles(&mut tx, id, &role_ids, Some(caller_id)).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                actor: Some(caller_id),
                action: audit::Action::UserCreated,
                target: Some(id),
                details: json!({ "email": email.as_str(), "roles": roles }),
                request_id: request_id.as_deref(),
            },
        )
        .await?;
        tx.commit().await?;
        ApiResult::Ok(())
    })
    .await?;
    let user = users::find(&state.db, id)
        .await?
        .ok_or_else(Problem::internal)?;
    Ok((StatusCode::CREATED, Json(user.into())))
}
