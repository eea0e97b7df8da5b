//! `GET /v1/orders/metrics` (issue #17, the KPI page): every figure against a floor whose times
//! are set in the database, so the answers are known; the agent's scope; who is refused; bad
//! `utc_offset`; one snapshot under concurrent writes. The `#[ignore]`d program at the end seeds a
//! million orders and prints each statement's plan and timings (docs/benchmarks.md).

use chrono::{DateTime, Duration, FixedOffset, Timelike, Utc};
use futures_util::future::join_all;
use lom_testing::assert_problem;
use orders_service::{
    domain::OverdueAfter,
    repository::metrics::{self, MetricsScope, Statement},
};
use serde_json::{Value, json};
use sqlx::{PgPool, QueryBuilder};
use uuid::Uuid;

use crate::helpers::{Role, TestApp, TestUser, id_of, spawn_app};

/// Moves `order` through `statuses` as `admin`; returns the order as it ends.
async fn advance(app: &TestApp, admin: &TestUser, order: &Value, statuses: &[&str]) -> Value {
    let mut order = order.clone();
    for status in statuses {
        let path = format!("/v1/orders/{}", id_of(&order));
        let body = json!({"status": status, "version": order["version"]});
        let response = app.patch(&path, admin, &body).await;
        assert_eq!(response.status(), 200, "{status}");
        order = response.json().await.expect("order json");
    }
    order
}

/// Sets when `order` was created and when it reached each of `reached` (status, instant).
async fn set_times(
    db: &PgPool,
    order: &Value,
    created: DateTime<Utc>,
    reached: &[(&str, DateTime<Utc>)],
) {
    let id: Uuid = id_of(order).parse().expect("an order id");
    sqlx::query("UPDATE orders SET created_at = $2 WHERE id = $1")
        .bind(id)
        .bind(created)
        .execute(db)
        .await
        .expect("set created_at");
    sqlx::query(
        "UPDATE order_status_history SET changed_at = $2 WHERE order_id = $1 AND from_status IS NULL",
    )
    .bind(id)
    .bind(created)
    .execute(db)
    .await
    .expect("set the creation's time");
    for (status, at) in reached {
        let updated = sqlx::query(
            "UPDATE order_status_history SET changed_at = $3 WHERE order_id = $1 AND to_status = $2",
        )
        .bind(id)
        .bind(status)
        .bind(at)
        .execute(db)
        .await
        .expect("set created_at");
        assert_eq!(updated.rows_affected(), 1, "{status}");
    }
}

/// An offset from UTC (minutes east) at which it is now between 12:00 and 13:00, so "today"
/// began about twelve hours ago whenever the test runs.
fn offset_at_noon(now: DateTime<Utc>) -> i32 {
    (12 - i32::try_from(now.hour()).expect("an hour")) * 60
}

async fn metrics_of(app: &TestApp, user: &TestUser, utc_offset: i32) -> Value {
    let response = app
        .get(&format!("/v1/orders/metrics?utc_offset={utc_offset}"), user)
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("metrics json")
}

fn assert_lead(lead: &Value, orders: i64, median: f64, p90: f64) {
    assert_eq!(lead["orders"], orders, "{lead}");
    let close =
        |key: &str, expected: f64| (lead[key].as_f64().expect("a number") - expected).abs() < 1e-6;
    assert!(
        close("median_seconds", median) && close("p90_seconds", p90),
        "{lead}"
    );
}

fn statuses(counts: [i64; 6]) -> Value {
    json!({
        "PENDING": counts[0], "CONFIRMED": counts[1], "PROCESSING": counts[2],
        "SHIPPED": counts[3], "DELIVERED": counts[4], "CANCELLED": counts[5],
    })
}

fn bands(orders: [i64; 6], overdue: [i64; 6]) -> Value {
    let bounds = [0, 15, 60, 240, 1440, 4320];
    Value::Array(
        (0..6)
            .map(|i| json!({"from_minutes": bounds[i], "to_minutes": bounds.get(i + 1), "orders": orders[i], "overdue": overdue[i]}))
            .collect(),
    )
}

