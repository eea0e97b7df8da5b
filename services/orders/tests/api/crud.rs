//! Creating, reading, changing, assigning and deleting orders.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, id_of, last_change, order_body, spawn_app, spawn_app_with};

#[sqlx::test(migrations = false)]
async fn a_storefront_creates_an_order_and_anyone_with_read_gets_it_back_in_full(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;

    assert!(
        order["number"]
            .as_str()
            .unwrap()
            .strip_prefix("ORD-")
            .is_some_and(|n| n.len() == 6)
    );
    assert_eq!(order["status"], "PENDING");
    assert_eq!(order["priority"], "normal");
    assert_eq!(order["total"], 2 * 1999 + 350);
    assert_eq!(order["currency"], "THB");
    assert_eq!(order["version"], 1);
    assert_eq!(order["item_count"], 2);
    assert_eq!(
        order["unit_count"], 3,
        "units: 2 mugs and 1 tea, not 2 lines"
    );
    assert_eq!(order["items"][0]["line_total"], 3998);
    assert_eq!(order["customer"]["email"], "customer1@example.com");
    assert_eq!(order["shipping_address"]["country"], "TH");
    assert_eq!(order["history"][0]["kind"], "status");
    assert_eq!(order["history"][0]["to_status"], "PENDING");

    let viewer = app.users.user(Role::Viewer).await;
    let fetched: Value = app
        .get(&format!("/v1/orders/{}", id_of(&order)), &viewer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, order);
    let list: Value = app.get("/v1/orders", &viewer).await.json().await.unwrap();
    assert_eq!(
        list["items"][0]["unit_count"], 3,
        "the list row has units too"
    );
}

#[sqlx::test(migrations = false)]
async fn a_status_change_follows_the_machine_bumps_the_version_and_is_recorded(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let path = format!("/v1/orders/{}", id_of(&order));

    let response = app
        .patch(
            &path,
            &dispatcher,
            &json!({"status": "CONFIRMED", "priority": "high", "note": "fragile", "version": 1}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["status"], "CONFIRMED");
    assert_eq!(changed["priority"], "high");
    assert_eq!(changed["note"], "fragile");
    assert_eq!(changed["version"], 2);
    let last = last_change(&changed);
    assert_eq!(last["from_status"], "PENDING");
    assert_eq!(last["to_status"], "CONFIRMED");
    assert_eq!(last["actor_id"], dispatcher.id.to_string());

    let cleared: Value = app
        .patch(&path, &dispatcher, &json!({"note": null, "version": 2}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["note"], Value::Null);
    assert_eq!(cleared["version"], 3);
}

#[sqlx::test(migrations = false)]
async fn an_illegal_transition_is_a_409_invalid_transition_and_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", id_of(&order));

    let response = app
        .patch(&path, &admin, &json!({"status": "SHIPPED", "version": 1}))
        .await;
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("invalid-transition")
    );

    let current: Value = app.get(&path, &admin).await.json().await.unwrap();
    assert_eq!(current["status"], "PENDING");
    assert_eq!(current["version"], 1);
}

#[sqlx::test(migrations = false)]
async fn a_stale_version_is_a_409_version_conflict_carrying_the_current_order(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    app.patch(&path, &admin, &json!({"priority": "high", "version": 1}))
        .await;

    let response = app
        .patch(&path, &admin, &json!({"status": "CONFIRMED", "version": 1}))
        .await;
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("version-conflict")
    );
    assert_eq!(problem["current"]["version"], 2);
    assert_eq!(problem["current"]["priority"], "high");
    assert_eq!(problem["current"]["status"], "PENDING");
}

