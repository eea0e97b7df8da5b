//! Listing: newest first, keyset pages, filters, search and stats.

use lom_testing::assert_problem;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, TestApp, id_of, spawn_app};

async fn list(app: &TestApp, query: &str) -> Value {
    let admin = app.users.user(Role::Admin).await;
    let response = app.get(&format!("/v1/orders{query}"), &admin).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("page json")
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_owned())
        .collect()
}

#[sqlx::test(migrations = false)]
async fn lists_are_newest_first_and_pages_chain_without_gaps_or_overlap(pool: PgPool) {
    let app = spawn_app(pool).await;
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(id_of(&app.create_order(n).await).to_owned());
    }
    created.reverse();

    let mut seen = Vec::new();
    let mut query = "?limit=2".to_owned();
    loop {
        let page = list(&app, &query).await;
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, created);
}

#[sqlx::test(migrations = false)]
async fn status_and_assignee_filters_narrow_the_list(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = app.create_order(1).await;
    let second = app.create_order(2).await;
    let third = app.create_order(3).await;
    let agent = app.users.user(Role::Agent).await;
    app.assign(&first, agent.id).await;
    let admin = app.users.user(Role::Admin).await;
    app.patch(
        &format!("/v1/orders/{}", id_of(&second)),
        &admin,
        &json!({"status": "CONFIRMED", "version": 1}),
    )
    .await;

    assert_eq!(
        ids(&list(&app, "?status=CONFIRMED").await),
        vec![id_of(&second)]
    );
    assert_eq!(
        ids(&list(&app, "?status=PENDING,CONFIRMED").await),
        vec![id_of(&third), id_of(&second), id_of(&first)]
    );
    assert_eq!(
        ids(&list(&app, &format!("?assignee={}", agent.id)).await),
        vec![id_of(&first)]
    );
    assert_eq!(
        ids(&list(&app, "?assignee=unassigned").await),
        vec![id_of(&third), id_of(&second)]
    );
    let mine: Value = app
        .get("/v1/orders?assignee=me", &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&mine), vec![id_of(&first)]);
}

#[sqlx::test(migrations = false)]
async fn search_matches_number_customer_name_and_email_case_insensitively(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = app.create_order(1).await;
    let second = app.create_order(22).await;

    assert_eq!(
        ids(&list(&app, "?q=customer%2022").await),
        vec![id_of(&second)]
    );
    assert_eq!(
        ids(&list(&app, "?q=CUSTOMER1%40").await),
        vec![id_of(&first)]
    );
    let number = first["number"].as_str().unwrap().to_lowercase();
    assert_eq!(
        ids(&list(&app, &format!("?q={number}")).await),
        vec![id_of(&first)]
    );
}

/// A GIN trigram index on a plain column also answers `column = value`, and the planner chose
/// `customers_email_trgm` for the intake's lookup of each order's customer by email, reading
/// the index's whole pending list every time (≈ 40 ms per order once it filled): the search's
/// trigram indexes are on `lower(column)`, which no equality on the column can use.
#[sqlx::test(migrations = false)]
async fn no_trigram_index_can_answer_an_equality_on_a_column(pool: PgPool) {
    let app = spawn_app(pool).await;
    let on_plain_columns: Vec<String> = sqlx::query_scalar(
        "SELECT i.relname::text FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_am am ON am.oid = i.relam
         WHERE am.amname = 'gin' AND 0 <> ANY (x.indkey::int2[])",
    )
    .fetch_all(&app.db)
    .await
    .expect("indexes");
    assert!(on_plain_columns.is_empty(), "{on_plain_columns:?}");
    let trigram: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")
            .fetch_one(&app.db)
            .await
            .expect("count");
    assert_eq!(trigram, 3, "the search's three trigram indexes");
}

#[sqlx::test(migrations = false)]
async fn sql_and_like_metacharacters_in_filters_are_treated_as_data(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_order(1).await;
    for q in ["%25", "_", "'%20OR%201%3D1%20--", "%5C", "customer%25"] {
        let page = list(&app, &format!("?q={q}")).await;
        assert!(ids(&page).is_empty(), "q={q}");
    }
    let admin = app.users.user(Role::Admin).await;
    for bad in [
        "?status=PENDING'--",
        "?assignee=1%20OR%201%3D1",
        "?cursor='%3B",
    ] {
        assert_eq!(
            app.get(&format!("/v1/orders{bad}"), &admin).await.status(),
            400,
            "{bad}"
        );
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[sqlx::test(migrations = false)]
async fn a_limit_outside_one_to_two_hundred_is_a_400_problem(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    for query in ["?limit=201", "?limit=0", "?limit=-1", "?limit=abc"] {
        let response = app.get(&format!("/v1/orders{query}"), &admin).await;
        assert_eq!(response.status(), 400, "{query}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    assert_eq!(app.get("/v1/orders?limit=200", &admin).await.status(), 200);
}

#[sqlx::test(migrations = false)]
async fn a_query_value_of_the_wrong_type_is_the_platform_s_400_naming_the_parameter(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    for path in ["/v1/orders?limit=abc", "/v1/orders?limit=1.5"] {
        let body = assert_problem(app.get(path, &admin).await, 400, "bad-request").await;
        let detail = body["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with("The query is invalid: ") && detail.contains("limit"),
            "{path}: {body}"
        );
    }
}

#[sqlx::test(migrations = false)]
async fn stats_count_per_status_under_the_same_filters(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = app.create_order(1).await;
    app.create_order(2).await;
    app.create_order(3).await;
    let admin = app.users.user(Role::Admin).await;
    app.patch(
        &format!("/v1/orders/{}", id_of(&first)),
        &admin,
        &json!({"status": "CANCELLED", "version": 1}),
    )
    .await;

    let stats: Value = app
        .get("/v1/orders/stats", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["counts"]["PENDING"], 2);
    assert_eq!(stats["counts"]["CANCELLED"], 1);
    assert_eq!(stats["counts"]["DELIVERED"], 0);
    assert_eq!(stats["total"], 3);
    assert_eq!(stats["created_last_hour"], 3);

    let filtered: Value = app
        .get("/v1/orders/stats?q=customer%201", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["total"], 1);
    assert_eq!(filtered["counts"]["CANCELLED"], 1);
}
