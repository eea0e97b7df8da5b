//! Group commit of creates (issue #14): concurrent creates share transactions, and sharing
//! one changes nothing a caller can see — each 201 is exactly one order with exactly one
//! event, the same key twice replays, one order the database refuses fails alone, two
//! instances write at once, and a lost COMMIT answer is 504 for every caller of its batch.
//! The intake publishes what it committed itself, without waiting for the relay (issue #15).
//!
//! To make a batch, a test holds `orders` locked while one create (the "blocker") waits on the
//! lock in the app's only writer (a pool of two connections has one), queues the creates under
//! test behind it, then releases the lock: the writer takes the whole queue as one batch.

use std::{
    collections::{HashMap, HashSet},
    time::Duration,
};

use futures_util::future::join_all;
use lom_testing::LatencyProxy;
use orders_service::repository::RELAY_LOCK_KEY;
use serde_json::{Value, json};
use sqlx::{PgPool, Postgres, Transaction};
use tokio::task::JoinHandle;

use crate::helpers::{
    Role, TestApp, TestUser, Users, app_behind, id_of, order_body, postgres_server, spawn_app,
    spawn_app_with, spawn_with, test_settings, wait_for,
};

const WITHIN: Duration = Duration::from_secs(20);

/// An app whose pool has two connections, so its intake has exactly one writer.
async fn one_writer_app(pool: PgPool) -> TestApp {
    spawn_app_with(pool, |settings| {
        settings.pool.max_connections = 2;
    })
    .await
}

/// What a caller got: the status, whether it was a replay, and the body.
struct Answer {
    status: u16,
    replayed: bool,
    body: Value,
}

impl Answer {
    fn id(&self) -> String {
        id_of(&self.body).to_owned()
    }

    fn problem_type(&self) -> &str {
        self.body["type"].as_str().unwrap_or_default()
    }
}

/// Sends every create (with its key, if any) at once, from a task of its own so the caller
/// can open a gate meanwhile; the answers come in the order sent.
fn send_all(
    app: &TestApp,
    user: &TestUser,
    creates: Vec<(Option<String>, Value)>,
) -> JoinHandle<Vec<Answer>> {
    let (client, url) = (app.client.clone(), app.url("/v1/orders"));
    let token = user.token.clone();
    tokio::spawn(async move {
        join_all(creates.into_iter().map(|(key, body)| {
            let mut request = client.post(&url).bearer_auth(&token).json(&body);
            if let Some(key) = key {
                request = request.header("Idempotency-Key", key);
            }
            async move {
                let response = request.send().await.expect("response");
                Answer {
                    status: response.status().as_u16(),
                    replayed: response.headers().contains_key("idempotent-replayed"),
                    body: response.json().await.expect("json"),
                }
            }
        }))
        .await
    })
}

fn unkeyed(bodies: impl IntoIterator<Item = Value>) -> Vec<(Option<String>, Value)> {
    bodies.into_iter().map(|body| (None, body)).collect()
}

/// `orders` locked against inserts until [`Gate::release`], with one create waiting behind it.
struct Gate {
    lock: Transaction<'static, Postgres>,
    blocker: JoinHandle<Vec<Answer>>,
}

impl Gate {
    async fn close(app: &TestApp, user: &TestUser) -> Self {
        let mut lock = app.db.begin().await.expect("begin");
        sqlx::query("LOCK TABLE orders IN EXCLUSIVE MODE")
            .execute(&mut *lock)
            .await
            .expect("lock orders");
        let blocker = send_all(app, user, unkeyed([order_body(999_999)]));
        wait_for_a_lock_wait(&app.db, "relation = 'orders'::regclass").await;
        Self { lock, blocker }
    }

    /// Releases the lock once the creates sent meanwhile had time to queue; answers the
    /// blocker's status.
    async fn release(self) -> u16 {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        self.lock.rollback().await.expect("unlock");
        self.blocker.await.expect("blocker")[0].status
    }
}

/// Sends `creates` while the gate holds the writer, then releases it: they form one batch.
async fn send_as_one_batch(
    app: &TestApp,
    user: &TestUser,
    creates: Vec<(Option<String>, Value)>,
) -> (u16, Vec<Answer>) {
    let gate = Gate::close(app, user).await;
    let sent = send_all(app, user, creates);
    let blocker = gate.release().await;
    (blocker, sent.await.expect("sent"))
}

