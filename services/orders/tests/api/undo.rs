//! Undo (issue #19): the caller's own last status change or assignment, within a minute, as a
//! change of its own — version-checked, recorded, announced — and never anyone else's.

use futures_util::future::join_all;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, TestApp, TestUser, id_of, last_change, spawn_app, wait_for};

const WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

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

async fn undo(app: &TestApp, user: &TestUser, order: &Value, version: &Value) -> reqwest::Response {
    let path = format!("/v1/orders/{}/undo", id_of(order));
    app.post(&path, user, &json!({"version": version})).await
}

#[sqlx::test(migrations = false)]
async fn a_status_change_undone_is_a_recorded_change_back_with_its_own_event(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let confirmed = send(
        &app,
        &dispatcher,
        &order,
        "",
        json!({"status": "CONFIRMED", "version": 1}),
    )
    .await;

    let response = undo(&app, &dispatcher, &order, &confirmed["version"]).await;
    assert_eq!(response.status(), 200);
    let undone: Value = response.json().await.unwrap();
    assert_eq!(undone["status"], "PENDING");
    assert_eq!(undone["version"], 3);
    let last = last_change(&undone);
    assert_eq!(last["from_status"], "CONFIRMED");
    assert_eq!(last["to_status"], "PENDING");
    assert_eq!(last["undo"], true);
    assert_eq!(last["actor_id"], dispatcher.id.to_string());

    let history = wait_for("the undo's event", WITHIN, || async {
        let history = app.history().await;
        (history.len() == 3).then_some(history)
    })
    .await;
    assert_eq!(history[2].order.status.as_str(), "PENDING");
    assert_eq!(history[2].order.version, 3);

    let again = undo(&app, &dispatcher, &order, &undone["version"]).await;
    assert_eq!(again.status(), 409, "an undo is not undoable");
    let problem: Value = again.json().await.unwrap();
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("nothing-to-undo")
    );
}

#[sqlx::test(migrations = false)]
async fn a_cancellation_and_an_assignment_can_be_undone(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let agent = app.users.user(Role::Agent).await;
    let assigned = send(
        &app,
        &dispatcher,
        &order,
        "/assign",
        json!({"assignee_id": agent.id, "version": 1}),
    )
    .await;
    let undone: Value = undo(&app, &dispatcher, &order, &assigned["version"])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(undone["assignee_id"], Value::Null);
    let last = last_change(&undone);
    assert_eq!(
        (last["kind"].clone(), last["undo"].clone()),
        (json!("assignment"), json!(true))
    );

    let cancelled = send(
        &app,
        &dispatcher,
        &order,
        "/cancel",
        json!({"reason": {"code": "duplicate"}, "version": undone["version"]}),
    )
    .await;
    let restored: Value = undo(&app, &dispatcher, &order, &cancelled["version"])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        restored["status"], "PENDING",
        "undo goes where the status machine does not"
    );
}

#[sqlx::test(migrations = false)]
async fn undo_after_someone_else_changed_the_order_is_a_version_conflict(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let first = app.users.user(Role::Dispatcher).await;
    let second = app.users.user(Role::Dispatcher).await;
    let confirmed = send(
        &app,
        &first,
        &order,
        "",
        json!({"status": "CONFIRMED", "version": 1}),
    )
    .await;
    let processing = send(
        &app,
        &second,
        &order,
        "",
        json!({"status": "PROCESSING", "version": 2}),
    )
    .await;

    let stale = undo(&app, &first, &order, &confirmed["version"]).await;
    assert_eq!(stale.status(), 409);
    let problem: Value = stale.json().await.unwrap();
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("version-conflict")
    );
    assert_eq!(problem["current"]["status"], "PROCESSING");

    let theirs = undo(&app, &first, &order, &processing["version"]).await;
    assert_eq!(theirs.status(), 409, "not someone else's change");
    let problem: Value = theirs.json().await.unwrap();
    assert!(
        problem["type"]
            .as_str()
            .unwrap()
            .ends_with("nothing-to-undo")
    );
}

#[sqlx::test(migrations = false)]
async fn undo_is_refused_after_a_minute_for_a_note_only_change_and_for_a_viewer(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let viewer = app.users.user(Role::Viewer).await;
    let noted = send(
        &app,
        &admin,
        &order,
        "",
        json!({"note": "ring twice", "version": 1}),
    )
    .await;
    let response = undo(&app, &admin, &order, &noted["version"]).await;
    assert_eq!(
        response.status(),
        409,
        "only status changes and assignments"
    );

    let confirmed = send(
        &app,
        &admin,
        &order,
        "",
        json!({"status": "CONFIRMED", "version": 2}),
    )
    .await;
    assert_eq!(
        undo(&app, &viewer, &order, &confirmed["version"])
            .await
            .status(),
        403
    );
    sqlx::query(
        "UPDATE outbox SET payload = jsonb_set(payload, '{occurred_at}', \
         to_jsonb(to_char(now() - interval '61 seconds', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')))",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let late = undo(&app, &admin, &order, &confirmed["version"]).await;
    assert_eq!(late.status(), 409, "too late");
    let current: Value = app
        .get(&format!("/v1/orders/{}", id_of(&order)), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["status"], "CONFIRMED");
    assert_eq!(current["version"], 3);
}

#[sqlx::test(migrations = false)]
async fn of_simultaneous_undos_exactly_one_happens(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let admin = app.users.user(Role::Admin).await;
    let confirmed = send(
        &app,
        &admin,
        &order,
        "",
        json!({"status": "CONFIRMED", "version": 1}),
    )
    .await;
    let responses =
        join_all((0..8).map(|_| undo(&app, &admin, &order, &confirmed["version"]))).await;
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
    let undos: i64 = sqlx::query_scalar("SELECT count(*) FROM order_status_history WHERE undo")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(undos, 1);
}
