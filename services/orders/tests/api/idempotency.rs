//! `Idempotency-Key` on create: replays, misuse and races.

use futures_util::future::join_all;
use serde_json::Value;

use crate::helpers::{Role, TestApp, TestUser, order_body, spawn_app};

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

#[tokio::test]
async fn the_same_key_and_body_returns_the_first_response_and_creates_one_order() {
    let app = spawn_app().await;
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

#[tokio::test]
async fn the_same_key_with_another_body_is_a_422_and_creates_nothing() {
    let app = spawn_app().await;
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

#[tokio::test]
async fn keys_belong_to_their_caller() {
    let app = spawn_app().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_duplicates_with_one_key_create_exactly_one_order() {
    let app = spawn_app().await;
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

#[tokio::test]
async fn a_malformed_key_is_a_400() {
    let app = spawn_app().await;
    let storefront = app.users.user(Role::Storefront).await;
    let long = "k".repeat(256);
    for key in [long.as_str(), "with space"] {
        let response = create_with_key(&app, &storefront, key, &order_body(1)).await;
        assert_eq!(response.status(), 400, "{key}");
    }
    assert_eq!(order_count(&app).await, 0);
}
