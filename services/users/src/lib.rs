//! users-service: owns accounts, roles and permissions, login with throttling, refresh-token
//! rotation with reuse detection, access-token signing and the JWKS every verifier reads.

pub mod accounts;
pub mod configuration;
pub mod domain;
pub mod error;
pub mod openapi;
pub mod repository;
pub mod revocations;
pub mod routes;
pub mod seed;
pub mod sessions;
pub mod startup;
pub mod state;
#[cfg(feature = "test-support")]
pub mod test_support;
pub mod throttle;
pub mod views;
