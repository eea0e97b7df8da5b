//! The state every gateway handler shares, and what `/readyz` checks.

use std::sync::Arc;

use axum::extract::FromRef;
use lom_auth::JwtVerifier;
use lom_platform::ops::{self, Readiness};

use crate::{
    configuration::Settings, login_limit::LoginLimiter, realtime::history::History,
    revocations::RevokedSessions, upstream::Upstreams,
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

/// `/readyz`: Redis (the event history) answers within the bound.
#[derive(Clone)]
pub struct Dependencies {
    pub history: History,
}

impl Readiness for Dependencies {
    async fn check(&self) -> Vec<(&'static str, Result<(), String>)> {
        vec![("redis", ops::bounded(self.history.ping()).await)]
    }
}
