//! Reading problem+json answers in tests: [`problem`] checks the content type, the RFC 9457
//! members and that `request_id` is the response's `x-request-id`; [`assert_problem`] also
//! checks the status and the `type`.

use reqwest::Response;
use serde_json::Value;

/// The body of a problem+json answer, its shape checked.
pub async fn problem(response: Response) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json", "not a problem");
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body: Value = response.json().await.expect("problem json");
    for member in [
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "request_id",
    ] {
        assert!(
            body.get(member).is_some(),
            "problem without {member}: {body}"
        );
    }
    assert_eq!(body["request_id"].as_str(), request_id.as_deref());
    body
}

/// The body of a problem+json answer with `status` and the type `urn:lom:problem:<kind>`.
pub async fn assert_problem(response: Response, status: u16, kind: &str) -> Value {
    let actual = response.status().as_u16();
    let body = problem(response).await;
    assert_eq!(actual, status, "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["type"], format!("urn:lom:problem:{kind}"), "{body}");
    body
}
