//! `GET /v1/orders/audit`: every kind of order action with its actor, order and time, newest
//! first; filters by actor, action and time; keyset pages that neither skip nor repeat actions
//! made at the same instant; `audit:read` only; bad parameters are 400 problems naming them.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use lom_testing::assert_problem;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, TestApp, TestUser, id_of, spawn_app};

/// Every action the query matches, walking the pages `limit` at a time.
async fn all_pages(app: &TestApp, user: &TestUser, query: &str, limit: usize) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = format!("/v1/orders/audit?limit={limit}&cursor={cursor}{query}");
        let response = app.get(&path, user).await;
        assert_eq!(response.status(), 200, "{path}");
        let page: Value = response.json().await.expect("page");
        let got = page["items"].as_array().expect("items");
        assert!(got.len() <= limit, "{page}");
        items.extend(got.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => return items,
        }
    }
}

async fn send(app: &TestApp, user: &TestUser, order: &Value, action: &str, body: Value) -> Value {
    let path = format!("/v1/orders/{}{action}", id_of(order));
    let response = if action.is_empty() {
        app.patch(&path, user, &body).await
    } else {
        app.post(&path, user, &body).await
    };
    assert_eq!(response.status(), 200, "{action} {body}");
    response.json().await.expect("order")
}

fn at(item: &Value) -> DateTime<Utc> {
    item["at"].as_str().expect("at").parse().expect("RFC 3339")
}

/// The actions on `order`, oldest first, as (action, actor, details).
fn trail(items: &[Value], order: &Value) -> Vec<(String, String, Value)> {
    let mut trail: Vec<_> = items
        .iter()
        .filter(|i| i["order_id"] == order["id"])
        .map(|i| {
            assert_eq!(i["order_number"], order["number"], "{i}");
            (
                i["action"].as_str().expect("action").to_owned(),
                i["actor_id"].as_str().expect("actor").to_owned(),
                i["details"].clone(),
            )
        })
        .collect();
    trail.reverse();
    trail
}

