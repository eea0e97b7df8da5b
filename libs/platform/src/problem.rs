//! RFC 9457 problem details: the one error shape every service and the gateway answer with.
//!
//! Handlers return [`Problem`]; the HTTP stack (`http_stack::render_problems`) fills in
//! `instance` and `request_id` from the request, and turns bare error responses produced by
//! the framework (404, 405, 413, 408, …) into the same shape.

use std::{borrow::Cow, sync::Arc};

use axum::{
    body::Body,
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const CONTENT_TYPE: &str = "application/problem+json";
const TYPE_PREFIX: &str = "urn:lom:problem:";

/// One invalid field of a request: `field` is a JSON path such as `items[0].quantity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An error answer. `code` is the stable machine name; `type` is `urn:lom:problem:<code>`.
/// Boxed so `Result<T, Problem>` stays one pointer wide on the happy path.
#[derive(Debug, Clone)]
pub struct Problem(Box<Details>);

#[derive(Debug, Clone)]
struct Details {
    status: StatusCode,
    code: Cow<'static, str>,
    title: Cow<'static, str>,
    detail: String,
    errors: Vec<FieldError>,
    extensions: Map<String, Value>,
    headers: HeaderMap,
}

/// The wire form, used to document error responses in OpenAPI and to read them in clients.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Problem)]
pub struct ProblemBody {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(default)]
    pub instance: Option<String>,
    #[serde(default)]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        title: impl Into<Cow<'static, str>>,
        detail: impl Into<String>,
    ) -> Self {
        Self(Box::new(Details {
            status,
            code: code.into(),
            title: title.into(),
            detail: detail.into(),
            errors: Vec::new(),
            extensions: Map::new(),
            headers: HeaderMap::new(),
        }))
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad request",
            detail,
        )
    }

    /// 422 with one entry per invalid field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields are invalid", many.len()),
        };
        let mut problem = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-failed",
            "The request is invalid",
            detail,
        );
        problem.0.errors = errors;
        problem
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            detail,
        )
        .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub fn conflict(code: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, title, detail)
    }

    pub fn too_many_requests(retry_after_secs: u64, detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
            detail,
        )
        .with_header(
            header::RETRY_AFTER,
            HeaderValue::from(retry_after_secs.max(1)),
        )
    }

    /// 503: a dependency is unreachable; the caller may retry.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service-unavailable",
            "Service unavailable",
            detail,
        )
        .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
    }

    /// 504 `outcome-unknown`: a change was sent and its answer was lost, so it may or may not
    /// have been made; the caller reads it back, or retries with the same `Idempotency-Key`.
    pub fn outcome_unknown(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::GATEWAY_TIMEOUT,
            "outcome-unknown",
            "Outcome unknown",
            detail,
        )
    }

    /// 500 with a generic detail: the cause belongs in the log, never in the body.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "The server failed to handle this request; quote the request_id when reporting it.",
        )
    }

    /// A generic problem for a bare framework response of `status`.
    pub fn from_status(status: StatusCode) -> Self {
        let (code, detail) = match status {
            StatusCode::NOT_FOUND => ("not-found", "No resource at this path."),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method-not-allowed",
                "This method is not allowed here; see the Allow header.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                "payload-too-large",
                "The request body is larger than allowed.",
            ),
            StatusCode::REQUEST_TIMEOUT => ("timeout", "The request took too long."),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported-media-type",
                "Send the body as application/json.",
            ),
            StatusCode::TOO_MANY_REQUESTS => ("rate-limited", "Too many requests; slow down."),
            StatusCode::SERVICE_UNAVAILABLE => {
                ("service-unavailable", "A dependency is unavailable.")
            }
            s if s.is_server_error() => (
                "internal",
                "The server failed to handle this request; quote the request_id when reporting it.",
            ),
            _ => ("bad-request", "The request was not accepted."),
        };
        let title = status.canonical_reason().unwrap_or("Error");
        Self::new(status, code, title, detail)
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.0.headers.insert(name, value);
        self
    }

    /// Adds a top-level member, e.g. `current` holding the current resource on a conflict.
    pub fn with_extension(mut self, key: &str, value: impl Serialize) -> Self {
        if let Ok(value) = serde_json::to_value(value) {
            self.0.extensions.insert(key.to_owned(), value);
        }
        self
    }

    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    pub fn code(&self) -> &str {
        &self.0.code
    }

    pub fn detail(&self) -> &str {
        &self.0.detail
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.0.errors
    }

    /// A member added by [`Problem::with_extension`].
    pub fn extension(&self, key: &str) -> Option<&Value> {
        self.0.extensions.get(key)
    }

    /// The wire form without `instance`, `request_id` or extensions: one part's outcome
    /// inside a larger answer (e.g. one item of a bulk request).
    pub fn to_body(&self) -> ProblemBody {
        ProblemBody {
            kind: format!("{TYPE_PREFIX}{}", self.0.code),
            title: self.0.title.clone().into_owned(),
            status: self.0.status.as_u16(),
            detail: self.0.detail.clone(),
            instance: None,
            request_id: None,
            errors: self.0.errors.clone(),
        }
    }

    fn body(&self, instance: Option<&str>, request_id: Option<&str>) -> Value {
        let mut body = Map::new();
        body.insert(
            "type".into(),
            format!("{TYPE_PREFIX}{}", self.0.code).into(),
        );
        body.insert("title".into(), self.0.title.as_ref().into());
        body.insert("status".into(), self.0.status.as_u16().into());
        body.insert("detail".into(), self.0.detail.clone().into());
        if let Some(instance) = instance {
            body.insert("instance".into(), instance.into());
        }
        if let Some(request_id) = request_id {
            body.insert("request_id".into(), request_id.into());
        }
        if !self.0.errors.is_empty() {
            body.insert(
                "errors".into(),
                serde_json::to_value(&self.0.errors).unwrap_or_default(),
            );
        }
        for (key, value) in &self.0.extensions {
            body.entry(key.clone()).or_insert_with(|| value.clone());
        }
        Value::Object(body)
    }

    /// The response with `instance` and `request_id` filled in.
    pub(crate) fn to_response(&self, instance: Option<&str>, request_id: Option<&str>) -> Response {
        let body = serde_json::to_vec(&self.body(instance, request_id)).unwrap_or_default();
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.0.status;
        let headers = response.headers_mut();
        headers.extend(self.0.headers.clone());
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        response
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.0.status.as_u16(),
            self.0.code,
            self.0.detail
        )
    }
}

impl std::error::Error for Problem {}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = self.to_response(None, None);
        response.extensions_mut().insert(Arc::new(self));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_carries_the_rfc_9457_members() {
        let body = Problem::validation(vec![FieldError::new("email", "must be an email")])
            .body(Some("/v1/users"), Some("req-1"));
        assert_eq!(body["type"], "urn:lom:problem:validation-failed");
        assert_eq!(body["status"], 422);
        assert_eq!(body["instance"], "/v1/users");
        assert_eq!(body["request_id"], "req-1");
        assert_eq!(body["errors"][0]["field"], "email");
        assert_eq!(body["detail"], "email: must be an email");
    }

    #[test]
    fn extensions_never_override_standard_members() {
        let body = Problem::bad_request("x")
            .with_extension("status", 200)
            .with_extension("current", serde_json::json!({"version": 3}))
            .body(None, None);
        assert_eq!(body["status"], 400);
        assert_eq!(body["current"]["version"], 3);
    }

    #[test]
    fn internal_errors_say_nothing_about_the_cause() {
        let body = Problem::from_status(StatusCode::BAD_GATEWAY).body(None, None);
        assert_eq!(body["type"], "urn:lom:problem:internal");
        assert!(
            body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("request_id")
        );
    }
}
