//! End to end: dashboards on the gateway while orders flow, per fleet size and rate.

use std::{path::PathBuf, time::Duration};

use anyhow::ensure;
use clap::Args;

use super::{Login, STOREFRONT, VIEWER, auth_json, save, token};
use crate::{e2e, fleet, gateway, intake, publish};

#[derive(Args)]
pub struct E2eArgs {
    #[command(flatten)]
    login: Login,
    #[arg(long)]
    redis: String,
    /// Dashboards of each run.
    #[arg(long, value_delimiter = ',', required = true)]
    sockets: Vec<usize>,
    /// Orders per second, each run for every socket count.
    #[arg(long, value_delimiter = ',', required = true)]
    rates: Vec<f64>,
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Fail on any loss, duplicate, lost socket or failed order.
    #[arg(long)]
    strict: bool,
    #[arg(long)]
    out: PathBuf,
}

pub async fn run(args: E2eArgs) -> anyhow::Result<()> {
    let gateway_url = args.login.gateway.trim_end_matches('/').to_owned();
    let target = intake::Target {
        http: gateway::http_client()?,
        gateway: gateway_url.clone(),
        token: token(&args.login, STOREFRONT).await?,
    };
    let viewer = token(&args.login, VIEWER).await?;
    let seq_reader = publish::Publisher::connect(&args.redis, publish::Stream::gateway()).await?;
    let mut steps = Vec::new();
    let mut index = 1_000_000_000;
    for &sockets in &args.sockets {
        let fleet = fleet::Fleet::connect(&fleet::FleetOptions {
            base_url: gateway_url.clone(),
            auth: auth_json(&viewer),
            sockets,
            from_occurred_at: true,
            connect_concurrency: 64,
            // A dashboard the gateway evicts as too slow comes back with `last_seq`; what
            // counts as lost is what it still lacks after that.
            resume: true,
        })
        .await?;
        // Warm-up (not reported).
        let warm = e2e::run_step(
            &fleet,
            &target,
            &seq_reader,
            args.rates[0].min(100.0),
            Duration::from_secs(1),
            index,
        )
        .await?;
        index += warm.intake.sent;
        for &rate in &args.rates {
            let step = e2e::run_step(
                &fleet,
                &target,
                &seq_reader,
                rate,
                Duration::from_secs_f64(args.duration),
                index,
            )
            .await?;
            index += step.intake.sent;
            steps.push(step);
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        fleet.close().await;
    }
    save(&args.out, &steps)?;
    let bad: Vec<_> = steps
        .iter()
        .filter(|s| {
            s.delivery.lost
                + s.delivery.duplicated
                + s.delivery.out_of_order
                + s.delivery.sockets_lost
                + s.intake.errors
                > 0
        })
        .map(|s| format!("{} sockets at {}/s", s.sockets, s.rate))
        .collect();
    if !bad.is_empty() {
        tracing::warn!(?bad, "end to end: losses, duplicates or failed orders");
    }
    ensure!(
        !args.strict || bad.is_empty(),
        "end to end: losses, duplicates, dropped sockets or failed orders in {bad:?} (see {})",
        args.out.display()
    );
    Ok(())
}
