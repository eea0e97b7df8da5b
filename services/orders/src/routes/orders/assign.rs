//! `POST /v1/orders/{id}/assign`: give an order to a user who may work orders (checked with
//! users-service), or unassign it with `null`, at the version the caller last saw.

use axum::extract::State;
use lom_auth::{Permission, Principal, Scope};
use lom_platform::{FieldError, Json, Path, Problem, db, openapi::Problems, problem::ProblemBody};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{lock_at_version, record_update};
use crate::{error::ApiResult, repository, state::AppState, users::Forwarded, views::OrderDetail};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"assignee_id": "0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b", "version": 1}))]
pub struct AssignOrderRequest {
    /// The user to assign, or `null` to unassign.
    #[serde(default, deserialize_with = "lom_platform::json::present")]
    #[schema(value_type = Option<Uuid>, required = true)]
    assignee_id: Option<Option<Uuid>>,
    /// The version the caller last saw.
    #[serde(deserialize_with = "lom_platform::integer::whole")]
    version: i64,
}

/// Assign or unassign an order.
#[utoipa::path(
    post,
    path = "/v1/orders/{id}/assign",
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    request_body = AssignOrderRequest,
    responses(
        (status = 200, description = "The order with its new assignee", body = OrderDetail),
        Problems<400, 401, 403, 404>,
        (status = 409, description = "`version-conflict` with the order as it is now in `current`", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "The assignee is not an active user who may work orders, or invalid fields", body = ProblemBody, content_type = "application/problem+json"),
        (status = 503, description = "users-service is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn assign_order(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    caller: Forwarded,
    Json(request): Json<AssignOrderRequest>,
) -> ApiResult<Json<OrderDetail>> {
    principal.require_all(Permission::OrdersAssign)?;
    let Some(assignee) = request.assignee_id else {
        return Err(Problem::validation(vec![FieldError::new(
            "assignee_id",
            "is required (null unassigns)",
        )])
        .into());
    };
    if let Some(user) = assignee {
        state.users.check_assignable(user, &caller).await?;
    }
    assign_at_version(state, id, request.version, assignee, principal.user_id)
        .await
        .map(Json)
}

/// Gives order `id` to `assignee` (already checked with users-service), or unassigns it, at
/// `version`, in one transaction with its history row and its event.
pub(super) async fn assign_at_version(
    state: AppState,
    id: Uuid,
    version: i64,
    assignee: Option<Uuid>,
    actor: Uuid,
) -> ApiResult<OrderDetail> {
    db::detached(async move {
        let mut tx = state.db.begin().await?;
        let current = lock_at_version(&mut tx, id, version, Scope::All, actor).await?;
        let row = repository::assign(&mut tx, &current, assignee, actor).await?;
        let detail = record_update(&mut tx, &current, &row, None, actor).await?;
        db::commit(tx).await?;
        Ok(detail)
    })
    .await
}
