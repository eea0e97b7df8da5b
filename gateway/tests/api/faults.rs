//! Faults of the parts behind the gateway: PostgreSQL stopped under orders-service (F4) is a
//! fast 503 problem through the gateway, never a 500 or a hang, and the service recovers by
//! itself when the database is back.

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

/// A TCP relay in front of PostgreSQL that can be stopped like the server itself: new
/// connections are refused and open ones are cut; `resume` listens again on the same port.
struct Relay {
    addr: SocketAddr,
    upstream: String,
    running: watch::Sender<bool>,
    acceptor: Option<JoinHandle<()>>,
}

impl Relay {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (running, _) = watch::channel(true);
        let mut relay = Self {
            addr,
            upstream,
            running,
            acceptor: None,
        };
        relay.accept(listener);
        relay
    }

    fn accept(&mut self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        let running = self.running.clone();
        self.acceptor = Some(tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let mut stopped = running.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let mut client = client;
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = stopped.wait_for(|running| !running) => {}
                    }
                });
            }
        }));
    }

    /// As if PostgreSQL stopped: the port refuses connections and every session is cut.
    fn stop(&mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            acceptor.abort();
        }
        self.running.send_replace(false);
    }

    async fn resume(&mut self) {
        self.running.send_replace(true);
        let listener = TcpListener::bind(self.addr).await.unwrap();
        self.accept(listener);
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
    let (_, viewer) = stack.user("viewer").await;
    let (_, storefront) = stack.user("storefront").await;
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
