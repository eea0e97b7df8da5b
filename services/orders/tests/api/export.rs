//! CSV export: the list's view as a file (BOM, header, columns, filters, scope), cells a
//! spreadsheet would run made inert, the cap refused before any byte, `orders:export` only,
//! each export audited, and the rows streamed as the client reads them.

use std::time::Duration;

use lom_testing::{
    RawRequest, StalledReader, assert_problem, export_query_running, order_body, seed_orders,
};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Role, TestApp, TestUser, id_of, spawn_app, spawn_app_with, wait_for};

const BOM: &str = "\u{FEFF}";
const HEADER: &str = "number,created_at,status,priority,customer_name,customer_email,items,units,\
                      total_minor,currency,assignee_id,assignee_name,updated_at";

/// Creates an order whose customer is called `name`.
async fn order_named(app: &TestApp, n: usize, name: &str) -> Value {
    let storefront = app.users.user(Role::Storefront).await;
    let mut body = order_body(n);
    body["customer"]["name"] = json!(name);
    let response = app.post("/v1/orders", &storefront, &body).await;
    assert_eq!(response.status(), 201);
    response.json().await.expect("order json")
}

/// The file's text (BOM checked and removed) and its records, header first.
async fn export(app: &TestApp, user: &TestUser, query: &str) -> (String, Vec<Vec<String>>) {
    let response = app.get(&format!("/v1/orders/export{query}"), user).await;
    assert_eq!(response.status(), 200, "{query}");
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ascii");
    assert!(
        disposition.starts_with("attachment; filename=\"orders-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let text = response.text().await.expect("body");
    let body = text.strip_prefix(BOM).expect("a byte-order mark first");
    let records = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect();
    (body.to_owned(), records)
}

fn column(records: &[Vec<String>], name: &str) -> Vec<String> {
    let at = records[0].iter().position(|c| c == name).expect(name);
    records[1..].iter().map(|r| r[at].clone()).collect()
}

#[sqlx::test(migrations = false)]
async fn an_export_is_the_lists_view_as_csv_with_a_bom_and_the_documented_columns(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = order_named(&app, 1, "สมชาย ใจดี").await;
    let second = order_named(&app, 2, "Jane Doe").await;
    let third = order_named(&app, 3, "Jean, \"the\" Baker").await;
    let admin = app.users.user(Role::Admin).await;
    let agent = app.users.user(Role::Agent).await;
    app.assign(&first, agent.id).await;
    let confirmed = app
        .patch(
            &format!("/v1/orders/{}", id_of(&second)),
            &admin,
            &json!({"status": "CONFIRMED", "version": 1}),
        )
        .await;
    assert_eq!(confirmed.status(), 200);

    let (text, records) = export(&app, &admin, "").await;
    assert!(text.starts_with(&format!("{HEADER}\n")), "{text}");
    assert_eq!(records.len(), 4, "a header and three orders: {text}");
    assert_eq!(
        column(&records, "number"),
        [&third, &second, &first].map(|o| o["number"].as_str().unwrap().to_owned()),
        "newest first, like the list"
    );
    assert_eq!(
        column(&records, "customer_name"),
        ["Jean, \"the\" Baker", "Jane Doe", "สมชาย ใจดี"]
    );
    let row = &records[3];
    assert_eq!(row[2], "PENDING");
    assert_eq!(row[3], "normal");
    assert_eq!(row[5], "customer1@example.com");
    assert_eq!(
        (row[6].as_str(), row[7].as_str()),
        ("2", "3"),
        "lines, units"
    );
    assert_eq!((row[8].as_str(), row[9].as_str()), ("4348", "THB"));
    assert_eq!(row[10], agent.id.to_string());
    assert!(
        !row[11].is_empty(),
        "the assignee's name from users-service"
    );
    assert!(row[1].ends_with('Z') && row[12].ends_with('Z'), "UTC times");

    let (_, oldest_first) = export(&app, &admin, "?sort=oldest").await;
    assert_eq!(
        column(&oldest_first, "number"),
        [&first, &second, &third].map(|o| o["number"].as_str().unwrap().to_owned()),
        "the list's sort"
    );
    let (_, confirmed_only) = export(&app, &admin, "?status=CONFIRMED").await;
    assert_eq!(column(&confirmed_only, "customer_name"), ["Jane Doe"]);
    let (_, searched) = export(&app, &admin, "?q=jean").await;
    assert_eq!(column(&searched, "customer_name"), ["Jean, \"the\" Baker"]);
    let (_, unassigned) = export(&app, &admin, "?assignee=unassigned").await;
    assert_eq!(column(&unassigned, "customer_name").len(), 2);
    let (_, none) = export(&app, &admin, "?status=DELIVERED").await;
    assert_eq!(
        none,
        [HEADER.split(',').map(str::to_owned).collect::<Vec<_>>()]
    );

    let bad = app.get("/v1/orders/export?status=LOST", &admin).await;
    assert_problem(bad, 400, "bad-request").await;
}

#[sqlx::test(migrations = false)]
async fn cells_that_would_start_a_formula_are_exported_as_text(pool: PgPool) {
    let app = spawn_app(pool).await;
    let names = [
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+66 81 234 5678",
        "-2+3",
        "@SUM(A1:A2)",
    ];
    for (n, name) in names.iter().enumerate() {
        order_named(&app, n, name).await;
    }
    let admin = app.users.user(Role::Admin).await;
    let (_, records) = export(&app, &admin, "").await;
    let mut exported = column(&records, "customer_name");
    exported.reverse();
    assert_eq!(exported, names.map(|name| format!("'{name}")));
}

#[sqlx::test(migrations = false)]
async fn only_holders_of_orders_export_may_export(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.create_order(1).await;
    for role in [Role::Admin, Role::Dispatcher] {
        let user = app.users.user(role).await;
        let (_, records) = export(&app, &user, "").await;
        assert_eq!(records.len(), 2, "{role:?}");
    }
    for role in [Role::Agent, Role::Viewer, Role::Storefront] {
        let user = app.users.user(role).await;
        let response = app.get("/v1/orders/export", &user).await;
        assert_problem(response, 403, "forbidden").await;
    }
    let anonymous = app
        .client
        .get(app.url("/v1/orders/export"))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), 401);
}