#[sqlx::test(migrations = false)]
async fn every_order_action_is_listed_with_its_actor_order_and_time_newest_first(pool: PgPool) {
    let app = spawn_app(pool).await;
    let started = Utc::now();
    let order = app.create_order(1).await;
    let doomed = app.create_order(2).await;
    let creator = |order: &Value| order["history"][0]["actor_id"].as_str().unwrap().to_owned();
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let admin = app.users.user(Role::Admin).await;
    let agent = app.users.user(Role::Agent).await;
    let (d, a) = (dispatcher.id.to_string(), admin.id.to_string());

    let v = send(
        &app,
        &dispatcher,
        &order,
        "",
        json!({"status": "CONFIRMED", "priority": "high", "version": 1}),
    )
    .await;
    let v = send(
        &app,
        &admin,
        &order,
        "",
        json!({"note": "Fragile", "version": v["version"]}),
    )
    .await;
    let v = send(
        &app,
        &dispatcher,
        &order,
        "/assign",
        json!({"assignee_id": agent.id, "version": v["version"]}),
    )
    .await;
    let v = send(
        &app,
        &dispatcher,
        &order,
        "/undo",
        json!({"version": v["version"]}),
    )
    .await;
    let v = send(
        &app,
        &admin,
        &order,
        "/assign",
        json!({"assignee_id": agent.id, "version": v["version"]}),
    )
    .await;
    let v = send(
        &app,
        &admin,
        &order,
        "/assign",
        json!({"assignee_id": null, "version": v["version"]}),
    )
    .await;
    let response = app
        .post(
            &format!("/v1/orders/{}/notes", id_of(&order)),
            &dispatcher,
            &json!({"text": "Called the customer"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let note: Value = response.json().await.unwrap();
    send(
        &app,
        &admin,
        &order,
        "/cancel",
        json!({"reason": {"code": "other", "text": "Storm"}, "version": v["version"]}),
    )
    .await;
    assert_eq!(
        app.delete(&format!("/v1/orders/{}", id_of(&doomed)), &admin)
            .await
            .status(),
        204
    );
    let export = app.get("/v1/orders/export?status=CANCELLED", &admin).await;
    assert_eq!(export.status(), 200);
    export.text().await.unwrap();

    let response = app.get("/v1/orders/audit", &admin).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["next_cursor"], Value::Null);
    let items = page["items"].as_array().unwrap();

    assert_eq!(
        trail(items, &order),
        [
            (
                "order.created".into(),
                creator(&order),
                json!({"to": "PENDING"})
            ),
            // One PATCH: its status change is the headline, after the field it also changed.
            (
                "order.priority_changed".into(),
                d.clone(),
                json!({"from": "normal", "to": "high"})
            ),
            (
                "order.status_changed".into(),
                d.clone(),
                json!({"from": "PENDING", "to": "CONFIRMED"})
            ),
            (
                "order.note_changed".into(),
                a.clone(),
                json!({"from": null, "to": "Fragile"})
            ),
            (
                "order.assigned".into(),
                d.clone(),
                json!({"from": null, "to": agent.id})
            ),
            (
                "order.undone".into(),
                d.clone(),
                json!({"field": "assignee", "from": agent.id, "to": null})
            ),
            (
                "order.assigned".into(),
                a.clone(),
                json!({"from": null, "to": agent.id})
            ),
            (
                "order.unassigned".into(),
                a.clone(),
                json!({"from": agent.id, "to": null})
            ),
            (
                "order.note_added".into(),
                d.clone(),
                json!({"note_id": note["id"], "text": "Called the customer"})
            ),
            (
                "order.cancelled".into(),
                a.clone(),
                json!({"from": "CONFIRMED", "to": "CANCELLED", "reason_code": "other", "reason_text": "Storm"})
            ),
        ]
    );
    assert_eq!(
        trail(items, &doomed),
        [
            (
                "order.created".into(),
                creator(&doomed),
                json!({"to": "PENDING"})
            ),
            ("order.deleted".into(), a.clone(), json!({})),
        ]
    );
    let newest = &items[0];
    assert_eq!(newest["action"], "orders.exported");
    assert_eq!(
        (
            &newest["actor_id"],
            &newest["order_id"],
            &newest["order_number"]
        ),
        (&json!(a), &Value::Null, &Value::Null)
    );
    assert_eq!(
        newest["details"],
        json!({"query": "status=CANCELLED", "rows": 1})
    );
    assert_eq!(items.len(), 13);

    let times: Vec<_> = items.iter().map(at).collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    assert!(
        times.iter().all(|t| *t >= started && *t <= Utc::now()),
        "{times:?}"
    );
    let ids: HashSet<_> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), items.len(), "ids are unique");
}

#[sqlx::test(migrations = false)]
async fn pages_neither_skip_nor_repeat_actions_even_those_made_at_the_same_instant(pool: PgPool) {
    let app = spawn_app(pool).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let admin = app.users.user(Role::Admin).await;
    for n in 0..4 {
        let order = app.create_order(n).await;
        // Three actions of one transaction share their instant, split across pages below.
        send(
            &app,
            &dispatcher,
            &order,
            "",
            json!({"status": "CONFIRMED", "priority": "high", "note": "n", "version": 1}),
        )
        .await;
    }
    let whole = all_pages(&app, &admin, "", 200).await;
    assert_eq!(whole.len(), 16);
    for limit in [1, 2, 3, 5] {
        assert_eq!(
            all_pages(&app, &admin, "", limit).await,
            whole,
            "limit {limit}"
        );
    }
    let filtered = all_pages(&app, &admin, &format!("&actor={}", dispatcher.id), 2).await;
    assert_eq!(filtered.len(), 12);
    assert_eq!(
        filtered,
        whole
            .iter()
            .filter(|i| i["actor_id"] == json!(dispatcher.id))
            .cloned()
            .collect::<Vec<_>>()
    );
}

