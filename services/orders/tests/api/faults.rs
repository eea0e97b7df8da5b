//! Faults (TESTING.md F1, F3, F8): Redis down while orders arrive, a crash between commit and
//! publish, and a republished event. Nothing committed is lost.

use std::{
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use secrecy::SecretString;

use crate::helpers::{REDIS_URL, Users, id_of, spawn_with, test_config, wait_for};

const WITHIN: Duration = Duration::from_secs(10);

/// A private redis-server on a fixed port, so it can be killed and restarted.
struct PrivateRedis {
    port: u16,
    child: Option<Child>,
}

impl PrivateRedis {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut redis = Self { port, child: None };
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

#[tokio::test]
async fn orders_created_while_redis_is_down_are_all_published_once_it_returns() {
    let mut redis = PrivateRedis::start().await;
    let users = Arc::new(Users::start().await);
    let mut config = test_config(&users).await;
    config.settings.redis_url = SecretString::from(redis.url());
    let app = spawn_with(users, config).await;

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

#[tokio::test]
async fn a_crash_between_commit_and_publish_loses_nothing() {
    let users = Arc::new(Users::start().await);
    let config = test_config(&users).await;
    let mut unreachable = config.clone();
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    unreachable.settings.redis_url = SecretString::from(format!("redis://127.0.0.1:{dead_port}"));

    let doomed = spawn_with(users.clone(), unreachable).await;
    let mut created = Vec::new();
    for n in 0..3 {
        created.push(id_of(&doomed.create_order(n).await).to_owned());
    }
    assert_eq!(doomed.unpublished_outbox_rows().await, 3);
    doomed.crash();

    let mut restarted = config;
    restarted.settings.redis_url = SecretString::from(REDIS_URL);
    let app = spawn_with(users, restarted).await;
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

#[tokio::test]
async fn a_republished_event_keeps_its_event_id_and_version_so_readers_can_drop_it() {
    let users = Arc::new(Users::start().await);
    let config = test_config(&users).await;
    let app = spawn_with(users, config).await;
    app.create_order(1).await;
    let first = wait_for("the create event", WITHIN, || async {
        app.history().await.into_iter().next()
    })
    .await;

    sqlx::query("UPDATE outbox SET published_at = NULL")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("SELECT pg_notify('orders_outbox', '')")
        .execute(&app.db)
        .await
        .unwrap();
    let history = wait_for("the republished event", WITHIN, || async {
        let history = app.history().await;
        (history.len() == 2).then_some(history)
    })
    .await;
    assert_eq!(history[1].seq, 2);
    assert_eq!(history[1].event_id, first.event_id);
    assert_eq!(history[1].order, first.order);
}
