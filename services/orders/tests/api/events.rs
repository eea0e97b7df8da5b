//! The event stream: one event per acknowledged change, `seq` +1 each time, the documented
//! envelope, and the bounded history.

use std::time::Duration;

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, id_of, spawn_app, spawn_app_with, wait_for};

const WITHIN: Duration = Duration::from_secs(5);

#[sqlx::test(migrations = false)]
async fn a_subscriber_sees_exactly_one_event_per_acknowledged_change_with_seq_plus_one(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let mut subscriber = app.subscribe().await;
    let admin = app.users.user(Role::Admin).await;
    let agent = app.users.user(Role::Agent).await;

    let first = app.create_order(1).await;
    let second = app.create_order(2).await;
    let path = format!("/v1/orders/{}", id_of(&first));
    let confirmed: Value = app
        .patch(&path, &admin, &json!({"status": "CONFIRMED", "version": 1}))
        .await
        .json()
        .await
        .unwrap();
    let assigned = app.assign(&confirmed, agent.id).await;
    assert_eq!(
        app.delete(&format!("/v1/orders/{}", id_of(&second)), &admin)
            .await
            .status(),
        204
    );

    let expected = [
        ("order.created", id_of(&first), 1),
        ("order.created", id_of(&second), 1),
        ("order.updated", id_of(&first), 2),
        ("order.updated", id_of(&first), 3),
        ("order.deleted", id_of(&second), 2),
    ];
    let mut received = Vec::new();
    for (i, (kind, order_id, version)) in expected.iter().enumerate() {
        let (raw, event) = subscriber.next(WITHIN).await.expect("an event");
        assert_eq!(event.seq, i as u64 + 1);
        assert_eq!(event.kind.as_str(), *kind);
        assert_eq!(event.order.id.to_string(), *order_id);
        assert_eq!(event.order.version, *version);
        let value: Value = serde_json::from_str(&raw).unwrap();
        let mut keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        let mut envelope = vec!["actor", "event_id", "occurred_at", "order", "seq", "type"];
        if *kind != "order.created" {
            // Changes also say where the order stood before.
            envelope.insert(4, "previous");
            assert!(value["previous"]["status"].is_string());
        }
        assert_eq!(keys, envelope);
        received.push(event);
    }
    assert_eq!(received[3].order.assignee_id, Some(agent.id));
    assert_eq!(
        received[2].actor.id, admin.id,
        "the actor is who made the change"
    );
    assert_eq!(
        received[3].order.version,
        assigned["version"].as_i64().unwrap()
    );
    assert!(
        subscriber.next(Duration::from_millis(300)).await.is_none(),
        "no event beyond one per change"
    );

    assert_eq!(app.history().await, received);
    assert_eq!(app.unpublished_outbox_rows().await, 0);

    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("orders_event_relay_duration_seconds_bucket{le=\"0.005\"}"),
        "the relay times each event from its change to its publication:\n{metrics}"
    );
}

#[sqlx::test(migrations = false)]
async fn rejected_changes_publish_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    wait_for("the create event", WITHIN, || async {
        (app.history().await.len() == 1).then_some(())
    })
    .await;
    let admin = app.users.user(Role::Admin).await;
    let path = format!("/v1/orders/{}", id_of(&order));
    app.patch(&path, &admin, &json!({"status": "DELIVERED", "version": 1}))
        .await;
    app.patch(&path, &admin, &json!({"status": "CONFIRMED", "version": 7}))
        .await;
    let outbox: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(outbox, 1);
}

#[sqlx::test(migrations = false)]
async fn the_history_keeps_only_the_newest_events_up_to_its_cap(pool: PgPool) {
    let app = spawn_app_with(pool, |settings| {
        settings.events.history_cap = 3;
    })
    .await;
    for n in 0..5 {
        app.create_order(n).await;
    }
    let history = wait_for("five events", WITHIN, || async {
        let history = app.history().await;
        history
            .last()
            .is_some_and(|e| e.seq == 5)
            .then_some(history)
    })
    .await;
    let seqs: Vec<u64> = history.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [3, 4, 5]);
}
