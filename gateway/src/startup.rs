//! Building and running the gateway: the verifier (keys from users-service's JWKS), the
//! upstream client, the Socket.IO hub with its event feed, and the router: REST API, docs,
//! operations endpoints, all inside the common HTTP stack, with CORS outermost. The
//! Socket.IO layer sits outside the request timeout (long-polling holds requests open).

use std::{net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context;
use axum::{
    Router,
    http::{HeaderName, Method, header},
};
use lom_auth::{JwtVerifier, VerifierConfig};
use lom_platform::{http_stack, ops, server::Listener};
use secrecy::ExposeSecret;
use socketioxide::SocketIo;
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    configuration::Settings,
    login_limit::LoginLimiter,
    openapi,
    realtime::{
        self, Hub,
        history::History,
        presence::{Presence, store::PresenceStore},
    },
    revocations::RevokedSessions,
    routes,
    state::{AppState, Dependencies},
    upstream::Upstreams,
};

/// The WebSocket read buffer each socket holds for its life (engineioxide's default: 4 KB).
/// Dashboards only send small control messages; a larger frame grows the buffer as needed.
const SOCKET_READ_BUFFER: usize = 1024;

pub struct Application {
    listener: Listener,
    router: Router,
    io: SocketIo,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let verifier = Arc::new(JwtVerifier::remote(
            &VerifierConfig::new(&settings.issuer, &settings.audience),
            &settings.jwks_url,
        ));
        if let Err(err) = verifier.refresh().await {
            tracing::warn!(error = %err, "signing keys not fetched yet; will retry on demand");
        }
        let redis = redis::Client::open(settings.redis_url.expose_secret())
            .context("REDIS_URL is not a valid Redis URL")?;
        let history = History::new(redis.clone(), settings.realtime.history_key.clone())?;
        let revoked = Arc::new(RevokedSessions::default());
        let upstreams = Upstreams::new(&settings)?;
        let presence = Presence::new(
            PresenceStore::new(
                &redis,
                settings.realtime.presence_prefix.clone(),
                settings.realtime.presence_ttl,
            )?,
            upstreams.clone(),
        );
        let hub = Arc::new(Hub::new(
            verifier.clone(),
            history.clone(),
            revoked.clone(),
            settings.allowed_origins.clone(),
            presence,
        ));
        let (io_layer, io) = SocketIo::builder()
            .max_buffer_size(settings.realtime.socket_buffer)
            .ws_read_buffer_size(SOCKET_READ_BUFFER)
            .ping_interval(Duration::from_secs(20))
            .ping_timeout(Duration::from_secs(20))
            .with_state(hub.clone())
            .build_layer();
        realtime::session::register(&io);
        tokio::spawn(realtime::expiry::sweep(hub.expiries.clone(), io.clone()));
        let maintained = hub.clone();
        tokio::spawn(async move { maintained.presence.maintain().await });
        tokio::spawn(realtime::feed::run(
            hub,
            io.clone(),
            redis,
            settings.realtime.channel.clone(),
            settings.realtime.users_channel.clone(),
        ));

        let state = AppState {
            upstreams,
            verifier,
            settings: Arc::new(settings.clone()),
            login_limiter: Arc::new(LoginLimiter::new(settings.login_rate)),
            revoked,
        };
        let document = openapi::document().context("the committed OpenAPI documents")?;
        let app = Router::new()
            .merge(routes::api(state))
            .merge(SwaggerUi::new("/docs").url("/openapi.json", document))
            .merge(ops::router(
                Dependencies { history },
                settings.metrics_token.clone(),
            ));
        let router = http_stack::wrap(app, settings.limits)
            .layer(io_layer)
            .layer(axum::middleware::map_request(
                realtime::owned_head::own_request_head,
            ))
            .layer(cors(&settings))
            .layer(axum::middleware::map_response(
                no_credentials_without_origin,
            ));
        let listener = Listener::bind(settings.bind).await?;
        Ok(Self {
            listener,
            router,
            io,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.port()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr()
    }

    /// Serves until `shutdown`; then closes every socket cleanly and drains requests.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!(addr = %self.local_addr(), "gateway listening");
        let io = self.io.clone();
        let shutdown = async move {
            shutdown.await;
            // Tell every client it was the server (they reconnect elsewhere), then close.
            if let Err(err) = io.disconnect().await {
                tracing::warn!(error = %err, "could not tell every socket it is disconnected");
            }
            io.close().await;
        };
        self.listener.serve(self.router, shutdown).await
    }
}

/// Only the configured dashboard origins, with credentials; anything else gets no CORS
/// headers at all.
fn cors(settings: &Settings) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(settings.allowed_origins.clone()))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            http_stack::REQUEST_ID,
        ])
        .expose_headers([http_stack::REQUEST_ID, header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// A response that allows no origin allows no credentials either.
async fn no_credentials_without_origin(
    mut response: axum::response::Response,
) -> axum::response::Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        headers.remove(header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
    }
    response
}
