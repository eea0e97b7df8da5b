//! Integration tests of users-service against a real PostgreSQL: each test gets a fresh
//! database (`#[sqlx::test]`, `DATABASE_URL` names the server) and a running service on
//! an ephemeral port.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a panic is a failure report.

mod administration;
mod attacks;
mod audit;
mod auth;
mod cancellation;
mod helpers;
mod logs;
mod migrations;
mod throttling;
mod users;
