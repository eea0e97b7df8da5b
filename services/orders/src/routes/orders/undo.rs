//! `POST /v1/orders/{id}/undo`: reverse the caller's own last status change or assignment of
//! an order, within a minute, if nobody changed the order since (`version` is the one the
//! caller's change produced). The reversal is a change of its own: version bumped, history rows
//! marked `undo`, an `order.updated` event. It may go where the status machine does not (a
//! cancellation undone is the order back where it was); an undo is not itself undoable.

use std::time::Duration;

use axum::extract::State;
use chrono::Utc;
use lom_auth::{Permission, Principal, Scope};
use lom_contracts::EventType;
use lom_platform::{Json, Path, db, problem::ProblemBody};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{lock_at_version, record_update};
use crate::{
    error::{ApiResult, nothing_to_undo},
    repository,
    state::AppState,
    users::Forwarded,
    views::OrderDetail,
};

/// How long after a change its author may still undo it.
pub const UNDO_WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"version": 3}))]
pub struct UndoRequest {
    /// The version the caller's change produced.
    #[serde(deserialize_with = "lom_platform::integer::whole")]
    version: i64,
}

/// Undo your last status change or assignment.
#[utoipa::path(
    post,
    path = "/v1/orders/{id}/undo",
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    request_body = UndoRequest,
    responses(
        (status = 200, description = "The order as it was before the change", body = OrderDetail),
        (status = 400, description = "Malformed JSON", body = ProblemBody, content_type = "application/problem+json"),
        (status = 401, description = "No valid access token", body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Lacks orders:update (a status change) or orders:assign (an assignment)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such order, or not one the caller may change", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "`version-conflict` (changed since, the order as it is now in `current`), or `nothing-to-undo` (the last change is not the caller's own status change or assignment of the last minute, or is an undo)", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or unknown fields, or the previous assignee may no longer work orders", body = ProblemBody, content_type = "application/problem+json"),
        (status = 503, description = "users-service is unavailable", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn undo_order(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    caller: Forwarded,
    Json(request): Json<UndoRequest>,
) -> ApiResult<Json<OrderDetail>> {
    let update = principal.scope(Permission::OrdersUpdate);
    let assign = principal.scope(Permission::OrdersAssign);
    let scope = update
        .or(assign)
        .map_or_else(|| principal.require(Permission::OrdersUpdate), Ok)?;
    let actor = principal.user_id;
    let version = request.version;

    // The previous assignee must still be someone who may work orders: asked before the
    // transaction (users-service is remote). The change read again under the lock is the same
    // one: one event per version.
    let mut conn = state.db.acquire().await?;
    let seen = repository::last_change(&mut conn, id, version).await?;
    drop(conn);
    if let Some(previous) = seen.as_ref().and_then(|change| change.previous)
        && let Some(user) = previous.assignee_id
    {
        state.users.check_assignable(user, &caller).await?;
    }

    db::detached(async move {
        let mut tx = state.db.begin().await?;
        let current = lock_at_version(&mut tx, id, version, scope, actor).await?;
        let change = repository::last_change(&mut tx, id, version)
            .await?
            .filter(|change| {
                change.kind == EventType::OrderUpdated
                    && change.actor == actor
                    && !change.was_undo
                    && (Utc::now() - change.occurred_at)
                        .to_std()
                        .is_ok_and(|age| age <= UNDO_WINDOW)
            })
            .ok_or_else(nothing_to_undo)?;
        let before = change.previous.ok_or_else(nothing_to_undo)?;
        let status_changed = before.status != current.status;
        let assignee_changed = before.assignee_id != current.assignee_id;
        if !status_changed && !assignee_changed {
            return Err(nothing_to_undo().into());
        }
        if status_changed {
            principal.require(Permission::OrdersUpdate)?;
        }
        if assignee_changed && assign != Some(Scope::All) {
            principal.require_all(Permission::OrdersAssign)?;
        }
        let row = repository::revert(&mut tx, &current, before, actor).await?;
        let detail = record_update(&mut tx, &current, &row, None, actor).await?;
        db::commit(tx).await?;
        Ok(Json(detail))
    })
    .await
}
