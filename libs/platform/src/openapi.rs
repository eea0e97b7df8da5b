//! What every service's OpenAPI document shares: the `bearer` security scheme (an EdDSA JWT
//! access token) that its operations require.

use std::io::Write;

use utoipa::{
    Modify,
    openapi::{
        OpenApi,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

/// Adds the `bearer` security scheme (`Authorization: Bearer <JWT>`) to a document.
pub struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApi) {
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

/// Prints `document` as pretty JSON on standard output (the `<service> openapi` command,
/// whose output is committed under `docs/openapi/`).
pub fn print(document: &OpenApi) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, document)?;
    writeln!(out)
}
