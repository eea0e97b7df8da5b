//! orders-service: the orders domain of Live Order Monitor — orders and their status
//! machine, assignment, and a gap-free event stream fed by a transactional outbox.

pub mod configuration;
pub mod domain;
pub mod error;
pub mod events;
pub mod intake;
pub mod openapi;
pub mod repository;
pub mod retention;
pub mod routes;
pub mod startup;
pub mod state;
pub mod users;
pub mod views;