/// Waits until some session waits for a lock that matches `which` (a `pg_locks` condition).
async fn wait_for_a_lock_wait(db: &PgPool, which: &'static str) {
    let query = format!("SELECT count(*) FROM pg_locks WHERE NOT granted AND {which}");
    wait_for(which, WITHIN, || async {
        let waiting: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(query.as_str()))
            .fetch_one(db)
            .await
            .ok()?;
        (waiting > 0).then_some(())
    })
    .await;
}

/// How many transactions wrote the orders `ids`.
async fn transactions_of(db: &PgPool, ids: &[String]) -> i64 {
    sqlx::query_scalar("SELECT count(DISTINCT xmin::text) FROM orders WHERE id::text = ANY($1)")
        .bind(ids)
        .fetch_one(db)
        .await
        .expect("transactions")
}

/// Each of `ids` is one order with one `order.created` outbox row, and there is nothing else
/// (besides the blocker's order when `blocker`).
async fn assert_one_order_and_one_event_each(db: &PgPool, ids: &HashSet<String>, blocker: bool) {
    let stored: Vec<String> = sqlx::query_scalar("SELECT id::text FROM orders")
        .fetch_all(db)
        .await
        .expect("orders");
    let extra = usize::from(blocker);
    assert_eq!(stored.len(), ids.len() + extra, "one order per 201");
    let stored: HashSet<String> = stored.into_iter().collect();
    assert!(ids.is_subset(&stored), "every 201'd order is stored");
    let events: Vec<(String, i64)> = sqlx::query_as(
        "SELECT order_id::text, count(*) FROM outbox WHERE event_type = 'order.created' \
         GROUP BY order_id",
    )
    .fetch_all(db)
    .await
    .expect("events");
    assert_eq!(events.len(), ids.len() + extra, "one event per order");
    assert!(
        events.iter().all(|(_, n)| *n == 1),
        "no order has two events"
    );
}

#[sqlx::test(migrations = false)]
async fn two_hundred_creates_at_one_instant_are_each_one_order_with_one_event(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    // Some share a customer email: those cannot share a transaction and are written after.
    let bodies = (0..200).map(|n| order_body(n % 170));
    let answers = send_all(&app, &storefront, unkeyed(bodies))
        .await
        .expect("sent");
    assert!(answers.iter().all(|a| a.status == 201));
    let ids: HashSet<String> = answers.iter().map(Answer::id).collect();
    assert_eq!(ids.len(), 200);
    assert_one_order_and_one_event_each(&app.db, &ids, false).await;
    let ids: Vec<String> = ids.into_iter().collect();
    assert!(
        transactions_of(&app.db, &ids).await < 200,
        "concurrent creates share transactions"
    );
    wait_for("every event in the history", WITHIN, || async {
        (app.unpublished_outbox_rows().await == 0).then_some(())
    })
    .await;
    let mut created = HashMap::<String, usize>::new();
    for event in app.history().await {
        *created.entry(event.order.id.to_string()).or_default() += 1;
    }
    assert_eq!(created.len(), 200);
    assert!(
        created.values().all(|n| *n == 1),
        "each event once in the history"
    );
}

#[sqlx::test(migrations = false)]
async fn a_batch_answers_each_caller_with_its_own_order(pool: PgPool) {
    let app = one_writer_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let (blocker, answers) =
        send_as_one_batch(&app, &storefront, unkeyed((0..30).map(order_body))).await;
    assert_eq!(blocker, 201);
    for (n, answer) in answers.iter().enumerate() {
        assert_eq!(answer.status, 201);
        let order = &answer.body;
        assert_eq!(
            order["customer"]["email"],
            format!("customer{n}@example.com")
        );
        assert_eq!(
            order["shipping_address"]["line1"],
            format!("{n} Sukhumvit Road")
        );
    }
    let ids: Vec<String> = answers.iter().map(Answer::id).collect();
    assert_eq!(
        transactions_of(&app.db, &ids).await,
        1,
        "the 30 shared one transaction"
    );
    let admin = app.users.user(Role::Admin).await;
    let detail = app.get(&format!("/v1/orders/{}", ids[7]), &admin).await;
    let detail: Value = detail.json().await.expect("detail");
    assert_eq!(detail["customer"]["name"], "Customer 7");
    assert_eq!(detail["items"], answers[7].body["items"]);
    assert_one_order_and_one_event_each(&app.db, &ids.into_iter().collect(), true).await;
}

