//! `seed-users` against the real users-service, twice in a row as two `make dev` starts run
//! it: the second run leaves unchanged accounts alone (their sessions survive) and restores
//! one that drifted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a panic is a failure report.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use users_service::test_support::{ADMIN_EMAIL, PASSWORD, RunningUsers};

const DEMO_PASSWORD: &str = "demo passphrase for the seed test";

async fn seed(users: &RunningUsers) {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_demo-storefront"))
        .arg("seed-users")
        .env("USERS_URL", &users.base_url)
        .env("LOM_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("LOM_ADMIN_PASSWORD", PASSWORD)
        .env("LOM_DEMO_PASSWORD", DEMO_PASSWORD)
        .env("RUST_LOG", "info")
        .output()
        .await
        .expect("seed-users runs");
    assert!(
        output.status.success(),
        "seed-users failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn sign_in(users: &RunningUsers, email: &str) -> Value {
    let response = client()
        .post(format!("{}/v1/auth/login", users.base_url))
        .json(&json!({"email": email, "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "sign-in of {email}");
    response.json().await.unwrap()
}

#[sqlx::test(migrations = false)]
async fn seeding_twice_keeps_sessions_and_restores_what_drifted(pool: PgPool) {
    let users = users_service::test_support::spawn(&pool).await;
    seed(&users).await;
    let session = sign_in(&users, "dispatcher@example.com").await;
    let viewer = sign_in(&users, "viewer@example.com").await;
    users
        .deactivate(viewer["user"]["id"].as_str().unwrap().parse().unwrap())
        .await;

    seed(&users).await;

    // The dispatcher's session was left alone: its refresh token still works.
    let refreshed = client()
        .post(format!("{}/v1/auth/refresh", users.base_url))
        .json(&json!({"refresh_token": session["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK, "the session survived");
    let revoked: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
        "SELECT sessions_revoked_at FROM users_service.users WHERE email = 'dispatcher@example.com'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(revoked, None, "an unchanged account was not revoked");
    // The deactivated viewer is back.
    sign_in(&users, "viewer@example.com").await;
}
