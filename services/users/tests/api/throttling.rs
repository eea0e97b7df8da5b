//! Login throttling (TESTING.md 14): brute force on one account from many addresses is
//! stopped per account, the lock is short, other accounts are untouched, and one address
//! guessing across accounts is stopped per address.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use reqwest::{Response, StatusCode};
use serde_json::json;
use sqlx::PgPool;
use users_service::throttle::{Rule, ThrottlePolicy};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp, problem, spawn_with, test_settings};

async fn app_with(pool: PgPool, policy: ThrottlePolicy) -> TestApp {
    let (mut settings, pem) = test_settings(&pool);
    settings.throttle = policy;
    spawn_with(pool, settings, pem).await
}

async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> Response {
    app.client
        .post(app.url("/v1/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

fn retry_after(response: &Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn guessing_one_account_from_many_addresses_is_stopped_per_account(pool: PgPool) {
    let app = app_with(pool, ThrottlePolicy::default()).await;
    for i in 0..5 {
        let response = login_from(&app, &format!("203.0.113.{i}"), ADMIN_EMAIL, "guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let response = login_from(&app, "198.51.100.7", ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&response);
    assert!((1..=5).contains(&wait), "first lock is short: {wait}s");
    assert_eq!(
        problem(response).await["type"],
        "urn:lom:problem:rate-limited"
    );
}

#[sqlx::test(migrations = false)]
async fn simultaneous_guesses_get_no_more_verifications_than_the_policy_allows(pool: PgPool) {
    let app = app_with(pool, ThrottlePolicy::default()).await;
    // Twelve guesses for one account at the same instant, from twelve addresses.
    let addresses: Vec<String> = (0..12).map(|i| format!("203.0.113.{i}")).collect();
    let responses = join_all(
        addresses
            .iter()
            .map(|address| login_from(&app, address, ADMIN_EMAIL, "guess")),
    )
    .await;
    let verified = responses
        .iter()
        .filter(|r| r.status() == StatusCode::UNAUTHORIZED)
        .count();
    let refused = responses
        .iter()
        .filter(|r| r.status() == StatusCode::TOO_MANY_REQUESTS)
        .count();
    // Only a verified guess can answer 401: the policy allows five failures before the lock.
    assert_eq!((verified, refused), (5, 7), "401s and 429s of 12 guesses");
    for response in responses {
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(retry_after(&response) >= 1);
        }
    }
    let response = login_from(&app, "198.51.100.7", ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "locked after the burst"
    );
}

#[sqlx::test(migrations = false)]
async fn simultaneous_sign_ins_with_the_right_password_all_get_in(pool: PgPool) {
    let app = app_with(pool, ThrottlePolicy::default()).await;
    // More than the account's five verifications at once: the others wait their turn.
    let responses =
        join_all((0..9).map(|_| login_from(&app, "203.0.113.80", ADMIN_EMAIL, PASSWORD))).await;
    let statuses: Vec<_> = responses.iter().map(Response::status).collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
}

#[sqlx::test(migrations = false)]
async fn a_locked_account_opens_again_by_itself_and_locks_stay_capped(pool: PgPool) {
    let policy = ThrottlePolicy {
        account: Rule {
            free_failures: 2,
            base_lock: Duration::from_secs(1),
            max_lock: Duration::from_secs(2),
        },
        ..ThrottlePolicy::default()
    };
    let app = app_with(pool, policy).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut locks = Vec::new();
    // An attacker keeps guessing as soon as each lock ends; locks never exceed the cap.
    while locks.len() < 4 && Instant::now() < deadline {
        let response = login_from(&app, "203.0.113.9", ADMIN_EMAIL, "guess").await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            locks.push(retry_after(&response));
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
    assert!(locks.len() >= 4, "locks observed: {locks:?}");
    assert!(locks.iter().all(|&s| s <= 2), "capped: {locks:?}");

    // The real user gets in once the current lock ends.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let response = login_from(&app, "192.0.2.1", ADMIN_EMAIL, PASSWORD).await;
        if response.status() == StatusCode::OK {
            break;
        }
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(Instant::now() < deadline, "still locked out");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[sqlx::test(migrations = false)]
async fn one_accounts_lock_leaves_other_accounts_alone(pool: PgPool) {
    let app = app_with(pool, ThrottlePolicy::default()).await;
    app.create_user("colleague@example.com", &["viewer"]).await;
    for _ in 0..6 {
        login_from(&app, "203.0.113.1", ADMIN_EMAIL, "guess").await;
    }
    let response = login_from(&app, "203.0.113.1", "colleague@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn one_address_guessing_across_accounts_is_stopped_per_address(pool: PgPool) {
    let policy = ThrottlePolicy {
        address: Rule {
            free_failures: 4,
            base_lock: Duration::from_secs(30),
            max_lock: Duration::from_secs(300),
        },
        ..ThrottlePolicy::default()
    };
    let app = app_with(pool, policy).await;
    for i in 0..4 {
        let response = login_from(
            &app,
            "203.0.113.50",
            &format!("user{i}@example.com"),
            "guess",
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = login_from(&app, "203.0.113.50", ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&response), 30);
    let elsewhere = login_from(&app, "203.0.113.51", ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(elsewhere.status(), StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn x_forwarded_for_counts_only_from_a_trusted_proxy(pool: PgPool) {
    let policy = ThrottlePolicy {
        address: Rule {
            free_failures: 3,
            base_lock: Duration::from_secs(30),
            max_lock: Duration::from_secs(300),
        },
        ..ThrottlePolicy::default()
    };
    let (mut settings, pem) = test_settings(&pool);
    settings.throttle = policy;
    // Nobody is a trusted proxy: a client reaching the service directly cannot pick the
    // address its failures are counted against.
    settings.trusted_proxies = Vec::new();
    let app = spawn_with(pool, settings, pem).await;
    for i in 0..3 {
        let response = login_from(
            &app,
            &format!("203.0.113.{i}"),
            &format!("user{i}@example.com"),
            "guess",
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = login_from(&app, "198.51.100.99", ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the failures were counted against the real peer, whatever the header said"
    );
}
