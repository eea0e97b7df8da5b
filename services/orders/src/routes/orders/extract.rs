//! Request parts parsed into problems instead of axum's plain-text rejections: the order id
//! in the path (as every service reads an id: `lom_platform::Path`) and the query string.

use axum::{
    extract::{FromRequestParts, Query},
    http::request::Parts,
};
use lom_platform::Problem;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// The `{id}` of `/v1/orders/{id}`; anything that is not a UUID is a 400 `bad-request`.
#[derive(Debug, Clone, Copy)]
pub struct OrderId(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for OrderId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lom_platform::Path(id) = lom_platform::Path::from_request_parts(parts, state).await?;
        Ok(Self(id))
    }
}

/// A query string whose malformed values are a 400 problem naming the cause.
#[derive(Debug, Clone)]
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|rejection| Problem::bad_request(rejection.body_text()))
    }
}
