//! `POST /v1/orders/{id}/cancel`: cancel an order and say why, at the version the caller last
//! saw. The rules of a PATCH to `CANCELLED` (`orders:update`, agents only their own orders,
//! only from PENDING, CONFIRMED or PROCESSING); the reason goes into the history and into the
//! cancellation's `order.updated` event.

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_contracts::{CancelReason, CancelReasonCode, OrderStatus};
use lom_platform::{FieldError, Json, Path, Problem, openapi::Problems, problem::ProblemBody};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{schemas, update::change_fields};
use crate::{
    domain::Text, error::ApiResult, repository::FieldChanges, state::AppState, views::OrderDetail,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": {"code": "out_of_stock", "text": "None until May"}, "version": 3}))]
pub struct CancelOrderRequest {
    /// Why: a code from the list, and free text (one line, at most 500 characters), which the
    /// code `other` requires.
    #[schema(schema_with = schemas::cancel_reason)]
    reason: CancelReason,
    /// The version the caller last saw.
    #[serde(deserialize_with = "lom_platform::integer::whole")]
    version: i64,
}

/// The reason as recorded: its text checked like every one-line field; `other` says what.
pub(super) fn parse_reason(reason: CancelReason) -> Result<CancelReason, Problem> {
    let invalid =
        |message: String| Problem::validation(vec![FieldError::new("reason.text", message)]);
    let text = reason
        .text
        .as_deref()
        .map(|text| Text::line(text, schemas::REASON_TEXT_MAX))
        .transpose()
        .map_err(invalid)?
        .map(Text::into_inner);
    if reason.code == CancelReasonCode::Other && text.is_none() {
        return Err(invalid("is required when the code is other".to_owned()));
    }
    Ok(CancelReason {
        code: reason.code,
        text,
    })
}

/// Cancel an order, with the reason.
#[utoipa::path(
    post,
    path = "/v1/orders/{id}/cancel",
    tag = "orders",
    params(("id" = uuid::Uuid, Path, description = "Order id")),
    request_body = CancelOrderRequest,
    responses(
        (status = 200, description = "The cancelled order; its history has the reason", body = OrderDetail),
        Problems<400, 401, 403, 404, 422>,
        (status = 409, description = "`invalid-transition` (already shipped, delivered or cancelled), or `version-conflict` with the order as it is now in `current`", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn cancel_order(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<Uuid>,
    Json(request): Json<CancelOrderRequest>,
) -> ApiResult<Json<OrderDetail>> {
    let scope = principal.require(Permission::OrdersUpdate)?;
    let changes = FieldChanges {
        reason: Some(parse_reason(request.reason)?),
        ..FieldChanges::default()
    };
    let status = Some(OrderStatus::Cancelled);
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
