//! Building and running users-service: connect, migrate, load the signing key, seed the
//! first admin, assemble the router with its OpenAPI document, and serve until shutdown.

use std::{net::SocketAddr, sync::Arc};

use anyhow::Context;
use axum::Router;
use lom_auth::{JwtVerifier, SigningKey, VerifierConfig};
use lom_platform::{db, http_stack, ops, server::Listener};
use secrecy::ExposeSecret;
use sqlx::PgPool;
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    configuration::{KeySource, Settings},
    domain::PasswordHasher,
    openapi,
    revocations::Revocations,
    seed,
    state::{AppState, Dependencies},
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct Application {
    listener: Listener,
    router: Router,
}

impl Application {
    /// Connects to the database named in `settings` and builds the service.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = db::lazy_pool(settings.database.clone(), settings.pool);
        Self::build_with_pool(settings, pool).await
    }

    /// Builds the service on an existing pool (tests hand in a fresh database).
    pub async fn build_with_pool(settings: Settings, pool: PgPool) -> anyhow::Result<Self> {
        db::migrate(&MIGRATOR, &pool, db::MIGRATION_PATIENCE)
            .await
            .context("applying migrations")?;
        let signer = Arc::new(load_signing_key(&settings.signing_key)?);
        let verifier = Arc::new(JwtVerifier::with_keys(
            &VerifierConfig::new(&settings.issuer, &settings.audience),
            &signer.jwks(),
        ));
        let hasher = tokio::task::spawn_blocking({
            let concurrency = settings.hashing_concurrency;
            move || PasswordHasher::new(concurrency)
        })
        .await??;
        if let Some(admin) = &settings.admin_seed {
            seed::ensure_admin(&pool, &hasher, admin).await?;
        }
        let listener = Listener::bind(settings.bind).await?;
        let revocations = Revocations::new(settings.redis_url.expose_secret(), settings.access_ttl)
            .context("REDIS_URL is not a valid Redis URL")?;
        let state = AppState {
            revocations,
            db: pool,
            signer,
            verifier,
            hasher,
            settings: Arc::new(settings),
        };
        Ok(Self {
            listener,
            router: router(state),
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.port()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr()
    }

    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(addr = %self.local_addr(), "users-service listening");
        self.listener.serve(self.router, shutdown).await
    }
}

/// Applies the migrations of users-service to the database in `settings`.
pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let pool = db::lazy_pool(settings.database.clone(), settings.pool);
    db::migrate(&MIGRATOR, &pool, db::MIGRATION_PATIENCE)
        .await
        .context("applying migrations")?;
    tracing::info!("migrations applied");
    Ok(())
}

fn router(state: AppState) -> Router {
    let limits = state.settings.limits;
    let (api, document) = openapi::api().split_for_parts();
    let app = Router::new()
        .merge(api.with_state(state.clone()))
        .merge(SwaggerUi::new("/docs").url("/openapi.json", document))
        .merge(ops::router(
            Dependencies {
                db: state.db.clone(),
            },
            state.settings.metrics_token.clone(),
        ));
    http_stack::wrap(app, limits)
}

fn load_signing_key(source: &KeySource) -> anyhow::Result<SigningKey> {
    match source {
        KeySource::Pem(pem) => Ok(SigningKey::from_pem(pem.expose_secret())?),
        KeySource::File(path) => {
            let (key, generated) = SigningKey::load_or_generate(path)?;
            if generated {
                tracing::warn!(path = %path.display(), kid = key.kid(), "generated a new signing key (local development); set USERS_JWT_PRIVATE_KEY in production");
            }
            Ok(key)
        }
    }
}
