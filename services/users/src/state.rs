//! The state every handler shares: the pool, the signing key and verifier, the password
//! hasher and the settings.

use std::sync::Arc;

use axum::extract::FromRef;
use lom_auth::{JwtVerifier, SigningKey};
use sqlx::PgPool;

use crate::{configuration::Settings, domain::PasswordHasher, revocations::Revocations};

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub signer: Arc<SigningKey>,
    pub verifier: Arc<JwtVerifier>,
    pub hasher: PasswordHasher,
    pub settings: Arc<Settings>,
    pub revocations: Revocations,
}

impl FromRef<AppState> for Arc<JwtVerifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}
