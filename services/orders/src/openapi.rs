//! The OpenAPI document of orders-service's internal API: served at `/openapi.json`
//! (browsable at `/docs`), printed by `orders-service openapi` and committed as
//! `docs/openapi/orders.json`, which the gateway's public document is merged from.

use lom_platform::{FieldError, openapi::BearerAuth, problem::ProblemBody};
use utoipa::OpenApi;
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
    tags(
        (name = "orders", description = "Orders, their status and assignment"),
        (name = "order-audit", description = "The audit log of order actions"),
    )
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
