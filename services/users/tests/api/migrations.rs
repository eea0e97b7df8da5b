//! Migrations apply to an empty database, are idempotent on restart, and seed the role and
//! permission catalogue of SPEC §5 in names the token verifiers understand.

use std::collections::BTreeMap;

use lom_auth::permission::parse_grant;
use sqlx::PgPool;

use crate::helpers::{spawn_app, test_settings};

#[sqlx::test(migrations = false)]
async fn a_second_start_on_the_same_database_changes_nothing(pool: PgPool) {
    let first = spawn_app(pool.clone()).await;
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&first.db)
        .await
        .unwrap();
    assert!(applied >= 2);

    let (settings, _) = test_settings(&pool);
    users_service::startup::Application::build_with_pool(settings, pool.clone())
        .await
        .expect("restart");
    let again: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(applied, again);
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(admins, 1, "the admin is seeded once");
}

#[sqlx::test(migrations = false)]
async fn the_seeded_roles_grant_what_the_spec_says(pool: PgPool) {
    let app = spawn_app(pool).await;
    let rows: Vec<(String, Vec<String>)> = sqlx::query_as(
        "SELECT r.name, array_agg(p.name ORDER BY p.name)
         FROM roles r JOIN role_permissions rp ON rp.role_id = r.id
         JOIN permissions p ON p.id = rp.permission_id GROUP BY r.name",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let roles: BTreeMap<_, _> = rows.into_iter().collect();
    let expect = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        roles["admin"],
        expect(&[
            "audit:read",
            "orders:assign",
            "orders:create",
            "orders:delete",
            "orders:export",
            "orders:read",
            "orders:update",
            "users:manage",
            "users:read"
        ])
    );
    assert_eq!(
        roles["dispatcher"],
        expect(&[
            "orders:assign",
            "orders:delete",
            "orders:export",
            "orders:read",
            "orders:update",
            "users:read"
        ])
    );
    assert_eq!(
        roles["agent"],
        expect(&["orders:read:assigned", "orders:update:assigned"])
    );
    assert_eq!(roles["viewer"], expect(&["orders:read"]));
    assert_eq!(roles["storefront"], expect(&["orders:create"]));
}

#[sqlx::test(migrations = false)]
async fn every_permission_in_the_database_is_one_verifiers_understand(pool: PgPool) {
    let app = spawn_app(pool).await;
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM permissions")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(names.len(), 11);
    for name in names {
        assert!(
            parse_grant(&name).is_some(),
            "{name} is unknown to lom-auth"
        );
    }
}

#[sqlx::test(migrations = false)]
async fn the_test_support_instance_lives_in_its_own_schema(pool: PgPool) {
    let users = users_service::test_support::spawn(&pool).await;
    let id = users.create_user("agent@example.com", &["agent"]).await;
    let token = users.token("agent@example.com").await;
    assert_eq!(token.split('.').count(), 3);
    let in_schema: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users_service.users WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(in_schema, 1);
    let public: Option<String> = sqlx::query_scalar("SELECT to_regclass('public.users')::text")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(public, None, "nothing lands in the public schema");
}

/// Compose, a fast PostgreSQL restart or a busy machine can start the service before its
/// database answers: the start waits for it instead of exiting with "pool timed out".
#[sqlx::test(migrations = false)]
async fn a_start_before_the_database_answers_waits_for_it(pool: PgPool) {
    let (settings, _) = test_settings(&pool);
    let real = pool.connect_options();
    let gate = std::net::SocketAddr::from(([127, 0, 0, 1], lom_testing::free_port()));
    let through_gate = (*real).clone().host("127.0.0.1").port(gate.port());
    let gated_pool = lom_platform::db::lazy_pool(through_gate, settings.pool);

    let start = tokio::spawn(users_service::startup::Application::build_with_pool(
        settings.clone(),
        gated_pool,
    ));
    // Longer than the pool's acquire timeout: without waiting, the start has failed by now.
    tokio::time::sleep(settings.pool.acquire_timeout * 2).await;
    assert!(
        !start.is_finished(),
        "the start gave up before the database came up"
    );
    let _database_up = lom_testing::LatencyProxy::start_on(
        gate,
        real.get_host(),
        real.get_port(),
        std::time::Duration::ZERO,
    )
    .await;

    let app = tokio::time::timeout(std::time::Duration::from_secs(20), start)
        .await
        .expect("the start finishes once the database answers")
        .unwrap()
        .expect("users-service builds");
    assert_ne!(app.port(), 0);
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(applied >= 2, "the migrations ran through the gate");
}
