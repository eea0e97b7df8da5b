//! TESTING.md attacks through the public entry point (the services repel them too, in their
//! own suites): mass assignment (11), a body that is not JSON (17) and SQL metacharacters in
//! every filter and search (18) change nothing and leak nothing; invented HTTP methods cannot
//! grow `/metrics`, which answers only the scraper's token when one is set.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Options, Stack, order_body, problem};
use lom_testing::{Role, TestUser};

/// The ids of the orders `GET /api/v1/orders?q=<q>` finds.
async fn search(stack: &Stack, token: &str, q: &str) -> Vec<Value> {
    let url = reqwest::Url::parse_with_params(&stack.url("/api/v1/orders"), &[("q", q)]).unwrap();
    let response = stack
        .client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{q}");
    let page: Value = response.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].clone())
        .collect()
}

fn order_path(order: &Value) -> String {
    format!("/api/v1/orders/{}", order["id"].as_str().unwrap())
}

#[sqlx::test(migrations = false)]
async fn fields_a_caller_may_not_set_are_refused_and_change_nothing(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let TestUser {
        id: dispatcher_id,
        token: dispatcher,
    } = stack.users.user(Role::Dispatcher).await;
    let agent = stack.users.user(Role::Agent).await.token;

    let mut smuggled = order_body(1);
    smuggled["status"] = json!("DELIVERED");
    smuggled["assignee_id"] = json!(dispatcher_id);
    smuggled["total"] = json!(1);
    let refused = stack.post("/api/v1/orders", &storefront, &smuggled).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    problem(refused).await;

    let order = stack.create_order(&storefront, 2).await;
    let path = order_path(&order);
    for body in [
        json!({"assignee_id": dispatcher_id, "version": order["version"]}),
        json!({"priority": "high", "version": order["version"], "created_at": "2000-01-01T00:00:00Z"}),
        json!({"priority": "high", "version": order["version"], "total": 0}),
    ] {
        let response = stack.patch(&path, &dispatcher, &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    let stale = stack
        .patch(
            &path,
            &dispatcher,
            &json!({"priority": "high", "version": 0}),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let now: Value = stack.get(&path, &dispatcher).await.json().await.unwrap();
    for field in ["version", "priority", "assignee_id", "status", "total"] {
        assert_eq!(now[field], order[field], "{field} changed");
    }

    // Roles on oneself: only users:manage may touch accounts, and the body cannot say who.
    let me: Value = stack
        .get("/api/v1/auth/me", &agent)
        .await
        .json()
        .await
        .unwrap();
    let own = format!("/api/v1/users/{}", me["id"].as_str().unwrap());
    let promoted = stack
        .patch(&own, &agent, &json!({"roles": ["admin"]}))
        .await;
    assert_eq!(promoted.status(), StatusCode::FORBIDDEN);
    let me_again: Value = stack
        .get("/api/v1/auth/me", &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me_again["roles"], json!(["agent"]));
}

#[sqlx::test(migrations = false)]
async fn a_body_that_is_not_json_is_a_415_problem(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let viewer = stack.users.user(Role::Viewer).await.token;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/jsonx",
    ] {
        let response = stack
            .client
            .post(stack.url("/api/v1/orders"))
            .bearer_auth(&storefront)
            .header(header::CONTENT_TYPE, content_type)
            .body(order_body(1).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
        let body = problem(response).await;
        assert_eq!(body["type"], "urn:lom:problem:unsupported-media-type");
    }
    let list: Value = stack
        .get("/api/v1/orders", &viewer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], json!([]), "nothing was created");
}

#[sqlx::test(migrations = false)]
async fn sql_metacharacters_in_filters_and_searches_are_plain_data(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let admin = stack.users.user(Role::Admin).await.token;
    let mut quoted = order_body(1);
    quoted["customer"]["name"] = json!("O'Brien 100% _real_");
    let obrien = stack
        .post("/api/v1/orders", &storefront, &quoted)
        .await
        .json::<Value>()
        .await
        .unwrap();
    stack.create_order(&storefront, 2).await;

    for injection in ["' OR '1'='1", "x'; DROP TABLE orders; --", "%' --", "\\"] {
        assert_eq!(
            search(&stack, &admin, injection).await,
            Vec::<Value>::new(),
            "{injection}"
        );
    }
    // LIKE wildcards match only themselves; a quote is just a quote.
    assert_eq!(
        search(&stack, &admin, "%").await,
        vec![obrien["id"].clone()]
    );
    assert_eq!(
        search(&stack, &admin, "_real_").await,
        vec![obrien["id"].clone()]
    );
    assert_eq!(
        search(&stack, &admin, "O'Brien").await,
        vec![obrien["id"].clone()]
    );
    assert_eq!(
        search(&stack, &admin, "").await.len(),
        2,
        "the table is still there"
    );

    for (path, param, value) in [
        ("/api/v1/orders", "status", "PENDING' OR '1'='1"),
        ("/api/v1/orders", "assignee", "me' OR 1=1 --"),
        (
            "/api/v1/orders/stats",
            "status",
            "PENDING;DELETE FROM orders",
        ),
        ("/api/v1/orders", "cursor", "1_' OR 1=1 --"),
    ] {
        let url = reqwest::Url::parse_with_params(&stack.url(path), &[(param, value)]).unwrap();
        let response = stack
            .client
            .get(url)
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{param}={value}"
        );
        problem(response).await;
    }
    let url = reqwest::Url::parse_with_params(&stack.url("/api/v1/users"), &[("q", "' OR '1'='1")])
        .unwrap();
    let users: Value = stack
        .client
        .get(url)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(users, json!([]));
    assert_eq!(search(&stack, &admin, "").await.len(), 2);
}

#[sqlx::test(migrations = false)]
async fn invented_methods_do_not_grow_metrics_and_metrics_need_the_token(pool: PgPool) {
    let stack = Stack::start_with(
        pool,
        Options {
            metrics_token: Some("scraper-secret-for-tests".into()),
            ..Options::default()
        },
    )
    .await;
    let scrape = |token: Option<&'static str>| {
        let mut request = stack.client.get(stack.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let anonymous = scrape(None).await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        problem(anonymous).await["type"],
        "urn:lom:problem:unauthorized"
    );
    assert_eq!(
        scrape(Some("a-wrong-guess")).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    let long = "X".repeat(2_000);
    for method in ["PURGE", "BREW", "XYZZY", long.as_str()] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = stack
            .client
            .request(method, stack.url("/api/v1/orders"))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error());
    }
    let text = scrape(Some("scraper-secret-for-tests"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for invented in ["PURGE", "BREW", "XYZZY", "XXXXXXXXXX"] {
        assert!(
            !text.contains(&format!("method=\"{invented}")),
            "{invented} became a label"
        );
    }
    assert!(
        text.contains("method=\"OTHER\""),
        "invented methods are counted as OTHER"
    );
}
