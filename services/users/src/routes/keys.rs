//! `/.well-known/jwks.json`: the public keys every verifier uses.

use axum::{extract::State, http::header, response::IntoResponse};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(jwks))
}

/// The JSON Web Key Set of the access-token signing keys.
#[utoipa::path(
    get,
    path = "/.well-known/jwks.json",
    tag = "keys",
    responses((status = 200, description = "JWK set (OKP / Ed25519, `use: sig`, `alg: EdDSA`)", body = Object)),
)]
async fn jwks(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        axum::Json(state.signer.jwks()),
    )
}
