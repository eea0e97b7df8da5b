//! Faults (TESTING.md F1, F3, F8): Redis down while orders arrive, a crash between commit and
//! publish, the real binary killed with SIGKILL under load, and an event published twice.
//! Nothing committed is lost or published twice; nothing refused or unknown is half-written.

use std::{
    collections::{HashMap, HashSet},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use lom_contracts::{EventType, OrderEvent, keys};
use lom_testing::{LatencyProxy, assert_problem};
use orders_service::configuration::Settings;
use secrecy::{ExposeSecret, SecretString};
use sqlx::PgPool;

use crate::helpers::{
    EventSubscriber, REDIS_URL, Role, Users, app_behind, event_history, free_port, id_of,
    order_body, postgres_server, spawn_app, spawn_app_with, spawn_with, test_settings, wait_for,
};

const WITHIN: Duration = Duration::from_secs(10);

/// A private redis-server on a fixed port, so it can be killed and restarted.
struct PrivateRedis {
    port: u16,
    child: Option<Child>,
}

impl PrivateRedis {
    async fn start() -> Self {
        let mut redis = Self {
            port: free_port(),
            child: None,
        };
        redis.restart().await;
        redis
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    async fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        let url = self.url();
        wait_for("redis-server to answer", WITHIN, || {
            let url = url.clone();
            async move {
                let client = redis::Client::open(url).ok()?;
                let mut conn = client.get_multiplexed_async_connection().await.ok()?;
                redis::cmd("PING")
                    .query_async::<String>(&mut conn)
                    .await
                    .ok()
            }
        })
        .await;
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

#[sqlx::test(migrations = false)]
async fn orders_created_while_redis_is_down_are_all_published_once_it_returns(pool: PgPool) {
    let mut redis = PrivateRedis::start().await;
    let app = spawn_app_with(pool, |settings| {
        settings.redis_url = SecretString::from(redis.url());
    })
    .await;

    redis.kill();
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(id_of(&app.create_order(n).await).to_owned());
    }
    assert_eq!(app.unpublished_outbox_rows().await, 5);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);

    redis.restart().await;
    let history = wait_for("every missed event", WITHIN, || async {
        let history = app.history().await;
        (history.len() >= created.len() && app.unpublished_outbox_rows().await == 0)
            .then_some(history)
    })
    .await;
    let seqs: Vec<u64> = history.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    let ids: Vec<String> = history.iter().map(|e| e.order.id.to_string()).collect();
    assert_eq!(ids, created, "each order once, in commit order");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
}

#[sqlx::test(migrations = false)]
async fn a_crash_between_commit_and_publish_loses_nothing(pool: PgPool) {
    let users = Users::start(&pool).await;
    let settings = test_settings(&pool, &users);
    let mut unreachable = settings.clone();
    let dead_port = free_port();
    unreachable.redis_url = SecretString::from(format!("redis://127.0.0.1:{dead_port}"));

    let doomed = spawn_with(pool.clone(), users.clone(), unreachable).await;
    let mut created = Vec::new();
    for n in 0..3 {
        created.push(id_of(&doomed.create_order(n).await).to_owned());
    }
    assert_eq!(doomed.unpublished_outbox_rows().await, 3);
    doomed.crash();

    let mut restarted = settings;
    restarted.redis_url = SecretString::from(REDIS_URL);
    let app = spawn_with(pool, users, restarted).await;
    let history = wait_for("the committed events", WITHIN, || async {
        let history = app.history().await;
        (history.len() == 3 && app.unpublished_outbox_rows().await == 0).then_some(history)
    })
    .await;
    let ids: Vec<String> = history.iter().map(|e| e.order.id.to_string()).collect();
    assert_eq!(ids, created);
    let seqs: Vec<u64> = history.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
}

#[sqlx::test(migrations = false)]
async fn an_event_published_twice_is_in_the_stream_once_with_its_first_seq(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut live = app.subscribe().await;
    app.create_order(1).await;
    let (_, first) = live.next(WITHIN).await.expect("the create event");

    // As if the relay died after publishing and before stamping the row.
    sqlx::query("UPDATE outbox SET published_at = NULL, seq = NULL")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("SELECT pg_notify('orders_outbox', '')")
        .execute(&app.db)
        .await
        .unwrap();
    wait_for("the row published again", WITHIN, || async {
        (app.unpublished_outbox_rows().await == 0).then_some(())
    })
    .await;

    let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM outbox")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(seq, Some(1), "stamped with the seq it got the first time");
    let history = app.history().await;
    assert_eq!(history.len(), 1, "one history entry: {history:?}");
    assert_eq!(history[0].event_id, first.event_id);
    assert!(
        live.next(Duration::from_millis(500)).await.is_none(),
        "not published a second time"
    );
    app.create_order(2).await;
    let (_, next) = live.next(WITHIN).await.expect("the next create event");
    assert_eq!(next.seq, 2, "the stream's seq stays gap-free");
}

/// The real orders-service binary on a fixed port, so it can be killed and started again.
struct OrdersProcess {
    port: u16,
    child: Child,
}

impl OrdersProcess {
    async fn start(port: u16, settings: &Settings, users: &Users, redis_url: &str) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_orders-service"))
            .env("ORDERS_BIND", format!("127.0.0.1:{port}"))
            .env("ORDERS_DATABASE_URL", settings.database_url.expose_secret())
            .env("REDIS_URL", redis_url)
            .env("USERS_URL", &users.base_url)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start orders-service");
        let ready = format!("http://127.0.0.1:{port}/readyz");
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        wait_for("orders-service to be ready", WITHIN, || async {
            let response = client.get(&ready).send().await.ok()?;
            response.status().is_success().then_some(())
        })
        .await;
        Self { port, child }
    }

    fn orders_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1/orders", self.port)
    }

    /// SIGKILL: no drain, no shutdown hook, whatever was in flight.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OrdersProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// What a client learned of one create request.