#[sqlx::test(migrations = false)]
async fn assigning_records_who_and_null_unassigns(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let agent = app.users.user(Role::Agent).await;

    let assigned = app.assign(&order, agent.id).await;
    assert_eq!(assigned["assignee_id"], agent.id.to_string());
    assert_eq!(assigned["version"], 2);
    let entry = last_change(&assigned);
    assert_eq!(entry["kind"], "assignment");
    assert_eq!(entry["assignee_id"], agent.id.to_string());

    let admin = app.users.user(Role::Admin).await;
    let response = app
        .post(
            &format!("/v1/orders/{}/assign", id_of(&order)),
            &admin,
            &json!({"assignee_id": null, "version": 2}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let unassigned: Value = response.json().await.unwrap();
    assert_eq!(unassigned["assignee_id"], Value::Null);
    assert_eq!(unassigned["version"], 3);
}

#[sqlx::test(migrations = false)]
async fn assigning_someone_who_may_not_work_orders_is_a_422_naming_assignee_id(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let viewer = app.users.user(Role::Viewer).await;
    let admin = app.users.user(Role::Admin).await;

    let response = app
        .post(
            &format!("/v1/orders/{}/assign", id_of(&order)),
            &admin,
            &json!({"assignee_id": viewer.id, "version": 1}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "assignee_id");
}

#[sqlx::test(migrations = false)]
async fn deleting_an_order_hides_it_from_reads_and_lists_but_keeps_its_history(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let kept = app.create_order(2).await;
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", id_of(&order));

    assert_eq!(app.delete(&path, &admin).await.status(), 204);
    assert_eq!(app.get(&path, &admin).await.status(), 404);
    assert_eq!(app.delete(&path, &admin).await.status(), 404);
    let list: Value = app.get("/v1/orders", &admin).await.json().await.unwrap();
    let ids: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].clone())
        .collect();
    assert_eq!(ids, vec![kept["id"].clone()]);

    let history: i64 =
        sqlx::query_scalar("SELECT count(*) FROM order_status_history WHERE order_id = $1::uuid")
            .bind(id_of(&order))
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(history, 1);
}

#[sqlx::test(migrations = false)]
async fn the_same_customer_email_is_one_customer_across_orders(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let mut body = order_body(1);
    body["customer"]["email"] = json!("Same@Example.com");
    let first = app.post("/v1/orders", &storefront, &body).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();

    // The second order names the customer anew and gives no phone: the stored customer keeps
    // the phone, and the 201 shows the customer as stored (not as sent), like a later read.
    body["customer"] = json!({"name": "Renamed Customer", "email": "same@example.com"});
    body["shipping_address"]["line2"] = json!("Floor 3");
    body["note"] = json!("Leave at the desk");
    body["priority"] = json!("high");
    let second = app.post("/v1/orders", &storefront, &body).await;
    assert_eq!(second.status(), 201);
    let second: Value = second.json().await.unwrap();
    assert_eq!(second["customer"]["id"], first["customer"]["id"]);
    assert_eq!(second["customer"]["name"], "Renamed Customer");
    assert_eq!(second["customer"]["phone"], "+66 2 123 4567");
    let viewer = app.users.user(Role::Viewer).await;
    let fetched: Value = app
        .get(&format!("/v1/orders/{}", id_of(&second)), &viewer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, second);

    let customers: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(customers, 1);
}

#[sqlx::test(migrations = false)]
async fn assigning_while_users_service_is_down_is_a_fast_503_and_changes_nothing(pool: PgPool) {
    let app = spawn_app_with(pool, |settings| {
        let dead_port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        settings.users_url = format!("http://127.0.0.1:{dead_port}");
    })
    .await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;

    let started = std::time::Instant::now();
    let response = app
        .post(
            &format!("/v1/orders/{}/assign", id_of(&order)),
            &admin,
            &json!({"assignee_id": uuid::Uuid::now_v7(), "version": 1}),
        )
        .await;
    assert_eq!(response.status(), 503);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let problem: Value = response.json().await.unwrap();
    assert!(!problem["detail"].as_str().unwrap().contains("127.0.0.1"));
    let current: Value = app
        .get(&format!("/v1/orders/{}", id_of(&order)), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["version"], 1);
}
