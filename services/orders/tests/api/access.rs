//! Who may do what: the permission matrix per role, agent scope, and tokens.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, TestApp, Users, id_of, order_body, spawn_app};

async fn status_of(app: &TestApp, role: Role, action: &str) -> u16 {
    let user = app.users.user(role).await;
    let order = app.create_order(1).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    let response = match action {
        "list" => app.get("/v1/orders", &user).await,
        "stats" => app.get("/v1/orders/stats", &user).await,
        "read" => app.get(&path, &user).await,
        "create" => app.post("/v1/orders", &user, &order_body(9)).await,
        "update" => {
            app.patch(&path, &user, &json!({"status": "CONFIRMED", "version": 1}))
                .await
        }
        "assign" => {
            let agent = app.users.user(Role::Agent).await;
            app.post(
                &format!("{path}/assign"),
                &user,
                &json!({"assignee_id": agent.id, "version": 1}),
            )
            .await
        }
        "delete" => app.delete(&path, &user).await,
        other => panic!("unknown action {other}"),
    };
    response.status().as_u16()
}

#[sqlx::test(migrations = false)]
async fn every_role_gets_exactly_the_access_its_permissions_give(pool: PgPool) {
    let app = spawn_app(pool).await;
    // Agents see lists of their own orders (empty here) and get 404 for others' orders.
    let expected: [(Role, [u16; 7]); 5] = [
        //                 list stats read create update assign delete
        (Role::Admin, [200, 200, 200, 201, 200, 200, 204]),
        (Role::Dispatcher, [200, 200, 200, 403, 200, 200, 204]),
        (Role::Agent, [200, 200, 404, 403, 404, 403, 403]),
        (Role::Viewer, [200, 200, 200, 403, 403, 403, 403]),
        (Role::Storefront, [403, 403, 403, 201, 403, 403, 403]),
    ];
    let actions = [
        "list", "stats", "read", "create", "update", "assign", "delete",
    ];
    for (role, statuses) in expected {
        for (action, status) in actions.iter().zip(statuses) {
            assert_eq!(
                status_of(&app, role, action).await,
                status,
                "{role:?} {action}"
            );
        }
    }
}

#[sqlx::test(migrations = false)]
async fn an_agent_reads_and_changes_only_orders_assigned_to_them(pool: PgPool) {
    let app = spawn_app(pool).await;
    let agent = app.users.user(Role::Agent).await;
    let mine = app.create_order(1).await;
    let mine = app.assign(&mine, agent.id).await;
    let other = app.create_order(2).await;
    let missing = format!("/v1/orders/{}", uuid::Uuid::now_v7());

    let list: Value = app.get("/v1/orders", &agent).await.json().await.unwrap();
    let ids: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].clone())
        .collect();
    assert_eq!(ids, vec![mine["id"].clone()]);
    let stats: Value = app
        .get("/v1/orders/stats", &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["total"], 1);

    let mine_path = format!("/v1/orders/{}", id_of(&mine));
    assert_eq!(app.get(&mine_path, &agent).await.status(), 200);
    let changed = app
        .patch(
            &mine_path,
            &agent,
            &json!({"status": "CONFIRMED", "version": 2}),
        )
        .await;
    assert_eq!(changed.status(), 200);

    let other_path = format!("/v1/orders/{}", id_of(&other));
    let missing_body = |mut v: Value| {
        v.as_object_mut().unwrap().remove("instance");
        v.as_object_mut().unwrap().remove("request_id");
        v
    };
    let absent = app.get(&missing, &agent).await;
    assert_eq!(absent.status(), 404);
    let absent = missing_body(absent.json().await.unwrap());
    for _ in 0..2 {
        let read = app.get(&other_path, &agent).await;
        assert_eq!(read.status(), 404);
        assert_eq!(missing_body(read.json().await.unwrap()), absent);
        let write = app
            .patch(
                &other_path,
                &agent,
                &json!({"status": "CONFIRMED", "version": 1}),
            )
            .await;
        assert_eq!(write.status(), 404);
        assert_eq!(missing_body(write.json().await.unwrap()), absent);
    }
    let untouched: Value = app
        .get(&other_path, &app.users.user(Role::Admin).await)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(untouched["version"], 1);
}

#[sqlx::test(migrations = false)]
async fn requests_without_a_valid_token_are_401_and_identity_headers_are_ignored(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app
        .client
        .get(app.url("/v1/orders"))
        .header("x-user-id", uuid::Uuid::now_v7().to_string())
        .header("x-roles", "admin")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let foreign = Users::start_in(&app.db, "foreign_users")
        .await
        .user(Role::Admin)
        .await;
    for token in ["garbage", "a.b.c", foreign.token.as_str()] {
        let response = app
            .client
            .get(app.url("/v1/orders"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{token}");
    }
}

#[sqlx::test(migrations = false)]
async fn extra_fields_such_as_assignee_or_number_are_refused_not_applied(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    for body in [
        json!({"assignee_id": admin.id, "version": 1}),
        json!({"priority": "high", "version": 1, "number": "ORD-999999"}),
        json!({"priority": "high", "version": 1, "total": 1}),
    ] {
        let response = app.patch(&path, &admin, &body).await;
        assert_eq!(response.status(), 422, "{body}");
    }
    let mut create = order_body(2);
    create["status"] = json!("DELIVERED");
    let storefront = app.users.user(Role::Storefront).await;
    assert_eq!(
        app.post("/v1/orders", &storefront, &create).await.status(),
        422
    );

    let current: Value = app.get(&path, &admin).await.json().await.unwrap();
    assert_eq!(current["version"], 1);
    assert_eq!(current["assignee_id"], Value::Null);
}