#[sqlx::test(migrations = false)]
async fn the_same_key_twice_in_one_batch_creates_one_order_and_replays_it(pool: PgPool) {
    let app = one_writer_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    // 20 keys sent twice each with the same body, and one key sent with two bodies.
    let mut creates = Vec::new();
    for n in 0..20 {
        creates.push((Some(format!("twice-{n}")), order_body(n)));
        creates.push((Some(format!("twice-{n}")), order_body(n)));
    }
    creates.push((Some("two-bodies".into()), order_body(100)));
    creates.push((Some("two-bodies".into()), order_body(101)));
    let (_, answers) = send_as_one_batch(&app, &storefront, creates).await;
    let mut ids = HashSet::new();
    for pair in answers[..40].chunks(2) {
        assert_eq!((pair[0].status, pair[1].status), (201, 201));
        assert_eq!(pair[0].body, pair[1].body, "the replay is the first answer");
        assert_eq!(
            u8::from(pair[0].replayed) + u8::from(pair[1].replayed),
            1,
            "exactly one of the two is a replay"
        );
        ids.insert(pair[0].id());
    }
    let (first, second) = (&answers[40], &answers[41]);
    let (created, refused) = if first.status == 201 {
        (first, second)
    } else {
        (second, first)
    };
    assert_eq!(created.status, 201);
    assert_eq!(refused.status, 422, "the same key with another body");
    assert!(refused.problem_type().ends_with("idempotency-key-reused"));
    ids.insert(created.id());
    assert_one_order_and_one_event_each(&app.db, &ids, true).await;
    let firsts: Vec<String> = ids.into_iter().collect();
    assert_eq!(
        transactions_of(&app.db, &firsts).await,
        1,
        "the first of each key shared one transaction"
    );
}

#[sqlx::test(migrations = false)]
async fn an_invalid_order_among_a_batch_is_a_422_and_the_others_commit(pool: PgPool) {
    let app = one_writer_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let mut invalid = order_body(5);
    invalid["items"][0]["quantity"] = json!(0);
    let mut bodies: Vec<Value> = (0..10).map(order_body).collect();
    bodies.insert(5, invalid);
    let (_, answers) = send_as_one_batch(&app, &storefront, unkeyed(bodies)).await;
    assert_eq!(answers[5].status, 422);
    assert!(answers[5].problem_type().ends_with("validation-failed"));
    let valid: Vec<&Answer> = answers.iter().take(5).chain(&answers[6..]).collect();
    assert!(valid.iter().all(|a| a.status == 201));
    let ids: Vec<String> = valid.iter().map(|a| a.id()).collect();
    assert_eq!(transactions_of(&app.db, &ids).await, 1);
    assert_one_order_and_one_event_each(&app.db, &ids.into_iter().collect(), true).await;
}

#[sqlx::test(migrations = false)]
async fn an_order_the_database_refuses_fails_alone_and_the_rest_of_its_batch_commits(pool: PgPool) {
    let app = one_writer_app(pool).await;
    // A database rule the service does not know: no order with this note.
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_note() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF NEW.note = 'refuse me' THEN
                 RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation';
             END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER refuse_note BEFORE INSERT ON orders
             FOR EACH ROW EXECUTE FUNCTION refuse_note();",
    )
    .execute(&app.db)
    .await
    .expect("install the rule");
    let storefront = app.users.user(Role::Storefront).await;
    let mut refused = order_body(5);
    refused["note"] = json!("refuse me");
    let mut bodies: Vec<Value> = (0..10).map(order_body).collect();
    bodies[5] = refused;
    let creates = bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| (Some(format!("refuse-{i}")), body))
        .collect();
    let (_, answers) = send_as_one_batch(&app, &storefront, creates).await;
    assert_eq!(answers[5].status, 422);
    assert!(answers[5].problem_type().ends_with("validation-failed"));
    let others: Vec<&Answer> = answers.iter().take(5).chain(&answers[6..]).collect();
    assert!(others.iter().all(|a| a.status == 201));
    let ids: HashSet<String> = others.iter().map(|a| a.id()).collect();
    assert_eq!(ids.len(), 9);
    assert_one_order_and_one_event_each(&app.db, &ids, true).await;
    let half_written: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM customers WHERE email = 'customer5@example.com'), \
                (SELECT count(*) FROM idempotency_keys WHERE key = 'refuse-5')",
    )
    .fetch_one(&app.db)
    .await
    .expect("leftovers");
    assert_eq!(half_written, (0, 0), "nothing of the refused order remains");
    let retry = send_all(
        &app,
        &storefront,
        vec![(Some("refuse-3".into()), order_body(3))],
    )
    .await
    .expect("retry");
    assert!(retry[0].replayed, "the others' keys were stored");
    assert_eq!(retry[0].body, answers[3].body);
}

