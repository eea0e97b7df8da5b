//! Fan-out: events published into Redis to a fleet on one hub (the gateway or the Node baseline).

use std::{path::PathBuf, time::Duration};

use anyhow::ensure;
use clap::Args;

use super::{VIEWER, auth_json, save, sign_in};
use crate::{fanout, fleet, publish};

#[derive(Args)]
pub struct FanoutArgs {
    /// `gateway` or `node` (names the result; the node hub gets its own Redis stream).
    #[arg(long)]
    target: String,
    /// The hub's HTTP base URL.
    #[arg(long)]
    url: String,
    /// Gateway base URL to sign in at (a viewer token is used for both hubs).
    #[arg(long)]
    gateway: String,
    #[arg(long, env = "LOM_DEMO_PASSWORD", hide_env_values = true)]
    password: String,
    #[arg(long)]
    redis: String,
    /// Channel of the node hub (its seq and history keys derive from it).
    #[arg(long, default_value = "bench.node.events")]
    node_channel: String,
    #[arg(long, default_value_t = 1000)]
    sockets: usize,
    /// Events per second of each step.
    #[arg(long, value_delimiter = ',', required = true)]
    rates: Vec<f64>,
    #[arg(long, default_value_t = 4.0)]
    duration: f64,
    #[arg(long, default_value_t = 100.0)]
    p99_limit_ms: f64,
    #[arg(long)]
    strict: bool,
    #[arg(long)]
    out: PathBuf,
}

pub async fn run(args: FanoutArgs) -> anyhow::Result<()> {
    let viewer = sign_in(&args.gateway, &args.password, VIEWER).await?;
    let stream = match args.target.as_str() {
        "gateway" => publish::Stream::gateway(),
        _ => publish::Stream::baseline(&args.node_channel),
    };
    let publisher = publish::Publisher::connect(&args.redis, stream).await?;
    let fleet = fleet::Fleet::connect(&fleet::FleetOptions {
        base_url: args.url.clone(),
        auth: auth_json(&viewer),
        sockets: args.sockets,
        from_occurred_at: false,
        connect_concurrency: 64,
        // The Node baseline cannot replay: an evicted socket counts as dropped on both hubs.
        resume: false,
    })
    .await?;
    // Warm-up (not reported).
    let warm = fanout::run_step(
        &fleet,
        &publisher,
        args.rates[0].min(100.0),
        Duration::from_secs(1),
    )
    .await;
    if let Err(err) = warm {
        fleet.close().await;
        return Err(err);
    }
    let result = fanout::ramp(
        &args.target,
        &fleet,
        &publisher,
        &args.rates,
        Duration::from_secs_f64(args.duration),
        args.p99_limit_ms,
    )
    .await;
    fleet.close().await;
    let result = result?;
    if let Some(err) = publisher.first_error.lock().ok().and_then(|e| e.clone()) {
        tracing::warn!(error = %err, "publishing failed");
    }
    save(&args.out, &result)?;
    let all_delivered = result.steps.len() == args.rates.len()
        && result.steps.iter().all(|s| {
            s.publish_failures
                + s.delivery.lost
                + s.delivery.duplicated
                + s.delivery.out_of_order
                + s.delivery.sockets_lost
                == 0
        });
    ensure!(
        !args.strict || all_delivered,
        "fan-out to {}: failed publications, losses or duplicates (see {})",
        args.target,
        args.out.display()
    );
    Ok(())
}
