//! Hostile and malformed input: every case is a precise 4xx problem and nothing is written.

use lom_testing::assert_problem;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, TestApp, order_body, spawn_app};

type Mutation = Box<dyn Fn(&mut Value)>;

async fn orders_written(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.db)
        .await
        .expect("count")
}

#[sqlx::test(migrations = false)]
async fn invalid_order_fields_are_422_naming_each_field(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let long = "x".repeat(10 * 1024);
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "customer.name",
            Box::new(|b| b["customer"]["name"] = json!("Ann\u{0}Lee")),
        ),
        (
            "customer.name",
            Box::new(move |b| b["customer"]["name"] = json!(long.clone())),
        ),
        (
            "customer.name",
            Box::new(|b| b["customer"]["name"] = json!("   ")),
        ),
        (
            "customer.email",
            Box::new(|b| b["customer"]["email"] = json!("not-an-email")),
        ),
        (
            "customer.phone",
            Box::new(|b| b["customer"]["phone"] = json!("call me")),
        ),
        (
            "shipping_address.country",
            Box::new(|b| b["shipping_address"]["country"] = json!("Thailand")),
        ),
        (
            "items[0].quantity",
            Box::new(|b| b["items"][0]["quantity"] = json!(0)),
        ),
        (
            "items[0].quantity",
            Box::new(|b| b["items"][0]["quantity"] = json!(10_001)),
        ),
        (
            "items[1].unit_price",
            Box::new(|b| b["items"][1]["unit_price"] = json!(-5)),
        ),
        (
            "items[0].unit_price",
            Box::new(|b| b["items"][0]["unit_price"] = json!(19.99)),
        ),
        (
            "items[0].sku",
            Box::new(|b| b["items"][0]["sku"] = json!("")),
        ),
        ("items", Box::new(|b| b["items"] = json!([]))),
        ("priority", Box::new(|b| b["priority"] = json!("urgent"))),
        ("body", Box::new(|b| b["customer"]["admin"] = json!(true))),
    ];
    for (field, mutate) in cases {
        let mut body = order_body(1);
        mutate(&mut body);
        let response = app.post("/v1/orders", &storefront, &body).await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = response.json().await.unwrap();
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        if field != "body" {
            assert!(
                fields.iter().any(|f| f.starts_with(field)),
                "{field}: {problem}"
            );
        }
    }
    assert_eq!(orders_written(&app).await, 0);
}

#[sqlx::test(migrations = false)]
async fn malformed_json_wrong_content_type_and_oversized_bodies_are_problems(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let send = |body: Vec<u8>, content_type: &'static str| {
        app.client
            .post(app.url("/v1/orders"))
            .bearer_auth(&storefront.token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let malformed = send(b"{\"customer\": ".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    let wrong_type = send(b"customer=1".to_vec(), "application/x-www-form-urlencoded")
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 415);
    let huge = send(vec![b' '; 2 * 1024 * 1024], "application/json")
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    for response in [malformed, wrong_type, huge] {
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    assert_eq!(orders_written(&app).await, 0);
}

#[sqlx::test(migrations = false)]
async fn unusual_unicode_is_stored_exactly(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let name = "\u{202E}Ann e\u{301} 李 🚚";
    let mut body = order_body(1);
    body["customer"]["name"] = json!(name);
    let response = app.post("/v1/orders", &storefront, &body).await;
    assert_eq!(response.status(), 201);
    let order: Value = response.json().await.unwrap();
    assert_eq!(order["customer"]["name"], name);
}

#[sqlx::test(migrations = false)]
async fn an_id_that_is_not_a_uuid_is_a_bad_request_on_every_order_path(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    let change = json!({"status": "CONFIRMED", "version": 1});
    let assign = json!({"assignee_id": null, "version": 1});
    let cancel = json!({"reason": {"code": "other"}, "version": 1});
    let responses = [
        app.get("/v1/orders/not-a-uuid", &admin).await,
        app.patch("/v1/orders/not-a-uuid", &admin, &change).await,
        app.delete("/v1/orders/not-a-uuid", &admin).await,
        app.post("/v1/orders/not-a-uuid/assign", &admin, &assign)
            .await,
        app.post("/v1/orders/not-a-uuid/cancel", &admin, &cancel)
            .await,
        app.post("/v1/orders/not-a-uuid/undo", &admin, &json!({"version": 1}))
            .await,
    ];
    for response in responses {
        assert_problem(response, 400, "bad-request").await;
    }
}

#[sqlx::test(migrations = false)]
async fn the_openapi_document_and_swagger_ui_are_served(pool: PgPool) {
    let app = spawn_app(pool).await;
    let spec: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/v1/orders",
        "/v1/orders/stats",
        "/v1/orders/{id}",
        "/v1/orders/{id}/assign",
    ] {
        assert!(spec["paths"][path].is_object(), "{path}");
    }
    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
}

#[sqlx::test(migrations = false)]
async fn a_field_of_the_wrong_type_is_422_naming_it_not_invalid_json(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    let order = app.create_order(1).await;
    let path = format!("/v1/orders/{}", order["id"].as_str().expect("id"));
    for (body, field) in [
        (json!({"status": 3, "version": 1}), "status"),
        (json!({"status": null, "version": 1}), "status"),
        (json!({"priority": 5, "version": 1}), "priority"),
        (json!({"status": ["CONFIRMED"], "version": 1}), "status"),
    ] {
        let response = app.patch(&path, &admin, &body).await;
        assert_eq!(response.status(), 422, "{body}");
        let problem: Value = response.json().await.expect("problem");
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let storefront = app.users.user(Role::Storefront).await;
    let mut body = order_body(2);
    body["priority"] = json!(1);
    let response = app.post("/v1/orders", &storefront, &body).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.expect("problem");
    assert_eq!(problem["errors"][0]["field"], "priority");
    // Broken JSON stays a 400.
    let response = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&admin.token)
        .header("content-type", "application/json")
        .body(r#"{"status": "#)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 400);
}
