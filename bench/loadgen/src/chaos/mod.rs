//! `lom-loadgen chaos`: the client side of `make chaos` (scripts/chaos.sh runs the stack and
//! the faults). It creates the dashboards' accounts, warms the services up, measures their
//! memory, connects the dashboards ([`dashboards`]) and runs the write load ([`load`]); it tells
//! the script it is ready, runs until the script says stop, lets everything settle, then judges
//! the run against the database ([`checker`]), attributes outcomes to the faults the script
//! logged ([`faults`]), measures memory again, prints the table and fails on any loss.

mod checker;
mod dashboards;
mod faults;
mod load;

use std::{
    fmt::Write as _,
    path::PathBuf,
    sync::{Arc, atomic::AtomicBool},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::gateway;
use dashboards::{Account, Fleet, Scope};
use load::{Gateways, Load, Writers};

#[derive(Args)]
pub struct ChaosArgs {
    /// Gateway base URLs (comma-separated); writes and dashboards are spread over them.
    #[arg(long, value_delimiter = ',', required = true)]
    gateways: Vec<String>,
    /// The orders database, read by the checker.
    #[arg(long)]
    orders_database_url: String,
    /// Password of the admin and demo accounts (also given to the accounts it creates).
    #[arg(long, env = "LOM_DEMO_PASSWORD", hide_env_values = true)]
    password: String,
    /// Writes per second (creates, status changes, assignments).
    #[arg(long, default_value_t = 200.0)]
    rate: f64,
    /// Dashboard sockets, spread over the accounts below and the admin.
    #[arg(long, default_value_t = 240)]
    dashboards: usize,
    /// Agent accounts to create (each sees only the orders assigned to it).
    #[arg(long, default_value_t = 40)]
    agents: usize,
    #[arg(long, default_value_t = 8)]
    viewers: usize,
    #[arg(long, default_value_t = 4)]
    dispatchers: usize,
    /// Seconds of load before the memory baseline (no dashboards yet).
    #[arg(long, default_value_t = 10.0)]
    warmup: f64,
    /// Folder shared with the script: `ready` (written here), `stop` and `faults.tsv` (read).
    #[arg(long)]
    control: PathBuf,
    /// Folder of `<service>` files holding each service's current pid.
    #[arg(long)]
    pids: PathBuf,
    /// Services whose memory is compared before and after (names of files in `--pids`).
    #[arg(long, value_delimiter = ',', required = true)]
    services: Vec<String>,
    /// Fail when a service's memory after the run exceeds this multiple of before (unset: only
    /// report it; the short run's debug binaries on a busy machine are too noisy to judge).
    #[arg(long)]
    memory_limit: Option<f64>,
    /// The longest the faults may take before the run gives up.
    #[arg(long, default_value_t = 900.0)]
    max_seconds: f64,
    #[arg(long)]
    out: PathBuf,
}

/// Quiet time (no events, every dashboard connected and loaded) before judging.
const QUIET: Duration = Duration::from_secs(3);
const SETTLE: Duration = Duration::from_secs(3);

#[derive(Serialize)]
struct Report<'a> {
    rate: f64,
    dashboards: usize,
    faults: &'a [faults::Fault],
    verdict: &'a checker::Verdict,
    rss: &'a [faults::Rss],
    refetches: u64,
    quiet_reached: bool,
}

