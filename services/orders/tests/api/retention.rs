//! Retention: idempotency records and published events older than their retention are
//! deleted; newer ones, and unpublished events of any age, stay.

use std::time::Duration;

use orders_service::retention::{self, Pruned, Retention};
use sqlx::PgPool;

use crate::helpers::{Role, order_body, spawn_app, wait_for};

#[sqlx::test(migrations = false)]
async fn records_past_their_retention_are_pruned_and_nothing_else(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    for n in 0..4 {
        let response = app
            .client
            .post(app.url("/v1/orders"))
            .bearer_auth(&storefront.token)
            .header("idempotency-key", format!("retention-{n}"))
            .json(&order_body(n))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 201);
    }
    wait_for("the relay to publish", Duration::from_secs(10), || async {
        (app.unpublished_outbox_rows().await == 0).then_some(())
    })
    .await;
    // Two keys and two published events are old; one unpublished event is older still.
    sqlx::query(
        "UPDATE idempotency_keys SET created_at = now() - interval '25 hours'
         WHERE key IN ('retention-0', 'retention-1')",
    )
    .execute(&app.db)
    .await
    .expect("age keys");
    let outbox: Vec<i64> = sqlx::query_scalar("SELECT id FROM outbox ORDER BY id")
        .fetch_all(&app.db)
        .await
        .expect("outbox");
    sqlx::query("UPDATE outbox SET published_at = now() - interval '8 days' WHERE id = ANY($1)")
        .bind(&outbox[..2])
        .execute(&app.db)
        .await
        .expect("age events");
    sqlx::query(
        "UPDATE outbox SET published_at = NULL, created_at = now() - interval '30 days'
         WHERE id = $1",
    )
    .bind(outbox[2])
    .execute(&app.db)
    .await
    .expect("an old unpublished event");

    let retention = Retention {
        idempotency_keys: Duration::from_secs(24 * 3600),
        published_events: Duration::from_secs(7 * 24 * 3600),
        ..Retention::default()
    };
    let pruned = retention::prune(&app.db, retention).await.expect("prune");
    assert_eq!(
        pruned,
        Pruned {
            idempotency_keys: 2,
            published_events: 2
        }
    );
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM idempotency_keys ORDER BY key")
        .fetch_all(&app.db)
        .await
        .expect("keys");
    assert_eq!(keys, ["retention-2", "retention-3"]);
    let left: Vec<i64> = sqlx::query_scalar("SELECT id FROM outbox ORDER BY id")
        .fetch_all(&app.db)
        .await
        .expect("outbox");
    assert_eq!(
        left,
        outbox[2..],
        "the unpublished event stays, whatever its age"
    );
    // A pruned key is a new request: the same key creates a new order.
    let retried = app
        .client
        .post(app.url("/v1/orders"))
        .bearer_auth(&storefront.token)
        .header("idempotency-key", "retention-0")
        .json(&order_body(0))
        .send()
        .await
        .expect("request");
    assert_eq!(retried.status(), 201);
    assert!(retried.headers().get("idempotent-replayed").is_none());
    assert_eq!(
        retention::prune(&app.db, retention).await.expect("prune"),
        Pruned::default(),
        "nothing more to prune"
    );
}
