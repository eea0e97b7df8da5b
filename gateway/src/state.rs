//! The state every gateway handler shares.

use std::sync::Arc;

use axum::extract::FromRef;
use lom_auth::JwtVerifier;

use crate::{
    configuration::Settings, login_limit::LoginLimiter, revocations::RevokedSessions,
    upstream::Upstreams,
};

#[derive(Clone)]
pub struct AppState {
    pub upstreams: Upstreams,
    pub verifier: Arc<JwtVerifier>,
    pub settings: Arc<Settings>,
    pub login_limiter: Arc<LoginLimiter>,
    /// Accounts whose older access tokens are refused.
    pub revoked: Arc<RevokedSessions>,
}

impl FromRef<AppState> for Arc<JwtVerifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}
