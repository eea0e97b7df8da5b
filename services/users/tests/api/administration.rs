//! Administering accounts with `PATCH /v1/users/{id}`: who may, what each change leaves in the
//! audit log, reactivation, and the last-admin rule under changes sent at the same instant.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp, assert_problem, spawn_app};

/// The audit rows about account `target`, oldest first: (actor, action, details).
async fn audit_trail(app: &TestApp, target: &str) -> Vec<(Option<String>, String, Value)> {
    sqlx::query_as(
        "SELECT actor_id::text, action, details FROM audit_log
         WHERE target_id = $1::uuid ORDER BY id",
    )
    .bind(target)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

async fn my_id(app: &TestApp, token: &str) -> String {
    let me: Value = app
        .get("/v1/auth/me", Some(token))
        .await
        .json()
        .await
        .unwrap();
    me["id"].as_str().unwrap().to_owned()
}

#[sqlx::test(migrations = false)]
async fn only_users_manage_may_change_an_account_and_a_refusal_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_staff().await;
    let target = app.create_user("target@example.com", &["viewer"]).await;
    let change = json!({"display_name": "Renamed", "roles": ["admin"], "active": false, "password": "another passphrase 1"});
    for role in ["dispatcher", "agent", "viewer", "storefront"] {
        let token = app.token(&format!("{role}@example.com")).await;
        let response = app
            .patch(&format!("/v1/users/{target}"), &token, &change)
            .await;
        assert_problem(response, 403, "forbidden").await;
    }
    let user: Value = app
        .get(&format!("/v1/users/{target}"), &app.admin_token().await)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&user["display_name"], &user["roles"], &user["active"]),
        (&json!("target"), &json!(["viewer"]), &json!(true))
    );
    assert_eq!(
        app.login("target@example.com", PASSWORD).await.status(),
        StatusCode::OK,
        "the password is unchanged"
    );
    assert_eq!(
        audit_trail(&app, &target).await.len(),
        1,
        "only its creation"
    );
}

#[sqlx::test(migrations = false)]
async fn each_change_is_audited_with_its_actor_and_what_changed_but_never_the_password(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let target = app.create_user("audited@example.com", &["viewer"]).await;
    let admin = app.admin_token().await;
    let admin_id = my_id(&app, &admin).await;
    let secret = "a temporary passphrase 42";
    for change in [
        json!({"display_name": "Audited Person"}),
        json!({"roles": ["agent", "viewer"]}),
        json!({"password": secret}),
        json!({"active": false}),
        json!({"active": true}),
    ] {
        let response = app
            .patch(&format!("/v1/users/{target}"), &admin, &change)
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{change}");
    }
    let trail = audit_trail(&app, &target).await;
    let changes: Vec<(Option<String>, String, Value)> = trail.into_iter().skip(1).collect();
    let expected = [
        json!({"display_name": "Audited Person"}),
        json!({"roles": ["agent", "viewer"]}),
        json!({"password": "reset"}),
        json!({"active": false}),
        json!({"active": true}),
    ];
    assert_eq!(changes.len(), expected.len());
    for ((actor, action, details), want) in changes.iter().zip(expected) {
        assert_eq!(actor.as_deref(), Some(admin_id.as_str()));
        assert_eq!(action, "user.updated");
        assert_eq!(details, &want);
        assert!(!details.to_string().contains(secret));
    }
}

#[sqlx::test(migrations = false)]
async fn a_reactivated_account_signs_in_again_with_its_password(pool: PgPool) {
    let app = spawn_app(pool).await;
    let id = app.create_user("returning@example.com", &["agent"]).await;
    let admin = app.admin_token().await;
    let deactivate = app
        .patch(
            &format!("/v1/users/{id}"),
            &admin,
            &json!({"active": false}),
        )
        .await;
    assert_eq!(deactivate.status(), StatusCode::OK);
    assert_eq!(
        app.login("returning@example.com", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let reactivate = app
        .patch(&format!("/v1/users/{id}"), &admin, &json!({"active": true}))
        .await;
    assert_eq!(reactivate.status(), StatusCode::OK);
    let user: Value = reactivate.json().await.unwrap();
    assert_eq!(user["active"], true);
    let session = app.session("returning@example.com", PASSWORD).await;
    assert_eq!(session["user"]["roles"], json!(["agent"]));
}

#[sqlx::test(migrations = false)]
async fn admin_removals_sent_at_the_same_instant_leave_exactly_one_admin(pool: PgPool) {
    let app = spawn_app(pool).await;
    let root = app.admin_token().await;
    let root_id = my_id(&app, &root).await;
    // Each round: three active admins, and at once, two deactivated and the caller demoted.
    // Each change alone is allowed (two others remain); together they must leave one.
    for round in 0..4 {
        let b = app
            .create_user(&format!("b{round}@example.com"), &["admin"])
            .await;
        let c = app
            .create_user(&format!("c{round}@example.com"), &["admin"])
            .await;
        let changes = [
            (b, json!({"active": false})),
            (c, json!({"active": false})),
            (root_id.clone(), json!({"roles": ["viewer"]})),
        ];
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(changes.len()));
        let sent = changes.into_iter().map(|(id, body)| {
            let (client, url, token, barrier) = (
                app.client.clone(),
                app.url(&format!("/v1/users/{id}")),
                root.clone(),
                barrier.clone(),
            );
            tokio::spawn(async move {
                let request = client.patch(url).bearer_auth(token).json(&body);
                barrier.wait().await;
                request.send().await.unwrap()
            })
        });
        let mut statuses = Vec::new();
        for response in futures_util::future::join_all(sent).await {
            let response = response.unwrap();
            let status = response.status().as_u16();
            if status == 409 {
                assert_problem(response, 409, "last-admin").await;
            }
            statuses.push(status);
        }
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 200, 409], "round {round}");
        let admins: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id
             JOIN roles r ON r.id = ur.role_id WHERE r.name = 'admin' AND u.is_active",
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(admins, 1, "round {round}");
        // Back to the start: the root account the only admin, whoever remained.
        sqlx::query(
            "INSERT INTO user_roles (user_id, role_id)
             SELECT u.id, r.id FROM users u, roles r WHERE u.email = $1 AND r.name = 'admin'
             ON CONFLICT DO NOTHING",
        )
        .bind(ADMIN_EMAIL)
        .execute(&app.db)
        .await
        .unwrap();
        sqlx::query("UPDATE users SET is_active = false WHERE email <> $1")
            .bind(ADMIN_EMAIL)
            .execute(&app.db)
            .await
            .unwrap();
    }
}
