//! The OpenAPI document of users-service's internal API, served at `/openapi.json` and
//! browsable at `/docs`.

use utoipa::{
    Modify, OpenApi,
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Live Order Monitor — users-service (internal)",
        description = "Accounts, roles, login, refresh-token rotation and the JWKS. \
                       Called by the gateway; errors are RFC 9457 application/problem+json.",
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sessions and the signed-in account"),
        (name = "users", description = "Staff accounts"),
        (name = "roles", description = "The role catalogue"),
        (name = "keys", description = "Public signing keys"),
    ),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".to_owned());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The complete document, paths included (no state needed).
pub fn document() -> utoipa::openapi::OpenApi {
    utoipa_axum::router::OpenApiRouter::<crate::state::AppState>::with_openapi(ApiDoc::openapi())
        .merge(crate::routes::router())
        .split_for_parts()
        .1
}
