//! `GET /v1/audit`: the audit log newest first, paged by cursor, filtered by actor, action and
//! time; `audit:read` only; bad parameters are 400 problems.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{TestApp, assert_problem, spawn_app};

/// Every entry `query` selects, page by page (`limit` each), and the number of pages.
async fn read_all(app: &TestApp, token: &str, query: &str, limit: u32) -> (Vec<Value>, usize) {
    let (mut entries, mut pages, mut cursor) = (Vec::new(), 0, None::<String>);
    loop {
        let mut url = format!("/v1/audit?limit={limit}{query}");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let response = app.get(&url, Some(token)).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let page: Value = response.json().await.unwrap();
        pages += 1;
        entries.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return (entries, pages),
        }
    }
}

#[sqlx::test(migrations = false)]
async fn the_log_says_who_did_what_to_which_account_newest_first_in_pages(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    let mut created = Vec::new();
    for n in 0..4 {
        created.push(
            app.create_user(&format!("p{n}@example.com"), &["viewer"])
                .await,
        );
    }
    let renamed = app
        .patch(
            &format!("/v1/users/{}", created[0]),
            &admin,
            &json!({"display_name": "Pim Renamed"}),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);

    let (entries, pages) = read_all(&app, &admin, "", 2).await;
    // The seeded admin, four creations, one change: six entries, three pages of two.
    assert_eq!((entries.len(), pages), (6, 3));
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    let newest = &entries[0];
    assert_eq!(newest["action"], "user.updated");
    assert_eq!(newest["actor_name"], "Administrator");
    assert_eq!(newest["target_id"], created[0].as_str());
    assert_eq!(newest["target_name"], "Pim Renamed");
    assert_eq!(newest["target_email"], "p0@example.com");
    assert_eq!(newest["details"], json!({"display_name": "Pim Renamed"}));
    assert!(newest["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    let oldest = entries.last().unwrap();
    assert_eq!(oldest["action"], "user.admin_seeded");
    assert_eq!(oldest["actor_id"], Value::Null, "the system");
}

#[sqlx::test(migrations = false)]
async fn the_log_filters_by_actor_action_and_time(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    let other_id = app.create_user("other-admin@example.com", &["admin"]).await;
    let other = app.token("other-admin@example.com").await;
    let target = app.create_user("target@example.com", &["viewer"]).await;
    let before_change: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT now()")
        .fetch_one(&app.db)
        .await
        .unwrap();
    for (token, change) in [
        (&other, json!({"roles": ["agent"]})),
        (&admin, json!({"active": false})),
    ] {
        let response = app
            .patch(&format!("/v1/users/{target}"), token, &change)
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    let (by_other, _) = read_all(&app, &admin, &format!("&actor={other_id}"), 50).await;
    assert_eq!(by_other.len(), 1);
    assert_eq!(by_other[0]["details"], json!({"roles": ["agent"]}));

    let (creations, _) = read_all(&app, &admin, "&action=user.created", 50).await;
    let emails: Vec<&str> = creations
        .iter()
        .map(|e| e["target_email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["target@example.com", "other-admin@example.com"]);

    let from = urlencode(&before_change.to_rfc3339());
    let (since, _) = read_all(&app, &admin, &format!("&from={from}"), 50).await;
    assert_eq!(since.len(), 2, "the two changes only");
    let backwards = format!("&from={from}&to=2000-01-01T00%3A00%3A00Z");
    let (empty, _) = read_all(&app, &admin, &backwards, 50).await;
    assert!(
        empty.is_empty(),
        "a range that ends before it starts holds nothing"
    );
    let (until, _) = read_all(&app, &admin, &format!("&to={from}"), 50).await;
    assert!(until.iter().all(|e| e["action"] != "user.updated"));
    assert_eq!(until.len(), 3, "the seed and two creations");
}

fn urlencode(raw: &str) -> String {
    raw.replace('+', "%2B").replace(':', "%3A")
}

#[sqlx::test(migrations = false)]
async fn only_audit_read_may_read_the_log(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_staff().await;
    for role in ["dispatcher", "agent", "viewer", "storefront"] {
        let token = app.token(&format!("{role}@example.com")).await;
        assert_problem(app.get("/v1/audit", &token).await, 403, "forbidden").await;
    }
    assert_problem(app.get("/v1/audit", None).await, 401, "unauthorized").await;
}

#[sqlx::test(migrations = false)]
async fn bad_parameters_are_precise_400_problems(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.admin_token().await;
    for (query, names) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("cursor=abc", "cursor"),
        ("cursor=-5", "cursor"),
        ("cursor=99999999999999999999", "cursor"),
        ("action=user.deleted%27%20OR%201%3D1", "action"),
        ("actor=not-a-uuid", "actor"),
        ("from=yesterday", "from"),
        ("extra=1", "extra"),
    ] {
        let response = app.get(&format!("/v1/audit?{query}"), &admin).await;
        let body = assert_problem(response, 400, "bad-request").await;
        assert!(
            body["detail"].as_str().unwrap().contains(names),
            "{query}: {body}"
        );
    }
}
