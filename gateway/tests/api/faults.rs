//! Faults of the parts behind the gateway: PostgreSQL stopped under orders-service (F4) and
//! orders-service hung — accepting connections, answering nothing (F5) — are fast 503
//! problems through the gateway, never a 500 or a hang, and everything recovers by itself. A
//! change sent to a hung service is a fast 504 `outcome-unknown` instead: it may have been
//! made, so the caller must not take it as refused.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use sqlx::PgPool;
use tokio::{
    net::{TcpListener, TcpStream},
    sync::watch,
    task::JoinHandle,
};

use crate::helpers::{Options, Stack, database_addr, problem};
use lom_testing::Role;

/// What a [`Relay`] does with its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Forward,
    /// As if the server stopped: the port refuses connections and open ones are cut.
    Stopped,
    /// As if the server hung: connections are accepted (and kept) but nothing is answered.
    Hung,
}

/// A TCP relay in front of a server (PostgreSQL, a service) that can make it stop or hang.
struct Relay {
    addr: SocketAddr,
    upstream: String,
    mode: watch::Sender<Mode>,
    acceptor: Option<JoinHandle<()>>,
}

impl Relay {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (mode, _) = watch::channel(Mode::Forward);
        let mut relay = Self {
            addr,
            upstream,
            mode,
            acceptor: None,
        };
        relay.accept(listener);
        relay
    }

    fn accept(&mut self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        let mode = self.mode.clone();
        self.acceptor = Some(tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let mut changes = mode.subscribe();
                tokio::spawn(async move {
                    let mut client = client;
                    let hung = *changes.borrow_and_update() == Mode::Hung;
                    if hung {
                        // Hold the connection, answer nothing, until the server is back.
                        let _ = changes.wait_for(|mode| *mode != Mode::Hung).await;
                        return;
                    }
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => return,
                        () = async {
                            let _ = changes.wait_for(|mode| *mode != Mode::Forward).await;
                        } => {}
                    }
                    let hung = *changes.borrow() == Mode::Hung;
                    if hung {
                        let _ = changes.wait_for(|mode| *mode != Mode::Hung).await;
                    }
                });
            }
        }));
    }

    /// As if the server stopped: the port refuses connections and every session is cut.
    fn stop(&mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.abort();
        }
        self.mode.send_replace(Mode::Stopped);
    }

    /// As if the server hung: every connection, open or new, stays open and silent.
    fn hang(&self) {
        self.mode.send_replace(Mode::Hung);
    }

    async fn resume(&mut self) {
        self.mode.send_replace(Mode::Forward);
        if self.acceptor.is_none() {
            let listener = TcpListener::bind(self.addr).await.unwrap();
            self.accept(listener);
        }
    }
}

#[sqlx::test(migrations = false)]
async fn postgres_stopped_is_a_fast_503_and_the_service_recovers_alone(pool: PgPool) {
    let mut relay = Relay::start(database_addr(&pool)).await;
    let stack = Stack::start_with(
        pool,
        Options {
            orders_database_addr: Some(relay.addr),
            ..Options::default()
        },
    )
    .await;
    let viewer = stack.users.user(Role::Viewer).await.token;
    let storefront = stack.users.user(Role::Storefront).await.token;
    let before = stack.create_order(&storefront, 1).await;

    relay.stop();
    for (what, request) in [
        (
            "list",
            stack
                .client
                .get(stack.url("/api/v1/orders"))
                .bearer_auth(&viewer),
        ),
        (
            "create",
            stack
                .client
                .post(stack.url("/api/v1/orders"))
                .bearer_auth(&storefront)
                .json(&crate::helpers::order_body(2)),
        ),
    ] {
        let started = Instant::now();
        let response = request.send().await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{what}");
        assert!(response.headers().contains_key("retry-after"), "{what}");
        let body = problem(response).await;
        assert_eq!(
            body["type"], "urn:lom:problem:service-unavailable",
            "{what}"
        );
        assert!(
            elapsed < Duration::from_millis(2500),
            "{what} took {elapsed:?}"
        );
    }
    let ready = stack
        .client
        .get(format!("{}/readyz", stack.orders))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);

    relay.resume().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let listed = loop {
        let response = stack.get("/api/v1/orders", &viewer).await;
        if response.status() == StatusCode::OK {
            break response.json::<serde_json::Value>().await.unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "still {} after the database came back",
            response.status()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let ids: Vec<_> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["id"])
        .collect();
    assert_eq!(
        ids,
        vec![&before["id"]],
        "the refused create left nothing behind"
    );
    stack.create_order(&storefront, 3).await;
}

