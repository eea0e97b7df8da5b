//! The public REST API: permissions checked at the gateway, forwarding to the owning service,
//! problems for everything that goes wrong, a fast 503 when a service is down, CORS only for
//! the dashboard, security headers, and the OpenAPI document.

use std::time::{Duration, Instant};

use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{DASHBOARD_ORIGIN, Options, Stack, assert_problem, order_body, problem};
use lom_testing::{Role, TestUser};

#[sqlx::test(migrations = false)]
async fn a_storefront_order_is_visible_to_staff_through_the_gateway(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let viewer = stack.users.user(Role::Viewer).await.token;
    let order = stack.create_order(&storefront, 1).await;
    assert_eq!(order["status"], "PENDING");

    let list: Value = stack
        .get("/api/v1/orders", &viewer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["id"], order["id"]);
    let one = stack
        .get(
            &format!("/api/v1/orders/{}", order["id"].as_str().unwrap()),
            &viewer,
        )
        .await;
    assert_eq!(one.status(), StatusCode::OK);
    let stats = stack
        .get("/api/v1/orders/stats?status=PENDING", &viewer)
        .await;
    assert_eq!(stats.status(), StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn each_role_reaches_exactly_what_its_permissions_allow(pool: PgPool) {
    let stack = Stack::start(pool).await;
    // (role, GET /orders, POST /orders, GET /users, GET /users/assignable, GET /roles,
    //  GET /users/names, GET /orders/workload, GET /audit)
    let expected = [
        (Role::Admin, 200, 201, 200, 200, 200, 200, 200, 200),
        (Role::Dispatcher, 200, 403, 200, 200, 200, 200, 200, 403),
        (Role::Agent, 200, 403, 403, 403, 200, 200, 403, 403),
        (Role::Viewer, 200, 403, 403, 403, 200, 200, 200, 403),
        (Role::Storefront, 403, 201, 403, 403, 200, 403, 403, 403),
    ];
    for (role, list, create, users, assignable, roles, names, workload, audit) in expected {
        let token = stack.users.user(role).await.token;
        let status = |response: reqwest::Response| response.status().as_u16();
        let got = (
            status(stack.get("/api/v1/orders", &token).await),
            status(stack.post("/api/v1/orders", &token, &order_body(1)).await),
            status(stack.get("/api/v1/users", &token).await),
            status(stack.get("/api/v1/users/assignable", &token).await),
            status(stack.get("/api/v1/roles", &token).await),
            status(stack.get("/api/v1/users/names", &token).await),
            status(stack.get("/api/v1/orders/workload", &token).await),
            status(stack.get("/api/v1/audit", &token).await),
        );
        assert_eq!(
            got,
            (
                list, create, users, assignable, roles, names, workload, audit
            ),
            "{role:?}"
        );
    }
}

#[sqlx::test(migrations = false)]
async fn an_agent_sees_only_its_orders_and_the_same_404_for_others(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let TestUser {
        id: agent_id,
        token: agent,
    } = stack.users.user(Role::Agent).await;
    let dispatcher = stack.users.user(Role::Dispatcher).await.token;
    let mine = stack.create_order(&storefront, 1).await;
    let theirs = stack.create_order(&storefront, 2).await;
    let assign = stack
        .post(
            &format!("/api/v1/orders/{}/assign", mine["id"].as_str().unwrap()),
            &dispatcher,
            &json!({"assignee_id": agent_id, "version": mine["version"]}),
        )
        .await;
    assert_eq!(assign.status(), StatusCode::OK);

    let list: Value = stack
        .get("/api/v1/orders", &agent)
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    assert_eq!(ids, vec![&mine["id"]]);
    let other = format!("/api/v1/orders/{}", theirs["id"].as_str().unwrap());
    let missing = "/api/v1/orders/00000000-0000-0000-0000-000000000000";
    let a = problem(stack.get(&other, &agent).await).await;
    let b = problem(stack.get(missing, &agent).await).await;
    assert_eq!(
        (a["status"].clone(), a["type"].clone()),
        (b["status"].clone(), b["type"].clone())
    );
}

#[sqlx::test(migrations = false)]
async fn cancelling_with_a_reason_needs_orders_update_and_an_agent_only_cancels_its_own(
    pool: PgPool,
) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let TestUser {
        id: agent_id,
        token: agent,
    } = stack.users.user(Role::Agent).await;
    let viewer = stack.users.user(Role::Viewer).await.token;
    let dispatcher = stack.users.user(Role::Dispatcher).await.token;
    let mine = stack.create_order(&storefront, 1).await;
    let theirs = stack.create_order(&storefront, 2).await;
    let cancel = |order: &Value| format!("/api/v1/orders/{}/cancel", order["id"].as_str().unwrap());
    let assigned: Value = stack
        .post(
            &format!("/api/v1/orders/{}/assign", mine["id"].as_str().unwrap()),
            &dispatcher,
            &json!({"assignee_id": agent_id, "version": 1}),
        )
        .await
        .json()
        .await
        .unwrap();
    let body =
        |version: &Value| json!({"reason": {"code": "customer_request"}, "version": version});

    let refused = stack
        .post(&cancel(&mine), &viewer, &body(&assigned["version"]))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let hidden = stack
        .post(&cancel(&theirs), &agent, &body(&theirs["version"]))
        .await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let done = stack
        .post(&cancel(&mine), &agent, &body(&assigned["version"]))
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let order: Value = done.json().await.unwrap();
    assert_eq!(order["status"], "CANCELLED");
    assert_eq!(
        order["history"].as_array().unwrap().last().unwrap()["reason"],
        json!({"code": "customer_request"})
    );
}

#[sqlx::test(migrations = false)]
async fn the_kpis_reach_readers_through_the_gateway_scoped_like_the_board(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let viewer = stack.users.user(Role::Viewer).await.token;
    let agent = stack.users.user(Role::Agent).await.token;
    stack.create_order(&storefront, 1).await;

    let path = "/api/v1/orders/metrics?utc_offset=420";
    let everyone: Value = stack.get(path, &viewer).await.json().await.unwrap();
    assert_eq!(everyone["by_status"]["PENDING"], 1);
    assert_eq!(
        everyone["by_assignee"],
        json!([{"assignee_id": null, "open_orders": 1}])
    );
    let own: Value = stack.get(path, &agent).await.json().await.unwrap();
    assert_eq!(own["by_status"]["PENDING"], 0);
    assert_eq!(own["by_assignee"], json!([]));
    assert_problem(stack.get(path, &storefront).await, 403, "forbidden").await;
    let bad = stack
        .get("/api/v1/orders/metrics?utc_offset=900", &viewer)
        .await;
    assert_problem(bad, 400, "bad-request").await;
}

#[sqlx::test(migrations = false)]
async fn a_bulk_action_reaches_orders_service_and_a_viewer_is_refused_at_the_gateway(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let viewer = stack.users.user(Role::Viewer).await.token;
    let dispatcher = stack.users.user(Role::Dispatcher).await.token;
    let order = stack.create_order(&storefront, 1).await;
    let body = json!({
        "action": {"type": "status", "status": "CONFIRMED"},
        "items": [{"id": order["id"], "version": order["version"]}],
    });

    let refused = stack.post("/api/v1/orders/bulk", &viewer, &body).await;
    assert_problem(refused, 403, "forbidden").await;
    let done = stack.post("/api/v1/orders/bulk", &dispatcher, &body).await;
    assert_eq!(done.status(), StatusCode::OK);
    let answer: Value = done.json().await.unwrap();
    assert_eq!(answer["results"][0]["outcome"], "done");
    assert_eq!(answer["results"][0]["order"]["status"], "CONFIRMED");
}

#[sqlx::test(migrations = false)]
async fn requests_without_a_valid_token_never_reach_a_service(pool: PgPool) {
    let stack = Stack::start(pool).await;
    for token in ["", "garbage", "a.b.c"] {
        let response = stack
            .client
            .get(stack.url("/api/v1/orders"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header("x-user-id", "00000000-0000-0000-0000-000000000001")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token:?}");
        problem(response).await;
    }
}

#[sqlx::test(migrations = false)]
async fn framework_errors_are_problems_too(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let viewer = stack.users.user(Role::Viewer).await.token;
    let unknown = stack.get("/api/v1/nothing-here", &viewer).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    problem(unknown).await;

    let method = stack
        .client
        .put(stack.url("/api/v1/orders"))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(method.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = method.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    problem(method).await;

    let storefront = stack.users.user(Role::Storefront).await.token;
    let huge = stack
        .client
        .post(stack.url("/api/v1/orders"))
        .bearer_auth(&storefront)
        .header(header::CONTENT_TYPE, "application/json")
        .body(vec![b' '; 400 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    problem(huge).await;

    let malformed = stack
        .client
        .post(stack.url("/api/v1/orders"))
        .bearer_auth(&storefront)
        .header(header::CONTENT_TYPE, "application/json")
        .body("{\"customer\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(problem(malformed).await["instance"], "/api/v1/orders");

    let too_many = stack.get("/api/v1/orders?limit=5000", &viewer).await;
    assert_eq!(too_many.status(), StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrations = false)]
async fn a_service_that_is_down_is_a_fast_503(pool: PgPool) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let stack = Stack::start_with(
        pool,
        Options {
            orders_url_override: Some(dead),
            ..Options::default()
        },
    )
    .await;
    let viewer = stack.users.user(Role::Viewer).await.token;
    let started = Instant::now();
    let response = stack.get("/api/v1/orders", &viewer).await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, 503, "service-unavailable").await;
}

#[sqlx::test(migrations = false)]
async fn cors_answers_only_the_dashboard_origin(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let preflight = |origin: &'static str| {
        stack
            .client
            .request(reqwest::Method::OPTIONS, stack.url("/api/v1/orders"))
            .header(header::ORIGIN, origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let ok = preflight(DASHBOARD_ORIGIN).await.unwrap();
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        DASHBOARD_ORIGIN
    );
    assert_eq!(ok.headers()["access-control-allow-credentials"], "true");
    let foreign = preflight("https://evil.example").await.unwrap();
    assert!(
        !foreign
            .headers()
            .contains_key("access-control-allow-origin")
    );
    assert!(
        !foreign
            .headers()
            .contains_key("access-control-allow-credentials")
    );
}

#[sqlx::test(migrations = false)]
async fn responses_carry_security_headers_and_the_docs_are_served(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let response = stack
        .client
        .get(stack.url("/healthz"))
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
    assert!(headers.contains_key("x-request-id"));

    let document: Value = stack
        .client
        .get(stack.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(document["paths"]["/api/v1/orders/{id}/assign"]["post"].is_object());
    assert!(document["paths"]["/api/v1/auth/refresh"]["post"].is_object());
    let docs = stack.client.get(stack.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let ready = stack.client.get(stack.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}

#[sqlx::test(migrations = false)]
async fn forged_and_misused_tokens_are_refused_at_the_gateway(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let email = format!("viewer-{}@example.com", uuid::Uuid::new_v4().simple());
    stack.users.create_user(&email, &["viewer"]).await;
    let login: Value = stack
        .client
        .post(format!("{}/v1/auth/login", stack.users.base_url))
        .json(&json!({"email": email, "password": crate::helpers::password()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let viewer = login["access_token"].as_str().unwrap();
    assert_eq!(
        stack.get("/api/v1/orders", viewer).await.status(),
        StatusCode::OK
    );
    let refresh = login["refresh_token"].as_str().unwrap();
    for (what, token) in crate::forged::forged_tokens(&stack.users.signing_pem, viewer, refresh) {
        let response = stack.get("/api/v1/orders", &token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}");
        problem(response).await;
        let users = stack.get("/api/v1/users", &token).await;
        assert_eq!(users.status(), StatusCode::UNAUTHORIZED, "{what} on users");
    }
}
