//! The order actions of the audit log through the gateway: `audit:read` checked at the edge,
//! the page passed on, the service's 400 kept with the public path.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Stack, assert_problem};
use lom_testing::{Role, TestUser};

#[sqlx::test(migrations = false)]
async fn an_admin_reads_who_confirmed_which_order_and_others_may_not(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let order = stack.create_order(&storefront, 1).await;
    let TestUser {
        id: admin_id,
        token: admin,
    } = stack.users.user(Role::Admin).await;
    let path = format!("/api/v1/orders/{}", order["id"].as_str().unwrap());
    let confirmed = stack
        .patch(&path, &admin, &json!({"status": "CONFIRMED", "version": 1}))
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);

    let response = stack
        .get("/api/v1/orders/audit?action=order.status_changed", &admin)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page: Value = response.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(items[0]["actor_id"], json!(admin_id));
    assert_eq!(items[0]["order_id"], order["id"]);
    assert_eq!(items[0]["order_number"], order["number"]);
    assert_eq!(
        items[0]["details"],
        json!({"from": "PENDING", "to": "CONFIRMED"})
    );
    assert_eq!(page["next_cursor"], Value::Null);

    for role in [
        Role::Dispatcher,
        Role::Agent,
        Role::Viewer,
        Role::Storefront,
    ] {
        let token = stack.users.user(role).await.token;
        let response = stack.get("/api/v1/orders/audit", &token).await;
        assert_problem(response, 403, "forbidden").await;
    }
    let anonymous = stack
        .client
        .get(stack.url("/api/v1/orders/audit"))
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "unauthorized").await;
    let bad = stack.get("/api/v1/orders/audit?limit=0", &admin).await;
    let problem = assert_problem(bad, 400, "bad-request").await;
    assert_eq!(problem["instance"], "/api/v1/orders/audit");
    assert_eq!(problem["errors"][0]["field"], "limit");
}