#[sqlx::test(migrations = false)]
async fn two_instances_creating_at_once_with_shared_keys_and_customers_stay_exact(pool: PgPool) {
    let users = Users::start(&pool).await;
    let settings = test_settings(&pool, &users);
    let one = spawn_with(pool.clone(), users.clone(), settings.clone()).await;
    let two = spawn_with(pool, users.clone(), settings).await;
    let storefront = users.user(Role::Storefront).await;
    // 60 keys, each sent to both instances at once; 20 customers shared by all.
    let creates: Vec<(Option<String>, Value)> = (0..60)
        .map(|n| (Some(format!("both-{n}")), order_body(n % 20)))
        .collect();
    let (via_one, via_two) = tokio::join!(
        send_all(&one, &storefront, creates.clone()),
        send_all(&two, &storefront, creates),
    );
    let (via_one, via_two) = (via_one.expect("one"), via_two.expect("two"));
    let mut ids = HashSet::new();
    for (a, b) in via_one.iter().zip(&via_two) {
        assert_eq!((a.status, b.status), (201, 201));
        assert_eq!(a.id(), b.id(), "both instances answer a key with one order");
        ids.insert(a.id());
    }
    assert_eq!(ids.len(), 60);
    assert_one_order_and_one_event_each(&one.db, &ids, false).await;
    let customers: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
        .fetch_one(&one.db)
        .await
        .expect("customers");
    assert_eq!(customers, 20);
}

/// Every caller of a batch whose COMMIT answer was lost learns that the outcome is unknown.
#[sqlx::test(migrations = false)]
async fn a_lost_commit_answer_is_504_for_every_caller_of_the_batch(pool: PgPool) {
    let (host, port) = postgres_server(&pool);
    let proxy = LatencyProxy::losing_commit_answers(&host, port, b"INSERT INTO orders").await;
    let app = app_behind(pool, &proxy, |settings| settings.pool.max_connections = 2).await;
    let storefront = app.users.user(Role::Storefront).await;
    let (blocker, answers) =
        send_as_one_batch(&app, &storefront, unkeyed((0..10).map(order_body))).await;
    assert_eq!(blocker, 504);
    for answer in &answers {
        assert_eq!(answer.status, 504);
        assert!(answer.problem_type().ends_with("outcome-unknown"));
    }
    let stored: Vec<String> = sqlx::query_scalar("SELECT id::text FROM orders")
        .fetch_all(&app.db)
        .await
        .expect("orders");
    assert_eq!(
        stored.len(),
        11,
        "the COMMITs whose answers were lost were applied"
    );
    assert_eq!(
        transactions_of(&app.db, &stored).await,
        2,
        "the blocker's and the batch's"
    );
}

/// Issue #15: a create's event goes to Redis right after its COMMIT, from the intake itself —
/// here while the relay cannot publish anything (the test holds its lock).
#[sqlx::test(migrations = false)]
async fn created_events_are_published_right_after_commit_without_the_relay(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut relay_lock = app.db.acquire().await.expect("connection");
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(RELAY_LOCK_KEY)
        .execute(&mut *relay_lock)
        .await
        .expect("hold the relay's lock");
    let storefront = app.users.user(Role::Storefront).await;
    let answers = send_all(&app, &storefront, unkeyed((0..20).map(order_body)))
        .await
        .expect("sent");
    assert!(answers.iter().all(|a| a.status == 201));
    let history = wait_for("the 20 events in the history", WITHIN, || async {
        let history = app.history().await;
        (history.len() == 20 && app.unpublished_outbox_rows().await == 0).then_some(history)
    })
    .await;
    let published: HashSet<String> = history.iter().map(|e| e.order.id.to_string()).collect();
    let created: HashSet<String> = answers.iter().map(Answer::id).collect();
    assert_eq!(published, created);
    let stamped: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT seq) FROM outbox WHERE seq BETWEEN 1 AND 20")
            .fetch_one(&app.db)
            .await
            .expect("stamps");
    assert_eq!(stamped, 20, "each row stamped with the seq it got");

    // The relay is really held: a status change (its path) waits for it.
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", answers[0].id());
    let changed = app
        .patch(&path, &admin, &json!({"status": "CONFIRMED", "version": 1}))
        .await;
    assert_eq!(changed.status(), 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.unpublished_outbox_rows().await, 1);
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(RELAY_LOCK_KEY)
        .execute(&mut *relay_lock)
        .await
        .expect("release the relay's lock");
    wait_for("the relay to publish the change", WITHIN, || async {
        (app.history().await.len() == 21).then_some(())
    })
    .await;
}

