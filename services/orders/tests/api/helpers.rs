//! The test harness: each test gets its own database and its own Redis names, an app bound
//! to port 0, and the real users-service (its `test-support` feature) in a database of its
//! own, which signs in users of every role and answers the assignable check.

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use futures_util::StreamExt;
use lom_contracts::OrderEvent;
use orders_service::{
    configuration::{EventSettings, Settings},
    startup::Application,
};
use secrecy::SecretString;
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection, PgPool, postgres::PgConnectOptions};
use tokio::{sync::mpsc, task::JoinHandle};
use users_service::test_support::RunningUsers;
use uuid::Uuid;

pub const MAINTENANCE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
pub const REDIS_URL: &str = "redis://127.0.0.1:6379";

fn maintenance_url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| MAINTENANCE_URL.to_owned())
}

fn database_url(name: &str) -> String {
    let base = maintenance_url();
    let root = base
        .rsplit_once('/')
        .map_or(base.as_str(), |(root, _)| root);
    format!("{root}/{name}")
}

/// The host and port of the PostgreSQL server the tests use (to put a proxy in front of it).
pub fn postgres_server() -> (String, u16) {
    let options: PgConnectOptions = maintenance_url().parse().expect("DATABASE_URL");
    (options.get_host().to_owned(), options.get_port())
}

/// The URL of database `name` reached through `addr` (a proxy) instead of the server itself.
pub fn database_url_via(addr: std::net::SocketAddr, name: &str) -> String {
    let options: PgConnectOptions = maintenance_url().parse().expect("DATABASE_URL");
    format!("postgres://{}@{addr}/{name}", options.get_username())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Dispatcher,
    Agent,
    Viewer,
    Storefront,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Dispatcher => "dispatcher",
            Role::Agent => "agent",
            Role::Viewer => "viewer",
            Role::Storefront => "storefront",
        }
    }
}

/// A signed-in test user.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: Uuid,
    pub token: String,
}

/// The real users-service, in a database of its own that is dropped with it: it serves the
/// JWKS and the assignable check, and signs users in.
pub struct Users {
    running: RunningUsers,
    db_name: String,
    pub url: String,
}

impl Users {
    pub async fn start() -> Self {
        let db_name = create_database("orders_test_users").await;
        let pool = PgPool::connect(&database_url(&db_name))
            .await
            .expect("connect to the users test database");
        let running = users_service::test_support::spawn(&pool).await;
        let url = running.base_url.clone();
        Self {
            running,
            db_name,
            url,
        }
    }

    /// A new account with `role`, signed in.
    pub async fn user(&self, role: Role) -> TestUser {
        let email = format!("{}-{}@example.com", role.name(), Uuid::new_v4().simple());
        let id = self.running.create_user(&email, &[role.name()]).await;
        let token = self.running.token(&email).await;
        TestUser { id, token }
    }
}

impl Drop for Users {
    fn drop(&mut self) {
        drop_database_blocking(self.db_name.clone());
    }
}

async fn create_database(prefix: &str) -> String {
    let db_name = format!("{prefix}_{}", Uuid::new_v4().simple());
    let mut conn = PgConnection::connect(&maintenance_url())
        .await
        .expect("connect to the maintenance database");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE \"{db_name}\""
    )))
    .execute(&mut conn)
    .await
    .expect("create a test database");
    db_name
}

pub use lom_testing::free_port;

/// Drops its test database when dropped (for a database no [`TestApp`] owns).
pub struct DropDatabase(pub String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        drop_database_blocking(self.0.clone());
    }
}

/// Drops a test database from a thread of its own (usable in `Drop`).
fn drop_database_blocking(db_name: String) {
    let cleanup = std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            if let Ok(mut conn) = PgConnection::connect(&maintenance_url()).await {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{db_name}\" WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await;
            }
        });
    });
    let _ = cleanup.join();
}