#[sqlx::test(migrations = false)]
async fn a_hung_service_is_a_503_within_the_upstream_bound_and_recovers(pool: PgPool) {
    let stack = Stack::start(pool.clone()).await;
    let mut relay = Relay::start(stack.orders.trim_start_matches("http://").to_owned()).await;
    let bound = Duration::from_millis(1500);
    let gateway = stack
        .spawn_gateway(&Options {
            orders_url_override: Some(format!("http://{}", relay.addr)),
            upstream_timeout: bound,
            ..Options::default()
        })
        .await;
    let viewer = stack.users.user(Role::Viewer).await.token;
    let list = |token: String| {
        let request = stack
            .client
            .get(format!("{gateway}/api/v1/orders"))
            .bearer_auth(token);
        async move { request.send().await.unwrap() }
    };
    assert_eq!(list(viewer.clone()).await.status(), StatusCode::OK);

    relay.hang();
    // Several at once, on the pooled connection and on new ones: each gets its answer in time.
    let started = Instant::now();
    let answers = futures_util::future::join_all((0..4).map(|_| list(viewer.clone()))).await;
    let elapsed = started.elapsed();
    for response in answers {
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            problem(response).await["type"],
            "urn:lom:problem:service-unavailable"
        );
    }
    assert!(
        elapsed >= bound && elapsed < bound + Duration::from_secs(1),
        "answered after {elapsed:?} (bound {bound:?})"
    );

    relay.resume().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while list(viewer.clone()).await.status() != StatusCode::OK {
        assert!(Instant::now() < deadline, "did not recover");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[sqlx::test(migrations = false)]
async fn a_change_sent_to_a_hung_service_is_a_504_outcome_unknown_not_a_refusal(pool: PgPool) {
    let stack = Stack::start(pool.clone()).await;
    let mut relay = Relay::start(stack.orders.trim_start_matches("http://").to_owned()).await;
    let bound = Duration::from_millis(1500);
    let gateway = stack
        .spawn_gateway(&Options {
            orders_url_override: Some(format!("http://{}", relay.addr)),
            upstream_timeout: bound,
            ..Options::default()
        })
        .await;
    let storefront = stack.users.user(Role::Storefront).await.token;
    relay.hang();
    let started = Instant::now();
    let response = stack
        .client
        .post(format!("{gateway}/api/v1/orders"))
        .bearer_auth(&storefront)
        .json(&crate::helpers::order_body(1))
        .send()
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(response.status(), StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(
        problem(response).await["type"],
        "urn:lom:problem:outcome-unknown"
    );
    assert!(
        elapsed >= bound && elapsed < bound + Duration::from_secs(1),
        "answered after {elapsed:?} (bound {bound:?})"
    );
    relay.resume().await;
}

/// orders-service's own 504 `outcome-unknown` — the answer to its COMMIT was lost, so the
/// order may exist — reaches the caller as it is, not hidden behind a 500.
#[sqlx::test(migrations = false)]
async fn a_services_own_outcome_unknown_reaches_the_caller_as_a_504(pool: PgPool) {
    let options = pool.connect_options();
    let proxy = lom_testing::LatencyProxy::losing_commit_answers(
        options.get_host(),
        options.get_port(),
        b"INSERT INTO orders",
    )
    .await;
    let stack = Stack::start_with(
        pool,
        Options {
            orders_database_addr: Some(proxy.addr()),
            ..Options::default()
        },
    )
    .await;
    let storefront = stack.users.user(Role::Storefront).await.token;

    let response = stack
        .post(
            "/api/v1/orders",
            &storefront,
            &crate::helpers::order_body(1),
        )
        .await;
    assert_eq!(response.status(), StatusCode::GATEWAY_TIMEOUT);
    let body = problem(response).await;
    assert_eq!(body["type"], "urn:lom:problem:outcome-unknown", "{body}");
    assert_eq!(body["instance"], "/api/v1/orders", "{body}");
}
