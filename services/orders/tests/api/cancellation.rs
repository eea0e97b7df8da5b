//! Database work is never cancelled half-way (issue #18): clients that give up mid-request, a
//! statement timeout and a pool timeout firing mid-transaction leave no pooled connection
//! inside a transaction, no half-written order and no order without its event.
//!
//! PostgreSQL is reached through a proxy that adds 2 ms each way, so the `BEGIN` and `COMMIT`
//! round trips are windows that clients giving up after 0–60 ms keep hitting.

use std::{collections::HashMap, time::Duration};

use futures_util::{StreamExt, future::join_all, stream};
use lom_testing::{LatencyProxy, PostgresNotices, RawRequest, abandon, sessions_in_transaction};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection, PgPool};

use crate::helpers::{Role, TestApp, app_behind, id_of, order_body, postgres_server, wait_for};

const SETTLE: Duration = Duration::from_secs(10);

fn server_addr(app: &TestApp) -> std::net::SocketAddr {
    app.base
        .trim_start_matches("http://")
        .parse()
        .expect("app address")
}

/// Waits until no session of the app's database sits inside a transaction, failing if one
/// stays there.
async fn assert_no_session_left_in_a_transaction(app: &TestApp) {
    let database = app
        .db
        .connect_options()
        .get_database()
        .unwrap_or_default()
        .to_owned();
    wait_for("no session idle in transaction", SETTLE, || async {
        (sessions_in_transaction(&app.db, &database).await == 0).then_some(())
    })
    .await;
}

/// Every change committed with its outbox row, every outbox row published once.
async fn assert_every_change_has_its_event_once(app: &TestApp) {
    wait_for("the relay to publish everything", SETTLE, || async {
        (app.unpublished_outbox_rows().await == 0).then_some(())
    })
    .await;
    let version_without_event: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM orders o \
         WHERE o.version <> (SELECT count(*) FROM outbox x WHERE x.order_id = o.id) \
            OR (SELECT count(*) FROM outbox x \
                WHERE x.order_id = o.id AND x.event_type = 'order.created') <> 1",
    )
    .fetch_one(&app.db)
    .await
    .expect("count");
    assert_eq!(
        version_without_event, 0,
        "an order's versions and events disagree"
    );
    let keys_without_answer: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM idempotency_keys k \
         WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = k.order_id)",
    )
    .fetch_one(&app.db)
    .await
    .expect("count");
    assert_eq!(
        keys_without_answer, 0,
        "an idempotency key was left claimed"
    );

    let outbox: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT event_id FROM outbox")
        .fetch_all(&app.db)
        .await
        .expect("outbox");
    let mut published: HashMap<uuid::Uuid, usize> = HashMap::new();
    for event in app.history().await {
        *published.entry(event.event_id).or_default() += 1;
    }
    assert_eq!(
        published.len(),
        outbox.len(),
        "events published vs committed"
    );
    for event_id in outbox {
        assert_eq!(
            published.get(&event_id),
            Some(&1),
            "event {event_id} published once"
        );
    }
}

