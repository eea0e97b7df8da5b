//! Every change is on the record (issue #19): a cancellation (`POST …/cancel`) keeps its reason
//! in the history and in the event; priority and note changes are history rows with their actor;
//! what is refused leaves nothing behind.

use futures_util::future::join_all;
use lom_testing::assert_problem;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, id_of, last_change, spawn_app, wait_for};

const WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

#[sqlx::test(migrations = false)]
async fn a_cancellation_keeps_its_reason_in_the_history_and_the_event(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    let body = json!({
        "reason": {"code": "out_of_stock", "text": "ซัพพลายเออร์ไม่มีของจนถึงพฤษภาคม"},
        "version": 1
    });

    let response = app
        .post(&format!("{path}/cancel"), &dispatcher, &body)
        .await;
    assert_eq!(response.status(), 200);
    let cancelled: Value = response.json().await.unwrap();
    let last = last_change(&cancelled);
    assert_eq!(last["kind"], "status");
    assert_eq!(last["to_status"], "CANCELLED");
    assert_eq!(last["actor_id"], dispatcher.id.to_string());
    assert_eq!(
        last["reason"],
        json!({"code": "out_of_stock", "text": "ซัพพลายเออร์ไม่มีของจนถึงพฤษภาคม"})
    );
    let reread: Value = app.get(&path, &dispatcher).await.json().await.unwrap();
    assert_eq!(reread["history"], cancelled["history"]);

    let history = wait_for("the cancellation event", WITHIN, || async {
        let history = app.history().await;
        (history.len() == 2).then_some(history)
    })
    .await;
    let reason = history[1]
        .reason
        .as_ref()
        .expect("the event carries the reason");
    assert_eq!(reason.code.as_str(), "out_of_stock");
    assert!(history[0].reason.is_none(), "no reason on the creation");
}

#[sqlx::test(migrations = false)]
async fn a_cancellation_by_patch_still_works_and_records_no_reason(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    let response = app
        .patch(&path, &admin, &json!({"status": "CANCELLED", "version": 1}))
        .await;
    assert_eq!(response.status(), 200);
    let cancelled: Value = response.json().await.unwrap();
    let last = last_change(&cancelled);
    assert_eq!(last["to_status"], "CANCELLED");
    assert!(last.get("reason").is_none(), "{last}");
}

#[sqlx::test(migrations = false)]
async fn a_bad_reason_is_a_precise_422_and_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    let cancel = format!("{path}/cancel");
    let long = "x".repeat(501);
    let cases = [
        (json!({"version": 1}), "reason"),
        (json!({"reason": null, "version": 1}), "reason"),
        (
            json!({"reason": {"code": "other"}, "version": 1}),
            "reason.text",
        ),
        (
            json!({"reason": {"code": "other", "text": "  "}, "version": 1}),
            "reason.text",
        ),
        (
            json!({"reason": {"code": "duplicate", "text": long}, "version": 1}),
            "reason.text",
        ),
        (
            json!({"reason": {"code": "duplicate", "text": "a\nb"}, "version": 1}),
            "reason.text",
        ),
        (
            json!({"reason": {"code": "bored"}, "version": 1}),
            "reason.code",
        ),
        (
            json!({"reason": {"code": "duplicate", "why": "x"}, "version": 1}),
            "reason.why",
        ),
    ];
    for (body, field) in cases {
        let response = app.post(&cancel, &admin, &body).await;
        assert_eq!(response.status(), 422, "{body}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let patched = app
        .patch(
            &path,
            &admin,
            &json!({"status": "CANCELLED", "reason": {"code": "duplicate"}, "version": 1}),
        )
        .await;
    assert_eq!(patched.status(), 422, "PATCH takes no reason");
    let current: Value = app.get(&path, &admin).await.json().await.unwrap();
    assert_eq!(current["version"], 1);
    assert_eq!(current["status"], "PENDING");
    assert_eq!(current["history"].as_array().unwrap().len(), 1);
}

#[sqlx::test(migrations = false)]
async fn a_finished_order_cannot_be_cancelled_and_a_stale_version_conflicts(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    let order = app.create_order(1).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    let reason = json!({"code": "duplicate"});
    let stale = app
        .post(
            &format!("{path}/cancel"),
            &admin,
            &json!({"reason": reason, "version": 7}),
        )
        .await;
    assert_eq!(stale.status(), 409);
    let problem: Value = stale.json().await.unwrap();
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("version-conflict")
    );

    let mut version = 1;
    for status in ["CONFIRMED", "PROCESSING", "SHIPPED"] {
        let response = app
            .patch(
                &path,
                &admin,
                &json!({"status": status, "version": version}),
            )
            .await;
        assert_eq!(response.status(), 200, "{status}");
        version += 1;
    }
    let shipped = app
        .post(
            &format!("{path}/cancel"),
            &admin,
            &json!({"reason": reason, "version": version}),
        )
        .await;
    assert_eq!(shipped.status(), 409);
    let problem: Value = shipped.json().await.unwrap();
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("invalid-transition")
    );
}