#[sqlx::test(migrations = false)]
async fn filters_narrow_by_actor_action_and_time(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = app.create_order(1).await;
    let second = app.create_order(2).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let admin = app.users.user(Role::Admin).await;
    send(
        &app,
        &dispatcher,
        &first,
        "",
        json!({"status": "CONFIRMED", "version": 1}),
    )
    .await;
    let between = Utc::now();
    send(
        &app,
        &admin,
        &second,
        "",
        json!({"status": "CONFIRMED", "version": 1}),
    )
    .await;
    send(
        &app,
        &admin,
        &second,
        "/cancel",
        json!({"reason": {"code": "duplicate"}, "version": 2}),
    )
    .await;

    let actions = |items: Vec<Value>| -> Vec<(String, Value)> {
        items
            .iter()
            .map(|i| {
                (
                    i["action"].as_str().unwrap().to_owned(),
                    i["order_id"].clone(),
                )
            })
            .collect()
    };
    let by_admin = all_pages(&app, &admin, &format!("&actor={}", admin.id), 50).await;
    assert_eq!(
        actions(by_admin),
        [
            ("order.cancelled".into(), second["id"].clone()),
            ("order.status_changed".into(), second["id"].clone())
        ]
    );
    let changed = all_pages(&app, &admin, "&action=order.status_changed", 50).await;
    assert_eq!(
        actions(changed),
        [
            ("order.status_changed".into(), second["id"].clone()),
            ("order.status_changed".into(), first["id"].clone())
        ]
    );
    let created = all_pages(&app, &admin, "&action=order.created", 50).await;
    assert_eq!(actions(created).len(), 2);
    let by_dispatcher_created = all_pages(
        &app,
        &admin,
        &format!("&action=order.created&actor={}", dispatcher.id),
        50,
    )
    .await;
    assert!(by_dispatcher_created.is_empty());

    let stamp = between
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
        .replace('+', "%2B");
    let after = all_pages(&app, &admin, &format!("&from={stamp}"), 50).await;
    assert_eq!(
        actions(after),
        [
            ("order.cancelled".into(), second["id"].clone()),
            ("order.status_changed".into(), second["id"].clone())
        ]
    );
    let before = all_pages(&app, &admin, &format!("&to={stamp}"), 50).await;
    assert_eq!(
        before.len(),
        3,
        "two creations and the dispatcher's confirmation"
    );
    assert!(before.iter().all(|i| at(i) < between));
    let empty = all_pages(&app, &admin, &format!("&from={stamp}&to={stamp}"), 50).await;
    assert!(empty.is_empty());
}

#[sqlx::test(migrations = false)]
async fn only_audit_read_may_read_the_order_actions(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_order(1).await;
    for role in [
        Role::Dispatcher,
        Role::Agent,
        Role::Viewer,
        Role::Storefront,
    ] {
        let user = app.users.user(role).await;
        assert_problem(app.get("/v1/orders/audit", &user).await, 403, "forbidden").await;
    }
    let anonymous = app
        .client
        .get(app.url("/v1/orders/audit"))
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "unauthorized").await;
}

#[sqlx::test(migrations = false)]
async fn a_bad_parameter_is_a_400_naming_it(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=abc", "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=1764000000123456_9_1", "cursor"),
        ("action=order.exploded", "action"),
        ("action=", "action"),
        ("actor=someone", "actor"),
        ("from=yesterday", "from"),
        ("from=", "from"),
        ("to=2026-13-01T00:00:00Z", "to"),
        ("sort=oldest", "sort"),
    ] {
        let response = app.get(&format!("/v1/orders/audit?{query}"), &admin).await;
        let body = assert_problem(response, 400, "bad-request").await;
        let detail = body["detail"].as_str().unwrap_or_default();
        // The platform names a parameter it could not read before its error; ours and an
        // unknown one are in `errors` too.
        let named = detail.contains(&format!(" {field}: ")) || body["errors"][0]["field"] == field;
        assert!(named, "{query}: {body}");
    }
    assert_eq!(
        app.get("/v1/orders/audit?limit=200&cursor=", &admin)
            .await
            .status(),
        200
    );
}
