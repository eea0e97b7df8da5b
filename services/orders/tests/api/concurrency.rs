//! Optimistic concurrency under real parallel requests.

use futures_util::future::join_all;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, id_of, spawn_app};

#[sqlx::test(migrations = false)]
async fn of_concurrent_assigns_at_one_version_exactly_one_wins_and_the_rest_conflict(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let mut agents = Vec::new();
    for _ in 0..6 {
        agents.push(app.users.user(Role::Agent).await);
    }
    let path = format!("/v1/orders/{}/assign", id_of(&order));

    let bodies: Vec<_> = agents
        .iter()
        .map(|agent| json!({"assignee_id": agent.id, "version": 1}))
        .collect();
    let responses = join_all(bodies.iter().map(|body| app.post(&path, &admin, body))).await;

    let mut winners = Vec::new();
    let mut conflicts = 0;
    for response in responses {
        match response.status().as_u16() {
            200 => winners.push(response.json::<Value>().await.unwrap()),
            409 => {
                let problem: Value = response.json().await.unwrap();
                assert!(
                    problem["type"]
                        .as_str()
                        .unwrap()
                        .ends_with("version-conflict")
                );
                assert_eq!(problem["current"]["version"], 2);
                conflicts += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(winners.len(), 1);
    assert_eq!(conflicts, agents.len() - 1);
    let current: Value = app
        .get(&format!("/v1/orders/{}", id_of(&order)), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["version"], 2);
    assert_eq!(current["assignee_id"], winners[0]["assignee_id"]);
    let assignments: i64 = sqlx::query_scalar("SELECT count(*) FROM order_assignments")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(assignments, 1);
}

#[sqlx::test(migrations = false)]
async fn of_concurrent_status_changes_at_one_version_exactly_one_applies(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    let bodies = [
        json!({"status": "CONFIRMED", "version": 1}),
        json!({"status": "CANCELLED", "version": 1}),
        json!({"status": "CONFIRMED", "version": 1}),
        json!({"priority": "high", "version": 1}),
    ];
    let responses = join_all(bodies.iter().map(|b| app.patch(&path, &admin, b))).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        3,
        "{statuses:?}"
    );
    let outbox: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(outbox, 2, "one event for the create and one for the winner");
}
