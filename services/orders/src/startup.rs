//! Building and running the application: pool, migrations, the intake's writers, event
//! publisher and relay, the router with its OpenAPI document and Swagger UI, wrapped in the
//! shared HTTP stack.

use std::{future::Future, net::SocketAddr, str::FromStr, sync::Arc};

use anyhow::Context;
use axum::Router;
use lom_auth::{JwtVerifier, VerifierConfig};
use lom_platform::{db, http_stack, ops, server::Listener};
use secrecy::ExposeSecret;
use sqlx::{PgPool, postgres::PgConnectOptions};
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    configuration::Settings,
    events::{Publisher, Relay},
    intake::Intake,
    openapi,
    retention::{self, Retention},
    state::{AppState, Dependencies},
    users::UsersClient,
};

pub struct Application {
    listener: Listener,
    router: Router,
    relay: Relay,
    pruning: (PgPool, Retention),
}

/// A pool for `settings` (connecting lazily).
pub fn pool(settings: &Settings) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(settings.database_url.expose_secret())?;
    Ok(db::lazy_pool(options, settings.pool))
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Applies pending migrations, waiting for a database that is still starting.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    db::migrate(&MIGRATOR, pool, db::MIGRATION_PATIENCE)
        .await
        .context("applying migrations")?;
    Ok(())
}

impl Application {
    /// Connects, migrates and binds `settings.bind` (port 0 picks a free port).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = pool(&settings)?;
        migrate(&pool).await?;
        let publisher =
            Publisher::new(settings.redis_url.expose_secret(), settings.events.clone())?;
        let verifier = JwtVerifier::remote(
            &VerifierConfig::new(&settings.jwt_issuer, &settings.jwt_audience),
            &settings.jwks_url,
        );
        if let Err(err) = verifier.refresh().await {
            tracing::warn!(error = %err, "signing keys not fetched yet; will retry on demand");
        }
        let state = AppState {
            db: pool.clone(),
            intake: Intake::start(
                pool.clone(),
                publisher.clone(),
                intake_writers(&settings),
                settings.intake_max_wait,
            ),
            verifier: Arc::new(verifier),
            users: UsersClient::new(&settings.users_url, settings.upstream_timeout)?,
            settings: Arc::new(settings.clone()),
        };
        let readiness = Dependencies {
            db: pool.clone(),
            publisher: publisher.clone(),
        };
        let router = router(state, readiness, &settings);
        let listener = Listener::bind(settings.bind).await?;
        Ok(Self {
            listener,
            router,
            relay: Relay::new(pool.clone(), publisher),
            pruning: (pool, settings.retention),
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.port()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr()
    }

    /// Serves, relays the outbox and prunes records past their retention, until `shutdown`
    /// resolves; then drains in-flight requests.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(addr = %self.local_addr(), "orders-service listening");
        let serve = self.listener.serve(self.router, shutdown);
        let (pool, retention) = self.pruning;
        tokio::select! {
            result = serve => result,
            never = self.relay.run() => match never {},
            never = retention::run(pool, retention) => match never {},
        }
    }
}

/// Half the pool writes batches of creates (at least one writer); the rest serves reads,
/// updates and the relay.
fn intake_writers(settings: &Settings) -> usize {
    usize::try_from(settings.pool.max_connections / 2)
        .unwrap_or(1)
        .max(1)
}

fn router(state: AppState, readiness: Dependencies, settings: &Settings) -> Router {
    let (api, document) = openapi::api().split_for_parts();
    let app = api
        .with_state(state)
        .merge(SwaggerUi::new("/docs").url("/openapi.json", document))
        .merge(ops::router(readiness, settings.metrics_token.clone()));
    http_stack::wrap(app, settings.limits)
}