/// Settings for a test app: a fresh database, Redis names of its own, port 0.
#[derive(Clone)]
pub struct TestConfig {
    pub settings: Settings,
    pub db_name: String,
}

pub async fn test_config(users: &Users) -> TestConfig {
    let db_name = create_database("orders_test").await;
    let prefix = format!("test:{}", Uuid::new_v4().simple());
    let mut settings = Settings::from_env().expect("settings");
    settings.bind = "127.0.0.1:0".parse().expect("addr");
    settings.database_url = SecretString::from(database_url(&db_name));
    settings.redis_url = SecretString::from(REDIS_URL);
    settings.users_url = users.url.clone();
    settings.jwks_url = format!("{}/.well-known/jwks.json", users.url);
    settings.jwt_issuer = "lom-users".into();
    settings.jwt_audience = "lom".into();
    settings.events = EventSettings {
        channel: format!("{prefix}:orders.events"),
        seq_key: format!("{prefix}:seq"),
        history_key: format!("{prefix}:history"),
        ids_key: format!("{prefix}:ids"),
        history_cap: 10_000,
    };
    TestConfig { settings, db_name }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: PgPool,
    pub users: Arc<Users>,
    pub events: EventSettings,
    pub redis_url: String,
    db_name: String,
    keep_database: bool,
    server: JoinHandle<std::io::Result<()>>,
}

pub async fn spawn_app() -> TestApp {
    let users = Arc::new(Users::start().await);
    let config = test_config(&users).await;
    spawn_with(users, config).await
}

/// Starts an app on `config`; the app dies with the returned [`TestApp`].
/// An app whose pool reaches PostgreSQL through `proxy`, with `configure` applied.
pub async fn app_behind(
    proxy: &lom_testing::LatencyProxy,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let users = Arc::new(Users::start().await);
    let mut config = test_config(&users).await;
    config.settings.database_url =
        SecretString::from(database_url_via(proxy.addr(), &config.db_name));
    configure(&mut config.settings);
    spawn_with(users, config).await
}

