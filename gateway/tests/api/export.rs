//! The CSV export through the gateway: `orders:export` checked at the edge, the file's headers
//! passed on, and the body streamed through as the client reads it, never gathered first.

use lom_testing::{RawRequest, Role, StalledReader, export_query_running, seed_orders};
use reqwest::StatusCode;
use sqlx::PgPool;

use crate::helpers::{Stack, assert_problem};

#[sqlx::test(migrations = false)]
async fn only_admins_and_dispatchers_may_export(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    stack.create_order(&storefront, 1).await;
    for role in [Role::Admin, Role::Dispatcher] {
        let token = stack.users.user(role).await.token;
        let response = stack.get("/api/v1/orders/export", &token).await;
        assert_eq!(response.status(), StatusCode::OK, "{role:?}");
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"orders-")
        );
        let text = response.text().await.unwrap();
        assert_eq!(
            text.lines().count(),
            2,
            "{role:?}: the header and the order"
        );
    }
    for role in [Role::Agent, Role::Viewer, Role::Storefront] {
        let token = stack.users.user(role).await.token;
        let response = stack.get("/api/v1/orders/export", &token).await;
        assert_problem(response, 403, "forbidden").await;
    }
    let admin = stack.users.user(Role::Admin).await.token;
    let bad = stack
        .get("/api/v1/orders/export?assignee=nobody", &admin)
        .await;
    let problem = assert_problem(bad, 400, "bad-request").await;
    assert_eq!(problem["instance"], "/api/v1/orders/export");
}

#[sqlx::test(migrations = false)]
async fn an_export_streams_through_the_gateway_as_the_client_reads_it(pool: PgPool) {
    const ORDERS: i64 = 40_000;
    let stack = Stack::start(pool.clone()).await;
    seed_orders(&pool, ORDERS).await;
    let admin = stack.users.user(Role::Admin).await.token;
    let gateway = stack
        .gateway
        .base
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let request = RawRequest::new("GET", "/api/v1/orders/export").bearer(&admin);

    // A 24 MB file of which the client takes 2 kB: a gateway that gathered the body first (or
    // ran ahead of its client) would have made orders-service read every row by now.
    let stalled = StalledReader::open(gateway, &request, 2048).await;
    assert!(stalled.head.starts_with(b"HTTP/1.1 200 OK"));
    let head = String::from_utf8_lossy(&stalled.head).to_lowercase();
    assert!(
        head.contains("content-disposition: attachment; filename=\"orders-"),
        "{head}"
    );
    assert!(export_query_running(&pool).await, "the query already ended");
    drop(stalled);

    // Read whole, past the gateway's 5 s bound on an ordinary answer's transfer if need be.
    let mut response = stack.get("/api/v1/orders/export", &admin).await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut lines = 0;
    while let Some(piece) = response.chunk().await.unwrap() {
        lines += piece.iter().filter(|b| **b == b'\n').count();
    }
    assert_eq!(
        lines,
        usize::try_from(ORDERS).unwrap() + 1,
        "the header and every order"
    );
}
