//! TESTING.md attacks against users-service over HTTP: forged tokens (1–6), admin endpoints
//! and methods (10), mass assignment (11), identity headers (12), oversized and malformed
//! bodies (16, 17), hostile Unicode (19).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lom_auth::SigningKey;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp, problem, spawn_app};

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

async fn admin_claims(app: &TestApp) -> Value {
    let token = app.admin_token().await;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

async fn assert_refused(app: &TestApp, token: &str, what: &str) {
    let response = app.get("/v1/auth/me", Some(token)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}");
    let body = problem(response).await;
    assert_eq!(
        body["detail"], "The access token is invalid or expired.",
        "{what}"
    );
}

#[sqlx::test(migrations = false)]
async fn forged_and_misused_tokens_are_refused(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_staff().await;
    let key = SigningKey::from_pem(&app.signing_pem).unwrap();
    let claims = admin_claims(&app).await;
    let viewer = app.token("viewer@example.com").await;
    let kid = key.kid().to_owned();

    // 1. alg none, empty signature.
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "at+jwt", "kid": kid})),
        b64(&claims)
    );
    assert_refused(&app, &none, "alg none").await;

    // 2. HS256 signed with the public JWK as the secret.
    let public = serde_json::to_vec(key.public_jwk()).unwrap();
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("at+jwt".into());
    header.kid = Some(kid.clone());
    let confused =
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&public)).unwrap();
    assert_refused(&app, &confused, "HS256 confusion").await;

    // 3. A viewer's token with raised permissions, signature kept.
    let mut parts: Vec<String> = viewer.split('.').map(str::to_owned).collect();
    let mut raised: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    raised["perms"] = json!(["users:manage", "users:read"]);
    raised["roles"] = json!(["admin"]);
    parts[1] = b64(&raised);
    assert_refused(&app, &parts.join("."), "tampered claims").await;

    // 4. Key references in the header, hostile kids.
    let valid = key.sign(&claims).unwrap();
    let signature = valid.split('.').nth(2).unwrap();
    for header in [
        json!({"alg": "EdDSA", "typ": "at+jwt", "kid": kid, "jku": "http://127.0.0.1:9/k.json"}),
        json!({"alg": "EdDSA", "typ": "at+jwt", "kid": kid, "x5u": "http://127.0.0.1:9/c.pem"}),
        json!({"alg": "EdDSA", "typ": "at+jwt", "kid": kid, "jwk": key.public_jwk()}),
        json!({"alg": "EdDSA", "typ": "at+jwt", "kid": "../../x"}),
        json!({"alg": "EdDSA", "typ": "at+jwt", "kid": "' OR 1=1 --"}),
    ] {
        let forged = format!("{}.{}.{signature}", b64(&header), b64(&claims));
        assert_refused(&app, &forged, &header.to_string()).await;
    }

    // 5. Expired beyond the leeway, nbf in the future, no exp (all properly signed).
    let mut expired = claims.clone();
    expired["exp"] = json!(now() - 60);
    let mut early = claims.clone();
    early["nbf"] = json!(now() + 3600);
    let mut endless = claims.clone();
    endless.as_object_mut().unwrap().remove("exp");
    // 6. Wrong audience or issuer.
    let mut wrong_aud = claims.clone();
    wrong_aud["aud"] = json!("another-system");
    let mut wrong_iss = claims.clone();
    wrong_iss["iss"] = json!("https://evil.example");
    for (what, c) in [
        ("expired", expired),
        ("nbf", early),
        ("no exp", endless),
        ("aud", wrong_aud),
        ("iss", wrong_iss),
    ] {
        assert_refused(&app, &key.sign(&c).unwrap(), what).await;
    }

    // 6. A refresh token presented as an access token.
    let session = app.session("viewer@example.com", PASSWORD).await;
    assert_refused(
        &app,
        session["refresh_token"].as_str().unwrap(),
        "refresh as access",
    )
    .await;

    // A token from another key with a valid-looking kid.
    let (stranger, _) = SigningKey::generate().unwrap();
    assert_refused(&app, &stranger.sign(&claims).unwrap(), "foreign key").await;
}

#[sqlx::test(migrations = false)]
async fn no_token_or_identity_headers_give_no_access(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app
        .client
        .get(app.url("/v1/users"))
        .header("x-user-id", Uuid::new_v4().to_string())
        .header("x-roles", "admin")
        .header("x-forwarded-user", "admin@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    problem(response).await;
    let response = app
        .client
        .get(app.url("/v1/users"))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = false)]
