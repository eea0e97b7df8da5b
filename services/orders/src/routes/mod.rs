//! The internal HTTP API (SPEC §4 Orders under `/v1`), documented with OpenAPI as it is
//! declared: each handler carries its `#[utoipa::path]`, and this module merges them.

pub mod orders;

use lom_platform::{FieldError, problem::ProblemBody};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "orders-service",
        description = "Internal API of the orders domain. The gateway maps `/api/v1/...` to `/v1/...`. \
                       Money is in integer minor units of the order's currency."
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(ProblemBody, FieldError, lom_contracts::OrderEvent)),
    tags((name = "orders", description = "Orders, their status and assignment"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Every API route with its documentation.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(orders::router())
}
