//! The queue as staff work it (issue #16): newest first, oldest first, priority then age and due first,
//! each paged by its own keyset without a duplicate or a gap while orders keep arriving; the
//! priority, created-at and overdue filters; the overdue count and its configurable thresholds.

use std::{collections::HashSet, time::Duration};

use lom_testing::assert_problem;
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{Role, TestApp, TestUser, id_of, spawn_app, spawn_app_with};

async fn page(app: &TestApp, user: &TestUser, query: &str) -> Value {
    let response = app.get(&format!("/v1/orders?{query}"), user).await;
    let status = response.status();
    let body: Value = response.json().await.expect("as the test set it up");
    assert_eq!(status, 200, "{query}: {body}");
    body
}

async fn stats(app: &TestApp, user: &TestUser, query: &str) -> Value {
    let response = app.get(&format!("/v1/orders/stats?{query}"), user).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.expect("as the test set it up")
}

/// Moves an order's creation `minutes` into the past.
async fn created_ago(app: &TestApp, order: &Value, minutes: i64) {
    sqlx::query("UPDATE orders SET created_at = now() - make_interval(mins => $2) WHERE id = $1")
        .bind(Uuid::parse_str(id_of(order)).expect("as the test set it up"))
        .bind(i32::try_from(minutes).expect("as the test set it up"))
        .execute(&app.db)
        .await
        .expect("as the test set it up");
}

async fn high(app: &TestApp, n: usize) -> Value {
    let storefront = app.users.user(Role::Storefront).await;
    let mut body = lom_testing::order_body(n);
    body["priority"] = json!("high");
    let response = app.post("/v1/orders", &storefront, &body).await;
    assert_eq!(response.status(), 201);
    response.json().await.expect("as the test set it up")
}

/// Every page of `sort`, two rows at a time, with a new order arriving after each page.
async fn walk(app: &TestApp, user: &TestUser, sort: &str, arriving: &mut usize) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut cursor = String::new();
    loop {
        let body = page(app, user, &format!("sort={sort}&limit=2&cursor={cursor}")).await;
        rows.extend(
            body["items"]
                .as_array()
                .expect("as the test set it up")
                .iter()
                .cloned(),
        );
        *arriving += 1;
        if arriving.is_multiple_of(2) {
            high(app, 1000 + *arriving).await;
        } else {
            app.create_order(1000 + *arriving).await;
        }
        match body["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => return rows,
        }
    }
}

/// The ids of a page's items, in order.
fn item_ids(body: &Value) -> Vec<&str> {
    body["items"]
        .as_array()
        .expect("as the test set it up")
        .iter()
        .map(id_of)
        .collect()
}

/// `(created_at, id)` as the server compares them (timestamps parsed: their text varies in length).
fn key(row: &Value) -> (chrono::DateTime<chrono::Utc>, Uuid) {
    (
        row["created_at"]
            .as_str()
            .expect("as the test set it up")
            .parse()
            .expect("as the test set it up"),
        Uuid::parse_str(id_of(row)).expect("as the test set it up"),
    )
}

fn rank(row: &Value) -> u8 {
    u8::from(row["priority"] != "high")
}

/// Where the due sort puts a row under the default thresholds (high 15 min, normal 60): open
/// (PENDING, CONFIRMED) first by `created_at` plus the threshold, then the rest by `created_at`.
fn due_key(row: &Value) -> (bool, chrono::DateTime<chrono::Utc>, Uuid) {
    let (created_at, id) = key(row);
    let open = row["status"] == "PENDING" || row["status"] == "CONFIRMED";
    let threshold = if rank(row) == 0 { 15 } else { 60 };
    let due = if open {
        created_at + chrono::Duration::minutes(threshold)
    } else {
        created_at
    };
    (!open, due, id)
}

