//! The OpenAPI document of users-service's internal API: served at `/openapi.json`
//! (browsable at `/docs`), printed by `users-service openapi` and committed as
//! `docs/openapi/users.json`, which the gateway's public document is merged from.

use lom_platform::{openapi::BearerAuth, problem::ProblemBody};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Live Order Monitor — users-service (internal)",
        description = "Accounts, roles, login, refresh-token rotation and the JWKS. \
                       Called by the gateway; errors are RFC 9457 application/problem+json.",
    ),
    modifiers(&BearerAuth),
    components(schemas(ProblemBody)),
    tags(
        (name = "auth", description = "Sessions and the signed-in account"),
        (name = "users", description = "Staff accounts"),
        (name = "roles", description = "The role catalogue"),
        (name = "audit", description = "The audit log of account actions"),
        (name = "keys", description = "Public signing keys"),
    ),
)]
struct ApiDoc;

/// Every API route with its documentation.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(crate::routes::router())
}

/// The complete document, paths included (no state needed).
pub fn document() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}
