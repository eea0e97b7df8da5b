//! Open-model order intake at rising rates: a warm-up, the ramp, the sustained maximum.

use std::{path::PathBuf, time::Duration};

use anyhow::ensure;
use clap::Args;

use super::{Login, STOREFRONT, save, token};
use crate::{gateway, intake};

#[derive(Args)]
pub struct IntakeArgs {
    #[command(flatten)]
    login: Login,
    /// Orders per second of each step, in order.
    #[arg(long, value_delimiter = ',', required = true)]
    rates: Vec<f64>,
    /// Seconds per step.
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// A step with a higher p99 (ms) ends the ramp.
    #[arg(long, default_value_t = 100.0)]
    p99_limit_ms: f64,
    #[arg(long, default_value_t = 8_192)]
    max_in_flight: usize,
    /// Fail unless every step was sustained.
    #[arg(long)]
    strict: bool,
    #[arg(long)]
    out: PathBuf,
}

pub async fn run(args: IntakeArgs) -> anyhow::Result<()> {
    let target = intake::Target {
        http: gateway::http_client()?,
        gateway: args.login.gateway.trim_end_matches('/').to_owned(),
        token: token(&args.login, STOREFRONT).await?,
    };
    // Warm-up (not reported): connections opened, caches filled.
    let _ = intake::run_step(
        &target,
        args.rates[0].min(200.0),
        Duration::from_secs(1),
        args.max_in_flight,
        2_000_000_000,
    )
    .await;
    let steps = intake::ramp(
        &target,
        &args.rates,
        Duration::from_secs_f64(args.duration),
        args.max_in_flight,
        args.p99_limit_ms,
    )
    .await;
    let max_sustained_per_s = steps
        .iter()
        .filter(|s| s.sustained(args.p99_limit_ms))
        .map(|s| s.rate)
        .fold(0.0, f64::max);
    let all_delivered = steps.len() == args.rates.len()
        && steps.iter().all(|s| s.errors == 0 && s.created == s.sent);
    save(
        &args.out,
        &intake::IntakeResult {
            duration_s: args.duration,
            p99_limit_ms: args.p99_limit_ms,
            max_sustained_per_s,
            steps,
        },
    )?;
    ensure!(
        !args.strict || all_delivered,
        "intake: a step had errors (see {})",
        args.out.display()
    );
    Ok(())
}
