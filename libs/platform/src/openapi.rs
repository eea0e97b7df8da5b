//! What every service's OpenAPI document shares: the `bearer` security scheme (an EdDSA JWT
//! access token) its operations require, the problem+json answers they document
//! ([`Problems`]), and printing the document (`<service> openapi`).

use std::{collections::BTreeMap, io::Write};

use utoipa::{
    IntoResponses, Modify,
    openapi::{
        ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

use crate::problem::CONTENT_TYPE as PROBLEM_JSON;

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

/// The problem answers an operation documents, in its `responses(...)`: e.g.
/// `responses((status = 200, body = UserView), Problems<401, 403, 404>)`. Each status becomes
/// an `application/problem+json` response with the `Problem` schema and the status's standard
/// description; a status whose answer needs its own words stays a tuple of its own.
pub struct Problems<
    const A: u16,
    const B: u16 = 0,
    const C: u16 = 0,
    const D: u16 = 0,
    const E: u16 = 0,
    const F: u16 = 0,
>;

impl<const A: u16, const B: u16, const C: u16, const D: u16, const E: u16, const F: u16>
    IntoResponses for Problems<A, B, C, D, E, F>
{
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        [A, B, C, D, E, F]
            .into_iter()
            .filter(|status| *status != 0)
            .map(|status| (status.to_string(), RefOr::T(problem(description(status)))))
            .collect()
    }
}

/// A problem+json response described as `description`.
pub fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

/// What a problem of `status` means, whichever operation answers it.
fn description(status: u16) -> &'static str {
    match status {
        400 => "Malformed request: path parameter, query or JSON syntax",
        401 => "No valid access token",
        403 => "The caller lacks the permission this operation needs",
        404 => "No such resource, or not one the caller may see",
        409 => "Conflicts with the current state; `type` says how",
        413 => "The body is larger than allowed",
        415 => "The body is not application/json",
        422 => "A field is missing, of the wrong type, unknown or invalid; `errors` names each",
        429 => "Too many requests; retry after Retry-After",
        503 => "A dependency is unavailable; retry after Retry-After",
        _ => "A problem",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_named_is_a_described_problem_response() {
        let responses = Problems::<401, 404>::responses();
        assert_eq!(
            responses.keys().map(String::as_str).collect::<Vec<_>>(),
            ["401", "404"]
        );
        let json = serde_json::to_value(&responses["404"]).unwrap();
        assert_eq!(
            json["content"][PROBLEM_JSON]["schema"]["$ref"],
            "#/components/schemas/Problem"
        );
        assert_eq!(json["description"], description(404));
    }
}
