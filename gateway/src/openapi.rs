//! The public OpenAPI document (`/openapi.json`, Swagger UI at `/docs`). The resource paths
//! come from the services' own documents, generated from their handlers, re-rooted under
//! `/api/v1`, so what is documented is what runs; the session endpoints, which differ at the
//! gateway (refresh token in a cookie), are documented here.

use lom_platform::problem::CONTENT_TYPE as PROBLEM_JSON;
use lom_platform::problem::ProblemBody;
use serde::Serialize;
use users_service::routes::{auth::LoginRequest, views::UserView};
use utoipa::{
    OpenApi, ToSchema,
    openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr, ResponseBuilder, path::Operation},
};

/// Internal paths that are not part of the public API.
const INTERNAL: [&str; 5] = [
    "/.well-known/jwks.json",
    "/v1/users/assignable/{id}",
    "/v1/auth/login",
    "/v1/auth/refresh",
    "/v1/auth/logout",
];

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Live Order Monitor API",
        description = "The public API of the gateway. Authenticate with `POST /api/v1/auth/login`, \
                       then send `Authorization: Bearer <access_token>`. The refresh token is an \
                       HttpOnly cookie scoped to `/api/v1/auth`; `POST /api/v1/auth/refresh` \
                       rotates it. Errors are RFC 9457 `application/problem+json` with a \
                       `request_id`. Live updates: Socket.IO at `/socket.io` (see the README).",
    ),
    paths(login, refresh, logout),
    components(schemas(PublicSession, ProblemBody)),
    tags((name = "auth", description = "Sessions")),
)]
struct PublicApi;

/// A new session. The refresh token is set as the `lom_refresh` cookie, never in the body.
#[derive(Serialize, ToSchema)]
struct PublicSession {
    access_token: String,
    #[schema(example = "Bearer")]
    token_type: String,
    /// Seconds until the access token expires.
    expires_in: u64,
    user: UserView,
}

/// Signs in. Sets the `lom_refresh` cookie (HttpOnly, SameSite=Strict, Path=/api/v1/auth).
/// Wrong email, wrong password and a deactivated account give the same 401; repeated failures
/// give 429 with `Retry-After`.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = PublicSession, headers(("set-cookie" = String, description = "lom_refresh=…; HttpOnly; SameSite=Strict; Path=/api/v1/auth"))),
        (status = 401, body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, body = ProblemBody, content_type = "application/problem+json"),
        (status = 429, body = ProblemBody, content_type = "application/problem+json"),
    ),
)]
#[allow(dead_code)] // Documentation only: the handler is routes::auth::login.
fn login() {}

/// Rotates the `lom_refresh` cookie and returns a new access token. Presenting an already
/// rotated token revokes its whole family.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth",
    params(("lom_refresh" = String, Cookie, description = "The refresh token cookie")),
    responses(
        (status = 200, body = PublicSession),
        (status = 401, body = ProblemBody, content_type = "application/problem+json"),
        (status = 403, description = "Foreign Origin", body = ProblemBody, content_type = "application/problem+json"),
    ),
)]
#[allow(dead_code)] // Documentation only: the handler is routes::auth::refresh.
fn refresh() {}

/// Ends the session of the `lom_refresh` cookie and clears it.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth",
    params(("lom_refresh" = Option<String>, Cookie, description = "The refresh token cookie")),
    responses(
        (status = 204, description = "Signed out"),
        (status = 403, description = "Foreign Origin", body = ProblemBody, content_type = "application/problem+json"),
    ),
)]
#[allow(dead_code)] // Documentation only: the handler is routes::auth::logout.
fn logout() {}

