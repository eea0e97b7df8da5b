//! Test tools shared by the services' integration tests: the request client, staff roles and
//! signed-in users, reading and asserting problem+json answers, a valid order body, a TCP
//! proxy that slows a connection down, a client that gives up on requests half-way, free
//! loopback ports, PostgreSQL's view of a database's sessions, a counter of the warnings
//! PostgreSQL sends back, and many orders seeded for an export.

pub mod abandon;
pub mod bodies;
pub mod client;
pub mod exports;
pub mod latency_proxy;
pub mod notices;
pub mod ports;
pub mod problem;
pub mod roles;
pub mod sessions;

pub use abandon::{RawRequest, abandon};
pub use bodies::order_body;
pub use client::{Api, Bearer};
pub use exports::{StalledReader, export_query_running, seed_orders};
pub use latency_proxy::LatencyProxy;
pub use notices::PostgresNotices;
pub use ports::free_port;
pub use problem::{assert_problem, problem};
pub use roles::{Role, TestUser};
pub use sessions::sessions_in_transaction;
