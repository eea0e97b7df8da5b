//! The request client the suites share: one service's base URL, an HTTP client that never
//! goes through a proxy, and JSON requests carrying a bearer token (or none).

use std::time::Duration;

use reqwest::{RequestBuilder, Response};
use serde_json::Value;

use crate::roles::TestUser;

/// What a request presents as its bearer token: a signed-in user, a bare token, or nothing
/// (`None`).
pub trait Bearer {
    fn bearer(&self) -> Option<&str>;
}

impl Bearer for TestUser {
    fn bearer(&self) -> Option<&str> {
        Some(&self.token)
    }
}

impl Bearer for str {
    fn bearer(&self) -> Option<&str> {
        Some(self)
    }
}

impl Bearer for String {
    fn bearer(&self) -> Option<&str> {
        Some(self)
    }
}

impl Bearer for Option<&str> {
    fn bearer(&self) -> Option<&str> {
        *self
    }
}

impl<T: Bearer + ?Sized> Bearer for &T {
    fn bearer(&self) -> Option<&str> {
        (**self).bearer()
    }
}

/// Requests to one running service.
#[derive(Clone)]
pub struct Api {
    /// The service's base URL, `http://127.0.0.1:<port>`.
    pub base: String,
    pub client: reqwest::Client,
}

impl Api {
    /// A client for the service at `base`; a request that takes over 30 s fails the test.
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            client: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("an HTTP client"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str, auth: impl Bearer) -> Response {
        send(self.client.get(self.url(path)), auth).await
    }

    pub async fn post(&self, path: &str, auth: impl Bearer, body: &Value) -> Response {
        send(self.client.post(self.url(path)).json(body), auth).await
    }

    pub async fn patch(&self, path: &str, auth: impl Bearer, body: &Value) -> Response {
        send(self.client.patch(self.url(path)).json(body), auth).await
    }

    pub async fn delete(&self, path: &str, auth: impl Bearer) -> Response {
        send(self.client.delete(self.url(path)), auth).await
    }
}

async fn send(request: RequestBuilder, auth: impl Bearer) -> Response {
    let request = match auth.bearer() {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    request.send().await.expect("request")
}
