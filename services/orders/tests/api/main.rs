//! Integration tests of orders-service against real PostgreSQL and Redis: each test gets a
//! fresh database (`#[sqlx::test]`, `DATABASE_URL` names the server), the real users-service
//! and the app on ephemeral ports.

mod access;
mod audit;
mod bulk;
mod cancellation;
mod concurrency;
mod crud;
mod events;
mod export;
mod faults;
mod filters;
mod helpers;
mod history;
mod idempotency;
mod input;
mod intake;
mod metrics;
mod notes;
mod retention;
mod sorting;
mod undo;
mod workload;
