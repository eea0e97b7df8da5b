//! The error type of users-service handlers: a problem to answer as is, a database error
//! (503 when PostgreSQL is unreachable, else a logged 500), or an internal failure (500);
//! and the problems particular to accounts, so their `type`s stay in one table:
//!
//! | `type` (`urn:lom:problem:…`) | status | when |
//! |---|---|---|
//! | `email-taken` | 409 | another account uses the email |
//! | `self-deactivation` | 409 | an administrator deactivates their own account |
//! | `last-admin` | 409 | the change would leave no active administrator |
//! | `not-found` | 404 | no account has the id (or none that may work orders) |
//!
//! The rest (`unauthorized`, `forbidden`, `validation-failed`, `rate-limited`, …) are
//! `lom_platform::Problem`'s.

use axum::response::{IntoResponse, Response};
use lom_platform::{Problem, db};

use crate::domain::password::HashError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Problem(#[from] Problem),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Hashing(#[from] HashError),
    #[error("token signing: {0}")]
    Signing(#[from] jsonwebtoken::errors::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Problem(problem) => problem.into_response(),
            Self::Database(err) => db::problem(&err).into_response(),
            Self::Hashing(err) => {
                tracing::error!(error = %err, "password hashing failed");
                Problem::internal().into_response()
            }
            Self::Signing(err) => {
                tracing::error!(error = %err, "token signing failed");
                Problem::internal().into_response()
            }
        }
    }
}

pub fn user_not_found() -> Problem {
    Problem::not_found("No account has this id.")
}

pub fn not_assignable() -> Problem {
    Problem::not_found("No active account that may work orders has this id.")
}

pub fn self_deactivation() -> Problem {
    Problem::conflict(
        "self-deactivation",
        "Cannot deactivate yourself",
        "Ask another administrator to deactivate your account.",
    )
}

pub fn last_admin() -> Problem {
    Problem::conflict(
        "last-admin",
        "The last administrator must stay",
        "At least one active administrator must remain.",
    )
}

/// 409 `email-taken` for the unique email's violation; any other error as it is.
pub fn email_conflict(err: sqlx::Error) -> ApiError {
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