#[sqlx::test(migrations = false)]
async fn every_figure_matches_a_floor_with_known_times_and_an_agent_counts_only_its_own(
    pool: PgPool,
) {
    let app = spawn_app(pool).await;
    let admin = app.users.user(Role::Admin).await;
    let viewer = app.users.user(Role::Viewer).await;
    let ann = app.users.user(Role::Agent).await;
    let bob = app.users.user(Role::Agent).await;
    let now: DateTime<Utc> = sqlx::query_scalar("SELECT now()")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (h, m) = (Duration::hours, Duration::minutes);
    let offset = offset_at_noon(now);

    // Confirmed today after 10 min; Ann's.
    let o1 = app.create_order(1).await;
    let o1 = advance(&app, &admin, &app.assign(&o1, ann.id).await, &["CONFIRMED"]).await;
    set_times(
        &app.db,
        &o1,
        now - h(3),
        &[("CONFIRMED", now - h(3) + m(10))],
    )
    .await;
    // Confirmed today after 20 min and shipped today after 2 h; Bob's.
    let o2 = app.create_order(2).await;
    let o2 = app.assign(&o2, bob.id).await;
    let o2 = advance(&app, &admin, &o2, &["CONFIRMED", "PROCESSING", "SHIPPED"]).await;
    let confirmed = now - h(3) + m(20);
    set_times(
        &app.db,
        &o2,
        now - h(3),
        &[
            ("CONFIRMED", confirmed),
            ("PROCESSING", confirmed),
            ("SHIPPED", now - h(1)),
        ],
    )
    .await;
    // Confirmed today after an hour; nobody's.
    let o3 = advance(&app, &admin, &app.create_order(3).await, &["CONFIRMED"]).await;
    set_times(&app.db, &o3, now - h(2), &[("CONFIRMED", now - h(1))]).await;
    // Confirmed yesterday (not today's), shipped today 29.5 h after creation; Ann's.
    let o4 = app.assign(&app.create_order(4).await, ann.id).await;
    let o4 = advance(&app, &admin, &o4, &["CONFIRMED", "PROCESSING", "SHIPPED"]).await;
    let yesterday = now - h(14);
    set_times(
        &app.db,
        &o4,
        now - h(30),
        &[
            ("CONFIRMED", yesterday),
            ("PROCESSING", yesterday),
            ("SHIPPED", now - m(30)),
        ],
    )
    .await;
    // …and confirmed once more today (as after an undo across midnight): still not today's.
    sqlx::query(
        "INSERT INTO order_status_history (order_id, from_status, to_status, actor_id, changed_at) \
         VALUES ($1, 'PENDING', 'CONFIRMED', $2, $3)",
    )
    .bind(id_of(&o4).parse::<Uuid>().unwrap())
    .bind(admin.id)
    .bind(now - h(2))
    .execute(&app.db)
    .await
    .unwrap();
    // Waiting five minutes; nobody's.
    let o5 = app.create_order(5).await;
    set_times(&app.db, &o5, now - m(5), &[]).await;
    // Cancelled today (finished today), five days old.
    let o6 = app.create_order(6).await;
    let cancel = json!({"reason": {"code": "duplicate"}, "version": o6["version"]});
    let cancelled = app
        .post(
            &format!("/v1/orders/{}/cancel", id_of(&o6)),
            &admin,
            &cancel,
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    set_times(&app.db, &o6, now - h(120), &[("CANCELLED", now - h(1))]).await;
    // Delivered yesterday: in no figure.
    let o7 = app.create_order(7).await;
    let o7 = advance(
        &app,
        &admin,
        &o7,
        &["CONFIRMED", "PROCESSING", "SHIPPED", "DELIVERED"],
    )
    .await;
    let day_before = now - h(40);
    set_times(
        &app.db,
        &o7,
        now - h(48),
        &[
            ("CONFIRMED", day_before),
            ("PROCESSING", day_before),
            ("SHIPPED", day_before),
            ("DELIVERED", yesterday),
        ],
    )
    .await;
    // Deleted: in no figure.
    let o8 = app.create_order(8).await;
    set_times(&app.db, &o8, now - m(2), &[]).await;
    let deleted = app
        .delete(&format!("/v1/orders/{}", id_of(&o8)), &admin)
        .await;
    assert_eq!(deleted.status(), 204);

    let all = metrics_of(&app, &viewer, offset).await;
    assert_eq!(all["utc_offset"], offset);
    let midnight: DateTime<Utc> = sqlx::query_scalar(
        "SELECT (date_trunc('day', ($1 AT TIME ZONE 'UTC') + make_interval(mins => $2)) \
                - make_interval(mins => $2)) AT TIME ZONE 'UTC'",
    )
    .bind(now)
    .bind(offset)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(all["today_start"], json!(midnight));
    assert_eq!(all["by_status"], statuses([1, 2, 0, 2, 0, 1]));
    // 600, 1200 and 3600 s; 7200 and 106 200 s (percentile_cont interpolates).
    assert_lead(&all["lead_times"]["to_confirmed"], 3, 1200.0, 3120.0);
    assert_lead(&all["lead_times"]["to_shipped"], 2, 56_700.0, 96_300.0);
    // Waiting longer than the thresholds (high 15 min, normal 60 min): o1 and o3, CONFIRMED for
    // hours; o5 is five minutes old; shipped orders wait for nobody.
    assert_eq!(all["ageing"], bands([1, 0, 3, 0, 1, 0], [0, 0, 2, 0, 0, 0]));
    assert_eq!(
        all["overdue_after_minutes"],
        json!({"high": 15, "normal": 60})
    );
    assert_eq!(
        all["by_assignee"],
        json!([
            {"assignee_id": null, "open_orders": 2},
            {"assignee_id": ann.id, "open_orders": 2},
            {"assignee_id": bob.id, "open_orders": 1},
        ])
    );
    // One order in the window (o5, five minutes ago; the deleted one is not counted), in the
    // bucket of its minute.
    let from: DateTime<Utc> =
        serde_json::from_value(all["orders_per_minute"]["from"].clone()).unwrap();
    let counts: Vec<i64> =
        serde_json::from_value(all["orders_per_minute"]["counts"].clone()).unwrap();
    assert_eq!(counts.len(), 60);
    let minute_of_o5 = (now - m(5))
        .with_second(0)
        .unwrap()
        .with_nanosecond(0)
        .unwrap();
    let mut expected = vec![0; 60];
    expected[usize::try_from((minute_of_o5 - from).num_minutes()).unwrap()] = 1;
    assert_eq!(counts, expected);

    // Ann sees her two orders only: no unassigned, no colleague.
    let mine = metrics_of(&app, &ann, offset).await;
    assert_eq!(mine["by_status"], statuses([0, 1, 0, 1, 0, 0]));
    assert_lead(&mine["lead_times"]["to_confirmed"], 1, 600.0, 600.0);
    assert_lead(&mine["lead_times"]["to_shipped"], 1, 106_200.0, 106_200.0);
    assert_eq!(
        mine["ageing"],
        bands([0, 0, 1, 0, 1, 0], [0, 0, 1, 0, 0, 0])
    );
    assert_eq!(
        mine["by_assignee"],
        json!([{"assignee_id": ann.id, "open_orders": 2}])
    );
    assert_eq!(mine["orders_per_minute"]["counts"], json!(vec![0; 60]));
}

#[sqlx::test(migrations = false)]
async fn an_empty_floor_has_zeros_and_nulls_and_the_unassigned_first(pool: PgPool) {
    let app = spawn_app(pool).await;
    let dispatcher = app.users.user(Role::Dispatcher).await;
    let body = metrics_of(&app, &dispatcher, 0).await;
    assert_eq!(body["by_status"], statuses([0; 6]));
    assert_eq!(body["ageing"], bands([0; 6], [0; 6]));
    assert_eq!(
        body["by_assignee"],
        json!([{"assignee_id": null, "open_orders": 0}])
    );
    let none = json!({"orders": 0, "median_seconds": null, "p90_seconds": null});
    assert_eq!(
        body["lead_times"],
        json!({"to_confirmed": none, "to_shipped": none})
    );
    assert_eq!(body["orders_per_minute"]["counts"], json!(vec![0; 60]));
}

#[sqlx::test(migrations = false)]
async fn only_those_who_read_orders_get_metrics(pool: PgPool) {
    let app = spawn_app(pool).await;
    let storefront = app.users.user(Role::Storefront).await;
    let refused = app.get("/v1/orders/metrics", &storefront).await;
    assert_problem(refused, 403, "forbidden").await;
    let anonymous = app
        .client
        .get(app.url("/v1/orders/metrics"))
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "unauthorized").await;
    for role in [Role::Admin, Role::Dispatcher, Role::Viewer, Role::Agent] {
        let reader = app.users.user(role).await;
        let response = app.get("/v1/orders/metrics", &reader).await;
        assert_eq!(response.status(), 200, "{role:?}");
    }
}

