//! Bulk actions (issue #16): one result per item in request order, each item its own versioned
//! write (a stale version is a 409 with the current order while the others succeed), RBAC as
//! the single actions, the cap, duplicates and malformed items, one event and one history row
//! per changed order, undo, and many bulk requests over the same orders at the same instant.

use futures_util::future::join_all;
use lom_testing::assert_problem;
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{Role, TestApp, TestUser, id_of, last_change, spawn_app, wait_for};

const WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

fn items(orders: &[&Value]) -> Vec<Value> {
    orders
        .iter()
        .map(|o| json!({"id": o["id"], "version": o["version"]}))
        .collect()
}

fn confirm(orders: &[&Value]) -> Value {
    json!({"action": {"type": "status", "status": "CONFIRMED"}, "items": items(orders)})
}

async fn bulk(app: &TestApp, user: &TestUser, body: &Value) -> reqwest::Response {
    app.post("/v1/orders/bulk", user, body).await
}

/// The per-item results of a bulk request that must succeed as a whole.
async fn results(app: &TestApp, user: &TestUser, body: &Value) -> Vec<Value> {
    let response = bulk(app, user, body).await;
    let status = response.status();
    let answer: Value = response.json().await.expect("the answer as JSON");
    assert_eq!(status, 200, "{answer}");
    answer["results"].as_array().expect("results").clone()
}

fn outcomes(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .map(|r| r["outcome"].as_str().expect("an outcome"))
        .collect()
}

#[sqlx::test(migrations = false)]
async fn each_item_has_its_own_result_in_request_order_and_a_stale_version_conflicts_alone(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let first = app.create_order(1).await;
    let stale = app.create_order(2).await;
    let last = app.create_order(3).await;
    let cancelled = app.create_order(4).await;
    let cancel = json!({"reason": {"code": "duplicate"}, "version": 1});
    let path = format!("/v1/orders/{}/cancel", id_of(&cancelled));
    let cancelled: Value = app
        .post(&path, &dispatcher, &cancel)
        .await
        .json()
        .await
        .unwrap();
    // Someone else changes `stale` after the caller saw it at version 1.
    let path = format!("/v1/orders/{}", id_of(&stale));
    let meanwhile = json!({"priority": "high", "version": 1});
    assert_eq!(
        app.patch(&path, &dispatcher, &meanwhile).await.status(),
        200
    );
    let missing = json!({"id": Uuid::now_v7(), "version": 1});

    let results = results(
        &app,
        &dispatcher,
        &confirm(&[&first, &stale, &missing, &cancelled, &last]),
    )
    .await;

    assert_eq!(
        outcomes(&results),
        ["done", "conflict", "not_found", "not_allowed", "done"]
    );
    let ids: Vec<&Value> = results.iter().map(|r| &r["id"]).collect();
    assert_eq!(
        ids,
        [
            &first["id"],
            &stale["id"],
            &missing["id"],
            &cancelled["id"],
            &last["id"]
        ]
    );
    for done in [&results[0], &results[4]] {
        assert_eq!(done["order"]["status"], "CONFIRMED");
        assert_eq!(done["order"]["version"], 2);
        assert!(done.get("problem").is_none(), "{done}");
    }
    let conflict = &results[1];
    assert_eq!(
        conflict["problem"]["type"],
        "urn:lom:problem:version-conflict"
    );
    assert_eq!(conflict["problem"]["status"], 409);
    assert_eq!(conflict["order"]["version"], 2, "the current order");
    assert_eq!(conflict["order"]["priority"], "high");
    assert_eq!(conflict["order"]["status"], "PENDING", "left unchanged");
    assert_eq!(results[2]["problem"]["type"], "urn:lom:problem:not-found");
    assert!(results[2].get("order").is_none());
    assert_eq!(
        results[3]["problem"]["type"],
        "urn:lom:problem:invalid-transition"
    );
    assert_eq!(app.read(&stale, &dispatcher).await["status"], "PENDING");
    assert_eq!(app.read(&first, &dispatcher).await["version"], 2);
}

