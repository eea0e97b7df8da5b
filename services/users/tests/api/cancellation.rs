//! Database work is never cancelled half-way (issue #18): clients that give up in the middle
//! of a sign-in, a refresh, a sign-out or an account change leave no pooled connection inside
//! a transaction, and the requests after them all succeed.
//!
//! PostgreSQL is reached through a proxy that adds 2 ms each way, so the `BEGIN` and `COMMIT`
//! round trips are windows that clients giving up after 0–60 ms keep hitting.

use std::time::Duration;

use futures_util::future::join_all;
use lom_testing::{LatencyProxy, PostgresNotices, RawRequest, abandon, sessions_in_transaction};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::{PgPool, postgres::PgPoolOptions};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp, spawn_with, test_settings};

/// The service on the database behind `pool`, reached through `proxy`.
async fn app_behind(proxy: &LatencyProxy, pool: &PgPool) -> TestApp {
    let (settings, pem) = test_settings(pool);
    let options = (*pool.connect_options())
        .clone()
        .host(&proxy.addr().ip().to_string())
        .port(proxy.addr().port());
    let proxied = PgPoolOptions::new()
        .max_connections(10)
        .connect_with(options)
        .await
        .expect("connect through the proxy");
    spawn_with(proxied, settings, pem).await
}

async fn assert_no_session_left_in_a_transaction(pool: &PgPool) {
    let database = pool
        .connect_options()
        .get_database()
        .unwrap_or_default()
        .to_owned();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let open = sessions_in_transaction(pool, &database).await;
        if open == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{open} sessions stayed idle in transaction"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[sqlx::test]
async fn requests_abandoned_at_any_point_leave_no_transaction_open(pool: PgPool) {
    let notices = PostgresNotices::count();
    let options = pool.connect_options();
    let proxy = LatencyProxy::start(
        options.get_host(),
        options.get_port(),
        Duration::from_millis(2),
    )
    .await;
    let app = app_behind(&proxy, &pool).await;
    let admin = app.admin_token().await;
    let mut accounts = Vec::new();
    for n in 0..5 {
        accounts.push(
            app.create_user(&format!("staff{n}@example.com"), &["agent"])
                .await,
        );
    }
    // Eight sessions, started at once so that the pool holds open connections: the abandoned
    // requests then find connections ready and get as far as their transactions.
    let refresh_tokens: Vec<Value> = join_all((0..8).map(|_| app.session(ADMIN_EMAIL, PASSWORD)))
        .await
        .into_iter()
        .map(|session| session["refresh_token"].clone())
        .collect();

    let server = app
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("address");
    let requests: Vec<(RawRequest, Duration)> = (0..150)
        .map(|i| {
            let refresh = &refresh_tokens[i % refresh_tokens.len()];
            let request = match i % 6 {
                0 => RawRequest::new("POST", "/v1/auth/login")
                    .json(json!({"email": "staff0@example.com", "password": PASSWORD})),
                1 => RawRequest::new("POST", "/v1/auth/login")
                    .json(json!({"email": "staff1@example.com", "password": "wrong password"})),
                2 => RawRequest::new("POST", "/v1/auth/refresh")
                    .json(json!({"refresh_token": refresh})),
                3 => RawRequest::new("POST", "/v1/auth/logout")
                    .json(json!({"refresh_token": refresh})),
                4 => RawRequest::new("POST", "/v1/users")
                    .bearer(&admin)
                    .json(json!({
                        "email": format!("abandoned{i}@example.com"),
                        "password": PASSWORD,
                        "roles": ["viewer"],
                    })),
                _ => RawRequest::new("PATCH", format!("/v1/users/{}", accounts[i % 5]))
                    .bearer(&admin)
                    .json(json!({"display_name": format!("Renamed {i}")})),
            };
            // Spread over 0–60 ms, the time a request takes here.
            (request, Duration::from_millis((i as u64 * 7) % 61))
        })
        .collect();
    for chunk in requests.chunks(5) {
        join_all(
            chunk
                .iter()
                .map(|(request, after)| abandon(server, request, *after)),
        )
        .await;
    }

    assert_no_session_left_in_a_transaction(&pool).await;
    // Every account created by an abandoned request is whole: roles and audit entry included.
    let partial: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users u WHERE u.email LIKE 'abandoned%' AND (\
             NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id) \
             OR NOT EXISTS (SELECT 1 FROM audit_log a \
                            WHERE a.target_id = u.id AND a.action = 'user.created'))",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(partial, 0, "an account was half-created");

    let responses = join_all((0..200).map(|i| {
        let path = format!("/v1/users/{}", accounts[i % accounts.len()]);
        let admin = admin.clone();
        let app = &app;
        async move {
            if i % 2 == 0 {
                app.get(&path, &admin).await.status()
            } else {
                app.patch(
                    &path,
                    &admin,
                    &json!({"display_name": format!("After {i}")}),
                )
                .await
                .status()
            }
        }
    }))
    .await;
    let failed: Vec<_> = responses.iter().filter(|s| **s != StatusCode::OK).collect();
    assert!(
        failed.is_empty(),
        "requests failed after the storm: {failed:?}"
    );
    let session: Value = app.session("staff2@example.com", PASSWORD).await;
    assert!(session["access_token"].is_string());
    assert_no_session_left_in_a_transaction(&pool).await;
    assert_eq!(notices.warnings(), 0, "PostgreSQL warned");
}
