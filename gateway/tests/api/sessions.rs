//! Sessions through the gateway: the refresh token lives only in an HttpOnly, SameSite=Strict
//! cookie scoped to /api/v1/auth; refresh rotates it, a replay kills the family, logout
//! clears it, and a foreign Origin cannot use it.

use std::num::NonZeroU32;

use gateway::login_limit::LoginRate;
use reqwest::{Response, StatusCode, header};
use serde_json::{Value, json};
use sqlx::PgPool;
use users_service::test_support::ADMIN_EMAIL;

use crate::helpers::{DASHBOARD_ORIGIN, Options, Stack, password, problem};
use lom_testing::{Role, TestUser};

fn refresh_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("lom_refresh="))
        .map(str::to_owned)
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("lom_refresh=")
        .to_owned()
}

async fn login(stack: &Stack) -> Response {
    stack
        .client
        .post(stack.url("/api/v1/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": password()}))
        .send()
        .await
        .unwrap()
}

async fn refresh(stack: &Stack, token: &str) -> Response {
    stack
        .client
        .post(stack.url("/api/v1/auth/refresh"))
        .header(header::COOKIE, format!("lom_refresh={token}"))
        .header(header::ORIGIN, DASHBOARD_ORIGIN)
        .send()
        .await
        .unwrap()
}