#[sqlx::test(migrations = false)]
async fn every_sort_pages_in_its_order_without_duplicates_or_gaps_while_orders_arrive(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let mut before = Vec::new();
    for n in 0..7 {
        let order = if n % 3 == 0 {
            high(&app, n).await
        } else {
            app.create_order(n).await
        };
        created_ago(
            &app,
            &order,
            100 - i64::try_from(n).expect("as the test set it up") * 10,
        )
        .await;
        before.push(order);
    }
    // Two orders created at the same instant: the id breaks the tie.
    sqlx::query("UPDATE orders SET created_at = (SELECT created_at FROM orders WHERE id = $1) WHERE id = $2")
        .bind(Uuid::parse_str(id_of(&before[1])).expect("as the test set it up"))
        .bind(Uuid::parse_str(id_of(&before[2])).expect("as the test set it up"))
        .execute(&app.db)
        .await
        .expect("as the test set it up");
    let mut arriving = 0;

    for sort in ["newest", "oldest", "priority", "due"] {
        let rows = walk(&app, &dispatcher, sort, &mut arriving).await;
        let ids: Vec<&str> = rows.iter().map(id_of).collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{sort}: a row twice: {ids:?}");
        for order in &before {
            assert!(
                unique.contains(id_of(order)),
                "{sort}: {} missing",
                id_of(order)
            );
        }
        let in_order = rows.windows(2).all(|pair| match sort {
            "newest" => key(&pair[0]) > key(&pair[1]),
            "oldest" => key(&pair[0]) < key(&pair[1]),
            "due" => due_key(&pair[0]) < due_key(&pair[1]),
            _ => (rank(&pair[0]), key(&pair[0])) < (rank(&pair[1]), key(&pair[1])),
        });
        assert!(in_order, "{sort}: {rows:#?}");
        if sort != "newest" {
            // Orders that arrived during the walk sort after the cursor, so the walk reaches them.
            assert!(
                rows.len() > before.len(),
                "{sort}: the new orders are listed too"
            );
        }
    }
    // The default is newest first.
    let first = page(&app, &dispatcher, "limit=1").await;
    let newest = page(&app, &dispatcher, "limit=1&sort=newest").await;
    assert_eq!(first["items"], newest["items"]);
}

#[sqlx::test(migrations = false)]
async fn priority_created_range_and_overdue_filters_and_the_overdue_count(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    let late_high = high(&app, 1).await; // 20 min, high: overdue after 15
    let fresh_high = high(&app, 2).await; // 5 min: not yet
    let waiting_normal = app.create_order(3).await; // 20 min, normal: not yet (60)
    let late_normal = app.create_order(4).await; // 2 h, normal, CONFIRMED: overdue
    let shipped = app.create_order(5).await; // 2 h but shipped: never overdue
    created_ago(&app, &late_high, 20).await;
    created_ago(&app, &fresh_high, 5).await;
    created_ago(&app, &waiting_normal, 20).await;
    for (order, statuses) in [
        (&late_normal, &["CONFIRMED"][..]),
        (&shipped, &["CONFIRMED", "PROCESSING", "SHIPPED"][..]),
    ] {
        for (version, status) in statuses.iter().enumerate() {
            let path = format!("/v1/orders/{}", id_of(order));
            let body = json!({"status": status, "version": version + 1});
            assert_eq!(app.patch(&path, &admin, &body).await.status(), 200);
        }
        created_ago(&app, order, 120).await;
    }
    let ids = |body: &Value| -> HashSet<String> {
        body["items"]
            .as_array()
            .expect("as the test set it up")
            .iter()
            .map(|o| id_of(o).to_owned())
            .collect()
    };
    let set = |orders: &[&Value]| -> HashSet<String> {
        orders.iter().map(|o| id_of(o).to_owned()).collect()
    };

    let overdue = page(&app, &admin, "overdue=true&sort=oldest").await;
    assert_eq!(ids(&overdue), set(&[&late_normal, &late_high]));
    assert_eq!(overdue["items"][0]["id"], late_normal["id"], "oldest first");
    assert_eq!(ids(&page(&app, &admin, "overdue=false").await).len(), 5);
    assert_eq!(
        ids(&page(&app, &admin, "priority=high").await),
        set(&[&late_high, &fresh_high])
    );
    assert_eq!(
        ids(&page(&app, &admin, "priority=high,normal").await).len(),
        5
    );
    let an_hour_ago = (chrono::Utc::now() - chrono::Duration::minutes(60)).to_rfc3339();
    let ten_minutes_ago = (chrono::Utc::now() - chrono::Duration::minutes(10)).to_rfc3339();
    let range = format!(
        "created_from={}&created_to={}",
        urlencoding(&an_hour_ago),
        urlencoding(&ten_minutes_ago)
    );
    assert_eq!(
        ids(&page(&app, &admin, &range).await),
        set(&[&late_high, &waiting_normal])
    );
    let backwards = format!(
        "created_from={}&created_to={}",
        urlencoding(&ten_minutes_ago),
        urlencoding(&an_hour_ago)
    );
    assert!(
        ids(&page(&app, &admin, &backwards).await).is_empty(),
        "an empty range"
    );

    let counts = stats(&app, &admin, "").await;
    assert_eq!(counts["overdue"], 2);
    assert_eq!(
        counts["overdue_after_minutes"],
        json!({"high": 15, "normal": 60})
    );
    assert_eq!(stats(&app, &admin, "priority=high").await["overdue"], 1);
    let only = stats(&app, &admin, "overdue=true").await;
    assert_eq!(
        (only["total"].clone(), only["overdue"].clone()),
        (json!(2), json!(2))
    );
}

