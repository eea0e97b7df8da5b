//! `/v1/users`: staff accounts (list, create, read, change) and the assignable staff list.
//! Reading needs `users:read`, changing `users:manage`, the assignable list `orders:assign`.

use axum::{extract::State, http::StatusCode};
use lom_auth::{Permission, Principal};
use lom_platform::{
    FieldError, Json, Path, Problem, Query, db, http_stack::RequestId, openapi::Problems,
    problem::ProblemBody,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    domain::{DisplayName, Email, NewPassword},
    error::{ApiError, ApiResult},
    repository::{audit, refresh_tokens, roles, users},
    routes::{
        schemas::{self, SEARCH_MAX},
        views::{UserName, UserView},
    },
    state::AppState,
};

const MAX_LIST: i64 = 500;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(list_assignable))
        .routes(routes!(get_assignable))
        .routes(routes!(list_names))
        .routes(routes!(get_user, update_user))
}

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

/// Lists accounts by name.
#[utoipa::path(
    get, path = "/v1/users", tag = "users", params(ListParams), security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<UserView>),
        Problems<401, 403>,
    ),
)]
async fn list_users(
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

/// Creates an account with the given roles.
#[utoipa::path(
    post, path = "/v1/users", tag = "users", request_body = CreateUserRequest, security(("bearer" = [])),
    responses(
        (status = 201, body = UserView),
        Problems<403, 422>,
        (status = 409, description = "The email is taken", body = ProblemBody, content_type = "application/problem+json"),
    ),
)]
async fn create_user(
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
                action: "user.created",
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

/// One account.
#[utoipa::path(
    get, path = "/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses(
        (status = 200, body = UserView),
        Problems<403, 404>,
    ),
)]
async fn get_user(
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
async fn update_user(
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

    let caller_id = caller.user_id;
    let revocations = state.revocations.clone();
    let pool = state.db.clone();
    db::detached(async move {
        let mut tx = pool.begin().await?;
        if !users::lock(&mut tx, id).await? {
            return Err(user_not_found().into());
        }
        let current = users::find(&mut *tx, id)
            .await?
            .ok_or_else(user_not_found)?;
        let loses_admin = current.is_active
            && current.roles.iter().any(|r| r == "admin")
            && (request.active == Some(false)
                || request
                    .roles
                    .as_ref()
                    .is_some_and(|r| !r.iter().any(|n| n == "admin")));
        if request.active == Some(false) && id == caller_id {
            return Err(Problem::conflict(
                "self-deactivation",
                "Cannot deactivate yourself",
                "Ask another administrator to deactivate your account.",
            )
            .into());
        }
        if loses_admin && users::count_other_active_admins(&mut tx, Some(id)).await? == 0 {
            return Err(Problem::conflict(
                "last-admin",
                "The last administrator must stay",
                "At least one active administrator must remain.",
            )
            .into());
        }

        let mut changed = Map::new();
        if let Some(name) = &display_name {
            users::set_display_name(&mut tx, id, name).await?;
            changed.insert("display_name".into(), name.as_str().into());
        }
        if let (Some(ids), Some(names)) = (&role_ids, &request.roles) {
            users::replace_roles(&mut tx, id, ids, Some(caller_id)).await?;
            changed.insert("roles".into(), json!(names));
        }
        let mut revoked_at = None;
        if let Some(active) = request.active {
            users::set_active(&mut tx, id, active).await?;
            changed.insert("active".into(), active.into());
            if !active {
                refresh_tokens::revoke_user(&mut *tx, id, "deactivated").await?;
                revoked_at = Some(users::revoke_sessions(&mut tx, id).await?);
            }
        }
        if let Some(hash) = &password_hash {
            users::set_password_hash(&mut tx, id, hash).await?;
            refresh_tokens::revoke_user(&mut *tx, id, "password_reset").await?;
            revoked_at = Some(users::revoke_sessions(&mut tx, id).await?);
            changed.insert("password".into(), Value::from("reset"));
        }
        audit::record(
            &mut tx,
            audit::Entry {
                actor: Some(caller_id),
                action: "user.updated",
                target: Some(id),
                details: Value::Object(changed),
                request_id: request_id.as_deref(),
            },
        )
        .await?;
        tx.commit().await?;
        if let Some(revoked_at) = revoked_at {
            revocations.announce(id, revoked_at).await;
        }
        ApiResult::Ok(())
    })
    .await?;
    let user = users::find(&state.db, id)
        .await?
        .ok_or_else(user_not_found)?;
    Ok(Json(user.into()))
}

/// Active staff who may work orders, for the assignee picker.
#[utoipa::path(
    get, path = "/v1/users/assignable", tag = "users", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<UserView>),
        Problems<403>,
    ),
)]
async fn list_assignable(
    caller: Principal,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<UserView>>> {
    caller.require_all(Permission::OrdersAssign)?;
    let rows = users::assignable(&state.db, None).await?;
    Ok(Json(rows.into_iter().map(UserView::from).collect()))
}

/// The display name of every account, deactivated ones included, for anyone who reads orders
/// (so an agent's board and timeline can name its colleagues).
#[utoipa::path(
    get, path = "/v1/users/names", tag = "users", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<UserName>),
        Problems<403>,
    ),
)]
async fn list_names(
    caller: Principal,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<UserName>>> {
    caller.require(Permission::OrdersRead)?;
    let rows = users::names(&state.db).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(id, display_name, active)| UserName {
                id,
                display_name,
                active,
            })
            .collect(),
    ))
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
async fn get_assignable(
    caller: Principal,
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    caller.require_all(Permission::OrdersAssign)?;
    let user = users::assignable(&state.db, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Problem::not_found("No active account that may work orders has this id."))?;
    Ok(Json(user.into()))
}

/// Role ids for `names`; unknown, duplicate or missing roles are field errors.
async fn resolve_roles(
    state: &AppState,
    names: &[String],
    errors: &mut Vec<FieldError>,
) -> ApiResult<Vec<i16>> {
    if names.is_empty() {
        errors.push(FieldError::new("roles", "must name at least one role"));
        return Ok(Vec::new());
    }
    if names.len() > 16 {
        errors.push(FieldError::new("roles", "must name at most 16 roles"));
        return Ok(Vec::new());
    }
    // A name that cannot be a role (control characters such as NUL, overlong) is reported
    // without asking the database, which could not even store it.
    let plausible: Vec<String> = names
        .iter()
        .filter(|n| n.len() <= 64 && !n.chars().any(char::is_control))
        .cloned()
        .collect();
    let found = roles::resolve(&state.db, &plausible).await?;
    let ids: Vec<Option<i16>> = names
        .iter()
        .map(|n| plausible.iter().position(|p| p == n).and_then(|i| found[i]))
        .collect();
    let mut resolved = Vec::new();
    for (i, (name, id)) in names.iter().zip(ids).enumerate() {
        match id {
            Some(id) if !resolved.contains(&id) => resolved.push(id),
            Some(_) => errors.push(FieldError::new(format!("roles[{i}]"), "is named twice")),
            None => errors.push(FieldError::new(
                format!("roles[{i}]"),
                format!("no role is named {name:?}"),
            )),
        }
    }
    Ok(resolved)
}

fn user_not_found() -> Problem {
    Problem::not_found("No account has this id.")
}

fn email_conflict(err: sqlx::Error) -> ApiError {
    if db::violated_constraint(&err) == Some("users_email_key") {
        Problem::conflict(
            "email-taken",
            "Email already in use",
            "Another account already uses this email.",
        )
        .into()
    } else {
        err.into()
    }
}
