//! `DELETE /v1/orders/{id}`: a soft delete. The order leaves lists and reads, its history
//! stays, an `order.deleted` event carries its last snapshot, and `order_audit` records who
//! deleted it (a deletion leaves no history row).

use axum::{extract::State, http::StatusCode};
use lom_auth::{Permission, Principal};
use lom_contracts::EventType;
use lom_platform::{Path, db, http_stack::RequestId, openapi::Problems};
use serde_json::json;
use uuid::Uuid;

use crate::{
    error::{ApiResult, order_not_found},
    repository::{self, AuditAction, AuditEntry},
    state::AppState,
};

/// Delete an order.
#[utoipa::path(
    delete,
    path = "/v1/orders/{id}",
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    responses(
        (status = 204, description = "Deleted"),
        Problems<400, 401, 403, 404>,
    )
)]
pub async fn delete_order(
    State(state): State<AppState>,
    principal: Principal,
    RequestId(request_id): RequestId,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    principal.require_all(Permission::OrdersDelete)?;
    let actor = principal.user_id;
    db::detached(async move {
        let mut tx = state.db.begin().await?;
        let current = repository::lock_current(&mut tx, id)
            .await?
            .ok_or_else(order_not_found)?;
        let row = repository::soft_delete(&mut tx, id).await?;
        repository::record_audit(
            &mut *tx,
            AuditEntry {
                actor,
                action: AuditAction::Deleted,
                order: Some(id),
                details: json!({}),
                request_id: request_id.as_deref(),
            },
        )
        .await?;
        repository::write_event(
            &mut tx,
            EventType::OrderDeleted,
            &row,
            Some(current.prior_state()),
            None,
            actor,
        )
        .await?;
        db::commit(tx).await?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}
