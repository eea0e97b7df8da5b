//! The Socket.IO hub end to end, driven by the official socket.io-client: each test starts
//! the stack and runs one Node scenario from `tests/realtime/run.mjs` against it.

use std::{path::Path, process::Stdio, time::Duration};

use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, BufReader, Lines},
    process::ChildStdout,
};

use lom_auth::{AccessClaims, SigningKey};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{Options, Stack};
use lom_testing::{Role, TestUser};

/// A Node scenario from `tests/realtime/run.mjs`, running against the stack.
struct Scenario {
    name: String,
    child: tokio::process::Child,
    lines: Lines<BufReader<ChildStdout>>,
    said: Vec<String>,
}

impl Scenario {
    /// Starts `name` with `input` (the gateway URL and tokens).
    fn start(name: &str, input: &Value) -> Self {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realtime");
        assert!(
            dir.join("node_modules/socket.io-client").exists(),
            "socket.io-client is not installed: run `make realtime-deps` (npm ci in {})",
            dir.display()
        );
        let mut child = tokio::process::Command::new("node")
            .arg("run.mjs")
            .arg(name)
            .current_dir(&dir)
            .env("SCENARIO_INPUT", input.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs");
        let lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        Self {
            name: name.to_owned(),
            child,
            lines,
            said: Vec::new(),
        }
    }

    /// Waits until the scenario prints `line` (it then waits for the test to act).
    async fn says(&mut self, line: &str) {
        let said = &mut self.said;
        let lines = &mut self.lines;
        let heard = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(next)) = lines.next_line().await {
                said.push(next.clone());
                if next == line {
                    return true;
                }
            }
            false
        })
        .await;
        assert_eq!(heard, Ok(true), "the scenario said: {:?}", self.said);
    }

    /// Waits for the scenario to end; fails the test with its output when it failed.
    async fn finishes(mut self) {
        let mut stderr = String::new();
        let status = tokio::time::timeout(Duration::from_secs(90), async {
            while let Ok(Some(line)) = self.lines.next_line().await {
                self.said.push(line);
            }
            if let Some(mut pipe) = self.child.stderr.take() {
                let _ = pipe.read_to_string(&mut stderr).await;
            }
            self.child.wait().await
        })
        .await
        .expect("the scenario finishes within a minute and a half")
        .expect("the scenario's exit status");
        assert!(
            status.success(),
            "scenario {} failed:\n{}\n{stderr}",
            self.name,
            self.said.join("\n"),
        );
    }
}

/// Runs `scenario` with `input` to its end; fails the test with the scenario's own output when
/// it fails.
async fn run_scenario(scenario: &str, input: Value) {
    Scenario::start(scenario, &input).finishes().await;
}