#[sqlx::test(migrations = false)]
async fn roles_and_scopes_are_those_of_the_single_actions(pool: PgPool) {
    let app = spawn_app(pool).await;
    let agent = app.users.user(Role::Agent).await;
    let viewer = app.users.user(Role::Viewer).await;
    let storefront = app.users.user(Role::Storefront).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let mine = app.assign(&app.create_order(1).await, agent.id).await;
    let theirs = app.create_order(2).await;

    for outsider in [&viewer, &storefront] {
        assert_problem(
            bulk(&app, outsider, &confirm(&[&mine])).await,
            403,
            "forbidden",
        )
        .await;
    }
    let unassign =
        json!({"action": {"type": "assign", "assignee_id": null}, "items": items(&[&mine])});
    assert_problem(bulk(&app, &agent, &unassign).await, 403, "forbidden").await;

    // An agent changes its own order; another's is the same 404 as a missing one.
    let by_agent = results(&app, &agent, &confirm(&[&theirs, &mine])).await;
    assert_eq!(outcomes(&by_agent), ["not_found", "done"]);
    assert!(by_agent[0].get("order").is_none(), "nothing of it leaks");
    assert_eq!(app.read(&theirs, &dispatcher).await["version"], 1);

    // A dispatcher assigns to the agent (the agent's order at the version before its confirm:
    // a conflict), then unassigns; a viewer is no assignee.
    let to_viewer =
        json!({"action": {"type": "assign", "assignee_id": viewer.id}, "items": items(&[&mine])});
    assert_problem(
        bulk(&app, &dispatcher, &to_viewer).await,
        422,
        "validation-failed",
    )
    .await;
    let to_agent = json!({"action": {"type": "assign", "assignee_id": agent.id}, "items": items(&[&mine, &theirs])});
    let assigned = results(&app, &dispatcher, &to_agent).await;
    assert_eq!(outcomes(&assigned), ["conflict", "done"]);
    assert_eq!(
        assigned[0]["order"], by_agent[1]["order"],
        "the current order"
    );
    let theirs = assigned[1]["order"].clone();
    assert_eq!(theirs["assignee_id"], agent.id.to_string());
    let unassign =
        json!({"action": {"type": "assign", "assignee_id": null}, "items": items(&[&theirs])});
    let unassigned = results(&app, &dispatcher, &unassign).await;
    assert_eq!(outcomes(&unassigned), ["done"]);
    assert_eq!(unassigned[0]["order"]["assignee_id"], Value::Null);
}

#[sqlx::test(migrations = false)]
async fn the_cap_duplicates_and_malformed_items_are_422s_naming_the_field(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    let order = app.create_order(1).await;
    let other = app.create_order(2).await;
    let status = json!({"type": "status", "status": "CONFIRMED"});
    let many: Vec<Value> = (0..201)
        .map(|_| json!({"id": Uuid::now_v7(), "version": 1}))
        .collect();
    let cases = [
        (json!({"action": status, "items": many}), "items"),
        (json!({"action": status, "items": []}), "items"),
        (
            json!({"action": status, "items": [
                {"id": order["id"], "version": 1},
                {"id": other["id"], "version": 1},
                {"id": order["id"], "version": 1},
            ]}),
            "items[2].id",
        ),
        (
            json!({"action": status, "items": [{"id": order["id"], "version": 1}, {"id": other["id"]}]}),
            "items[1].version",
        ),
        (
            json!({"action": status, "items": [{"id": "not-an-id", "version": 1}]}),
            "items[0].id",
        ),
        (
            json!({"action": status, "items": [{"id": order["id"], "version": 1.5}]}),
            "items[0].version",
        ),
        (
            json!({"action": status, "items": [{"id": order["id"], "version": 1, "status": "SHIPPED"}]}),
            "items[0]",
        ),
        (
            json!({"items": [{"id": order["id"], "version": 1}]}),
            "action",
        ),
        (
            json!({"action": {"type": "delete"}, "items": [{"id": order["id"], "version": 1}]}),
            "action",
        ),
        (
            json!({"action": {"type": "status", "status": "LOST"}, "items": [{"id": order["id"], "version": 1}]}),
            "action",
        ),
        (
            json!({"action": {"type": "cancel", "reason": {"code": "other"}}, "items": [{"id": order["id"], "version": 1}]}),
            "action.reason.text",
        ),
        (
            json!({"action": {"type": "assign"}, "items": [{"id": order["id"], "version": 1}]}),
            "action.assignee_id",
        ),
    ];
    for (body, field) in cases {
        let problem =
            assert_problem(bulk(&app, &admin, &body).await, 422, "validation-failed").await;
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.iter().any(|f| f.starts_with(field)),
            "{field}: {problem}"
        );
    }
    assert_eq!(
        app.read(&order, &admin).await["version"],
        1,
        "nothing written"
    );

    // 200 items are accepted, each answered.
    let cap: Vec<Value> = (0..200)
        .map(|_| json!({"id": Uuid::now_v7(), "version": 1}))
        .collect();
    let answer = results(&app, &admin, &json!({"action": status, "items": cap})).await;
    assert_eq!(answer.len(), 200);
    assert!(outcomes(&answer).iter().all(|o| *o == "not_found"));
}