pub async fn spawn_with(users: Arc<Users>, config: TestConfig) -> TestApp {
    let settings = config.settings;
    let events = settings.events.clone();
    let redis_url = secrecy::ExposeSecret::expose_secret(&settings.redis_url).to_owned();
    let database_url = secrecy::ExposeSecret::expose_secret(&settings.database_url).to_owned();
    let app = Application::build(settings).await.expect("build the app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let server = tokio::spawn(app.run_until_stopped(std::future::pending()));
    let db = PgPool::connect(&database_url).await.expect("test pool");
    TestApp {
        address,
        client: reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client"),
        db,
        users,
        events,
        redis_url,
        db_name: config.db_name,
        keep_database: false,
        server,
    }
}

impl TestApp {
    /// Kills the app at once (no drain), leaving its database for the next instance.
    pub fn crash(mut self) {
        self.keep_database = true;
        self.server.abort();
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        if self.keep_database {
            return;
        }
        drop_database_blocking(self.db_name.clone());
        let events = self.events.clone();
        let redis_url = self.redis_url.clone();
        let cleanup = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(client) = redis::Client::open(redis_url)
                    && let Ok(Ok(mut conn)) = tokio::time::timeout(
                        Duration::from_secs(1),
                        client.get_multiplexed_async_connection(),
                    )
                    .await
                {
                    let _: Result<(), _> = redis::cmd("DEL")
                        .arg(&events.seq_key)
                        .arg(&events.history_key)
                        .arg(&events.ids_key)
                        .query_async(&mut conn)
                        .await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

/// A valid order body; `n` varies the customer so searches can tell orders apart.
pub use lom_testing::order_body;

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str, user: &TestUser) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(&user.token)
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, path: &str, user: &TestUser, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(&user.token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch(&self, path: &str, user: &TestUser, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(&user.token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete(&self, path: &str, user: &TestUser) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(&user.token)
            .send()
            .await
            .expect("request")
    }

    /// The order as `user` reads it now.
    pub async fn read(&self, order: &Value, user: &TestUser) -> Value {
        self.get(&format!("/v1/orders/{}", id_of(order)), user)
            .await
            .json()
            .await
            .expect("the order as JSON")
    }

    /// Creates an order as a storefront and returns its JSON.
    pub async fn create_order(&self, n: usize) -> Value {
        let storefront = self.users.user(Role::Storefront).await;
        let response = self.post("/v1/orders", &storefront, &order_body(n)).await;
        assert_eq!(response.status(), 201, "create order {n}");
        response.json().await.expect("order json")
    }

    /// Assigns `order` to `assignee` as an admin and returns the new order JSON.
    pub async fn assign(&self, order: &Value, assignee: Uuid) -> Value {
        let admin = self.users.user(Role::Admin).await;
        let path = format!("/v1/orders/{}/assign", order["id"].as_str().expect("id"));
        let body = json!({"assignee_id": assignee, "version": order["version"]});
        let response = self.post(&path, &admin, &body).await;
        assert_eq!(response.status(), 200, "assign");
        response.json().await.expect("order json")
    }

    /// Subscribes to this app's event channel.
    pub async fn subscribe(&self) -> EventSubscriber {
        EventSubscriber::start(&self.redis_url, &self.events.channel).await
    }

    /// The events in this app's Redis history, oldest first.
    pub async fn history(&self) -> Vec<OrderEvent> {
        event_history(&self.redis_url, &self.events.history_key).await
    }

    pub async fn unpublished_outbox_rows(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            .fetch_one(&self.db)
            .await
            .expect("count")
    }
}

/// Receives the raw JSON of every event published on a channel.
pub struct EventSubscriber {
    receiver: mpsc::UnboundedReceiver<String>,
    task: JoinHandle<()>,
}

impl EventSubscriber {
    pub async fn start(redis_url: &str, channel: &str) -> Self {
        let client = redis::Client::open(redis_url).expect("redis url");
        let mut pubsub = client.get_async_pubsub().await.expect("pubsub");
        pubsub.subscribe(channel).await.expect("subscribe");
        let (sender, receiver) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let mut messages = pubsub.into_on_message();
            while let Some(message) = messages.next().await {
                let payload: String = message.get_payload().expect("payload");
                if sender.send(payload).is_err() {
                    break;
                }
            }
        });
        Self { receiver, task }
    }

    /// The next event, or `None` if none arrives within `within`.
    pub async fn next(&mut self, within: Duration) -> Option<(String, OrderEvent)> {
        let raw = tokio::time::timeout(within, self.receiver.recv())
            .await
            .ok()??;
        let event = serde_json::from_str(&raw).expect("event json");
        Some((raw, event))
    }
}

impl Drop for EventSubscriber {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The events in the history sorted set `key` on the Redis at `redis_url`, oldest first.
pub async fn event_history(redis_url: &str, key: &str) -> Vec<OrderEvent> {
    let client = redis::Client::open(redis_url).expect("redis url");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let raw: Vec<String> = redis::cmd("ZRANGE")
        .arg(key)
        .arg(0)
        .arg(-1)
        .query_async(&mut conn)
        .await
        .expect("history");
    raw.iter()
        .map(|e| serde_json::from_str(e).expect("event json"))
        .collect()
}

/// Polls `check` until it returns `Some`, failing the test after `deadline`.
pub async fn wait_for<T, F, Fut>(what: &str, deadline: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            started.elapsed() < deadline,
            "timed out after {deadline:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn id_of(order: &Value) -> &str {
    order["id"].as_str().expect("order id")
}

/// The newest entry of an order's history.
pub fn last_change(order: &Value) -> Value {
    order["history"]
        .as_array()
        .and_then(|history| history.last())
        .expect("a history entry")
        .clone()
}
