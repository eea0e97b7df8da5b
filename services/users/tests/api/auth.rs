//! Login, refresh rotation with reuse detection, logout and `me`.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, problem, spawn_app};

#[sqlx::test(migrations = false)]
async fn login_returns_a_bearer_token_a_refresh_token_and_the_user(pool: PgPool) {
    let app = spawn_app(pool).await;
    let session = app.session(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(session["token_type"], "Bearer");
    assert_eq!(session["expires_in"], 900);
    assert!(session["access_token"].as_str().unwrap().split('.').count() == 3);
    assert!(session["refresh_token"].as_str().unwrap().len() >= 43);
    assert_eq!(session["user"]["email"], ADMIN_EMAIL);
    assert_eq!(session["user"]["roles"], json!(["admin"]));
    let perms = session["user"]["permissions"].as_array().unwrap();
    assert!(perms.contains(&json!("users:manage")));
}

#[sqlx::test(migrations = false)]
async fn the_email_is_matched_case_insensitively_and_never_guessed_at(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.login("ADMIN@Example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    // Surrounding spaces are the client's to trim (the dashboard does); the API says so
    // instead of quietly signing in as someone else's spelling.
    let padded = app.login(" admin@example.com", PASSWORD).await;
    assert_eq!(padded.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(padded).await["errors"][0]["field"], "email");
}

#[sqlx::test(migrations = false)]
async fn me_returns_the_caller_with_roles_and_permissions(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_staff().await;
    let token = app.token("agent@example.com").await;
    let me: Value = app.get("/v1/auth/me", &token).await.json().await.unwrap();
    assert_eq!(me["email"], "agent@example.com");
    assert_eq!(me["display_name"], "agent");
    assert_eq!(me["roles"], json!(["agent"]));
    assert_eq!(
        me["permissions"],
        json!(["orders:read:assigned", "orders:update:assigned"])
    );
}

#[sqlx::test(migrations = false)]
async fn unknown_email_wrong_password_and_disabled_account_look_the_same(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = app.create_user("gone@example.com", &["viewer"]).await;
    let admin = app.admin_token().await;
    let response = app
        .patch(
            &format!("/v1/users/{id}"),
            &admin,
            &json!({"active": false}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let mut bodies = Vec::new();
    for (email, password) in [
        ("nobody@example.com", PASSWORD),
        (ADMIN_EMAIL, "wrong password, sorry"),
        ("gone@example.com", PASSWORD),
    ] {
        let response = app.login(email, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{email}");
        let mut body = problem(response).await;
        let object = body.as_object_mut().unwrap();
        object.remove("request_id");
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[1], bodies[2]);
    assert_eq!(bodies[0]["type"], "urn:lom:problem:unauthorized");
}

#[sqlx::test(migrations = false)]
async fn an_unknown_email_costs_as_much_time_as_a_wrong_password(pool: PgPool) {
    // Medians of a few attempts each; without the dummy verification an unknown email
    // answers more than ten times faster than a real Argon2 check.
    let app = spawn_app(pool).await;
    let mut unknown = Vec::new();
    let mut wrong = Vec::new();
    for i in 0..5 {
        let started = std::time::Instant::now();
        app.login(&format!("nobody{i}@example.com"), "whatever it is")
            .await;
        unknown.push(started.elapsed());
        let started = std::time::Instant::now();
        app.login(ADMIN_EMAIL, "whatever it is").await;
        wrong.push(started.elapsed());
    }
    unknown.sort();
    wrong.sort();
    let (u, w) = (unknown[2].as_secs_f64(), wrong[2].as_secs_f64());
    assert!(
        u > w / 4.0 && u < w * 4.0,
        "unknown {u:.4}s vs wrong {w:.4}s"
    );
}

#[sqlx::test(migrations = false)]
async fn refresh_rotates_the_token_and_the_old_one_stops_working(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = app.session(ADMIN_EMAIL, PASSWORD).await;
    let rt0 = first["refresh_token"].as_str().unwrap();
    let response = app.refresh(&json!(rt0)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let second: Value = response.json().await.unwrap();
    let rt1 = second["refresh_token"].as_str().unwrap();
    assert_ne!(rt0, rt1);
    assert_ne!(first["access_token"], second["access_token"]);
    let me = app
        .get("/v1/auth/me", second["access_token"].as_str())
        .await;
    assert_eq!(me.status(), StatusCode::OK);
}

/// Waits until a rotated token presented again counts as a replay, not a concurrent refresh.
async fn past_the_reuse_grace() {
    tokio::time::sleep(users_service::test_support::REFRESH_REUSE_GRACE * 2).await;
}

#[sqlx::test(migrations = false)]
async fn simultaneous_refreshes_of_one_token_keep_the_session(pool: PgPool) {
    let app = spawn_app(pool).await;
    let session = app.session(ADMIN_EMAIL, PASSWORD).await;
    let rt0 = session["refresh_token"].clone();
    let mut answers = Vec::new();
    for response in futures_util::future::join_all((0..4).map(|_| app.refresh(&rt0))).await {
        assert_eq!(response.status(), StatusCode::OK);
        answers.push(response.json::<Value>().await.unwrap());
    }
    let rotated: Vec<&Value> = answers
        .iter()
        .filter(|a| a.get("refresh_token").is_some())
        .collect();
    assert_eq!(rotated.len(), 1, "exactly one of them rotated: {answers:?}");
    for answer in &answers {
        let me = app
            .get("/v1/auth/me", answer["access_token"].as_str())
            .await;
        assert_eq!(
            me.status(),
            StatusCode::OK,
            "every answer's access token works"
        );
    }
    // The session lives on with the one new token.
    let next = app.refresh(&rotated[0]["refresh_token"]).await;
    assert_eq!(next.status(), StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn a_token_whose_successor_was_used_is_reuse_even_within_the_grace(pool: PgPool) {
    let app = spawn_app(pool).await;
    let session = app.session(ADMIN_EMAIL, PASSWORD).await;
    let rt0 = session["refresh_token"].clone();
    let rt1: Value = app.refresh(&rt0).await.json().await.unwrap();
    let rt2: Value = app
        .refresh(&rt1["refresh_token"])
        .await
        .json()
        .await
        .unwrap();
    // At once, well within the grace: RT1 was already used, so this is a replay of RT0.
    assert_eq!(app.refresh(&rt0).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.refresh(&rt2["refresh_token"]).await.status(),
        StatusCode::UNAUTHORIZED,
        "the family was revoked"
    );
}

#[sqlx::test(migrations = false)]
async fn replaying_a_rotated_refresh_token_revokes_the_whole_family(pool: PgPool) {
    let app = spawn_app(pool).await;
    let session = app.session(ADMIN_EMAIL, PASSWORD).await;
    let rt0 = session["refresh_token"].as_str().unwrap().to_owned();
    let rotated: Value = app.refresh(&json!(rt0)).await.json().await.unwrap();
    let rt1 = rotated["refresh_token"].as_str().unwrap().to_owned();

    past_the_reuse_grace().await;
    let replay = app.refresh(&json!(rt0)).await;
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let after = app.refresh(&json!(rt1)).await;
    assert_eq!(
        after.status(),
        StatusCode::UNAUTHORIZED,
        "RT1 must die with its family"
    );

    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'session.refresh_reuse_detected'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrations = false)]
async fn another_session_survives_a_reuse_in_a_different_family(pool: PgPool) {
    let app = spawn_app(pool).await;
    let laptop = app.session(ADMIN_EMAIL, PASSWORD).await;
    let phone = app.session(ADMIN_EMAIL, PASSWORD).await;
    let rt0 = laptop["refresh_token"].as_str().unwrap();
    app.refresh(&json!(rt0)).await;
    past_the_reuse_grace().await;
    app.refresh(&json!(rt0)).await;
    let response = app.refresh(&json!(phone["refresh_token"])).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn logout_kills_the_refresh_token(pool: PgPool) {
    let app = spawn_app(pool).await;
    let session = app.session(ADMIN_EMAIL, PASSWORD).await;
    let rt = session["refresh_token"].as_str().unwrap();
    let response = app
        .post("/v1/auth/logout", None, &json!({ "refresh_token": rt }))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app.refresh(&json!(rt)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let again = app
        .post("/v1/auth/logout", None, &json!({ "refresh_token": rt }))
        .await;
    assert_eq!(
        again.status(),
        StatusCode::NO_CONTENT,
        "logout is idempotent"
    );
}

#[sqlx::test(migrations = false)]
async fn a_deactivated_account_can_neither_refresh_nor_log_in(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = app.create_user("leaver@example.com", &["dispatcher"]).await;
    let session = app.session("leaver@example.com", PASSWORD).await;
    let admin = app.admin_token().await;
    app.patch(
        &format!("/v1/users/{id}"),
        &admin,
        &json!({"active": false}),
    )
    .await;
    let refresh = app.refresh(&json!(session["refresh_token"])).await;
    assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED);
    let me = app
        .get("/v1/auth/me", session["access_token"].as_str())
        .await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    let login = app.login("leaver@example.com", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = false)]
async fn a_password_reset_ends_existing_sessions_and_the_new_password_works(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = app.create_user("forgetful@example.com", &["viewer"]).await;
    let session = app.session("forgetful@example.com", PASSWORD).await;
    let admin = app.admin_token().await;
    let response = app
        .patch(
            &format!("/v1/users/{id}"),
            &admin,
            &json!({"password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let refresh = app.refresh(&json!(session["refresh_token"])).await;
    assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.login("forgetful@example.com", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("forgetful@example.com", "a brand new passphrase")
            .await
            .status(),
        StatusCode::OK
    );
}

#[sqlx::test(migrations = false)]
async fn the_jwks_publishes_the_signing_key(pool: PgPool) {
    let app = spawn_app(pool).await;
    let jwks: Value = app
        .get("/.well-known/jwks.json", None)
        .await
        .json()
        .await
        .unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "OKP");
    assert_eq!(key["crv"], "Ed25519");
    assert_eq!(key["alg"], "EdDSA");
    assert_eq!(key["use"], "sig");
    assert!(
        key.get("d").is_none(),
        "the private part must never be published"
    );
    let token = app.admin_token().await;
    let header: Value =
        serde_json::from_slice(&base64_url_decode(token.split('.').next().unwrap())).unwrap();
    assert_eq!(header["kid"], key["kid"]);
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["typ"], "at+jwt");
}

fn base64_url_decode(part: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap()
}