/// `count` more requests, `concurrency` at a time (creates, then reads of what they created),
/// all successful.
async fn assert_next_requests_succeed(app: &TestApp, count: usize, concurrency: usize) {
    let storefront = app.users.user(Role::Storefront).await;
    let admin = app.users.user(Role::Admin).await;
    let statuses: Vec<u16> = stream::iter(0..count / 2)
        .map(|n| {
            let (storefront, admin) = (&storefront, &admin);
            async move {
                let created = app.post("/v1/orders", storefront, &order_body(n)).await;
                let created_status = created.status().as_u16();
                let order: Value = created.json().await.expect("order");
                let Some(id) = order["id"].as_str() else {
                    return [created_status, 0];
                };
                let read = app.get(&format!("/v1/orders/{id}"), admin).await;
                [created_status, read.status().as_u16()]
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .flatten()
        .collect();
    let failed: Vec<_> = statuses
        .iter()
        .filter(|s| !matches!(s, 200 | 201))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {count} requests failed: {failed:?}",
        failed.len()
    );
}

#[sqlx::test(migrations = false)]
async fn requests_abandoned_at_any_point_leave_no_transaction_open_and_lose_no_event(pool: PgPool) {
    let notices = PostgresNotices::count();
    let (host, port) = postgres_server(&pool);
    let proxy = LatencyProxy::start(&host, port, Duration::from_millis(2)).await;
    let app = app_behind(pool, &proxy, |_| {}).await;
    let storefront = app.users.user(Role::Storefront).await;
    let admin = app.users.user(Role::Admin).await;
    let agent = app.users.user(Role::Agent).await;
    // Thirty orders, created ten at a time so that the pool holds ten open connections: the
    // abandoned requests then find connections ready and get as far as their transactions.
    let mut orders = Vec::new();
    for batch in 0..3 {
        orders.extend(join_all((0..10).map(|n| app.create_order(batch * 10 + n))).await);
    }

    let server = server_addr(&app);
    let requests: Vec<(RawRequest, Duration)> = (0..200)
        .map(|i| {
            let order = &orders[i % orders.len()];
            let path = format!("/v1/orders/{}", id_of(order));
            let request = match i % 5 {
                0 => RawRequest::new("POST", "/v1/orders")
                    .bearer(&storefront.token)
                    .json(order_body(100 + i)),
                1 => RawRequest::new("POST", "/v1/orders")
                    .bearer(&storefront.token)
                    .header("idempotency-key", format!("abandoned-{i}"))
                    .json(order_body(100 + i)),
                2 => RawRequest::new("PATCH", path)
                    .bearer(&admin.token)
                    .json(json!({"status": "CONFIRMED", "version": order["version"]})),
                3 => RawRequest::new("POST", format!("{path}/assign"))
                    .bearer(&admin.token)
                    .json(json!({"assignee_id": agent.id, "version": order["version"]})),
                _ => RawRequest::new("DELETE", path).bearer(&admin.token),
            };
            // Spread over 0–60 ms, the time a request takes here: before, during and after
            // each round trip.
            (request, Duration::from_millis((i as u64 * 7) % 61))
        })
        .collect();
    for chunk in requests.chunks(5) {
        join_all(
            chunk
                .iter()
                .map(|(request, after)| abandon(server, request, *after)),
        )
        .await;
    }

    assert_no_session_left_in_a_transaction(&app).await;
    assert_every_change_has_its_event_once(&app).await;
    assert_next_requests_succeed(&app, 1_000, 10).await;
    assert_no_session_left_in_a_transaction(&app).await;
    assert_eq!(
        notices.warnings(),
        0,
        "PostgreSQL warned (a transaction begun or ended on the wrong connection state)"
    );
}

/// Holds a row lock on `order` from a connection of the test's own until the value is dropped.
async fn lock_order(app: &TestApp, order: &Value) -> PgConnection {
    let options = (*app.db.connect_options()).clone();
    let mut conn = PgConnection::connect_with(&options).await.expect("connect");
    sqlx::query("BEGIN")
        .execute(&mut conn)
        .await
        .expect("begin");
    sqlx::query("SELECT 1 FROM orders WHERE id = $1::uuid FOR UPDATE")
        .bind(id_of(order))
        .execute(&mut conn)
        .await
        .expect("lock the order");
    conn
}

#[sqlx::test(migrations = false)]
async fn a_statement_timeout_or_a_pool_timeout_mid_transaction_leaves_nothing_open(pool: PgPool) {
    let notices = PostgresNotices::count();
    let (host, port) = postgres_server(&pool);
    let proxy = LatencyProxy::start(&host, port, Duration::from_millis(1)).await;
    let app = app_behind(pool, &proxy, |settings| {
        settings.pool.max_connections = 3;
        settings.pool.acquire_timeout = Duration::from_millis(300);
        settings.pool.statement_timeout = Duration::from_millis(800);
    })
    .await;
    let admin = app.users.user(Role::Admin).await;
    let order = app.create_order(1).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    let body = json!({"status": "CONFIRMED", "version": 1});

    // Every change waits on the lock until PostgreSQL cancels it (statement timeout), or waits
    // for a connection the others hold until the pool gives up (pool timeout).
    let lock = lock_order(&app, &order).await;
    let statuses: Vec<u16> = join_all((0..8).map(|_| app.patch(&path, &admin, &body)))
        .await
        .iter()
        .map(|response| response.status().as_u16())
        .collect();
    drop(lock);
    assert!(
        statuses.iter().all(|status| *status == 503),
        "every change timed out with 503: {statuses:?}"
    );
    // The relay also needs a connection: it may be among those that waited.
    assert_no_session_left_in_a_transaction(&app).await;

    let response = app.patch(&path, &admin, &body).await;
    assert_eq!(
        response.status(),
        200,
        "the change goes through once the lock is gone"
    );
    assert_every_change_has_its_event_once(&app).await;
    // No more at once than the pool's connections: waiting for one would time out by design.
    assert_next_requests_succeed(&app, 100, 2).await;
    assert_eq!(notices.warnings(), 0, "PostgreSQL warned");
}