enum Outcome {
    Created(String),
    /// The connection broke: the order may or may not exist.
    Unknown,
}

async fn create(client: &reqwest::Client, url: &str, token: &str, key: &str, n: usize) -> Outcome {
    let sent = client
        .post(url)
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&order_body(n))
        .send()
        .await;
    let Ok(response) = sent else {
        return Outcome::Unknown;
    };
    let status = response.status();
    if status.is_server_error() {
        return Outcome::Unknown;
    }
    assert_eq!(status, 201, "create {key}");
    match response.json::<serde_json::Value>().await {
        Ok(order) => Outcome::Created(id_of(&order).to_owned()),
        Err(_) => Outcome::Unknown,
    }
}

#[sqlx::test(migrations = false)]
async fn sigkill_under_load_loses_nothing_acknowledged_and_publishes_each_order_once(pool: PgPool) {
    const WORKERS: usize = 16;
    const ACKNOWLEDGED_BEFORE_KILL: usize = 150;
    let redis = PrivateRedis::start().await;
    let users = Users::start(&pool).await;
    let settings = test_settings(&pool, &users);
    let token = users.user(Role::Storefront).await.token;
    let mut live = EventSubscriber::start(&redis.url(), keys::EVENTS_CHANNEL).await;
    let port = free_port();
    let mut service = OrdersProcess::start(port, &settings, &users, &redis.url()).await;

    // Workers create orders until their connection breaks; each key is used once.
    let acknowledged = Arc::new(Mutex::new(HashMap::<String, String>::new()));
    let mut workers = Vec::new();
    for worker in 0..WORKERS {
        let (url, token, acknowledged) =
            (service.orders_url(), token.clone(), acknowledged.clone());
        workers.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client");
            for n in 0.. {
                let key = format!("sigkill-{worker}-{n}");
                match create(&client, &url, &token, &key, worker * 10_000 + n).await {
                    Outcome::Created(id) => acknowledged.lock().unwrap().insert(key, id),
                    Outcome::Unknown => return (key, worker * 10_000 + n),
                };
            }
            unreachable!("the loop ends when the service dies")
        }));
    }
    wait_for(
        "orders acknowledged under load",
        Duration::from_secs(60),
        || async { (acknowledged.lock().unwrap().len() >= ACKNOWLEDGED_BEFORE_KILL).then_some(()) },
    )
    .await;
    service.kill();
    let mut unknown = Vec::new();
    for worker in workers {
        unknown.push(worker.await.expect("worker"));
    }
    let acknowledged_before_restart = acknowledged.lock().unwrap().clone();

    let service = OrdersProcess::start(port, &settings, &users, &redis.url()).await;
    // A careful client retries what it does not know with the same key: exactly once each.
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let mut all = acknowledged_before_restart.clone();
    for (key, n) in &unknown {
        match create(&client, &service.orders_url(), &token, key, *n).await {
            Outcome::Created(id) => all.insert(key.clone(), id),
            Outcome::Unknown => panic!("the retry of {key} after the restart failed"),
        };
    }

    let stored: Vec<String> = sqlx::query_scalar("SELECT id::text FROM orders")
        .fetch_all(&pool)
        .await
        .unwrap();
    let stored: HashSet<String> = stored.into_iter().collect();
    for (key, id) in &acknowledged_before_restart {
        assert!(
            stored.contains(id),
            "{key} got a 201 but order {id} is absent"
        );
    }
    let expected: HashSet<String> = all.values().cloned().collect();
    assert_eq!(expected.len(), all.len(), "each key made a different order");
    assert_eq!(
        stored,
        expected,
        "exactly the orders of the {} keys, none twice",
        all.len()
    );

    // Every order's event: in the stream once, on the live channel once.
    wait_for("the outbox drained", WITHIN, || async {
        let unpublished: i64 =
            sqlx::query_scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                .fetch_one(&pool)
                .await
                .ok()?;
        (unpublished == 0).then_some(())
    })
    .await;
    let history = event_history(&redis.url(), keys::EVENTS_HISTORY_KEY).await;
    assert_each_created_once(&history, &stored, "the history");
    let mut received = Vec::new();
    while let Some((_, event)) = live.next(Duration::from_millis(500)).await {
        received.push(event);
    }
    assert_each_created_once(&received, &stored, "the live channel");
    let event_ids: HashSet<_> = received.iter().map(|e| e.event_id).collect();
    assert_eq!(event_ids.len(), received.len(), "no event delivered twice");
    let seqs: Vec<u64> = history.iter().map(|e| e.seq).collect();
    let gap_free: Vec<u64> = (1..=history.len() as u64).collect();
    assert_eq!(seqs, gap_free, "seq stays gap-free across the kill");
}

