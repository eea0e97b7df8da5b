//! The internal HTTP API (SPEC §4 Orders under `/v1`), one module per resource, merged here;
//! each handler carries its `#[utoipa::path]` (the document itself is `crate::openapi`).

pub mod orders;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(orders::router())
}
