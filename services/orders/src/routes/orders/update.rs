//! `PATCH /v1/orders/{id}`: change status (only along the status machine), priority or note,
//! at the version the caller last saw. Agents may change only orders assigned to them. Every
//! changed field is a history row; a delivered or cancelled order's priority and note no longer
//! change. (`POST …/cancel` cancels with a reason.)

use axum::extract::State;
use lom_auth::{Permission, Principal, Scope};
use lom_contracts::{OrderStatus, Priority};
use lom_platform::{FieldError, Json, Path, Problem, db, openapi::Problems, problem::ProblemBody};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{lock_at_version, record_update, schemas};
use crate::{
    domain::{StatusChange, Text},
    error::{ApiResult, invalid_transition, order_final},
    repository::{self, FieldChanges},
    state::AppState,
    views::OrderDetail,
};

/// At least one of `status`, `priority` and `note`, with the version the caller last saw.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 2, example = json!({"status": "CONFIRMED", "version": 1}))]
pub struct UpdateOrderRequest {
    #[serde(default, deserialize_with = "lom_platform::json::given")]
    #[schema(nullable = false)]
    status: Option<OrderStatus>,
    #[serde(default, deserialize_with = "lom_platform::json::given")]
    #[schema(nullable = false)]
    priority: Option<Priority>,
    /// A new note, or `null` to clear it.
    #[serde(default, deserialize_with = "lom_platform::json::present")]
    #[schema(schema_with = schemas::note)]
    note: Option<Option<String>>,
    /// The version the caller last saw.
    #[serde(deserialize_with = "lom_platform::integer::whole")]
    version: i64,
}

fn parse_changes(
    request: &UpdateOrderRequest,
) -> Result<(Option<OrderStatus>, FieldChanges), Problem> {
    let note = match &request.note {
        None => None,
        Some(None) => Some(None),
        Some(Some(text)) => Some(Some(Text::multiline(text, schemas::NOTE_MAX).map_err(
            |message| Problem::validation(vec![FieldError::new("note", message)]),
        )?)),
    };
    if request.status.is_none() && request.priority.is_none() && note.is_none() {
        return Err(Problem::validation(vec![FieldError::new(
            "body",
            "name at least one of status, priority or note",
        )]));
    }
    Ok((
        request.status,
        FieldChanges {
            status: None,
            priority: request.priority,
            note,
            reason: None,
        },
    ))
}

/// Change an order's status, priority or note.
#[utoipa::path(
    patch,
    path = "/v1/orders/{id}",
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    request_body = UpdateOrderRequest,
    responses(
        (status = 200, description = "The changed order", body = OrderDetail),
        Problems<400, 401, 403, 404, 422>,
        (status = 409, description = "`invalid-transition`; `order-final` (a priority or note change of a DELIVERED or CANCELLED order, its status in `order_status`); or `version-conflict` with the order as it is now in `current`", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn update_order(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    Json(request): Json<UpdateOrderRequest>,
) -> ApiResult<Json<OrderDetail>> {
    let scope = principal.require(Permission::OrdersUpdate)?;
    let (status, changes) = parse_changes(&request)?;
    change_fields(
        state,
        id,
        request.version,
        scope,
        principal.user_id,
        status,
        changes,
    )
    .await
    .map(Json)
}

/// Moves the order to `status` (along the status machine) and applies `changes`, at `version`,
/// in one transaction with its history rows and its event.
pub(super) async fn change_fields(
    state: AppState,
    id: Uuid,
    version: i64,
    scope: Scope,
    actor: Uuid,
    status: Option<OrderStatus>,
    mut changes: FieldChanges,
) -> ApiResult<OrderDetail> {
    db::detached(async move {
        let mut tx = state.db.begin().await?;
        let current = lock_at_version(&mut tx, id, version, scope, actor).await?;
        if current.status.is_final() && (changes.priority.is_some() || changes.note.is_some()) {
            return Err(order_final(current.status).into());
        }
        changes.status = status
            .map(|to| StatusChange::new(current.status, to))
            .transpose()
            .map_err(invalid_transition)?;
        let row = repository::update_fields(&mut tx, id, &changes, actor).await?;
        let detail = record_update(&mut tx, &current, &row, changes.reason.as_ref(), actor).await?;
        db::commit(tx).await?;
        Ok(detail)
    })
    .await
}