/// Answers every operation can give whatever its handler documents: the gateway's own
/// (a token it refuses, a malformed path or query, a service that is down) and, for
/// operations with a body, the JSON extractor's (too large, not JSON, invalid fields).
fn standard_problems(operation: &mut Operation, path: &str) {
    let mut add = |status: &str, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            PROBLEM_JSON,
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("Problem")))
                                .build(),
                        )
                        .build(),
                )
            });
    };
    add(
        "400",
        "Malformed request: path parameter, query or JSON syntax",
    );
    if path != "/api/v1/auth/login" {
        add("401", "No valid access token (or session cookie)");
    }
    if operation.request_body.is_some() {
        add("413", "The body is larger than allowed");
        add("415", "The body is not application/json");
        add(
            "422",
            "A field is missing, of the wrong type, unknown or invalid",
        );
    }
    add(
        "503",
        "A service behind the gateway is unavailable; retry after Retry-After",
    );
}

/// The whole public document.
pub fn document() -> Document {
    let mut document = PublicApi::openapi();
    let services = [
        users_service::openapi::document(),
        orders_service::routes::api().split_for_parts().1,
    ];
    for mut service in services {
        let paths = std::mem::take(&mut service.paths.paths);
        for (path, item) in paths {
            if INTERNAL.contains(&path.as_str()) {
                continue;
            }
            if let Some(rest) = path.strip_prefix("/v1/") {
                service.paths.paths.insert(format!("/api/v1/{rest}"), item);
            }
        }
        service.info = document.info.clone();
        document.merge(service);
    }
    for (path, item) in &mut document.paths.paths {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.patch,
            &mut item.put,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            standard_problems(operation, path);
            if path.starts_with("/api/v1/auth/") && path != "/api/v1/auth/me" {
                // Public: they take credentials or the session cookie, not a bearer token.
                operation.security = Some(Vec::new());
            }
        }
    }
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_holds_every_public_path_and_no_internal_one() {
        let document = document();
        let paths: Vec<&str> = document.paths.paths.keys().map(String::as_str).collect();
        for expected in [
            "/api/v1/auth/login",
            "/api/v1/auth/refresh",
            "/api/v1/auth/logout",
            "/api/v1/auth/me",
            "/api/v1/orders",
            "/api/v1/orders/stats",
            "/api/v1/orders/{id}",
            "/api/v1/orders/{id}/assign",
            "/api/v1/users",
            "/api/v1/users/assignable",
            "/api/v1/users/names",
            "/api/v1/users/{id}",
            "/api/v1/roles",
        ] {
            assert!(
                paths.contains(&expected),
                "{expected} missing from {paths:?}"
            );
        }
        assert!(paths.iter().all(|p| p.starts_with("/api/v1/")), "{paths:?}");
    }

    #[test]
    fn every_operation_documents_the_problems_the_gateway_can_answer() {
        let document = document();
        for (path, item) in &document.paths.paths {
            let operations = [&item.get, &item.post, &item.patch, &item.delete];
            for operation in operations.into_iter().flatten() {
                let statuses: Vec<&str> = operation
                    .responses
                    .responses
                    .keys()
                    .map(String::as_str)
                    .collect();
                for status in ["400", "503"] {
                    assert!(
                        statuses.contains(&status),
                        "{path} lacks {status}: {statuses:?}"
                    );
                }
                if path != "/api/v1/auth/login" {
                    assert!(statuses.contains(&"401"), "{path} lacks 401");
                }
                if operation.request_body.is_some() {
                    for status in ["413", "415", "422"] {
                        assert!(statuses.contains(&status), "{path} lacks {status}");
                    }
                }
            }
        }
    }

    #[test]
    fn only_the_session_endpoints_are_public() {
        let document = document();
        for (path, item) in &document.paths.paths {
            let operations = [&item.get, &item.post, &item.patch, &item.delete];
            for operation in operations.into_iter().flatten() {
                let public = operation.security.as_ref().is_some_and(Vec::is_empty);
                let session = ["login", "refresh", "logout"].map(|p| format!("/api/v1/auth/{p}"));
                assert_eq!(public, session.contains(path), "{path}");
            }
        }
    }
}
