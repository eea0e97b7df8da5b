//! The state every handler shares: the pool, the signing key and verifier, the password
//! hasher and the settings; and what `/readyz` checks.

use std::sync::Arc;

use axum::extract::FromRef;
use lom_auth::{JwtVerifier, SigningKey};
use lom_platform::{
    db,
    ops::{self, Readiness},
};
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

/// `/readyz`: PostgreSQL answers within the bound.
#[derive(Debug, Clone)]
pub struct Dependencies {
    pub db: PgPool,
}

impl Readiness for Dependencies {
    async fn check(&self) -> Vec<(&'static str, Result<(), String>)> {
        vec![("database", ops::bounded(db::ping(&self.db)).await)]
    }
}
