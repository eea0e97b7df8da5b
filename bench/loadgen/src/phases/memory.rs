//! Resident memory per idle socket of a hub.

use std::{path::PathBuf, time::Duration};

use clap::Args;

use super::{VIEWER, auth_json, save, sign_in};
use crate::{fleet, memory};

#[derive(Args)]
pub struct MemoryArgs {
    #[arg(long)]
    target: String,
    #[arg(long)]
    url: String,
    #[arg(long)]
    gateway: String,
    #[arg(long, env = "LOM_DEMO_PASSWORD", hide_env_values = true)]
    password: String,
    /// The hub's process id.
    #[arg(long)]
    pid: u32,
    /// Cumulative socket counts to measure at.
    #[arg(long, value_delimiter = ',', required = true)]
    sockets: Vec<usize>,
    /// Seconds to let the process settle before each reading.
    #[arg(long, default_value_t = 3.0)]
    settle: f64,
    #[arg(long)]
    out: PathBuf,
}

pub async fn run(args: MemoryArgs) -> anyhow::Result<()> {
    let viewer = sign_in(&args.gateway, &args.password, VIEWER).await?;
    let result = memory::per_socket(
        &args.target,
        &fleet::FleetOptions {
            base_url: args.url.clone(),
            auth: auth_json(&viewer),
            sockets: 0,
            from_occurred_at: false,
            connect_concurrency: 64,
            resume: false,
        },
        args.pid,
        &args.sockets,
        Duration::from_secs_f64(args.settle),
    )
    .await?;
    save(&args.out, &result)
}