fn assert_each_created_once(events: &[OrderEvent], orders: &HashSet<String>, source: &str) {
    let mut created = HashMap::<String, usize>::new();
    for event in events {
        if event.kind == EventType::OrderCreated {
            *created.entry(event.order.id.to_string()).or_default() += 1;
        }
    }
    for id in orders {
        assert_eq!(
            created.get(id),
            Some(&1),
            "order {id}'s order.created in {source}"
        );
    }
    assert_eq!(
        created.len(),
        orders.len(),
        "no event in {source} for an absent order"
    );
}

/// The answer to a COMMIT can be lost after PostgreSQL applied it. A 503 would tell the client
/// that nothing was done, and a client that believes it creates the order twice (without an
/// Idempotency-Key): the answer is 504 `outcome-unknown`, and the order is indeed there.
#[sqlx::test(migrations = false)]
async fn a_create_whose_commit_answer_is_lost_is_504_outcome_unknown_not_503(pool: PgPool) {
    let (host, port) = postgres_server(&pool);
    let proxy = LatencyProxy::losing_commit_answers(&host, port, b"INSERT INTO orders").await;
    let app = app_behind(pool, &proxy, |_| {}).await;
    let storefront = app.users.user(Role::Storefront).await;

    let response = app.post("/v1/orders", &storefront, &order_body(1)).await;
    assert_problem(response, 504, "outcome-unknown").await;
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1, "the COMMIT whose answer was lost was applied");
}
