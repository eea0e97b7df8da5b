//! Accounts: create, update, deactivate, role changes, the assignable list, and which role
//! may call what.

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{PASSWORD, TestApp, assert_problem, problem, spawn_app};

#[sqlx::test(migrations = false)]
async fn an_admin_creates_an_account_that_can_sign_in(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    let response = app
        .post(
            "/v1/users",
            &admin,
            &json!({"email": "Noi@Example.com", "display_name": "น้อย ใจดี", "password": PASSWORD, "roles": ["agent"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["email"], "noi@example.com");
    assert_eq!(user["display_name"], "น้อย ใจดี");
    assert_eq!(user["roles"], json!(["agent"]));
    assert_eq!(user["active"], true);
    assert_eq!(
        app.login("noi@example.com", PASSWORD).await.status(),
        StatusCode::OK
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'user.created' AND target_id = $1::uuid",
    )
    .bind(user["id"].as_str().unwrap())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrations = false)]
async fn an_email_can_be_used_once_whatever_its_case(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_user("dup@example.com", &["viewer"]).await;
    let admin = app.admin_token().await;
    let response = app
        .post(
            "/v1/users",
            &admin,
            &json!({"email": "DUP@example.com", "password": PASSWORD, "roles": ["viewer"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(
        problem(response).await["type"],
        "urn:lom:problem:email-taken"
    );
}

#[sqlx::test(migrations = false)]
async fn every_invalid_field_is_reported_at_once(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    let response = app
        .post(
            "/v1/users",
            &admin,
            &json!({"email": "not-an-email", "display_name": "bad\u{0000}name", "password": "short", "roles": ["agent", "wizard"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = problem(response).await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "display_name", "password", "roles[1]"]);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 1, "nothing half-written");
}

#[sqlx::test(migrations = false)]
async fn roles_and_name_change_and_show_in_the_next_token(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = app.create_user("promoted@example.com", &["viewer"]).await;
    let admin = app.admin_token().await;
    let response = app
        .patch(
            &format!("/v1/users/{id}"),
            &admin,
            &json!({"display_name": "Promoted", "roles": ["dispatcher"]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["display_name"], "Promoted");
    assert_eq!(user["roles"], json!(["dispatcher"]));
    let session = app.session("promoted@example.com", PASSWORD).await;
    assert!(
        session["user"]["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("orders:assign"))
    );
}

#[sqlx::test(migrations = false)]
async fn the_last_admin_cannot_be_deactivated_or_demoted(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    let me: Value = app.get("/v1/auth/me", &admin).await.json().await.unwrap();
    let id = me["id"].as_str().unwrap();
    let demote = app
        .patch(
            &format!("/v1/users/{id}"),
            &admin,
            &json!({"roles": ["viewer"]}),
        )
        .await;
    assert_eq!(demote.status(), StatusCode::CONFLICT);
    assert_problem(demote, 409, "last-admin").await;
    let deactivate = app
        .patch(
            &format!("/v1/users/{id}"),
            &admin,
            &json!({"active": false}),
        )
        .await;
    assert_eq!(deactivate.status(), StatusCode::CONFLICT);

    let second = app
        .create_user("second-admin@example.com", &["admin"])
        .await;
    let demote = app
        .patch(
            &format!("/v1/users/{id}"),
            &admin,
            &json!({"roles": ["viewer"]}),
        )
        .await;
    assert_eq!(demote.status(), StatusCode::OK, "another admin remains");
    let other = app.token("second-admin@example.com").await;
    let response = app
        .patch(
            &format!("/v1/users/{second}"),
            &other,
            &json!({"active": false}),
        )
        .await;
    assert_eq!(
        problem(response).await["type"],
        "urn:lom:problem:self-deactivation"
    );
}

/// `GET /v1/users/assignable` as `token` sees it.
async fn assignable(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.get("/v1/users/assignable", Some(token)).await;
    response.json().await.unwrap()
}

fn emails(list: &[Value]) -> Vec<&str> {
    list.iter().map(|u| u["email"].as_str().unwrap()).collect()
}

#[sqlx::test(migrations = false)]
async fn the_assignable_list_holds_only_active_staff_who_work_orders(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_staff().await;
    let leaver = app.create_user("leaver@example.com", &["agent"]).await;
    let admin = app.admin_token().await;
    app.patch(
        &format!("/v1/users/{leaver}"),
        &admin,
        &json!({"active": false}),
    )
    .await;
    let dispatcher = app.token("dispatcher@example.com").await;
    let list = assignable(&app, &dispatcher).await;
    assert_eq!(
        emails(&list),
        [
            "admin@example.com",
            "agent@example.com",
            "dispatcher@example.com"
        ]
    );

    let agent_id = list[1]["id"].as_str().unwrap();
    let one = app
        .get(&format!("/v1/users/assignable/{agent_id}"), &dispatcher)
        .await;
    assert_eq!(one.status(), StatusCode::OK);
    for id in [leaver.as_str(), "00000000-0000-0000-0000-000000000000"] {
        let response = app
            .get(&format!("/v1/users/assignable/{id}"), &dispatcher)
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{id}");
    }
}

#[sqlx::test(migrations = false)]
async fn identical_names_in_the_assignable_list_are_ordered_by_email(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    // Created in the opposite order of their emails: ids (UUIDv7) alone would sort them b, a.
    for email in ["b.somchai@example.com", "a.somchai@example.com"] {
        let id = app.create_user(email, &["agent"]).await;
        app.patch(
            &format!("/v1/users/{id}"),
            &admin,
            &json!({"display_name": "Somchai Jaidee"}),
        )
        .await;
    }
    let list = assignable(&app, &admin).await;
    assert_eq!(
        emails(&list),
        [
            "admin@example.com",
            "a.somchai@example.com",
            "b.somchai@example.com"
        ]
    );
}

#[sqlx::test(migrations = false)]
async fn each_role_may_call_exactly_what_its_permissions_allow(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_staff().await;
    let create = json!({"email": "x@example.com", "password": PASSWORD, "roles": ["viewer"]});
    // (role, GET /v1/users, POST /v1/users, GET /v1/users/assignable, GET /v1/roles)
    let expected = [
        ("admin", 200, 201, 200, 200),
        ("dispatcher", 200, 403, 200, 200),
        ("agent", 403, 403, 403, 200),
        ("viewer", 403, 403, 403, 200),
        ("storefront", 403, 403, 403, 200),
    ];
    for (role, list, create_status, assignable, roles) in expected {
        let token = app.token(&format!("{role}@example.com")).await;
        let got = (
            app.get("/v1/users", &token).await.status().as_u16(),
            app.post("/v1/users", &token, &create)
                .await
                .status()
                .as_u16(),
            app.get("/v1/users/assignable", &token)
                .await
                .status()
                .as_u16(),
            app.get("/v1/roles", &token).await.status().as_u16(),
        );
        assert_eq!(got, (list, create_status, assignable, roles), "{role}");
    }
}

#[sqlx::test(migrations = false)]
async fn the_users_list_searches_names_and_emails_as_data(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_staff().await;
    let admin = app.admin_token().await;
    let list = |q: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let response = app
                .client
                .get(app.url("/v1/users"))
                .query(&[("q", q)])
                .bearer_auth(admin)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{q}");
            response.json::<Vec<Value>>().await.unwrap().len()
        }
    };
    assert_eq!(list("AGENT").await, 1);
    assert_eq!(list("example.com").await, 5);
    assert_eq!(list("%").await, 0, "% is not a wildcard");
    assert_eq!(list("_").await, 0, "_ is not a wildcard");
    assert_eq!(list("' OR 1=1 --").await, 0);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 5);
}

#[sqlx::test(migrations = false)]
async fn an_unknown_account_is_a_404_problem(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    let response = app
        .get("/v1/users/00000000-0000-0000-0000-000000000000", &admin)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app.get("/v1/users/not-a-uuid", &admin).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    problem(response).await;
}

/// The `iat` claim of an access token (its payload, base64url JSON).
fn issued_at(token: &str) -> u64 {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["iat"].as_u64().unwrap()
}

#[sqlx::test(migrations = false)]
async fn deactivation_and_password_resets_are_announced_to_the_gateways(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = app.create_user("leaving@example.com", &["viewer"]).await;
    let redis = redis::Client::open("redis://127.0.0.1:6379").unwrap();
    let connection = redis.get_multiplexed_async_connection().await.unwrap();
    let mut pubsub = redis.get_async_pubsub().await.unwrap();
    pubsub.subscribe("users.events").await.unwrap();
    let mut messages = pubsub.into_on_message();
    let score = |c: &redis::aio::MultiplexedConnection| {
        let mut c = c.clone();
        let member = id.clone();
        async move {
            redis::cmd("ZSCORE")
                .arg("users:revocations")
                .arg(member)
                .query_async::<Option<u64>>(&mut c)
                .await
                .unwrap()
        }
    };
    assert_eq!(score(&connection).await, None);
    let admin = app.admin_token().await;
    for change in [
        json!({"active": false}),
        json!({"active": true, "password": "a new passphrase 77"}),
    ] {
        let response = app.patch(&format!("/v1/users/{id}"), &admin, &change).await;
        assert_eq!(response.status(), StatusCode::OK);
        let revoked_at: chrono::DateTime<chrono::Utc> =
            sqlx::query_scalar("SELECT sessions_revoked_at FROM users WHERE id = $1::uuid")
                .bind(&id)
                .fetch_one(&app.db)
                .await
                .unwrap();
        let second = u64::try_from(revoked_at.timestamp()).unwrap();
        assert_eq!(score(&connection).await, Some(second), "{change}");
        let message = loop {
            let message = tokio::time::timeout(std::time::Duration::from_secs(5), messages.next())
                .await
                .expect("announced")
                .unwrap();
            let body: Value =
                serde_json::from_str(&message.get_payload::<String>().unwrap()).unwrap();
            if body["user_id"] == id.as_str() {
                break body;
            }
        };
        assert_eq!(
            message,
            json!({"type": "user.revoked", "user_id": id, "revoked_at": second})
        );
    }
    // Signing in at once after the reset gets a token dated after the revoked second.
    let session = app
        .session("leaving@example.com", "a new passphrase 77")
        .await;
    let second = score(&connection).await.unwrap();
    assert!(issued_at(session["access_token"].as_str().unwrap()) > second);
}

#[sqlx::test(migrations = false)]
async fn the_documented_role_names_are_the_roles_that_exist(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    let roles: Vec<Value> = app.get("/v1/roles", &admin).await.json().await.unwrap();
    let mut names: Vec<&str> = roles.iter().map(|r| r["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    let mut documented = users_service::routes::schemas::ROLE_NAMES;
    documented.sort_unstable();
    assert_eq!(names, documented);
}

#[sqlx::test(migrations = false)]
async fn everyone_who_reads_orders_can_name_every_account_and_nothing_more(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_staff().await;
    let leaver = app.create_user("leaver@example.com", &["agent"]).await;
    let admin = app.admin_token().await;
    app.patch(
        &format!("/v1/users/{leaver}"),
        &admin,
        &json!({"active": false, "display_name": "Former Agent"}),
    )
    .await;
    for role in ["agent", "viewer", "dispatcher"] {
        let token = app.token(&format!("{role}@example.com")).await;
        let response = app.get("/v1/users/names", &token).await;
        assert_eq!(response.status(), StatusCode::OK, "{role}");
        let names: Vec<Value> = response.json().await.unwrap();
        assert_eq!(names.len(), 6, "{role}: admin, four staff, the leaver");
        let former = names.iter().find(|n| n["id"] == leaver.as_str()).unwrap();
        assert_eq!(
            former,
            &json!({"id": leaver, "display_name": "Former Agent", "active": false, "works_orders": true})
        );
        let works: Vec<bool> = names.iter().map(|n| n["works_orders"] == true).collect();
        let by_name: Vec<&str> = names
            .iter()
            .map(|n| n["display_name"].as_str().unwrap())
            .collect();
        // By name (staff are named after their email's local part).
        assert_eq!(
            (by_name, works),
            (
                vec![
                    "Administrator",
                    "agent",
                    "dispatcher",
                    "Former Agent",
                    "storefront",
                    "viewer"
                ],
                vec![true, true, true, true, false, false]
            ),
            "{role}"
        );
        assert!(names.iter().all(|n| n.get("email").is_none()), "{role}");
    }
    let storefront = app.token("storefront@example.com").await;
    let refused = app.get("/v1/users/names", &storefront).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    problem(refused).await;
}