#[sqlx::test(migrations = false)]
async fn an_offset_sets_midnight_and_anything_else_is_a_precise_400(pool: PgPool) {
    let app = spawn_app(pool).await;
    let viewer = app.users.user(Role::Viewer).await;
    let bangkok = metrics_of(&app, &viewer, 420).await;
    let start: DateTime<Utc> = serde_json::from_value(bangkok["today_start"].clone()).unwrap();
    let local = start + Duration::minutes(420);
    assert_eq!(
        (local.hour(), local.minute(), local.second()),
        (0, 0, 0),
        "{start}"
    );
    let kiritimati = metrics_of(&app, &viewer, 840).await;
    assert_eq!(kiritimati["utc_offset"], 840);
    let utc = app.get("/v1/orders/metrics", &viewer).await;
    let utc: Value = utc.json().await.unwrap();
    assert_eq!(utc["utc_offset"], 0);
    let start: DateTime<Utc> = serde_json::from_value(utc["today_start"].clone()).unwrap();
    assert_eq!((start.hour(), start.minute()), (0, 0));

    for bad in [
        "841",
        "-721",
        "99999999999",
        "7h",
        "420.5",
        "%27%3B%20DROP%20TABLE%20orders%3B--",
        "%00",
        "420&utc_offset=0",
    ] {
        let response = app
            .get(&format!("/v1/orders/metrics?utc_offset={bad}"), &viewer)
            .await;
        let body = assert_problem(response, 400, "bad-request").await;
        assert!(
            body["detail"].as_str().unwrap().contains("utc_offset"),
            "{bad}: {body}"
        );
    }
}

