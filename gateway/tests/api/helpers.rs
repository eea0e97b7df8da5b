//! The harness: `Stack::start` runs users-service (schema `users_service`), orders-service
//! (schema `public`) and the gateway on one fresh test database and Redis names of their own,
//! each on an ephemeral port. A `Stack` derefs to the request client of its gateway.

use std::{net::SocketAddr, num::NonZeroU32, time::Duration};

use axum::http::HeaderValue;
use gateway::{
    configuration::{RealtimeSettings, Settings as GatewaySettings},
    login_limit::LoginRate,
};
use lom_platform::http_stack::StackLimits;
use lom_testing::Api;
use orders_service::configuration::{EventSettings, Settings as OrdersSettings};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::Value;
use sqlx::PgPool;
use users_service::test_support::{PASSWORD, RunningUsers};
use uuid::Uuid;

pub const REDIS_URL: &str = "redis://127.0.0.1:6379";
pub const DASHBOARD_ORIGIN: &str = "http://localhost:3000";

pub struct Stack {
    pub gateway: Api,
    pub orders: String,
    pub users: RunningUsers,
    pub events: EventSettings,
}

impl std::ops::Deref for Stack {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.gateway
    }
}

/// Knobs a test may turn before the stack starts.
#[derive(Clone)]
pub struct Options {
    pub redis_url: String,
    pub history_cap: usize,
    /// Point the gateway at this orders-service address instead of the real one.
    pub orders_url_override: Option<String>,
    pub socket_buffer: usize,
    /// Use the production Redis names (for a gateway binary, which cannot be told others).
    pub production_event_names: bool,
    /// Connect orders-service to PostgreSQL at this address instead of the pool's own.
    pub orders_database_addr: Option<SocketAddr>,
    /// Sign-in attempts per address at the gateway (tests sign in often from one address).
    pub login_rate: LoginRate,
    /// The bearer token `/metrics` asks for.
    pub metrics_token: Option<String>,
    /// How long the gateway waits for a service.
    pub upstream_timeout: Duration,
    /// How long a presence entry lives unless refreshed.
    pub presence_ttl: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            redis_url: REDIS_URL.to_owned(),
            history_cap: 10_000,
            orders_url_override: None,
            socket_buffer: 1024,
            production_event_names: false,
            orders_database_addr: None,
            login_rate: LoginRate {
                per_minute: NonZeroU32::new(6000).unwrap(),
                burst: NonZeroU32::new(1000).unwrap(),
            },
            metrics_token: None,
            upstream_timeout: Duration::from_secs(5),
            presence_ttl: Duration::from_secs(15),
        }
    }
}

pub fn database_url(pool: &PgPool) -> String {
    let o = pool.connect_options();
    database_url_at(pool, &format!("{}:{}", o.get_host(), o.get_port()))
}

/// The pool's database reached at another `host:port` (a fault-injecting proxy).
pub fn database_url_at(pool: &PgPool, addr: &str) -> String {
    let o = pool.connect_options();
    format!(
        "postgres://{}@{addr}/{}",
        o.get_username(),
        o.get_database().unwrap_or("postgres")
    )
}

/// Where the pool's PostgreSQL server listens.
pub fn database_addr(pool: &PgPool) -> String {
    let o = pool.connect_options();
    format!("{}:{}", o.get_host(), o.get_port())
}

impl Stack {
    pub async fn start(pool: PgPool) -> Self {
        Self::start_with(pool, Options::default()).await
    }

