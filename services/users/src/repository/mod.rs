//! Every SQL statement of users-service, one module per aggregate.

pub mod audit;
pub mod refresh_tokens;
pub mod roles;
pub mod throttle;
pub mod users;
