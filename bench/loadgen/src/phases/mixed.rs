//! Mixed traffic at rising rates: a warm-up that fills the pool of orders, then the ramp; per
//! step the CPU of each service, and the check of the step's creates.

use std::{sync::Arc, time::Duration};

use anyhow::{Context, ensure};
use clap::Args;

use super::{Login, Ramp, STOREFRONT, save, token};
use crate::{
    check::Checker,
    cpu::Meter,
    gateway,
    mixed::{self, MixedResult, Traffic},
};

const DISPATCHER: &str = "dispatcher@example.com";
const AGENT: &str = "agent@example.com";

#[derive(Args)]
pub struct MixedArgs {
    #[command(flatten)]
    login: Login,
    #[command(flatten)]
    ramp: Ramp,
    /// Processes whose CPU each step measures, `name=pid`, repeated (and always the backends
    /// of the orders database and the load generator itself).
    #[arg(long = "pid")]
    pids: Vec<String>,
}

pub async fn run(args: MixedArgs) -> anyhow::Result<()> {
    let http = gateway::http_client()?;
    let gateway_url = args.login.gateway.trim_end_matches('/').to_owned();
    let agent_token = token(&args.login, AGENT).await?;
    let traffic = Traffic {
        agent: user_id(&http, &gateway_url, &agent_token).await?,
        storefront: token(&args.login, STOREFRONT).await?,
        dispatcher: token(&args.login, DISPATCHER).await?,
        http,
        gateway: gateway_url,
        orders: Arc::default(),
    };
    let checker = Checker::connect(&args.ramp.orders_database_url, &args.ramp.redis).await?;
    let meter = Meter::new(&args.pids, checker.pool().clone())?;
    // Warm-up (not reported): connections opened, and orders in the pool for the updates.
    let (warm, _) = mixed::run_step(
        &traffic,
        args.ramp.rates[0].min(200.0),
        Duration::from_secs(2),
        args.ramp.max_in_flight,
        3_000_000_000,
    )
    .await;
    let mut index = 3_000_000_000 + warm.kinds.iter().map(|k| k.sent).sum::<u64>();
    let mut steps = Vec::new();
    let mut misses = 0;
    for &rate in &args.ramp.rates {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let from_seq = checker.current_seq().await?;
        let before = meter.sample().await?;
        let (mut step, acked) = mixed::run_step(
            &traffic,
            rate,
            Duration::from_secs_f64(args.ramp.duration),
            args.ramp.max_in_flight,
            index,
        )
        .await;
        step.cpu_s = meter.seconds(&before, &meter.sample().await?);
        step.check = Some(checker.verify(&acked, from_seq).await?);
        index += step.kinds.iter().map(|k| k.sent).sum::<u64>();
        misses = if step.sustained(args.ramp.p99_limit_ms) {
            0
        } else {
            misses + 1
        };
        steps.push(step);
        if misses == 2 {
            break;
        }
    }
    let max_sustained_per_s = steps
        .iter()
        .filter(|s| s.sustained(args.ramp.p99_limit_ms))
        .map(|s| s.rate)
        .fold(0.0, f64::max);
    let all_succeeded = steps.len() == args.ramp.rates.len()
        && steps.iter().all(|s| {
            s.kinds
                .iter()
                .all(|k| k.ok == k.sent && k.no_free_order == 0)
        });
    let unchecked: Vec<String> = steps
        .iter()
        .filter(|s| !s.check.as_ref().is_some_and(|c| c.passed()))
        .map(|s| format!("{}/s: {:?}", s.rate, s.check))
        .collect();
    save(
        &args.ramp.out,
        &MixedResult {
            duration_s: args.ramp.duration,
            p99_limit_ms: args.ramp.p99_limit_ms,
            max_sustained_per_s,
            steps,
        },
    )?;
    ensure!(
        unchecked.is_empty(),
        "mixed: acknowledged orders missing, duplicated or without their one event: {unchecked:?} (see {})",
        args.ramp.out.display()
    );
    ensure!(
        !args.ramp.strict || all_succeeded,
        "mixed: a step had conflicts, errors or updates without a free order (see {})",
        args.ramp.out.display()
    );
    Ok(())
}

/// The signed-in user's id (`GET /auth/me`).
async fn user_id(http: &reqwest::Client, gateway: &str, token: &str) -> anyhow::Result<uuid::Uuid> {
    let me: serde_json::Value = http
        .get(format!("{gateway}/api/v1/auth/me"))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    me["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .with_context(|| format!("no user id in {me}"))
}