    pub async fn start_with(pool: PgPool, options: Options) -> Self {
        let users = users_service::test_support::spawn(&pool).await;
        let prefix = format!("test:{}", Uuid::new_v4().simple());
        let events = if options.production_event_names {
            EventSettings {
                history_cap: options.history_cap,
                ..EventSettings::default()
            }
        } else {
            EventSettings {
                channel: format!("{prefix}:orders.events"),
                seq_key: format!("{prefix}:seq"),
                history_key: format!("{prefix}:history"),
                ids_key: format!("{prefix}:ids"),
                history_cap: options.history_cap,
            }
        };
        let mut orders = OrdersSettings::from_env().expect("orders settings");
        orders.bind = SocketAddr::from(([127, 0, 0, 1], 0));
        orders.database_url = SecretString::from(match options.orders_database_addr {
            Some(addr) => database_url_at(&pool, &addr.to_string()),
            None => database_url(&pool),
        });
        orders.redis_url = SecretString::from(options.redis_url.clone());
        orders.users_url = users.base_url.clone();
        orders.jwks_url = users.jwks_url();
        orders.events = events.clone();
        let orders_app = orders_service::startup::Application::build(orders)
            .await
            .expect("orders-service builds");
        let orders_url = format!("http://127.0.0.1:{}", orders_app.port());
        tokio::spawn(orders_app.run_until_stopped(std::future::pending()));

        let stack = Self {
            gateway: Api::new(""),
            orders: orders_url,
            users,
            events,
        };
        let gateway = Api::new(stack.spawn_gateway(&options).await);
        Self { gateway, ..stack }
    }

    /// Settings for a gateway in front of this stack.
    pub fn gateway_settings(&self, options: &Options) -> GatewaySettings {
        GatewaySettings {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            users_url: self.users.base_url.clone(),
            orders_url: options
                .orders_url_override
                .clone()
                .unwrap_or_else(|| self.orders.clone()),
            jwks_url: self.users.jwks_url(),
            redis_url: SecretString::from(options.redis_url.clone()),
            issuer: "lom-users".into(),
            audience: "lom".into(),
            allowed_origins: vec![HeaderValue::from_static(DASHBOARD_ORIGIN)],
            cookie_secure: false,
            upstream_timeout: options.upstream_timeout,
            upstream_connect_timeout: Duration::from_millis(500),
            limits: StackLimits {
                body_limit_bytes: 256 * 1024,
                ..StackLimits::default()
            },
            login_rate: options.login_rate,
            metrics_token: options.metrics_token.clone().map(SecretString::from),
            realtime: RealtimeSettings {
                channel: self.events.channel.clone(),
                history_key: self.events.history_key.clone(),
                users_channel: lom_contracts::keys::USERS_EVENTS_CHANNEL.to_owned(),
                socket_buffer: options.socket_buffer,
                presence_prefix: self.presence_prefix(),
                presence_ttl: options.presence_ttl,
            },
        }
    }

    /// Where this stack's gateways keep presence in Redis (a name of its own, like its events).
    pub fn presence_prefix(&self) -> String {
        format!("{}:presence", self.events.channel)
    }

    /// Starts one more gateway instance in front of the same services; returns its URL.
    pub async fn spawn_gateway(&self, options: &Options) -> String {
        let app = gateway::startup::Application::build(self.gateway_settings(options))
            .await
            .expect("gateway builds");
        let url = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        url
    }

    /// Starts one more gateway on a runtime of its own, which [`CrashingGateway::crash`]
    /// stops as a crash would: its tasks end and its connections drop, with no goodbye to
    /// Redis or to its sockets.
    pub async fn spawn_crashing_gateway(&self, options: &Options) -> CrashingGateway {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let settings = self.gateway_settings(options);
        let (started, url) = tokio::sync::oneshot::channel();
        runtime.spawn(async move {
            let app = gateway::startup::Application::build(settings)
                .await
                .expect("gateway builds");
            let _ = started.send(format!("http://127.0.0.1:{}", app.port()));
            app.run_until_stopped(std::future::pending()).await
        });
        CrashingGateway {
            url: url.await.expect("the gateway starts"),
            runtime,
        }
    }

    /// Creates an order through the gateway as `token` (a storefront) and returns it.
    pub async fn create_order(&self, token: &str, n: usize) -> Value {
        let response = self.post("/api/v1/orders", token, &order_body(n)).await;
        assert_eq!(response.status(), StatusCode::CREATED, "create order {n}");
        response.json().await.unwrap()
    }
}

/// A gateway that a test can crash ([`Stack::spawn_crashing_gateway`]).
pub struct CrashingGateway {
    pub url: String,
    runtime: tokio::runtime::Runtime,
}

impl CrashingGateway {
    pub fn crash(self) {
        self.runtime.shutdown_background();
    }
}

pub use lom_testing::order_body;

pub use lom_testing::{assert_problem, problem};

pub fn password() -> &'static str {
    PASSWORD
}
