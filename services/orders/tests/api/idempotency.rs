//! `Idempotency-Key` on create: replays, misuse and races.

use futures_util::future::join_all;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, TestApp, TestUser, id_of, order_body, spawn_app};

async fn create_with_key(
    app: &TestApp,
    user: &TestUser,
    key: &str,
    body: &Value,
) -> reqwest::Response {
    app.client
        .post(app.url("/v1/orders"))
        .bearer_auth(&user.token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn order_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.db)
        .await
        .expect("count")
}

#[sqlx::test(migrations = false)]
async fn the_same_key_and_body_returns_the_first_response_and_creates_one_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let first = create_with_key(&app, &storefront, "key-1", &order_body(1)).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();

    let again = create_with_key(&app, &storefront, "key-1", &order_body(1)).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(order_count(&app).await, 1);
}

#[sqlx::test(migrations = false)]
async fn the_same_key_with_another_body_is_a_422_and_creates_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    assert_eq!(
        create_with_key(&app, &storefront, "key-1", &order_body(1))
            .await
            .status(),
        201
    );
    let response = create_with_key(&app, &storefront, "key-1", &order_body(2)).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("idempotency-key-reused")
    );
    assert_eq!(order_count(&app).await, 1);
}

#[sqlx::test(migrations = false)]
async fn keys_belong_to_their_caller(pool: PgPool) {
    let app = spawn_app(pool).await;
    let one = app.users.user(Role::Storefront).await;
    let other = app.users.user(Role::Storefront).await;
    assert_eq!(
        create_with_key(&app, &one, "shared", &order_body(1))
            .await
            .status(),
        201
    );
    assert_eq!(
        create_with_key(&app, &other, "shared", &order_body(2))
            .await
            .status(),
        201
    );
    assert_eq!(order_count(&app).await, 2);
}

#[sqlx::test(migrations = false)]
async fn concurrent_duplicates_with_one_key_create_exactly_one_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let body = order_body(1);
    let responses =
        join_all((0..8).map(|_| create_with_key(&app, &storefront, "race", &body))).await;
    let mut bodies = Vec::new();
    for response in responses {
        assert_eq!(response.status(), 201);
        bodies.push(response.json::<Value>().await.unwrap());
    }
    assert!(bodies.iter().all(|b| b["id"] == bodies[0]["id"]));
    assert_eq!(order_count(&app).await, 1);
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(events, 1);
}

#[sqlx::test(migrations = false)]
async fn a_malformed_key_is_a_400(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let long = "k".repeat(256);
    for key in [long.as_str(), "with space"] {
        let response = create_with_key(&app, &storefront, key, &order_body(1)).await;
        assert_eq!(response.status(), 400, "{key}");
    }
    assert_eq!(order_count(&app).await, 0);
}

#[sqlx::test(migrations = false)]
async fn a_retry_answers_the_order_the_key_created_as_it_is_now(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let admin = app.users.user(Role::Admin).await;
    let first: Value = create_with_key(&app, &storefront, "key-1", &order_body(1))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/v1/orders/{}", id_of(&first));
    let confirmed = app
        .patch(&path, &admin, &json!({"status": "CONFIRMED", "version": 1}))
        .await;
    assert_eq!(confirmed.status(), 200);

    let again = create_with_key(&app, &storefront, "key-1", &order_body(1)).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["number"], first["number"]);
    assert_eq!(again["status"], "CONFIRMED");
    assert_eq!(again["version"], 2);
    assert_eq!(
        again,
        app.get(&path, &admin).await.json::<Value>().await.unwrap()
    );
    assert_eq!(order_count(&app).await, 1);
}

#[sqlx::test(migrations = false)]
async fn a_retry_after_its_order_was_deleted_is_a_404_and_creates_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let admin = app.users.user(Role::Admin).await;
    let first: Value = create_with_key(&app, &storefront, "key-1", &order_body(1))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/v1/orders/{}", id_of(&first));
    assert_eq!(app.delete(&path, &admin).await.status(), 204);

    let again = create_with_key(&app, &storefront, "key-1", &order_body(1)).await;
    lom_testing::assert_problem(again, 404, "not-found").await;
    assert_eq!(order_count(&app).await, 1);
}

/// The key's row is written once, for the order its request creates, in the create's
/// transaction: a database that refuses any update of a key still takes creates with keys and
/// their retries. It keeps a digest of the request, not the request or the response.
#[sqlx::test(migrations = false)]
async fn a_key_is_written_once_and_never_updated_and_keeps_no_copy_of_the_answer(pool: PgPool) {
    let app = spawn_app(pool).await;
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_key_update() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'an idempotency key was updated'; END $$;
         CREATE TRIGGER refuse_key_update BEFORE UPDATE ON idempotency_keys
             FOR EACH ROW EXECUTE FUNCTION refuse_key_update();",
    )
    .execute(&app.db)
    .await
    .expect("trigger");
    let storefront = app.users.user(Role::Storefront).await;
    let created = join_all((0..6).map(|n| {
        let storefront = &storefront;
        let app = &app;
        async move { create_with_key(app, storefront, &format!("k-{n}"), &order_body(n)).await }
    }))
    .await;
    assert!(created.iter().all(|r| r.status() == 201));
    let again = create_with_key(&app, &storefront, "k-3", &order_body(3)).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(order_count(&app).await, 6);

    let digests: Vec<(i32, bool)> = sqlx::query_as(
        "SELECT length(request_sha256), EXISTS (SELECT 1 FROM orders o WHERE o.id = k.order_id) \
         FROM idempotency_keys k",
    )
    .fetch_all(&app.db)
    .await
    .expect("keys");
    assert_eq!(digests, vec![(32, true); 6]);
    let copies: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.columns \
         WHERE table_name = 'idempotency_keys' AND column_name IN ('request', 'response_body')",
    )
    .fetch_one(&app.db)
    .await
    .expect("columns");
    assert_eq!(copies, 0);
}