#[sqlx::test(migrations = false)]
async fn each_changed_order_gets_one_event_and_one_history_row_and_can_be_undone(pool: PgPool) {
    let app = spawn_app(pool).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let orders = [
        app.create_order(1).await,
        app.create_order(2).await,
        app.create_order(3).await,
    ];
    let body = json!({
        "action": {"type": "cancel", "reason": {"code": "other", "text": "Storm"}},
        "items": items(&orders.iter().collect::<Vec<_>>()),
    });

    let results = results(&app, &dispatcher, &body).await;
    assert_eq!(outcomes(&results), ["done", "done", "done"]);

    let history = wait_for("the three cancellations", WITHIN, || async {
        let history = app.history().await;
        (history.len() == 6).then_some(history)
    })
    .await;
    for order in &orders {
        let events: Vec<_> = history[3..]
            .iter()
            .filter(|e| e.order.id.to_string() == id_of(order))
            .collect();
        assert_eq!(events.len(), 1, "one event for {}", id_of(order));
        assert_eq!(events[0].kind.as_str(), "order.updated");
        assert_eq!(events[0].order.version, 2);
        assert_eq!(events[0].actor.id, dispatcher.id);
        let reason = events[0].reason.as_ref().expect("the reason");
        assert_eq!(reason.text.as_deref(), Some("Storm"));
        let rows: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM order_status_history WHERE order_id = $1::uuid",
        )
        .bind(id_of(order))
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(rows, 2, "created and cancelled");
    }
    let cancelled = &results[1]["order"];
    let last = last_change(cancelled);
    assert_eq!(last["reason"], json!({"code": "other", "text": "Storm"}));

    // Each change is undoable like a single one.
    let path = format!("/v1/orders/{}/undo", id_of(cancelled));
    let response = app
        .post(
            &path,
            &dispatcher,
            &json!({"version": cancelled["version"]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let undone: Value = response.json().await.unwrap();
    assert_eq!(undone["status"], "PENDING");
}

#[sqlx::test(migrations = false)]
async fn bulk_requests_over_the_same_orders_at_the_same_instant_change_each_order_once(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    let agent = app.users.user(Role::Agent).await;
    let mut orders = Vec::new();
    for n in 0..6 {
        orders.push(app.create_order(n).await);
    }
    let all: Vec<&Value> = orders.iter().collect();
    let mut reversed = all.clone();
    reversed.reverse();
    let assign =
        json!({"action": {"type": "assign", "assignee_id": agent.id}, "items": items(&all)});
    let bodies = [
        confirm(&all),
        confirm(&reversed),
        assign.clone(),
        confirm(&all[2..]),
        assign,
        confirm(&reversed),
    ];

    let answers = join_all(bodies.iter().map(|body| bulk(&app, &admin, body))).await;

    let mut done = std::collections::HashMap::<String, usize>::new();
    for answer in answers {
        assert_eq!(answer.status(), 200);
        let answer: Value = answer.json().await.unwrap();
        for result in answer["results"].as_array().unwrap() {
            let outcome = result["outcome"].as_str().unwrap();
            assert!(["done", "conflict"].contains(&outcome), "{result}");
            assert_eq!(result["order"]["version"], 2, "{result}");
            if outcome == "done" {
                *done
                    .entry(result["id"].as_str().unwrap().to_owned())
                    .or_default() += 1;
            }
        }
    }
    for order in &orders {
        assert_eq!(done.get(id_of(order)), Some(&1), "{}", id_of(order));
        let now = app.read(order, &admin).await;
        assert_eq!(now["version"], 2);
        let changes = now["history"].as_array().unwrap().len();
        assert_eq!(changes, 2, "created, then exactly one change: {now}");
    }
    let history = wait_for("one event per order", WITHIN, || async {
        let history = app.history().await;
        (history.len() >= 12).then_some(history)
    })
    .await;
    assert_eq!(history.len(), 12, "6 created + 6 changed");
}
