//! The benchmark phases, one module each with its arguments and its runner, and what they
//! share: the demo accounts they sign in as and how they save their results.

pub mod e2e;
pub mod fanout;
pub mod intake;
pub mod memory;
pub mod mixed;
pub mod rss;

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use serde::Serialize;

use crate::gateway;

pub const VIEWER: &str = "viewer@example.com";
pub const STOREFRONT: &str = "storefront@example.com";

#[derive(Args)]
pub struct Login {
    /// Gateway base URL.
    #[arg(long)]
    pub gateway: String,
    /// Password of the demo accounts.
    #[arg(long, env = "LOM_DEMO_PASSWORD", hide_env_values = true)]
    pub password: String,
}

/// The shared arguments of a checked ramp (intake, mixed): what the check after each step
/// reads, the steps, and where the results go.
#[derive(Args)]
pub struct Ramp {
    /// The orders database, read by the check after each step.
    #[arg(long)]
    pub orders_database_url: String,
    /// The Redis holding the event history, read by the check after each step.
    #[arg(long)]
    pub redis: String,
    /// Requests per second of each step, in order.
    #[arg(long, value_delimiter = ',', required = true)]
    pub rates: Vec<f64>,
    /// Seconds per step.
    #[arg(long, default_value_t = 5.0)]
    pub duration: f64,
    /// A step with a higher p99 (ms) is not sustained; two such steps in a row end the ramp.
    #[arg(long, default_value_t = 100.0)]
    pub p99_limit_ms: f64,
    #[arg(long, default_value_t = 8_192)]
    pub max_in_flight: usize,
    /// Fail unless every request of every step was sent and succeeded.
    #[arg(long)]
    pub strict: bool,
    #[arg(long)]
    pub out: PathBuf,
}

pub fn save(path: &PathBuf, value: &impl Serialize) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(value)?;
    std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))
}

/// An access token of the demo account `email`, signed in at the gateway.
pub async fn token(login: &Login, email: &str) -> anyhow::Result<String> {
    sign_in(&login.gateway, &login.password, email).await
}

/// An access token of the demo account `email`, signed in at `gateway` with `password`.
pub async fn sign_in(gateway: &str, password: &str, email: &str) -> anyhow::Result<String> {
    let http = gateway::http_client()?;
    gateway::sign_in(&http, gateway.trim_end_matches('/'), email, password).await
}

/// The handshake `auth` of a bench dashboard: it asks for batches (`orders.batch`), as the
/// dashboard does; a hub that does not batch (the Node baseline) ignores that.
pub fn auth_json(token: &str) -> String {
    serde_json::json!({ "token": token, "batch": true }).to_string()
}
