//! Open-model order intake at rising rates: a warm-up, the ramp, the sustained maximum.

use std::time::Duration;

use anyhow::ensure;
use clap::Args;

use super::{Login, Ramp, STOREFRONT, save, token};
use crate::{check::Checker, gateway, intake};

#[derive(Args)]
pub struct IntakeArgs {
    #[command(flatten)]
    login: Login,
    #[command(flatten)]
    ramp: Ramp,
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
        args.ramp.rates[0].min(200.0),
        Duration::from_secs(1),
        args.ramp.max_in_flight,
        2_000_000_000,
    )
    .await;
    let checker = Checker::connect(&args.ramp.orders_database_url, &args.ramp.redis).await?;
    let steps = intake::ramp(
        &target,
        &checker,
        &args.ramp.rates,
        Duration::from_secs_f64(args.ramp.duration),
        args.ramp.max_in_flight,
        args.ramp.p99_limit_ms,
    )
    .await?;
    let max_sustained_per_s = steps
        .iter()
        .filter(|s| s.sustained(args.ramp.p99_limit_ms))
        .map(|s| s.rate)
        .fold(0.0, f64::max);
    let all_delivered = steps.len() == args.ramp.rates.len()
        && steps.iter().all(|s| s.errors == 0 && s.created == s.sent);
    let unchecked: Vec<String> = steps
        .iter()
        .filter(|s| !s.check.as_ref().is_some_and(|c| c.passed()))
        .map(|s| format!("{}/s: {:?}", s.rate, s.check))
        .collect();
    save(
        &args.ramp.out,
        &intake::IntakeResult {
            duration_s: args.ramp.duration,
            p99_limit_ms: args.ramp.p99_limit_ms,
            max_sustained_per_s,
            steps,
        },
    )?;
    ensure!(
        unchecked.is_empty(),
        "intake: acknowledged orders missing, duplicated or without their one event: {unchecked:?} (see {})",
        args.ramp.out.display()
    );
    ensure!(
        !args.ramp.strict || all_delivered,
        "intake: a step had errors (see {})",
        args.ramp.out.display()
    );
    Ok(())
}