#[sqlx::test(migrations = false)]
async fn priority_and_note_changes_are_history_rows_with_their_actor(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let path = format!("/v1/orders/{}", id_of(&order));

    let steps = [
        json!({"priority": "high", "version": 1}),
        json!({"note": "Call before delivery", "version": 2}),
        json!({"note": "Call before delivery", "priority": "high", "version": 3}),
        json!({"note": null, "version": 4}),
    ];
    let mut last = Value::Null;
    for body in steps {
        let response = app.patch(&path, &dispatcher, &body).await;
        assert_eq!(response.status(), 200, "{body}");
        last = response.json().await.unwrap();
    }
    let history = last["history"].as_array().unwrap();
    let kinds: Vec<&str> = history
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["status", "priority", "note", "note"],
        "a step that changed nothing leaves no row: {history:?}"
    );
    assert_eq!(history[1]["from_priority"], "normal");
    assert_eq!(history[1]["to_priority"], "high");
    assert_eq!(history[1]["actor_id"], dispatcher.id.to_string());
    assert!(history[2].get("previous_note").is_none());
    assert_eq!(history[2]["note"], "Call before delivery");
    assert_eq!(history[3]["previous_note"], "Call before delivery");
    assert!(history[3].get("note").is_none(), "cleared");
}

#[sqlx::test(migrations = false)]
async fn of_concurrent_priority_changes_at_one_version_one_wins_and_one_row_is_recorded(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    let body = json!({"priority": "high", "version": 1});

    let responses = join_all((0..8).map(|_| app.patch(&path, &admin, &body))).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM order_field_changes")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rows, 1);
}

#[sqlx::test(migrations = false)]
async fn a_finished_orders_priority_and_note_are_refused_with_order_final_and_nothing_recorded(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let delivered = app.create_order(1).await;
    let delivered_path = format!("/v1/orders/{}", id_of(&delivered));
    for (version, status) in ["CONFIRMED", "PROCESSING", "SHIPPED", "DELIVERED"]
        .into_iter()
        .enumerate()
    {
        let body = json!({"status": status, "version": version + 1});
        let response = app.patch(&delivered_path, &dispatcher, &body).await;
        assert_eq!(response.status(), 200, "{body}");
    }
    let cancelled = app.create_order(2).await;
    let cancelled_path = format!("/v1/orders/{}", id_of(&cancelled));
    let cancel = json!({"reason": {"code": "duplicate"}, "version": 1});
    let response = app
        .post(&format!("{cancelled_path}/cancel"), &dispatcher, &cancel)
        .await;
    assert_eq!(response.status(), 200);

    let cases = [
        (
            &delivered_path,
            5,
            "DELIVERED",
            "Delivered orders cannot change.",
        ),
        (
            &cancelled_path,
            2,
            "CANCELLED",
            "Cancelled orders cannot change.",
        ),
    ];
    for (path, version, status, detail) in cases {
        for body in [
            json!({"priority": "high", "version": version}),
            json!({"note": "too late", "version": version}),
            json!({"note": null, "version": version}),
        ] {
            let response = app.patch(path, &dispatcher, &body).await;
            let problem = assert_problem(response, 409, "order-final").await;
            assert_eq!(problem["detail"], detail, "{body}");
            assert_eq!(problem["order_status"], status, "{body}");
        }
        let order: Value = app.get(path, &dispatcher).await.json().await.unwrap();
        assert_eq!(order["version"], version, "{path}: nothing changed");
        assert_eq!(order["priority"], "normal");
    }
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM order_field_changes")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rows, 0, "no history row for a refused change");
}