pub async fn run(args: ChaosArgs) -> anyhow::Result<()> {
    let urls: Vec<String> = args
        .gateways
        .iter()
        .map(|u| u.trim_end_matches('/').to_owned())
        .collect();
    let gateways = Gateways::new(urls.clone())?;
    let (writers, accounts) = accounts(&args, &gateways, &urls[0]).await?;
    let run_id = Uuid::new_v4().simple().to_string()[..8].to_owned();
    let load = Arc::new(Load::new(gateways.clone(), writers, run_id));

    tracing::info!(seconds = args.warmup, "warm-up load (no dashboards yet)");
    let running = Arc::new(AtomicBool::new(true));
    let warm = spawn_load(&load, args.rate, &running);
    tokio::time::sleep(Duration::from_secs_f64(args.warmup)).await;
    running.store(false, std::sync::atomic::Ordering::Relaxed);
    warm.await?;
    tokio::time::sleep(SETTLE).await;
    let before = faults::read_rss(&args.pids, &args.services)?;

    let dashboards: Vec<Account> = (0..args.dashboards)
        .map(|i| accounts[i % accounts.len()].clone())
        .collect();
    let fleet = Fleet::connect(dashboards, gateways.clone()).await?;
    tracing::info!(
        dashboards = fleet.dashboards.len(),
        "dashboards connected and loaded"
    );

    let start_ms = faults::wall_ms();
    let running = Arc::new(AtomicBool::new(true));
    let writing = spawn_load(&load, args.rate, &running);
    std::fs::write(args.control.join("ready"), b"")?;
    let deadline = Instant::now() + Duration::from_secs_f64(args.max_seconds);
    while !args.control.join("stop").exists() {
        if Instant::now() > deadline {
            bail!("no stop from the script within {} s", args.max_seconds);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    running.store(false, std::sync::atomic::Ordering::Relaxed);
    writing.await?;
    tracing::info!("load stopped; waiting for the dashboards to settle");
    let quiet_reached = fleet
        .wait_quiet(QUIET, Instant::now() + Duration::from_secs(90))
        .await;
    if !quiet_reached {
        tracing::warn!("the dashboards did not settle within 90 s; judging them as they are");
    }

    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(&args.orders_database_url)
        .await
        .context("connecting to the orders database")?;
    let db = checker::Database::read(&pool).await?;
    let faults = faults::read_log(&args.control.join("faults.tsv"))?;
    let windows = faults::Windows::new(start_ms, &faults);
    let attempts = load.ledger.take();
    let verdict = checker::check(&attempts, &db, &fleet.dashboards, &windows);
    let refetches = fleet
        .snapshots
        .fetches
        .load(std::sync::atomic::Ordering::Relaxed);
    fleet.close().await;

    tokio::time::sleep(SETTLE).await;
    let after = faults::read_rss(&args.pids, &args.services)?;
    let rss: Vec<faults::Rss> = before
        .into_iter()
        .zip(after)
        .map(|((service, before_kib), (_, after_kib))| faults::Rss {
            service,
            before_kib,
            after_kib,
        })
        .collect();
    let memory_ok = args
        .memory_limit
        .is_none_or(|limit| rss.iter().all(|r| r.ratio() <= limit));

    std::io::Write::write_all(
        &mut std::io::stdout().lock(),
        table(&faults, &verdict, &rss).as_bytes(),
    )?;
    crate::phases::save(
        &args.out,
        &Report {
            rate: args.rate,
            dashboards: args.dashboards,
            faults: &faults,
            verdict: &verdict,
            rss: &rss,
            refetches,
            quiet_reached,
        },
    )?;
    anyhow::ensure!(
        verdict.passed() && memory_ok && quiet_reached,
        "the chaos run failed: {}",
        [
            (!verdict.passed()).then_some("writes, events or boards (see the table and examples)"),
            (!memory_ok).then_some("memory grew beyond --memory-limit"),
            (!quiet_reached).then_some("the dashboards did not settle"),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
    );
    Ok(())
}

fn spawn_load(
    load: &Arc<Load>,
    rate: f64,
    running: &Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    let (load, running) = (load.clone(), running.clone());
    tokio::spawn(async move { load.run(rate, &running).await })
}

/// Signs in, creates the agents, viewers and dispatchers, and returns the writers and the
/// accounts the dashboards run as.
async fn accounts(
    args: &ChaosArgs,
    gateways: &Gateways,
    gateway_url: &str,
) -> anyhow::Result<(Writers, Vec<Account>)> {
    let http = &gateways.http;
    let sign_in = |email: String| async move {
        gateway::sign_in(http, gateway_url, &email, &args.password)
            .await
            .map(|token| (email, token))
    };
    let (_, admin) = sign_in("admin@example.com".into()).await?;
    let (_, storefront) = sign_in("storefront@example.com".into()).await?;
    let (_, dispatcher) = sign_in("dispatcher@example.com".into()).await?;
    let mut dashboards = vec![Account {
        email: "admin@example.com".into(),
        scope: Scope::All,
        token: admin.clone(),
    }];
    let mut agents = Vec::new();
    for (role, count) in [
        ("agent", args.agents),
        ("viewer", args.viewers),
        ("dispatcher", args.dispatchers),
    ] {
        for i in 0..count {
            let email = format!("chaos-{role}-{i}@example.com");
            let user = create_user(http, gateway_url, &admin, &email, role, &args.password).await?;
            let (email, token) = sign_in(email).await?;
            let scope = if role == "agent" {
                agents.push((user, token.clone()));
                Scope::AssignedTo(user)
            } else {
                Scope::All
            };
            dashboards.push(Account {
                email,
                scope,
                token,
            });
        }
    }
    anyhow::ensure!(!agents.is_empty(), "the load needs at least one agent");
    Ok((
        Writers {
            storefront,
            dispatcher,
            agents,
        },
        dashboards,
    ))
}

async fn create_user(
    http: &reqwest::Client,
    gateway_url: &str,
    admin: &str,
    email: &str,
    role: &str,
    password: &str,
) -> anyhow::Result<Uuid> {
    let response = http
        .post(format!("{gateway_url}/api/v1/users"))
        .bearer_auth(admin)
        .json(&json!({ "email": email, "password": password, "roles": [role] }))
        .send()
        .await?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or_default();
    anyhow::ensure!(
        status.is_success(),
        "creating {email} failed: {status} {body}"
    );
    body["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .context("the created user has no id")
}

/// The report: one row per fault window, then the totals, the other checks and memory.
fn table(faults: &[faults::Fault], verdict: &checker::Verdict, rss: &[faults::Rss]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n| fault | downtime | writes | acked | refused 503 | refused other | not sent | unknown (applied) | lost | duplicated | refused but present | duplicate events | out-of-order events | dashboards resynced |"
    );
    let _ = writeln!(
        out,
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    );
    let row = |out: &mut String, name: &str, downtime: &str, c: &checker::Counts| {
        let _ = writeln!(
            out,
            "| {name} | {downtime} | {} | {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} | {} |",
            c.writes,
            c.acked,
            c.refused_503,
            c.refused_other,
            c.not_sent,
            c.unknown,
            c.unknown_applied,
            c.lost,
            c.duplicated,
            c.refused_present,
            c.duplicate_events,
            c.out_of_order_events,
            c.dashboards_resynced
        );
    };
    for (i, (name, counts)) in verdict.windows.iter().enumerate() {
        let downtime = i
            .checked_sub(1)
            .and_then(|f| faults.get(f))
            .map_or("–".to_owned(), |f| format!("{:.1} s", f.downtime_s()));
        row(&mut out, name, &downtime, counts);
    }
    row(&mut out, "**total**", "", &verdict.total);
    let _ = writeln!(
        out,
        "\nboards equal to the database for their scope: {} of {}; orders whose row disagrees with its newest event: {}",
        verdict.boards_equal, verdict.boards_checked, verdict.inconsistent_orders
    );
    let unacknowledged: Vec<String> = verdict
        .unacknowledged
        .iter()
        .map(|(what, n)| format!("{what}: {n}"))
        .collect();
    let _ = writeln!(
        out,
        "\nwrites not acknowledged, by kind and answer: {}",
        if unacknowledged.is_empty() {
            "none".to_owned()
        } else {
            unacknowledged.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "\n| service | RSS before | RSS after | after / before |\n|---|--:|--:|--:|"
    );
    for r in rss {
        let _ = writeln!(
            out,
            "| {} | {:.1} MiB | {:.1} MiB | {:.2} |",
            r.service,
            r.before_kib as f64 / 1024.0,
            r.after_kib as f64 / 1024.0,
            r.ratio()
        );
    }
    if !verdict.examples.is_empty() {
        let _ = writeln!(out, "\nexamples of what failed:");
        for example in &verdict.examples {
            let _ = writeln!(out, "- {example}");
        }
    }
    let _ = writeln!(
        out,
        "\nverdict: {}",
        if verdict.passed() {
            "nothing lost, duplicated or out of order; every board equals the database"
        } else {
            "FAILED"
        }
    );
    out
}
