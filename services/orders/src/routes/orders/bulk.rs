//! `POST /v1/orders/bulk`: one action (assign or unassign, a status change, a cancellation with
//! a reason) on up to [`MAX_ITEMS`] orders, each at the version the caller saw. Nothing is
//! all-or-nothing: each order is its own versioned write through the single action's path (its
//! own history rows and event, undoable like the single change), and the answer says, per
//! item and in request order, what happened.

use std::collections::HashMap;

use axum::extract::State;
use lom_auth::{Permission, Principal};
use lom_contracts::{CancelReason, OrderStatus};
use lom_platform::{FieldError, Json, Problem, openapi::Problems, problem::ProblemBody};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{assign::assign_at_version, cancel::parse_reason, schemas, update::change_fields};
use crate::{
    error::ApiResult, repository::FieldChanges, state::AppState, users::Forwarded,
    views::OrderDetail,
};

/// Keep in step with the `items` schema's documented maximum.
pub const MAX_ITEMS: usize = 200;

/// What to do with every order of the request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum BulkAction {
    /// Assign the orders to `assignee_id`, or unassign them with `null` (`orders:assign`).
    Assign {
        #[serde(default, deserialize_with = "lom_platform::json::present")]
        #[schema(value_type = Option<Uuid>, required = true)]
        assignee_id: Option<Option<Uuid>>,
    },
    /// Move the orders to `status` along the status machine (`orders:update`; as with a
    /// PATCH, `CANCELLED` this way records no reason: the `cancel` action takes one).
    Status { status: OrderStatus },
    /// Cancel the orders, with the reason (`orders:update`).
    Cancel {
        #[schema(schema_with = schemas::cancel_reason)]
        reason: CancelReason,
    },
}

/// One order and the version the caller saw.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkItem {
    id: Uuid,
    /// The version the caller last saw.
    #[serde(deserialize_with = "lom_platform::integer::whole")]
    version: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "action": {"type": "status", "status": "CONFIRMED"},
    "items": [{"id": "0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b", "version": 1}]
}))]
pub struct BulkRequest {
    action: BulkAction,
    /// The orders, each at most once.
    #[schema(min_items = 1, max_items = 200)]
    items: Vec<BulkItem>,
}

/// How one item ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BulkOutcome {
    /// Changed; `order` is the order as it now is.
    Done,
    /// Changed by someone else since the caller saw it (`version-conflict`); `order` is the
    /// order as it now is, unchanged by this request.
    Conflict,
    /// The change is not allowed for this order (`invalid-transition`, `order-final`).
    NotAllowed,
    /// No such order, or one outside the caller's scope (the same answer).
    NotFound,
    /// Anything else (e.g. the database was unavailable); `problem` says what.
    Failed,
}

/// The outcome of one item: the order (when done or in conflict) or the problem the single
/// action would have answered.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkResult {
    pub id: Uuid,
    pub outcome: BulkOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderDetail>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<ProblemBody>,
}

/// One result per item, in request order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkResponse {
    pub results: Vec<BulkResult>,
}

/// The action as checked once for the whole request.
enum Checked {
    Assign(Option<Uuid>),
    Status(OrderStatus, FieldChanges),
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem::validation(vec![FieldError::new(field, message)])
}

/// 422 when there are no items, more than [`MAX_ITEMS`], or an order more than once.
fn check_items(items: &[BulkItem]) -> Result<(), Problem> {
    if items.is_empty() {
        return Err(invalid("items", "name at least one order"));
    }
    if items.len() > MAX_ITEMS {
        return Err(invalid(
            "items",
            format!("at most {MAX_ITEMS} orders per request"),
        ));
    }
    let mut seen = HashMap::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        if let Some(first) = seen.insert(item.id, index) {
            return Err(invalid(
                format!("items[{index}].id"),
                format!("names the same order as items[{first}]"),
            ));
        }
    }
    Ok(())
}

/// Apply one action to many orders, each at the version the caller saw.
#[utoipa::path(
    post,
    path = "/v1/orders/bulk",
    tag = "orders",
    request_body = BulkRequest,
    responses(
        (status = 200, description = "One result per item, in request order; nothing is all-or-nothing", body = BulkResponse),
        Problems<400, 401, 403>,
        (status = 422, description = "No items, more than 200, an order named twice, an invalid action or item (the field is named), or an assignee who may not work orders", body = ProblemBody, content_type = "application/problem+json"),
        (status = 503, description = "users-service is unavailable (assign)", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn bulk_orders(
    State(state): State<AppState>,
    principal: Principal,
    caller: Forwarded,
    Json(request): Json<BulkRequest>,
) -> ApiResult<Json<BulkResponse>> {
    let scope = principal.require(Permission::OrdersUpdate)?;
    check_items(&request.items)?;
    let action = match request.action {
        BulkAction::Assign { assignee_id } => {
            principal.require_all(Permission::OrdersAssign)?;
            let assignee = assignee_id
                .ok_or_else(|| invalid("action.assignee_id", "is required (null unassigns)"))?;
            if let Some(user) = assignee {
                state.users.check_assignable(user, &caller).await?;
            }
            Checked::Assign(assignee)
        }
        BulkAction::Status { status } => Checked::Status(status, FieldChanges::default()),
        BulkAction::Cancel { reason } => {
            let reason = parse_reason(reason).map_err(|problem| {
                let errors = problem.errors().iter();
                Problem::validation(
                    errors
                        .map(|e| FieldError::new(format!("action.{}", e.field), &e.message))
                        .collect(),
                )
            })?;
            let changes = FieldChanges {
                reason: Some(reason),
                ..FieldChanges::default()
            };
            Checked::Status(OrderStatus::Cancelled, changes)
        }
    };
    let actor = principal.user_id;
    let mut results = Vec::with_capacity(request.items.len());
    for item in request.items {
        let state = state.clone();
        let done = match &action {
            Checked::Assign(assignee) => {
                assign_at_version(state, item.id, item.version, *assignee, actor).await
            }
            Checked::Status(status, changes) => {
                let (status, changes) = (Some(*status), changes.clone());
                change_fields(state, item.id, item.version, scope, actor, status, changes).await
            }
        };
        results.push(result_of(item.id, done));
    }
    Ok(Json(BulkResponse { results }))
}

/// One item's result from what the single action answered.
fn result_of(id: Uuid, done: ApiResult<OrderDetail>) -> BulkResult {
    let problem = match done {
        Ok(order) => {
            return BulkResult {
                id,
                outcome: BulkOutcome::Done,
                order: Some(order),
                problem: None,
            };
        }
        Err(err) => Problem::from(err),
    };
    let outcome = match (problem.status().as_u16(), problem.code()) {
        (409, "version-conflict") => BulkOutcome::Conflict,
        (409 | 403, _) => BulkOutcome::NotAllowed,
        (404, _) => BulkOutcome::NotFound,
        _ => BulkOutcome::Failed,
    };
    BulkResult {
        id,
        outcome,
        order: problem
            .extension("current")
            .and_then(|current| serde_json::from_value(current.clone()).ok()),
        problem: Some(problem.to_body()),
    }
}