/// Moves `order` through `statuses` (from version 1).
async fn advance(app: &TestApp, user: &TestUser, order: &Value, statuses: &[&str]) {
    for (version, status) in statuses.iter().enumerate() {
        let path = format!("/v1/orders/{}", id_of(order));
        let body = json!({"status": status, "version": version + 1});
        assert_eq!(app.patch(&path, user, &body).await.status(), 200);
    }
}

#[sqlx::test(migrations = false)]
async fn due_first_lists_the_most_overdue_open_orders_first_then_the_rest_and_pages_through_them(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    // (priority high?, minutes ago, statuses): due at minutes ago minus 15 (high) or 60 (normal).
    let plan: [(bool, i64, &[&str]); 9] = [
        (false, 120, &[]),                                     // 0: due 60 min ago
        (true, 50, &["CONFIRMED"]),                            // 1: due 35 min ago
        (false, 90, &[]),                                      // 2: due 30 min ago
        (true, 45, &[]),                                       // 3: due 30 min ago too (tie)
        (true, 20, &[]),                                       // 4: due 5 min ago
        (true, 1, &[]),                                        // 5: due in 14 min
        (false, 40, &[]),                                      // 6: due in 20 min
        (false, 300, &["CONFIRMED", "PROCESSING", "SHIPPED"]), // 7: past CONFIRMED, oldest
        (true, 10, &["CONFIRMED", "PROCESSING"]),              // 8: past CONFIRMED
    ];
    let mut orders = Vec::new();
    for (n, (is_high, minutes, statuses)) in plan.iter().enumerate() {
        let order = if *is_high {
            high(&app, n).await
        } else {
            app.create_order(n).await
        };
        advance(&app, &admin, &order, statuses).await;
        created_ago(&app, &order, *minutes).await;
        orders.push(order);
    }
    // 3 is due the very microsecond 2 is: the id breaks the tie.
    sqlx::query(
        "UPDATE orders SET created_at = (SELECT created_at FROM orders WHERE id = $1) + interval '45 minutes' WHERE id = $2",
    )
    .bind(Uuid::parse_str(id_of(&orders[2])).expect("as the test set it up"))
    .bind(Uuid::parse_str(id_of(&orders[3])).expect("as the test set it up"))
    .execute(&app.db)
    .await
    .expect("as the test set it up");
    let (first_tied, second_tied) = if id_of(&orders[2]) < id_of(&orders[3]) {
        (2, 3)
    } else {
        (3, 2)
    };
    let expected: Vec<&str> = [0, 1, first_tied, second_tied, 4, 5, 6, 7, 8]
        .iter()
        .map(|&n| id_of(&orders[n]))
        .collect();

    for limit in [1, 2, 4, 9, 50] {
        let mut listed = Vec::new();
        let mut cursor = String::new();
        loop {
            let body = page(
                &app,
                &admin,
                &format!("sort=due&limit={limit}&cursor={cursor}"),
            )
            .await;
            for row in body["items"].as_array().expect("as the test set it up") {
                listed.push(id_of(row).to_owned());
            }
            match body["next_cursor"].as_str() {
                Some(next) => cursor = next.to_owned(),
                None => break,
            }
        }
        assert_eq!(listed, expected, "limit {limit}");
    }
    // With the overdue filter, the overdue ones in the same order.
    let overdue = page(&app, &admin, "sort=due&overdue=true").await;
    let ids = item_ids(&overdue);
    assert_eq!(ids, expected[..5]);
    // The export of the same view streams it in the same order.
    let response = app.get("/v1/orders/export?sort=due", &admin).await;
    assert_eq!(response.status(), 200);
    let csv = response.text().await.expect("as the test set it up");
    let at = |n: usize| {
        let number = orders[n]["number"].as_str().expect("as the test set it up");
        csv.find(number).expect("every order exported")
    };
    let positions: Vec<usize> = [0, 1, first_tied, second_tied, 4, 5, 6, 7, 8]
        .iter()
        .map(|&n| at(n))
        .collect();
    assert!(positions.is_sorted(), "{csv}");
}

