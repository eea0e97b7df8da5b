//! The Socket.IO hub end to end, driven by the official socket.io-client: each test starts
//! the stack and runs one Node scenario from `tests/realtime/run.mjs` against it.

use std::{path::Path, process::Stdio, time::Duration};

use lom_auth::{AccessClaims, SigningKey};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{Options, Stack};

/// Runs `scenario` with `input` (the gateway URL and tokens); fails the test with the
/// scenario's own output when it fails.
async fn run_scenario(scenario: &str, input: Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realtime");
    assert!(
        dir.join("node_modules/socket.io-client").exists(),
        "socket.io-client is not installed: run `make realtime-deps` (npm ci in {})",
        dir.display()
    );
    let child = tokio::process::Command::new("node")
        .arg("run.mjs")
        .arg(scenario)
        .current_dir(&dir)
        .env("SCENARIO_INPUT", input.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the scenario finishes within a minute")
        .expect("scenario output");
    assert!(
        output.status.success(),
        "scenario {scenario} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Tokens for every role the scenarios use.
async fn cast(stack: &Stack) -> Value {
    let (_, dispatcher) = stack.user("dispatcher").await;
    let (agent_id, agent) = stack.user("agent").await;
    let (_, viewer) = stack.user("viewer").await;
    let (_, storefront) = stack.user("storefront").await;
    json!({
        "gateway": stack.gateway,
        "dispatcher": dispatcher,
        "agent": agent,
        "agent_id": agent_id,
        "viewer": viewer,
        "storefront": storefront,
        "expired": expired_token(stack),
    })
}

/// A well-signed viewer token that expired a minute ago.
fn expired_token(stack: &Stack) -> String {
    let key = SigningKey::from_pem(&stack.users.signing_pem).unwrap();
    let now = jsonwebtoken::get_current_timestamp();
    key.sign(&AccessClaims {
        sub: Uuid::now_v7(),
        iss: "lom-users".into(),
        aud: "lom".into(),
        exp: now - 60,
        iat: now - 960,
        jti: Uuid::now_v7(),
        roles: vec!["viewer".into()],
        perms: vec!["orders:read".into()],
    })
    .unwrap()
}

#[sqlx::test(migrations = false)]
async fn events_reach_every_dashboard_allowed_to_see_them_and_no_other(pool: PgPool) {
    let stack = Stack::start(pool).await;
    run_scenario("live_delivery", cast(&stack).await).await;
}

#[sqlx::test(migrations = false)]
async fn handshakes_without_a_valid_token_or_from_a_foreign_origin_are_refused(pool: PgPool) {
    let stack = Stack::start(pool).await;
    run_scenario("refused", cast(&stack).await).await;
}

#[sqlx::test(migrations = false)]
async fn a_dashboard_that_was_away_gets_exactly_what_it_missed(pool: PgPool) {
    let stack = Stack::start(pool).await;
    run_scenario("resume", cast(&stack).await).await;
}

#[sqlx::test(migrations = false)]
async fn a_position_older_than_the_history_is_told_to_resync(pool: PgPool) {
    let stack = Stack::start_with(
        pool,
        Options {
            history_cap: 3,
            ..Options::default()
        },
    )
    .await;
    run_scenario("resync", cast(&stack).await).await;
}

#[sqlx::test(migrations = false)]
async fn subscribe_narrows_what_a_dashboard_receives(pool: PgPool) {
    let stack = Stack::start(pool).await;
    run_scenario("subscribe", cast(&stack).await).await;
}

#[sqlx::test(migrations = false)]
async fn two_gateway_instances_each_serve_their_own_sockets(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let second = stack.spawn_gateway(&Options::default()).await;
    let mut input = cast(&stack).await;
    input["second_gateway"] = json!(second);
    run_scenario("two_gateways", input).await;
}