#[sqlx::test(migrations = false)]
async fn login_sets_the_refresh_cookie_and_keeps_it_out_of_the_body(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let response = login(&stack).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = refresh_cookie(&response).expect("a refresh cookie");
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
        "Max-Age=",
    ] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    let body: Value = response.json().await.unwrap();
    assert!(body.get("refresh_token").is_none());
    assert!(body.get("refresh_expires_in").is_none());
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["user"]["email"], ADMIN_EMAIL);
    let me = stack
        .get("/api/v1/auth/me", body["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me.status(), StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn refresh_rotates_the_cookie_and_a_replay_ends_the_family(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let rt0 = cookie_value(&refresh_cookie(&login(&stack).await).unwrap());
    let rotated = refresh(&stack, &rt0).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let rt1 = cookie_value(&refresh_cookie(&rotated).unwrap());
    assert_ne!(rt0, rt1);
    let body: Value = rotated.json().await.unwrap();
    assert!(body["access_token"].is_string());

    // Past the short grace in which a second presentation counts as a concurrent refresh.
    tokio::time::sleep(users_service::test_support::REFRESH_REUSE_GRACE * 2).await;
    let replay = refresh(&stack, &rt0).await;
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let cleared = refresh_cookie(&replay).expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(
        refresh(&stack, &rt1).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = false)]
async fn two_tabs_refreshing_one_cookie_at_once_both_stay_signed_in(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let rt0 = cookie_value(&refresh_cookie(&login(&stack).await).unwrap());
    let (left, right) = tokio::join!(refresh(&stack, &rt0), refresh(&stack, &rt0));
    assert_eq!(
        (left.status(), right.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    let cookies: Vec<String> = [&left, &right]
        .into_iter()
        .filter_map(refresh_cookie)
        .collect();
    assert_eq!(
        cookies.len(),
        1,
        "one answer rotates the cookie, the other leaves it"
    );
    for response in [left, right] {
        let body: Value = response.json().await.unwrap();
        let token = body["access_token"].as_str().unwrap();
        assert_eq!(
            stack.get("/api/v1/auth/me", token).await.status(),
            StatusCode::OK
        );
    }
    let rt1 = cookie_value(&cookies[0]);
    assert_eq!(refresh(&stack, &rt1).await.status(), StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn logout_clears_the_cookie_and_ends_the_session(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let rt = cookie_value(&refresh_cookie(&login(&stack).await).unwrap());
    let response = stack
        .client
        .post(stack.url("/api/v1/auth/logout"))
        .header(header::COOKIE, format!("lom_refresh={rt}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(refresh_cookie(&response).unwrap().contains("Max-Age=0"));
    assert_eq!(
        refresh(&stack, &rt).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = false)]
async fn refresh_without_a_cookie_or_from_a_foreign_origin_is_refused(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let missing = stack
        .client
        .post(stack.url("/api/v1/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    problem(missing).await;

    let rt = cookie_value(&refresh_cookie(&login(&stack).await).unwrap());
    let foreign = stack
        .client
        .post(stack.url("/api/v1/auth/refresh"))
        .header(header::COOKIE, format!("lom_refresh={rt}"))
        .header(header::ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        refresh(&stack, &rt).await.status(),
        StatusCode::OK,
        "untouched"
    );
}

#[sqlx::test(migrations = false)]
async fn wrong_credentials_are_a_401_problem_with_the_public_path(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let response = stack
        .client
        .post(stack.url("/api/v1/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": "not the password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(refresh_cookie(&response).is_none());
    let body = problem(response).await;
    assert_eq!(body["instance"], "/api/v1/auth/login");
}

#[sqlx::test(migrations = false)]
async fn sign_in_attempts_from_one_address_are_limited_before_they_reach_users_service(
    pool: PgPool,
) {
    let stack = Stack::start_with(
        pool,
        Options {
            login_rate: LoginRate {
                per_minute: NonZeroU32::new(1).unwrap(),
                burst: NonZeroU32::new(3).unwrap(),
            },
            ..Options::default()
        },
    )
    .await;
    let attempt = |password: &'static str| {
        stack
            .client
            .post(stack.url("/api/v1/auth/login"))
            .json(&json!({"email": "nobody@example.com", "password": password}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(
            attempt("wrong").await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = attempt("wrong").await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(
        problem(limited).await["type"],
        "urn:lom:problem:rate-limited"
    );
    // Signed-in work is not sign-in: the rest of the API is unaffected.
    let viewer = stack.users.user(Role::Viewer).await.token;
    assert_eq!(
        stack.get("/api/v1/orders", &viewer).await.status(),
        StatusCode::OK
    );
}

#[sqlx::test(migrations = false)]
async fn simultaneous_guesses_through_the_gateway_get_no_more_verifications_than_the_policy(
    pool: PgPool,
) {
    let stack = Stack::start(pool).await;
    let guess = || {
        stack
            .client
            .post(stack.url("/api/v1/auth/login"))
            .json(&json!({"email": ADMIN_EMAIL, "password": "a wrong guess"}))
            .send()
    };
    let statuses: Vec<StatusCode> = futures_util::future::join_all((0..8).map(|_| guess()))
        .await
        .into_iter()
        .map(|response| response.unwrap().status())
        .collect();
    let verified = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    // users-service allows five failures per account before it locks.
    assert_eq!((verified, refused), (5, 3), "{statuses:?}");
}

/// Polls `GET /api/v1/orders` with `token` until the gateway answers `status`.
async fn until_orders_answer(stack: &Stack, token: &str, status: StatusCode) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let now = stack.get("/api/v1/orders", token).await.status();
        if now == status {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still {now}, not {status}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[sqlx::test(migrations = false)]
async fn a_deactivated_accounts_access_token_no_longer_changes_orders(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let TestUser {
        id,
        token: dispatcher,
    } = stack.users.user(Role::Dispatcher).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let order = stack.create_order(&storefront, 1).await;
    let path = format!("/api/v1/orders/{}", order["id"].as_str().unwrap());

    stack.users.deactivate(id).await;
    until_orders_answer(&stack, &dispatcher, StatusCode::UNAUTHORIZED).await;
    let change = stack
        .patch(
            &path,
            &dispatcher,
            &json!({"status": "CONFIRMED", "version": 1}),
        )
        .await;
    assert_eq!(change.status(), StatusCode::UNAUTHORIZED);
    assert!(
        problem(change).await["detail"]
            .as_str()
            .unwrap()
            .contains("session was ended")
    );
    let admin = stack.users.user(Role::Admin).await.token;
    let current: Value = stack.get(&path, &admin).await.json().await.unwrap();
    assert_eq!(current["version"], 1, "the refused change changed nothing");
}

#[sqlx::test(migrations = false)]
async fn after_a_password_reset_old_tokens_are_refused_and_a_new_sign_in_works_at_once(
    pool: PgPool,
) {
    let stack = Stack::start(pool).await;
    let email = format!("reset-{}@example.com", uuid::Uuid::new_v4().simple());
    let id = stack.users.create_user(&email, &["viewer"]).await;
    let old = stack.users.token(&email).await;
    let admin = stack.users.token(ADMIN_EMAIL).await;
    let new_password = "a brand new passphrase 42";
    let reset = stack
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            &json!({"password": new_password}),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    until_orders_answer(&stack, &old, StatusCode::UNAUTHORIZED).await;
    assert_eq!(
        stack.get("/api/v1/auth/me", &old).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Signing in right after the reset: the new token works at once, everywhere.
    let session: Value = stack
        .client
        .post(stack.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": new_password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new = session["access_token"].as_str().unwrap();
    assert_eq!(
        stack.get("/api/v1/orders", new).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        stack.get("/api/v1/auth/me", new).await.status(),
        StatusCode::OK
    );
}
