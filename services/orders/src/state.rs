//! What every handler can reach: the database, the intake of creates, the token verifier, the users-service client
//! and the settings. Cheap to clone.

use std::sync::Arc;

use axum::extract::FromRef;
use lom_auth::JwtVerifier;
use lom_platform::{
    db,
    ops::{self, Readiness},
};
use sqlx::PgPool;

use crate::{configuration::Settings, events::Publisher, intake::Intake, users::UsersClient};

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: PgPool,
    /// Where creates go to be group-committed.
    pub intake: Intake,
    pub verifier: Arc<JwtVerifier>,
    pub users: UsersClient,
    pub settings: Arc<Settings>,
}

impl FromRef<AppState> for Arc<JwtVerifier> {
    fn from_ref(state: &AppState) -> Self {
        state.verifier.clone()
    }
}

/// `/readyz`: PostgreSQL and Redis both answer within the bound.
#[derive(Debug, Clone)]
pub struct Dependencies {
    pub db: PgPool,
    pub publisher: Publisher,
}

impl Readiness for Dependencies {
    async fn check(&self) -> Vec<(&'static str, Result<(), String>)> {
        let database = ops::bounded(db::ping(&self.db));
        let redis = ops::bounded(self.publisher.ping());
        let (database, redis) = tokio::join!(database, redis);
        vec![("database", database), ("redis", redis)]
    }
}