async fn an_unsupported_method_is_405_with_allow(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app
        .client
        .delete(app.url("/v1/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    problem(response).await;
}

#[sqlx::test(migrations = false)]
async fn extra_fields_are_rejected_and_change_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = app.create_user("viewer@example.com", &["viewer"]).await;
    let viewer = app.token("viewer@example.com").await;
    // A non-admin giving itself roles: forbidden.
    let response = app
        .patch(
            &format!("/v1/users/{id}"),
            &viewer,
            &json!({"roles": ["admin"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Fields that are not part of the API: rejected, nothing changes.
    let admin = app.admin_token().await;
    let response = app
        .patch(
            &format!("/v1/users/{id}"),
            &admin,
            &json!({"display_name": "ok", "id": Uuid::new_v4(), "password_hash": "x", "created_at": "2000-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = problem(response).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field")
    );
    let me: Value = app.get("/v1/auth/me", &viewer).await.json().await.unwrap();
    assert_eq!(me["display_name"], "viewer");
    assert_eq!(me["roles"], json!(["viewer"]));
}

#[sqlx::test(migrations = false)]
async fn oversized_malformed_and_mistyped_bodies_are_clean_4xx_problems(pool: PgPool) {
    let app = spawn_app(pool).await;
    let huge = format!(
        r#"{{"email":"a@example.com","password":"{}"}}"#,
        "x".repeat(200_000)
    );
    let response = app
        .client
        .post(app.url("/v1/auth/login"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    problem(response).await;

    let response = app
        .client
        .post(app.url("/v1/auth/login"))
        .header("content-type", "application/json")
        .body(r#"{"email": "a@example.com", "password": "#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    problem(response).await;

    let response = app
        .client
        .post(app.url("/v1/auth/login"))
        .header("content-type", "text/plain")
        .body(r#"{"email": "a@example.com", "password": "x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    problem(response).await;

    let response = app
        .post(
            "/v1/auth/login",
            None,
            &json!({"email": 42, "password": []}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(response).await["errors"][0]["field"], "email");
}

#[sqlx::test(migrations = false)]
async fn hostile_unicode_is_refused_or_stored_exactly(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    for (name, expected) in [
        ("nul\u{0000}byte", StatusCode::UNPROCESSABLE_ENTITY),
        ("right\u{202E}left", StatusCode::UNPROCESSABLE_ENTITY),
        (
            &"ก".repeat(10_000) as &str,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "Zalgo Z\u{0351}\u{0358}a\u{0300}\u{0301}",
            StatusCode::CREATED,
        ),
    ] {
        let email = format!("u{}@example.com", Uuid::new_v4().simple());
        let response = app
            .post(
                "/v1/users",
                &admin,
                &json!({"email": email, "display_name": name, "password": PASSWORD, "roles": ["viewer"]}),
            )
            .await;
        assert_eq!(
            response.status(),
            expected,
            "{:?}",
            name.chars().take(20).collect::<String>()
        );
        if expected == StatusCode::CREATED {
            let user: Value = response.json().await.unwrap();
            assert_eq!(user["display_name"], name, "stored exactly");
        } else {
            problem(response).await;
        }
    }
}

#[sqlx::test(migrations = false)]
async fn responses_carry_security_headers_and_a_request_id(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/v1/roles", None).await;
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
    assert!(!headers["x-request-id"].is_empty());

    // A well-formed caller id is kept (it crosses service hops); a forged one is replaced.
    for (sent, kept) in [
        ("gw-7f3a-01", true),
        ("forged id; level=ERROR", false),
        (&"x".repeat(200) as &str, false),
    ] {
        let mut request = app.client.get(app.url("/healthz"));
        if let Ok(value) = reqwest::header::HeaderValue::from_str(sent) {
            request = request.header("x-request-id", value);
        }
        let response = request.send().await.unwrap();
        let echoed = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(echoed == sent, kept, "{sent:?} → {echoed:?}");
    }
}

#[sqlx::test(migrations = false)]
async fn nul_bytes_in_searches_and_role_names_are_4xx_not_500(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    let search = app
        .client
        .get(app.url("/v1/users"))
        .query(&[("q", "a\u{0}b")])
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(search.status(), StatusCode::BAD_REQUEST);
    problem(search).await;
    let create = app
        .post(
            "/v1/users",
            &admin,
            &json!({"email": "nul@example.com", "password": PASSWORD, "roles": ["agent", "a\u{0}b", "x".repeat(500)]}),
        )
        .await;
    assert_eq!(create.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = problem(create).await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["roles[1]", "roles[2]"]);
}
