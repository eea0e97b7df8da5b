//! The test harness: each test gets its own database from `#[sqlx::test]` (`DATABASE_URL`
//! names the server); the real users-service (its `test-support` feature) runs in schema
//! `users_service` of that database and signs in users of every role and answers the
//! assignable check; the app gets Redis names of its own and port 0. Both servers run on
//! runtimes of their own (see [`ServerRuntime`]). A `TestApp` derefs to lom-testing's
//! request client for the app.

use std::{
    future::Future,
    ops::Deref,
    sync::Arc,
    time::{Duration, Instant},
};

use futures_util::StreamExt;
use lom_contracts::OrderEvent;
use lom_testing::Api;
use orders_service::{
    configuration::{EventSettings, Settings},
    startup::Application,
};
use secrecy::SecretString;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::{runtime::Runtime, sync::mpsc, task::JoinHandle};
use users_service::test_support::RunningUsers;
use uuid::Uuid;

pub const REDIS_URL: &str = "redis://127.0.0.1:6379";

/// A multi-threaded runtime for a server a test starts. The server runs in parallel with
/// the test as in production (`#[sqlx::test]` runs the test itself on one thread), and
/// dropping the runtime stops every task of the server at once, as a crash would, closing its
/// database connections so that `#[sqlx::test]` can drop the database after the test.
struct ServerRuntime(Option<Runtime>);

impl ServerRuntime {
    fn new(threads: usize) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
            .expect("a server runtime");
        Self(Some(runtime))
    }

    /// Runs `task` on this runtime (tasks it spawns stay there) and returns its output.
    async fn run<T: Send + 'static>(&self, task: impl Future<Output = T> + Send + 'static) -> T {
        let runtime = self.0.as_ref().expect("a live runtime");
        runtime.spawn(task).await.expect("the server starts")
    }

    /// Stops every task on the runtime now.
    fn stop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for ServerRuntime {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The host and port of the PostgreSQL server behind `pool` (to put a proxy in front of it).
pub fn postgres_server(pool: &PgPool) -> (String, u16) {
    let options = pool.connect_options();
    (options.get_host().to_owned(), options.get_port())
}

/// The URL of the test database behind `pool`, reached at `addr` (the server or a proxy).
fn database_url_at(pool: &PgPool, addr: &str) -> String {
    let options = pool.connect_options();
    format!(
        "postgres://{}@{addr}/{}",
        options.get_username(),
        options.get_database().expect("a test database")
    )
}

fn database_url(pool: &PgPool) -> String {
    let (host, port) = postgres_server(pool);
    database_url_at(pool, &format!("{host}:{port}"))
}

/// The real users-service in a schema of the test's database: it serves the JWKS and the
/// assignable check, and signs users in. Derefs to users-service's test-support handle.
pub struct Users {
    running: RunningUsers,
    _runtime: ServerRuntime,
}

impl Users {
    /// The users-service of the test, in schema `users_service`.
    pub async fn start(pool: &PgPool) -> Arc<Self> {
        Arc::new(Self::start_in(pool, "users_service").await)
    }

    /// A users-service in schema `schema`, with accounts and a signing key of its own.
    pub async fn start_in(pool: &PgPool, schema: &'static str) -> Self {
        let runtime = ServerRuntime::new(2);
        let options = (*pool.connect_options()).clone();
        let running = runtime
            .run(async move {
                let pool = PgPool::connect_lazy_with(options);
                users_service::test_support::spawn_in_schema(&pool, schema).await
            })
            .await;
        Self {
            running,
            _runtime: runtime,
        }
    }
}

impl Deref for Users {
    type Target = RunningUsers;

    fn deref(&self) -> &RunningUsers {
        &self.running
    }
}

/// Settings for an app on the test database behind `pool`: Redis names of its own, port 0,
/// `users` as its users-service.
pub fn test_settings(pool: &PgPool, users: &Users) -> Settings {
    let prefix = format!("test:{}", Uuid::new_v4().simple());
    let mut settings = Settings::from_env().expect("settings");
    settings.bind = "127.0.0.1:0".parse().expect("addr");
    settings.database_url = SecretString::from(database_url(pool));
    settings.redis_url = SecretString::from(REDIS_URL);
    settings.users_url = users.base_url.clone();
    settings.jwks_url = users.jwks_url();
    settings.jwt_issuer = "lom-users".into();
    settings.jwt_audience = "lom".into();
    settings.events = EventSettings {
        channel: format!("{prefix}:orders.events"),
        seq_key: format!("{prefix}:seq"),
        history_key: format!("{prefix}:history"),
        ids_key: format!("{prefix}:ids"),
        history_cap: 10_000,
    };
    settings
}

pub struct TestApp {
    pub api: Api,
    /// The test's own pool on the app's database (`#[sqlx::test]`'s).
    pub db: PgPool,
    pub users: Arc<Users>,
    pub events: EventSettings,
    pub redis_url: String,
    runtime: ServerRuntime,
}

impl Deref for TestApp {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.api
    }
}

pub async fn spawn_app(pool: PgPool) -> TestApp {
    spawn_app_with(pool, |_| {}).await
}

/// An app with `configure` applied to its settings.
pub async fn spawn_app_with(pool: PgPool, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let users = Users::start(&pool).await;
    let mut settings = test_settings(&pool, &users);
    configure(&mut settings);
    spawn_with(pool, users, settings).await
}

/// An app whose pool reaches PostgreSQL through `proxy`, with `configure` applied.
pub async fn app_behind(
    pool: PgPool,
    proxy: &lom_testing::LatencyProxy,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let address = proxy.addr().to_string();
    spawn_app_with(pool.clone(), |settings| {
        settings.database_url = SecretString::from(database_url_at(&pool, &address));
        configure(settings);
    })
    .await
}

/// Starts an app on `settings` next to `users`; the app dies with the returned [`TestApp`].
pub async fn spawn_with(pool: PgPool, users: Arc<Users>, settings: Settings) -> TestApp {
    let events = settings.events.clone();
    let redis_url = secrecy::ExposeSecret::expose_secret(&settings.redis_url).to_owned();
    let runtime = ServerRuntime::new(2);
    let port = runtime
        .run(async move {
            let app = Application::build(settings).await.expect("build the app");
            let port = app.port();
            tokio::spawn(app.run_until_stopped(std::future::pending()));
            port
        })
        .await;
    TestApp {
        api: Api::new(format!("http://127.0.0.1:{port}")),
        db: pool,
        users,
        events,
        redis_url,
        runtime,
    }
}

impl TestApp {
    /// Kills the app at once (no drain); its database stays with the test.
    pub fn crash(self) {
        drop(self);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.runtime.stop();
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

pub use lom_testing::{Role, TestUser, free_port, order_body};

impl TestApp {
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
