//! Internal notes (issue #16): who may write them (agents on their own orders, viewers not at
//! all), their limits, their place in the history, and their `order.noted` event.

use futures_util::future::join_all;
use lom_testing::assert_problem;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, id_of, spawn_app, wait_for};

const WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

fn notes_path(order: &Value) -> String {
    format!("/v1/orders/{}/notes", id_of(order))
}

#[sqlx::test(migrations = false)]
async fn a_note_is_in_the_history_with_its_author_and_goes_out_as_an_event(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let text = "Customer called:\nleave it at <b>the back door</b> https://example.com/?a=1&b=2 ☕";

    let response = app
        .post(&notes_path(&order), &dispatcher, &json!({ "text": text }))
        .await;
    let status = response.status();
    let note: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{note}");
    assert_eq!(
        note["text"], text,
        "stored exactly, markup and all, as plain text"
    );
    assert_eq!(note["author_id"], dispatcher.id.to_string());
    assert_eq!(note["order_id"], order["id"]);

    let detail = app.read(&order, &dispatcher).await;
    assert_eq!(
        detail["version"], order["version"],
        "a note does not change the order"
    );
    let last = detail["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["kind"], "internal_note");
    assert_eq!(last["note"], text);
    assert_eq!(last["actor_id"], dispatcher.id.to_string());
    assert_eq!(last["at"], note["created_at"]);

    let history = wait_for("the note's event", WITHIN, || async {
        let history = app.history().await;
        (history.len() == 2).then_some(history)
    })
    .await;
    let event = &history[1];
    assert_eq!(event.kind.as_str(), "order.noted");
    assert_eq!(event.seq, history[0].seq + 1, "its own seq");
    assert_eq!(event.actor.id, dispatcher.id);
    assert_eq!(event.order.id.to_string(), order["id"].as_str().unwrap());
    let carried = event.note.as_ref().expect("the event carries the note");
    assert_eq!(carried.text, text);
    assert_eq!(carried.author_id, dispatcher.id);
}

#[sqlx::test(migrations = false)]
async fn agents_write_notes_on_their_own_orders_only_and_viewers_not_at_all(pool: PgPool) {
    let app = spawn_app(pool).await;
    let agent = app.users.user(Role::Agent).await;
    let viewer = app.users.user(Role::Viewer).await;
    let admin = app.users.user(Role::Admin).await;
    let storefront = app.users.user(Role::Storefront).await;
    let mine = app.assign(&app.create_order(1).await, agent.id).await;
    let other = app.create_order(2).await;
    let body = json!({ "text": "on it" });

    let written = app.post(&notes_path(&mine), &agent, &body).await;
    assert_eq!(written.status(), 201);
    assert_problem(
        app.post(&notes_path(&other), &agent, &body).await,
        404,
        "not-found",
    )
    .await;
    assert_problem(
        app.post(&notes_path(&mine), &viewer, &body).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(&notes_path(&mine), &storefront, &body).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.post(&notes_path(&other), &admin, &body).await.status(),
        201
    );
    let unknown = json!({ "id": uuid::Uuid::now_v7().to_string() });
    assert_problem(
        app.post(&notes_path(&unknown), &admin, &body).await,
        404,
        "not-found",
    )
    .await;

    // The viewer reads the notes in the history.
    let seen = app.read(&mine, &viewer).await;
    let notes: Vec<&Value> = seen["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "internal_note")
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["actor_id"], agent.id.to_string());
}

#[sqlx::test(migrations = false)]
async fn blank_oversized_or_control_character_notes_and_other_fields_are_precise_422s(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let longest = "น".repeat(2000);
    assert_eq!(
        app.post(
            &notes_path(&order),
            &dispatcher,
            &json!({ "text": longest })
        )
        .await
        .status(),
        201,
        "2000 characters (6000 bytes) fit"
    );
    for (body, field) in [
        (json!({ "text": "" }), "text"),
        (json!({ "text": " \n\t " }), "text"),
        (json!({ "text": "x".repeat(2001) }), "text"),
        (json!({ "text": "a\u{0}b" }), "text"),
        (json!({ "text": "bell\u{7}" }), "text"),
        (json!({ "text": 42 }), "text"),
        (json!({}), "text"),
        (
            json!({ "text": "ok", "author_id": dispatcher.id }),
            "author_id",
        ),
    ] {
        let response = app.post(&notes_path(&order), &dispatcher, &body).await;
        let problem = assert_problem(response, 422, "validation-failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    let malformed = app
        .post(
            "/v1/orders/not-a-uuid/notes",
            &dispatcher,
            &json!({ "text": "x" }),
        )
        .await;
    assert_problem(malformed, 400, "bad-request").await;
    let detail = app.read(&order, &dispatcher).await;
    let notes = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "internal_note")
        .count();
    assert_eq!(notes, 1, "nothing refused was stored");
}

#[sqlx::test(migrations = false)]
async fn notes_written_at_the_same_instant_are_all_kept_each_with_its_own_event(pool: PgPool) {
    let app = spawn_app(pool).await;
    let order = app.create_order(1).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let path = notes_path(&order);
    let responses = join_all((0..20).map(|n| {
        let body = json!({ "text": format!("note {n}") });
        let (app, dispatcher, path) = (&app, &dispatcher, &path);
        async move { app.post(path, dispatcher, &body).await.status().as_u16() }
    }))
    .await;
    assert!(responses.iter().all(|s| *s == 201), "{responses:?}");
    let history = wait_for("twenty note events", WITHIN, || async {
        let history = app.history().await;
        (history.len() == 21).then_some(history)
    })
    .await;
    let mut texts: Vec<String> = history[1..]
        .iter()
        .map(|e| e.note.as_ref().unwrap().text.clone())
        .collect();
    texts.sort();
    let mut expected: Vec<String> = (0..20).map(|n| format!("note {n}")).collect();
    expected.sort();
    assert_eq!(texts, expected);
}