/// Issue #14: a customer's row is written again only when an order changes it.
#[sqlx::test(migrations = false)]
async fn an_unchanged_customer_is_not_rewritten_and_a_changed_one_is(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let version = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT xmin::text FROM customers WHERE email = 'customer1@example.com'",
        )
        .fetch_one(&app.db)
        .await
        .expect("customer")
    };
    let create_one = |body: Value| {
        let storefront = &storefront;
        let app = &app;
        async move {
            let answers = send_all(app, storefront, unkeyed([body]))
                .await
                .expect("sent");
            assert_eq!(answers[0].status, 201);
            answers[0].body["customer"].clone()
        }
    };
    let first = create_one(order_body(1)).await;
    let written = version().await;

    assert_eq!(create_one(order_body(1)).await, first, "the same customer");
    let mut without_phone = order_body(1);
    without_phone["customer"]
        .as_object_mut()
        .expect("customer")
        .remove("phone");
    assert_eq!(
        create_one(without_phone).await,
        first,
        "no phone keeps the stored one"
    );
    assert_eq!(version().await, written, "the row was not written again");

    let mut renamed = order_body(1);
    renamed["customer"]["name"] = json!("Customer One");
    let customer = create_one(renamed).await;
    assert_eq!(customer["name"], "Customer One");
    assert_eq!(customer["id"], first["id"]);
    assert_ne!(version().await, written, "a new name is written");
}

/// The upsert of an unchanged customer that another transaction inserted after the statement
/// began locks that row without returning it, and the statement cannot see it: its order is
/// written by a second statement, with that customer.
#[sqlx::test(migrations = false)]
async fn an_unchanged_customer_committed_meanwhile_by_another_transaction_is_used(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let mut other = app.db.begin().await.expect("begin");
    let customer: String = sqlx::query_scalar(
        "INSERT INTO customers (id, name, email, phone) \
         VALUES (gen_random_uuid(), 'Customer 1', 'customer1@example.com', '+66 2 123 4567') \
         RETURNING id::text",
    )
    .fetch_one(&mut *other)
    .await
    .expect("insert the customer");
    let sent = send_all(&app, &storefront, unkeyed([order_body(1)]));
    wait_for_a_lock_wait(&app.db, "locktype = 'transactionid'").await;
    other.commit().await.expect("commit");
    let answers = sent.await.expect("sent");
    assert_eq!(answers[0].status, 201);
    assert_eq!(answers[0].body["customer"]["id"], customer.as_str());
    assert_one_order_and_one_event_each(&app.db, &HashSet::from([answers[0].id()]), false).await;
}

#[sqlx::test(migrations = false)]
async fn creates_that_waited_longer_than_the_bound_are_refused_with_503_and_not_written(
    pool: PgPool,
) {
    let app = spawn_app_with(pool, |settings| {
        settings.pool.max_connections = 2;
        settings.intake_max_wait = Duration::from_millis(300);
    })
    .await;
    let storefront = app.users.user(Role::Storefront).await;
    // The gate holds the only writer for 1.5 s: the five queued behind it wait longer than 300 ms.
    let (blocker, answers) =
        send_as_one_batch(&app, &storefront, unkeyed((0..5).map(order_body))).await;
    assert_eq!(blocker, 201, "the create the writer had taken is written");
    for answer in &answers {
        assert_eq!(answer.status, 503);
        assert!(answer.problem_type().ends_with("service-unavailable"));
    }
    assert_one_order_and_one_event_each(&app.db, &HashSet::new(), true).await;
    // Nothing is stuck: the next create is written at once.
    let after = send_all(&app, &storefront, unkeyed([order_body(7)]))
        .await
        .expect("sent");
    assert_eq!(after[0].status, 201);
}
