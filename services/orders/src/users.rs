//! The client for users-service: asks whether a user may be assigned orders, and everyone's
//! display name, forwarding the caller's own token (users-service checks `orders:assign` and
//! `orders:read` too). Pooled connections, a
//! bounded timeout, and a fast 503 when users-service is down.

use std::{collections::HashMap, convert::Infallible, time::Duration};

use axum::{
    extract::FromRequestParts,
    http::{HeaderValue, StatusCode, header, request::Parts},
};
use lom_platform::{
    FieldError, Problem,
    http_stack::{REQUEST_ID, RequestId},
};
use uuid::Uuid;

/// What a call to users-service carries of the caller's request: its `Authorization` header
/// and its request id.
#[derive(Debug, Clone, Default)]
pub struct Forwarded {
    authorization: Option<HeaderValue>,
    request_id: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Forwarded {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(RequestId(request_id)) = RequestId::from_request_parts(parts, state).await;
        Ok(Self {
            authorization: parts.headers.get(header::AUTHORIZATION).cloned(),
            request_id,
        })
    }
}

#[derive(Debug, Clone)]
pub struct UsersClient {
    http: reqwest::Client,
    base_url: String,
}

impl UsersClient {
    pub fn new(base_url: &str, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(timeout.min(Duration::from_millis(500)))
            .timeout(timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .build()?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// Every account's display name by id, asked as the `caller`.
    pub async fn names(&self, caller: &Forwarded) -> Result<HashMap<Uuid, String>, Problem> {
        #[derive(serde::Deserialize)]
        struct Name {
            id: Uuid,
            display_name: String,
        }
        let response = self.get_as("/v1/users/names", caller).await?;
        if response.status() != StatusCode::OK {
            tracing::warn!(
                status = response.status().as_u16(),
                "users-service answered unexpectedly"
            );
            return Err(unavailable());
        }
        let names: Vec<Name> = response.json().await.map_err(|err| {
            tracing::warn!(error = %err, "users-service sent unreadable names");
            unavailable()
        })?;
        Ok(names.into_iter().map(|n| (n.id, n.display_name)).collect())
    }

    /// `GET path` as the `caller`; unreachable is a 503 problem.
    async fn get_as(&self, path: &str, caller: &Forwarded) -> Result<reqwest::Response, Problem> {
        let mut request = self.http.get(format!("{}{path}", self.base_url));
        if let Some(value) = &caller.authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        if let Some(id) = &caller.request_id {
            request = request.header(REQUEST_ID, id);
        }
        request.send().await.map_err(|err| {
            tracing::warn!(error = %err, "users-service unreachable");
            unavailable()
        })
    }

    /// Ok when `user` is active and may work orders; 422 naming `assignee_id` when not. Asked
    /// as the `caller`, whose token users-service checks.
    pub async fn check_assignable(&self, user: Uuid, caller: &Forwarded) -> Result<(), Problem> {
        let response = self
            .get_as(&format!("/v1/users/assignable/{user}"), caller)
            .await?;
        match response.status() {
            StatusCode::OK => Ok(()),
            StatusCode::NOT_FOUND => Err(Problem::validation(vec![FieldError::new(
                "assignee_id",
                "is not an active user who may work orders",
            )])),
            StatusCode::FORBIDDEN => Err(Problem::forbidden(
                "This action needs the orders:assign permission.",
            )),
            status => {
                tracing::warn!(
                    status = status.as_u16(),
                    "users-service answered unexpectedly"
                );
                Err(unavailable())
            }
        }
    }
}

fn unavailable() -> Problem {
    Problem::unavailable("users-service is unavailable; try again shortly.")
}