#[sqlx::test(migrations = false)]
async fn each_answer_is_one_snapshot_while_orders_arrive_at_the_same_instant(pool: PgPool) {
    let app = spawn_app(pool).await;
    let viewer = app.users.user(Role::Viewer).await;
    let storefront = app.users.user(Role::Storefront).await;
    let bodies: Vec<Value> = (0..12).map(lom_testing::order_body).collect();
    let creates = bodies
        .iter()
        .map(|body| app.post("/v1/orders", &storefront, body));
    let reads = (0..12).map(|_| app.get("/v1/orders/metrics", &viewer));
    let (created, read) = tokio::join!(join_all(creates), join_all(reads));
    assert!(created.iter().all(|r| r.status() == 201));
    for response in read {
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        // Every order is new and PENDING, so each figure counts the same orders, whichever
        // had committed when this answer's snapshot was taken.
        let arrived: i64 =
            serde_json::from_value::<Vec<i64>>(body["orders_per_minute"]["counts"].clone())
                .unwrap()
                .iter()
                .sum();
        assert_eq!(body["by_status"]["PENDING"], arrived, "{body}");
        assert_eq!(body["ageing"][0]["orders"], arrived, "{body}");
        assert_eq!(body["by_assignee"][0]["open_orders"], arrived, "{body}");
    }
    let last = metrics_of(&app, &viewer, 0).await;
    assert_eq!(last["by_status"]["PENDING"], 12);
}