fn urlencoding(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}

#[sqlx::test(migrations = false)]
async fn malformed_sorts_and_filters_are_400s_naming_the_parameter(pool: PgPool) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    app.create_order(1).await;
    for (query, name) in [
        ("sort=sideways", "sort"),
        ("priority=urgent", "priority"),
        ("created_from=yesterday", "created_from"),
        ("created_to=2026-12-01", "created_to"),
        ("created_to=", "created_to"),
        ("overdue=maybe", "overdue"),
        (
            "sort=priority&cursor=12_0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b_7",
            "cursor",
        ),
        (
            "sort=due&cursor=12_0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b_0_x",
            "cursor",
        ),
    ] {
        let problem = assert_problem(
            app.get(&format!("/v1/orders?{query}"), &admin).await,
            400,
            "bad-request",
        )
        .await;
        assert!(
            problem["detail"]
                .as_str()
                .expect("as the test set it up")
                .contains(name),
            "{query}: {problem}"
        );
    }
    let problem = assert_problem(
        app.get("/v1/orders/stats?priority=urgent", &admin).await,
        400,
        "bad-request",
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("as the test set it up")
            .contains("priority")
    );
}

#[sqlx::test(migrations = false)]
async fn the_overdue_thresholds_come_from_the_settings(pool: PgPool) {
    let app = spawn_app_with(pool, |settings| {
        settings.overdue_after.high = Duration::from_secs(30 * 60);
        settings.overdue_after.normal = Duration::from_secs(10 * 60);
    })
    .await;
    let admin = app.users.user(Role::Admin).await;
    let high_order = high(&app, 1).await;
    let normal_order = app.create_order(2).await;
    created_ago(&app, &high_order, 20).await;
    created_ago(&app, &normal_order, 20).await;

    let overdue = page(&app, &admin, "overdue=true").await;
    let ids = item_ids(&overdue);
    assert_eq!(ids, [id_of(&normal_order)]);
    assert_eq!(
        stats(&app, &admin, "").await["overdue_after_minutes"],
        json!({"high": 30, "normal": 10})
    );
}