/// Tokens for every role the scenarios use.
async fn cast(stack: &Stack) -> Value {
    let TestUser {
        id: dispatcher_id,
        token: dispatcher,
    } = stack.users.user(Role::Dispatcher).await;
    let TestUser {
        id: agent_id,
        token: agent,
    } = stack.users.user(Role::Agent).await;
    let TestUser {
        id: viewer_id,
        token: viewer,
    } = stack.users.user(Role::Viewer).await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let admin = stack
        .users
        .token(users_service::test_support::ADMIN_EMAIL)
        .await;
    json!({
        "admin": admin,
        "viewer_id": viewer_id,
        "gateway": stack.gateway.base,
        "dispatcher": dispatcher,
        "dispatcher_id": dispatcher_id,
        "agent": agent,
        "agent_id": agent_id,
        "viewer": viewer,
        "storefront": storefront,
        "expired": viewer_token_expiring_at(stack, now() - 60),
    })
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

/// A well-signed viewer token (of a user of its own) that expires at `exp`.
fn viewer_token_expiring_at(stack: &Stack, exp: u64) -> String {
    let key = SigningKey::from_pem(&stack.users.signing_pem).unwrap();
    key.sign(&AccessClaims {
        sub: Uuid::now_v7(),
        iss: "lom-users".into(),
        aud: "lom".into(),
        exp,
        iat: exp.saturating_sub(900),
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
    let mut input = cast(&stack).await;
    let viewer = input["viewer"].as_str().unwrap().to_owned();
    let forged: Vec<Value> =
        crate::forged::forged_tokens(&stack.users.signing_pem, &viewer, "an-opaque-refresh-token")
            .into_iter()
            .map(|(what, token)| json!([what, token]))
            .collect();
    input["forged"] = json!(forged);
    run_scenario("refused", input).await;
}

#[sqlx::test(migrations = false)]
async fn a_socket_is_dropped_when_its_token_expires(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let mut input = cast(&stack).await;
    let exp = now() + 3;
    input["expiring"] = json!({"token": viewer_token_expiring_at(&stack, exp), "exp": exp});
    run_scenario("expiry", input).await;
}

#[sqlx::test(migrations = false)]
async fn a_dashboard_that_was_away_gets_exactly_what_it_missed(pool: PgPool) {
    let stack = Stack::start(pool).await;
    run_scenario("resume", cast(&stack).await).await;
}

/// A connection to the tests' Redis that waits up to 10 s for an answer (the default gives up
/// sooner, and a large pipeline on a busy machine can take longer).
async fn patient_redis() -> redis::aio::MultiplexedConnection {
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(10)))
        .set_response_timeout(Some(Duration::from_secs(10)));
    redis::Client::open(crate::helpers::REDIS_URL)
        .unwrap()
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .unwrap()
}

/// A Redis connection and the stack's first event, once the relay has put it in the history
/// (it publishes right after the commit): the only event there.
async fn first_event_in_history(stack: &Stack) -> (redis::aio::MultiplexedConnection, Value) {
    use redis::AsyncCommands;
    let mut redis = patient_redis().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let history: Vec<String> = redis
            .zrange(&stack.events.history_key, 0, -1)
            .await
            .unwrap();
        if !history.is_empty() || std::time::Instant::now() > deadline {
            assert_eq!(
                history.len(),
                1,
                "the first order's event is in the history"
            );
            return (redis, serde_json::from_str(&history[0]).unwrap());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A dashboard resumes (handshake `last_seq`) while an event is already in the history but the
/// gateway's subscription has not delivered it yet (the publish is in flight, or the feed is
/// busy): the replay sends it, and the feed's late copy must not reach the socket a second time.
/// The test plays orders-service for that one event (INCR, history append, and the PUBLISH only
/// once the replay has arrived) and then creates a real order after it.
#[sqlx::test(migrations = false)]
async fn a_replayed_event_is_not_delivered_again_when_the_feed_catches_up(pool: PgPool) {
    use redis::AsyncCommands;

    let stack = Stack::start(pool).await;
    let mut input = cast(&stack).await;
    let storefront = input["storefront"].as_str().unwrap().to_owned();
    let first = stack.create_order(&storefront, 1).await;
    let (mut redis, first_event) = first_event_in_history(&stack).await;
    // The next event: the same order confirmed (seq 2), in the history but not yet published.
    let mut late = first_event;
    late["seq"] = json!(2);
    late["event_id"] = json!(Uuid::now_v7());
    late["type"] = json!("order.updated");
    late["order"]["version"] = json!(2);
    late["order"]["status"] = json!("CONFIRMED");
    let late = late.to_string();
    let seq: u64 = redis.incr(&stack.events.seq_key, 1).await.unwrap();
    assert_eq!(seq, 2);
    let _: () = redis
        .zadd(&stack.events.history_key, &late, 2)
        .await
        .unwrap();

    input["order_id"] = first["id"].clone();
    let mut scenario = Scenario::start("late_feed", &input);
    scenario.says("replayed").await;
    // Now the feed gets its copy of seq 2, then a real order (seq 3) behind it.
    let _: () = redis.publish(&stack.events.channel, &late).await.unwrap();
    stack.create_order(&storefront, 2).await;
    scenario.finishes().await;
}

/// A dashboard 10 000 events behind — ten times its socket's queue — catches up in one
/// connection: the replay waits for room in the queue instead of overflowing it (which evicted
/// the socket, whose next replay overflowed again), and orders created during the replay
/// follow it in order. The missed events are written into the history directly, as
/// orders-service would have (INCR, history append), without their live publication.
#[sqlx::test(migrations = false)]
async fn a_dashboard_10_000_events_behind_catches_up_in_one_connection(pool: PgPool) {
    const BEHIND: u64 = 10_000;
    const LIVE: usize = 3;

    let stack = Stack::start_with(
        pool,
        Options {
            history_cap: 2 * BEHIND as usize,
            ..Options::default()
        },
    )
    .await;
    let mut input = cast(&stack).await;
    let storefront = input["storefront"].as_str().unwrap().to_owned();
    stack.create_order(&storefront, 1).await;
    let (mut redis, template) = first_event_in_history(&stack).await;
    let mut pipe = redis::pipe();
    for seq in 2..=BEHIND + 1 {
        let mut event = template.clone();
        event["seq"] = json!(seq);
        event["event_id"] = json!(Uuid::now_v7());
        event["type"] = json!("order.updated");
        event["order"]["version"] = json!(seq);
        pipe.zadd(&stack.events.history_key, event.to_string(), seq)
            .ignore();
    }
    pipe.incr(&stack.events.seq_key, BEHIND).ignore();
    let _: () = pipe.query_async(&mut redis).await.unwrap();

    input["behind"] = json!(BEHIND);
    input["live"] = json!(LIVE);
    let mut scenario = Scenario::start("deep_resume", &input);
    scenario.says("connected").await;
    // Orders created while the replay runs: live events that must wait for it.
    for n in 0..LIVE {
        stack.create_order(&storefront, 2 + n).await;
    }
    scenario.finishes().await;
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
async fn a_subscribe_sent_the_moment_a_socket_connects_is_answered(pool: PgPool) {
    // The gateway binary: its multi-threaded runtime is where the connect handler can run
    // after the client's first message has already been read.
    let binary = BinaryGateway::start(pool, false).await;
    run_scenario("first_message", binary.input.clone()).await;
}

/// The cast of [`cast`], a second agent, and two orders: `mine` assigned to the first agent,
/// `other` to nobody.
async fn presence_cast(stack: &Stack) -> Value {
    let mut input = cast(stack).await;
    let TestUser {
        id: other_agent_id,
        token: other_agent,
    } = stack.users.user(Role::Agent).await;
    let storefront = input["storefront"].as_str().unwrap().to_owned();
    let dispatcher = input["dispatcher"].as_str().unwrap().to_owned();
    let mine = stack.create_order(&storefront, 1).await;
    let other = stack.create_order(&storefront, 2).await;
    let assigned: Value = stack
        .post(
            &format!("/api/v1/orders/{}/assign", mine["id"].as_str().unwrap()),
            &dispatcher,
            &json!({"assignee_id": input["agent_id"], "version": mine["version"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    input["other_agent"] = json!(other_agent);
    input["other_agent_id"] = json!(other_agent_id);
    input["unknown_order"] = json!(Uuid::now_v7());
    input["orders"] = json!({
        "mine": mine["id"],
        "mine_version": assigned["version"],
        "other": other["id"],
    });
    input
}

#[sqlx::test(migrations = false)]
async fn presence_reaches_every_gateways_sockets_allowed_to_see_the_order_and_no_other(
    pool: PgPool,
) {
    let stack = Stack::start(pool).await;
    let second = stack.spawn_gateway(&Options::default()).await;
    let mut input = presence_cast(&stack).await;
    input["second_gateway"] = json!(second);
    run_scenario("presence", input).await;
}

#[sqlx::test(migrations = false)]
async fn presence_changes_are_limited_per_account(pool: PgPool) {
    let stack = Stack::start(pool).await;
    run_scenario("presence_limit", cast(&stack).await).await;
}

/// A gateway dies (its runtime stopped: no close reaches Redis or its sockets) while one of
/// its sockets has an order open; the other gateway's dashboards see that presence go within
/// the TTL, after it had lasted longer than the TTL while its gateway refreshed it.
#[sqlx::test(migrations = false)]
async fn a_dead_gateways_presence_expires_for_the_other_gateways(pool: PgPool) {
    let ttl = Duration::from_millis(1500);
    let options = Options {
        presence_ttl: ttl,
        ..Options::default()
    };
    let stack = Stack::start_with(pool, options.clone()).await;
    let doomed = stack.spawn_crashing_gateway(&options).await;
    let mut input = presence_cast(&stack).await;
    input["second_gateway"] = json!(doomed.url);
    input["ttl_ms"] = json!(ttl.as_millis());
    let mut scenario = Scenario::start("presence_expiry", &input);
    scenario.says("opened").await;
    doomed.crash();
    scenario.finishes().await;
}

#[sqlx::test(migrations = false)]
async fn two_gateway_instances_each_serve_their_own_sockets(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let second = stack.spawn_gateway(&Options::default()).await;
    let mut input = cast(&stack).await;
    input["second_gateway"] = json!(second);
    run_scenario("two_gateways", input).await;
}

/// A redis-server of the test's own on a free port, so that the test can restart it.
struct PrivateRedis {
    port: u16,
    _child: tokio::process::Child,
}

impl PrivateRedis {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = tokio::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("redis-server runs");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            port,
            _child: child,
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        // The scenario may have restarted it as a daemon: stop whatever listens there.
        let _ = std::process::Command::new("redis-cli")
            .args(["-p", &self.port.to_string(), "shutdown", "nosave"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

#[sqlx::test(migrations = false)]
async fn after_redis_restarts_every_dashboard_ends_with_the_database_state(pool: PgPool) {
    let redis = PrivateRedis::start().await;
    let stack = Stack::start_with(
        pool,
        Options {
            redis_url: redis.url(),
            ..Options::default()
        },
    )
    .await;
    let mut input = cast(&stack).await;
    input["redis_port"] = json!(redis.port);
    run_scenario("redis_restart", input).await;
}

/// The real gateway binary on a fixed port; with `restart`, started again whenever it dies,
/// otherwise its exit status is reported on `exited`.
struct SupervisedGateway {
    url: String,
    first_pid: u32,
    supervisor: tokio::task::JoinHandle<()>,
    exited: Option<tokio::sync::oneshot::Receiver<std::process::ExitStatus>>,
}

impl SupervisedGateway {
    async fn start(stack: &Stack, redis_url: &str, restart: bool) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let spawn = {
            let env = vec![
                ("GATEWAY_BIND", format!("127.0.0.1:{port}")),
                ("USERS_URL", stack.users.base_url.clone()),
                ("ORDERS_URL", stack.orders.clone()),
                ("JWKS_URL", stack.users.jwks_url()),
                ("REDIS_URL", redis_url.to_owned()),
                (
                    "CORS_ALLOWED_ORIGINS",
                    crate::helpers::DASHBOARD_ORIGIN.to_owned(),
                ),
                ("COOKIE_SECURE", "false".to_owned()),
                ("RUST_LOG", "warn".to_owned()),
            ];
            move || {
                tokio::process::Command::new(env!("CARGO_BIN_EXE_gateway"))
                    .env_clear()
                    .envs(env.clone())
                    .stdout(Stdio::null())
                    .kill_on_drop(true)
                    .spawn()
                    .expect("the gateway binary runs")
            }
        };
        let mut child = spawn();
        let first_pid = child.id().unwrap();
        wait_until_listening(port).await;
        let (exit_tx, exit_rx) = tokio::sync::oneshot::channel();
        let supervisor = tokio::spawn(async move {
            loop {
                let status = child.wait().await;
                if !restart {
                    if let Ok(status) = status {
                        let _ = exit_tx.send(status);
                    }
                    return;
                }
                child = spawn();
            }
        });
        Self {
            url: format!("http://127.0.0.1:{port}"),
            first_pid,
            supervisor,
            exited: (!restart).then_some(exit_rx),
        }
    }
}

impl Drop for SupervisedGateway {
    fn drop(&mut self) {
        // Aborting drops the current child, which kills it (kill_on_drop).
        self.supervisor.abort();
    }
}

async fn wait_until_listening(port: u16) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing listens on {port}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The services in-process and the gateway as its binary, on a private Redis (the binary
/// cannot be given other Redis names): for what only the real process shows — its restarts,
/// its signals, its multi-threaded runtime. `input` names the gateway and its pid.
struct BinaryGateway {
    // Dropped in this order: the gateway process first, its Redis last.
    gateway: SupervisedGateway,
    stack: Stack,
    input: Value,
    _redis: PrivateRedis,
}

impl BinaryGateway {
    async fn start(pool: PgPool, restart: bool) -> Self {
        let redis = PrivateRedis::start().await;
        let stack = Stack::start_with(
            pool,
            Options {
                redis_url: redis.url(),
                production_event_names: true,
                ..Options::default()
            },
        )
        .await;
        let gateway = SupervisedGateway::start(&stack, &redis.url(), restart).await;
        let mut input = cast(&stack).await;
        input["gateway"] = json!(gateway.url);
        input["gateway_pid"] = json!(gateway.first_pid);
        Self {
            gateway,
            stack,
            input,
            _redis: redis,
        }
    }
}

#[sqlx::test(migrations = false)]
async fn a_killed_gateway_comes_back_and_dashboards_catch_up_by_replay(pool: PgPool) {
    let binary = BinaryGateway::start(pool, true).await;
    let mut input = binary.input.clone();
    input["orders"] = json!(binary.stack.orders);
    run_scenario("gateway_restart", input).await;
}

#[sqlx::test(migrations = false)]
async fn sigterm_finishes_in_flight_requests_and_closes_sockets_cleanly(pool: PgPool) {
    let mut binary = BinaryGateway::start(pool, false).await;
    run_scenario("graceful_shutdown", binary.input.clone()).await;
    let exited = binary.gateway.exited.take().unwrap();
    let status = tokio::time::timeout(Duration::from_secs(15), exited)
        .await
        .expect("the gateway stops within the drain timeout")
        .unwrap();
    assert!(status.success(), "{status:?}");
}

/// A synthetic `order.created` event with `seq`, as orders-service would publish it, its
/// customer's name `name_parts` times "Flood Test ทดสอบ " long.
fn synthetic_event(seq: u64, name_parts: usize) -> String {
    let now = chrono::Utc::now();
    serde_json::to_string(&lom_contracts::OrderEvent {
        seq,
        event_id: Uuid::now_v7(),
        kind: lom_contracts::EventType::OrderCreated,
        occurred_at: now,
        order: lom_contracts::OrderRow {
            id: Uuid::now_v7(),
            number: format!("ORD-{seq:06}"),
            status: lom_contracts::OrderStatus::Pending,
            priority: lom_contracts::Priority::Normal,
            customer_name: "Flood Test ทดสอบ ".repeat(name_parts),
            customer_email: "flood@example.com".into(),
            assignee_id: None,
            total: 123_456,
            currency: "THB".into(),
            item_count: 3,
            unit_count: 3,
            version: 1,
            created_at: now,
            updated_at: now,
        },
        actor: lom_contracts::Actor { id: Uuid::now_v7() },
        previous: None,
        reason: None,
        note: None,
    })
    .unwrap()
}

#[sqlx::test(migrations = false)]
async fn a_socket_that_stops_reading_is_dropped_without_delaying_the_others(pool: PgPool) {
    const EVENTS: u64 = 5_000;
    let stack = Stack::start_with(
        pool,
        Options {
            socket_buffer: 1024,
            ..Options::default()
        },
    )
    .await;
    let mut input = cast(&stack).await;
    input["events"] = json!(EVENTS);
    let mut scenario = Scenario::start("slow_consumer", &input);
    scenario.says("READY").await;

    let mut connection = patient_redis().await;
    // About 500 events (4 MB) a second for 10 s: a reading client keeps up even on a busy
    // machine (seconds of slack in its buffers), a stalled one fills them and is evicted.
    for chunk in (1..=EVENTS).collect::<Vec<_>>().chunks(50) {
        let mut pipe = redis::pipe();
        for seq in chunk {
            pipe.cmd("PUBLISH")
                .arg(&stack.events.channel)
                // Large rows fill a stalled socket's buffers quickly.
                .arg(synthetic_event(*seq, 400))
                .ignore();
        }
        let () = pipe.query_async(&mut connection).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    scenario.finishes().await;
}

/// A burst of 2 000 events, published as orders-service does (INCR, history append,
/// PUBLISH) in pipelines of 100: dashboards that asked for batches get events that waited
/// together as `orders.batch` frames, the others single events; every socket (many, on every
/// delivery shard) gets each event once and in order, and two that resume from an old
/// position in the middle of the burst get the replay and then the live events without a gap
/// or a copy, batching on or off.
#[sqlx::test(migrations = false)]
async fn a_burst_reaches_batching_and_single_event_sockets_each_event_once_in_order(pool: PgPool) {
    const EVENTS: u64 = 2_000;
    let stack = Stack::start(pool).await;
    let mut input = cast(&stack).await;
    input["events"] = json!(EVENTS);
    let mut scenario = Scenario::start("batch_burst", &input);
    scenario.says("READY").await;

    let mut redis = patient_redis().await;
    for chunk in (1..=EVENTS).collect::<Vec<_>>().chunks(100) {
        let mut pipe = redis::pipe();
        for seq in chunk {
            let event = synthetic_event(*seq, 1);
            pipe.incr(&stack.events.seq_key, 1)
                .ignore()
                .zadd(&stack.events.history_key, &event, *seq)
                .ignore()
                .publish(&stack.events.channel, &event)
                .ignore();
        }
        let () = pipe.query_async(&mut redis).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    scenario.finishes().await;
}

#[sqlx::test(migrations = false)]
async fn a_deactivated_users_sockets_are_dropped_and_cannot_come_back(pool: PgPool) {
    let stack = Stack::start(pool).await;
    run_scenario("revoked", cast(&stack).await).await;
}

#[sqlx::test(migrations = false)]
async fn a_password_reset_drops_old_sockets_and_a_new_sign_in_connects(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let email = format!("reset-{}@example.com", Uuid::new_v4().simple());
    let id = stack.users.create_user(&email, &["viewer"]).await;
    let token = stack.users.token(&email).await;
    let mut input = cast(&stack).await;
    input["reset"] = json!({
        "id": id,
        "email": email,
        "token": token,
        "new_password": "a brand new passphrase 42",
    });
    run_scenario("password_reset", input).await;
}

#[sqlx::test(migrations = false)]
async fn an_order_reassigned_away_reaches_the_former_assignee_only_as_order_left(pool: PgPool) {
    let stack = Stack::start(pool).await;
    let TestUser {
        id: agent2_id,
        token: agent2,
    } = stack.users.user(Role::Agent).await;
    let mut input = cast(&stack).await;
    input["agent2"] = json!(agent2);
    input["agent2_id"] = json!(agent2_id);
    run_scenario("reassigned_away", input).await;
}

#[sqlx::test(migrations = false)]
async fn replays_and_filters_are_bounded(pool: PgPool) {
    let stack = Stack::start(pool).await;
    run_scenario("replay_bounds", cast(&stack).await).await;
}
