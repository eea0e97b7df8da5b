//! The error type of users-service handlers: a problem to answer as is, a database error
//! (503 when PostgreSQL is unreachable, else a logged 500), or an internal failure (500).

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