#[sqlx::test(migrations = false)]
async fn a_view_over_the_cap_is_refused_before_any_byte_and_a_narrower_one_exports(pool: PgPool) {
    let app = spawn_app_with(pool, |settings| {
        settings.export_max_rows = 2;
    })
    .await;
    for n in 0..3 {
        app.create_order(n).await;
    }
    let admin = app.users.user(Role::Admin).await;
    let refused = app.get("/v1/orders/export", &admin).await;
    let problem = assert_problem(refused, 422, "export-too-large").await;
    assert_eq!(problem["max_rows"], 2);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("more than 2 orders"),
        "{problem}"
    );
    assert_eq!(
        audit_rows(&app.db).await.len(),
        0,
        "a refused export is not one"
    );

    let (_, records) = export(&app, &admin, "?q=customer1").await;
    assert_eq!(records.len(), 2);
}

async fn audit_rows(db: &PgPool) -> Vec<(uuid::Uuid, String, Value, Option<String>)> {
    sqlx::query_as("SELECT actor_id, action, details, request_id FROM order_audit ORDER BY id")
        .fetch_all(db)
        .await
        .expect("audit rows")
}

#[sqlx::test(migrations = false)]
async fn every_export_is_recorded_with_who_which_view_and_how_many_rows(pool: PgPool) {
    let app = spawn_app(pool).await;
    for n in 0..3 {
        app.create_order(n).await;
    }
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let response = app
        .client
        .get(app.url("/v1/orders/export?status=PENDING&q=customer"))
        .bearer_auth(&dispatcher.token)
        .header("x-request-id", "export-audit-1")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    response.text().await.expect("body");

    let rows = audit_rows(&app.db).await;
    assert_eq!(rows.len(), 1);
    let (actor, action, details, request_id) = &rows[0];
    assert_eq!(*actor, dispatcher.id);
    assert_eq!(action, "orders.exported");
    assert_eq!(
        *details,
        json!({"query": "status=PENDING&q=customer", "rows": 3})
    );
    assert_eq!(request_id.as_deref(), Some("export-audit-1"));
}

#[sqlx::test(migrations = false)]
async fn rows_are_read_only_as_fast_as_the_client_takes_them_and_a_client_that_leaves_ends_the_query(
    pool: PgPool,
) {
    const ORDERS: i64 = 40_000;
    let app = spawn_app(pool).await;
    seed_orders(&app.db, ORDERS).await;
    let admin = app.users.user(Role::Admin).await;
    let server = app
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("addr");
    let request = RawRequest::new("GET", "/v1/orders/export").bearer(&admin.token);

    // A 24 MB file, of which the client reads 2 kB and then nothing more: PostgreSQL is still
    // sending rows, at the pace the client takes them.
    let stalled = StalledReader::open(server, &request, 2048).await;
    assert!(stalled.head.starts_with(b"HTTP/1.1 200 OK"));
    assert!(
        export_query_running(&app.db).await,
        "the query already ended"
    );
    drop(stalled);
    wait_for(
        "the export's query to end with its client",
        Duration::from_secs(10),
        || async { (!export_query_running(&app.db).await).then_some(()) },
    )
    .await;

    // A client that reads everything gets the header and every order.
    let mut response = app.get("/v1/orders/export", &admin).await;
    let mut lines = 0;
    while let Some(chunk) = response.chunk().await.expect("body") {
        lines += bytecount(&chunk);
    }
    assert_eq!(lines, ORDERS + 1, "the header and every order");
}

fn bytecount(chunk: &[u8]) -> i64 {
    let lines = chunk.iter().filter(|b| **b == b'\n').count();
    i64::try_from(lines).expect("a count")
}