/// Seeds a million orders (about 200 days at one every 17 s: the last two days open, the rest
/// delivered or, one in ten, cancelled; four history rows each on average; 50 agents) with
/// `generate_series`, then prints each metrics statement's `EXPLAIN (ANALYZE, BUFFERS)` for
/// everyone and for one agent, with and without the KPI indexes, and the whole read's time.
/// `cargo test -p orders-service --test api metrics::a_million_orders -- --ignored --nocapture`
#[sqlx::test(migrations = false)]
#[ignore = "seeds a million orders (minutes); run by hand for docs/benchmarks.md"]
async fn a_million_orders_explained(pool: PgPool) {
    let app = spawn_app(pool).await;
    let seeded = std::time::Instant::now();
    for statement in SEED {
        sqlx::raw_sql(statement).execute(&app.db).await.unwrap();
    }
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM order_status_history)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    println!(
        "seeded {} orders, {} history rows in {:.0?}",
        counts.0,
        counts.1,
        seeded.elapsed()
    );
    let agent: Uuid = sqlx::query_scalar(
        "SELECT assignee_id FROM orders WHERE assignee_id IS NOT NULL AND status = 'PENDING' LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();

    // The offset at which it is now 23:xx: "today" is nearly a whole day of changes (the most
    // the lead-time and finished-today statements ever read).
    let now: DateTime<Utc> = sqlx::query_scalar("SELECT now()")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let east = match 23 - i32::try_from(now.hour()).unwrap() {
        e if e > 14 => e - 24,
        e => e,
    };
    let late = FixedOffset::east_opt(east * 3600).unwrap();
    let overdue = OverdueAfter {
        high: std::time::Duration::from_secs(15 * 60),
        normal: std::time::Duration::from_secs(60 * 60),
    };
    println!(
        "\"today\" at UTC{east:+}: from {}",
        metrics::Clock::at(now, late).day_start
    );
    for indexes in ["with the KPI indexes", "without them (dropped)"] {
        if indexes.starts_with("without") {
            sqlx::raw_sql(
                "DROP INDEX orders_open_created_idx; DROP INDEX order_status_history_reached_idx; ANALYZE",
            )
            .execute(&app.db)
            .await
            .unwrap();
        }
        println!("\n==== {indexes}");
        for (who, scope) in [
            ("everyone", MetricsScope::Everyone),
            ("one agent", MetricsScope::AssignedTo(agent)),
        ] {
            let mut conn = app.db.acquire().await.unwrap();
            let now = sqlx::query_scalar("SELECT now()")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            let clock = metrics::Clock::at(now, late);
            for statement in Statement::ALL {
                let mut query = QueryBuilder::new("EXPLAIN (ANALYZE, BUFFERS) ");
                statement.push(&mut query, &clock, scope, overdue);
                let plan: Vec<String> = query
                    .build_query_scalar()
                    .fetch_all(&mut *conn)
                    .await
                    .unwrap();
                println!("\n-- {who}: {}\n{}", statement.name(), plan.join("\n"));
            }
            let mut runs = Vec::new();
            for _ in 0..5 {
                let started = std::time::Instant::now();
                let mut tx = app.db.begin().await.unwrap();
                let clock = metrics::snapshot(&mut tx, late).await.unwrap();
                metrics::read(&mut tx, clock, scope, overdue).await.unwrap();
                tx.rollback().await.unwrap();
                runs.push(started.elapsed());
            }
            runs.sort();
            println!(
                "\n-- {who}: the whole read, 5 runs: min {:.1?}, median {:.1?}",
                runs[0], runs[2]
            );
        }
    }
}

