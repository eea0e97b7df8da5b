//! `GET /v1/orders/workload`: each person's open orders (issue #19, the assign list's counts).

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, id_of, spawn_app};

#[sqlx::test(migrations = false)]
async fn workload_counts_each_persons_open_orders_only_for_those_who_read_every_order(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let agent = app.users.user(Role::Agent).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let viewer = app.users.user(Role::Viewer).await;

    let mut agents = Vec::new();
    for n in 0..3 {
        let order = app.create_order(n).await;
        agents.push(app.assign(&order, agent.id).await);
    }
    // Finished orders are not open; deleted ones are gone; unassigned ones are nobody's.
    let cancel = json!({"reason": {"code": "duplicate"}, "version": agents[2]["version"]});
    let cancelled = app
        .post(
            &format!("/v1/orders/{}/cancel", id_of(&agents[2])),
            &dispatcher,
            &cancel,
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    let dispatchers = app.assign(&app.create_order(3).await, dispatcher.id).await;
    let gone = app.assign(&app.create_order(4).await, dispatcher.id).await;
    let admin = app.users.user(Role::Admin).await;
    let deleted = app
        .delete(&format!("/v1/orders/{}", id_of(&gone)), &admin)
        .await;
    assert_eq!(deleted.status(), 204);
    app.create_order(5).await;
    assert_eq!(dispatchers["assignee_id"], dispatcher.id.to_string());

    for reader in [&viewer, &dispatcher] {
        let response = app.get("/v1/orders/workload", reader).await;
        assert_eq!(response.status(), 200);
        let mut loads: Vec<Value> = response.json().await.unwrap();
        loads.sort_by_key(|l| l["open_orders"].as_i64());
        assert_eq!(
            loads,
            [
                json!({"assignee_id": dispatcher.id, "open_orders": 1}),
                json!({"assignee_id": agent.id, "open_orders": 2}),
            ]
        );
    }
    // An agent reads only its own orders: the others' counts are not for it.
    let refused = app.get("/v1/orders/workload", &agent).await;
    lom_testing::assert_problem(refused, 403, "forbidden").await;
}
