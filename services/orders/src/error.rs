//! How failures become answers: handlers return [`ApiResult`]; a [`Problem`] passes through,
//! a database error becomes 503 when PostgreSQL is unavailable and a logged, opaque 500
//! otherwise; a COMMIT whose answer was lost is 504 `outcome-unknown`. The order-specific problems live here too, so their `type`s stay in one table:
//!
//! | `type` (`urn:lom:problem:…`) | status | when |
//! |---|---|---|
//! | `not-found` | 404 | no such order, or one outside the caller's scope (the same answer) |
//! | `version-conflict` | 409 | the order changed since the caller read it; `current` holds it |
//! | `invalid-transition` | 409 | the status machine does not allow the change |
//! | `order-final` | 409 | a priority or note change of a delivered or cancelled order; `order_status` says which |
//! | `nothing-to-undo` | 409 | an undo of a change that is not the caller's own last one of the last minute |
//! | `idempotency-in-progress` | 409 | a request with the same `Idempotency-Key` is still running |
//! | `idempotency-key-reused` | 422 | the `Idempotency-Key` came with another body |
//! | `validation-failed` | 422 | a field is invalid, or a CHECK constraint refused a value |
//! | `export-too-large` | 422 | an export's view holds more orders than the cap; `max_rows` says how many fit |
//!
//! The rest (`bad-request`, `unauthorized`, `forbidden`, `service-unavailable`, …) are
//! `lom_platform::Problem`'s.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use lom_contracts::OrderStatus;
use lom_platform::{FieldError, Problem, db};

use crate::{domain::InvalidTransition, views::OrderDetail};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Problem(#[from] Problem),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<db::CommitError> for ApiError {
    fn from(err: db::CommitError) -> Self {
        match err {
            db::CommitError::OutcomeUnknown(problem) => Self::Problem(problem),
            db::CommitError::Database(err) => Self::Database(err),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Problem::from(self).into_response()
    }
}

impl From<ApiError> for Problem {
    /// The problem the error answers with.
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::Problem(problem) => problem,
            ApiError::Database(err) => database_problem(&err),
        }
    }
}

/// The answer for a database error no handler mapped.
pub fn database_problem(err: &sqlx::Error) -> Problem {
    if let sqlx::Error::Database(db) = err
        && db.code().as_deref() == Some("23514")
    {
        // A CHECK constraint refused a value the domain types let through.
        tracing::warn!(constraint = db.constraint(), "check constraint violated");
        return Problem::validation(vec![FieldError::new(
            "body",
            "a value is out of the accepted range",
        )]);
    }
    lom_platform::db::problem(err)
}

/// The same answer for a missing order and one outside the caller's scope.
pub fn order_not_found() -> Problem {
    Problem::not_found("No such order.")
}

/// 409 `version-conflict` carrying the order as it is now (`current`).
pub fn version_conflict(current: &OrderDetail) -> Problem {
    Problem::conflict(
        "version-conflict",
        "Version conflict",
        format!(
            "The order was changed meanwhile; it is now at version {}.",
            current.version
        ),
    )
    .with_extension("current", current)
}

/// 409 `idempotency-in-progress`.
pub fn idempotency_in_progress() -> Problem {
    Problem::conflict(
        "idempotency-in-progress",
        "Request in progress",
        "A request with this Idempotency-Key is still being processed; retry shortly.",
    )
}

/// 422 `idempotency-key-reused`.
pub fn idempotency_key_reused() -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency-key-reused",
        "Idempotency key reused",
        "This Idempotency-Key was already used with a different request body.",
    )
}

/// 409 `nothing-to-undo`.
pub fn nothing_to_undo() -> Problem {
    Problem::conflict(
        "nothing-to-undo",
        "Nothing to undo",
        "Only your own last status change or assignment of the last minute can be undone, once.",
    )
}

/// 409 `order-final`: a finished order's priority and note no longer change.
pub fn order_final(status: OrderStatus) -> Problem {
    let detail = match status {
        OrderStatus::Delivered => "Delivered orders cannot change.",
        _ => "Cancelled orders cannot change.",
    };
    Problem::conflict("order-final", "Order is finished", detail)
        .with_extension("order_status", status)
}

/// 409 `invalid-transition`.
pub fn invalid_transition(err: InvalidTransition) -> Problem {
    Problem::conflict(
        "invalid-transition",
        "Invalid status transition",
        err.to_string(),
    )
}

/// 422 `export-too-large`: the view holds more than `max_rows` orders.
pub fn export_too_large(max_rows: i64) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "export-too-large",
        "Too many orders to export",
        format!(
            "This view holds more than {max_rows} orders, the most one export may hold; narrow it (status, assignee, search) and export again."
        ),
    )
    .with_extension("max_rows", max_rows)
}
