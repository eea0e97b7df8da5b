//! Shared foundation of every Live Order Monitor service: typed configuration, structured
//! logging, RFC 9457 problem responses, a JSON extractor that fails with them, operations
//! endpoints, the common HTTP middleware stack and graceful serving; PostgreSQL (`db`) and
//! Redis (`redis`) behind features of the same names.

pub mod config;
#[cfg(feature = "db")]
pub mod db;
pub mod extract;
pub mod http_stack;
pub mod integer;
pub mod json;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod problem;
#[cfg(feature = "redis")]
pub mod redis;
pub mod schema;
pub mod server;
pub mod telemetry;

pub use extract::{Path, Query};
pub use json::Json;
pub use problem::{FieldError, Problem};
