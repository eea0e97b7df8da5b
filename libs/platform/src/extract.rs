//! Path and query extractors whose failures are problem+json 400s naming the parameter,
//! instead of the framework's plain-text rejections.

use axum::{
    extract::{FromRequestParts, rejection::QueryRejection},
    http::request::Parts,
};
use serde::de::DeserializeOwned;

use crate::problem::{FieldError, Problem};

/// Path parameters, e.g. `Path<Uuid>`; a malformed one is a 400 problem.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|rejection| {
                Problem::bad_request(format!(
                    "A path parameter is invalid: {}",
                    rejection.body_text()
                ))
            })
    }
}

/// Query parameters; unknown, missing or malformed ones are a 400 problem naming them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection: QueryRejection| {
                let text = rejection.body_text();
                let detail = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text)
                    .to_owned();
                let mut problem = Problem::bad_request(format!("The query is invalid: {detail}"));
                if let Some(field) = detail.split('`').nth(1) {
                    problem =
                        problem.with_extension("errors", [FieldError::new(field, detail.clone())]);
                }
                problem
            })
    }
}