/// The million: one customer and address per thousand orders, no items (no figure reads them).
const SEED: [&str; 9] = [
    "INSERT INTO customers (id, name, email) \
     SELECT gen_random_uuid(), 'Customer ' || n, 'customer' || n || '@example.com' \
     FROM generate_series(1, 1000) n",
    "INSERT INTO addresses (id, customer_id, line1, city, postal_code, country) \
     SELECT gen_random_uuid(), id, '1 Sukhumvit Road', 'Bangkok', '10110', 'TH' FROM customers",
    "CREATE TABLE seed_people AS SELECT gen_random_uuid() AS id, slot FROM generate_series(0, 49) slot",
    // Order n was created n × 17 s ago; its status follows from its age.
    "INSERT INTO orders (id, customer_id, shipping_address_id, status, priority, assignee_id, \
       currency, total_minor, item_count, unit_count, created_at, updated_at) \
     SELECT gen_random_uuid(), a.customer_id, a.id, \
       CASE WHEN age < interval '30 minutes' THEN 'PENDING' \
            WHEN age < interval '2 hours' THEN 'CONFIRMED' \
            WHEN age < interval '8 hours' THEN 'PROCESSING' \
            WHEN age < interval '2 days' THEN 'SHIPPED' \
            WHEN n % 10 = 0 THEN 'CANCELLED' ELSE 'DELIVERED' END, \
       CASE WHEN n % 7 = 0 THEN 'high' ELSE 'normal' END, \
       CASE WHEN n % 10 = 3 THEN NULL ELSE p.id END, \
       'THB', 10000 + n % 5000, 1, 1, now() - age, now() - age \
     FROM generate_series(1, 1000000) n \
     CROSS JOIN LATERAL (SELECT n * interval '17 seconds' AS age) t \
     JOIN (SELECT id, customer_id, row_number() OVER () - 1 AS k FROM addresses) a ON a.k = n % 1000 \
     JOIN seed_people p ON p.slot = n % 50",
    "INSERT INTO order_status_history (order_id, from_status, to_status, actor_id, changed_at) \
     SELECT id, NULL, 'PENDING', gen_random_uuid(), created_at FROM orders",
    "INSERT INTO order_status_history (order_id, from_status, to_status, actor_id, changed_at) \
     SELECT id, 'PENDING', 'CONFIRMED', gen_random_uuid(), created_at + (5 + serial % 25) * interval '1 minute' \
     FROM orders WHERE status NOT IN ('PENDING', 'CANCELLED') \
     UNION ALL \
     SELECT id, 'PENDING', 'CANCELLED', gen_random_uuid(), created_at + interval '20 minutes' \
     FROM orders WHERE status = 'CANCELLED'",
    "INSERT INTO order_status_history (order_id, from_status, to_status, actor_id, changed_at) \
     SELECT id, 'CONFIRMED', 'PROCESSING', gen_random_uuid(), created_at + interval '1 hour' \
     FROM orders WHERE status IN ('PROCESSING', 'SHIPPED', 'DELIVERED') \
     UNION ALL \
     SELECT id, 'PROCESSING', 'SHIPPED', gen_random_uuid(), created_at + (3 + serial % 5) * interval '1 hour' \
     FROM orders WHERE status IN ('SHIPPED', 'DELIVERED') \
     UNION ALL \
     SELECT id, 'SHIPPED', 'DELIVERED', gen_random_uuid(), created_at + (24 + serial % 24) * interval '1 hour' \
     FROM orders WHERE status = 'DELIVERED'",
    "DROP TABLE seed_people",
    "VACUUM ANALYZE",
];
