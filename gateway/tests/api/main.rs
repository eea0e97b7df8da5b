//! Integration tests of the gateway against the real stack: users-service and orders-service
//! in-process on a fresh PostgreSQL database (`#[sqlx::test]`), Redis names unique to each
//! test, and for the realtime hub the official socket.io-client (Node scenarios in
//! `tests/realtime/`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Test code: a panic is a failure report.

mod attacks;
mod audit;
mod contract;
mod export;
mod faults;
mod forged;
mod helpers;
mod realtime;
mod rest;
mod sessions;
