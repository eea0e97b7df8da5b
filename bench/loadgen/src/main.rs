//! lom-loadgen: the load generator of `make bench`. Each subcommand runs one benchmark
//! against an already running stack (started by `bench/run.sh`) and writes its results as
//! JSON; `report` turns a results folder into `docs/benchmarks.md` and charts. `chaos` is the
//! load, dashboards and checker of `make chaos` (stack and faults: `scripts/chaos.sh`).

mod chaos;
mod chart;
mod clock;
mod e2e;
mod fanout;
mod fleet;
mod gateway;
mod intake;
mod memory;
mod publish;
mod report;
mod sio;
mod stats;

use std::{io::Write, path::PathBuf, time::Duration};

use anyhow::{Context, ensure};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;

#[derive(Parser)]
#[command(name = "lom-loadgen", version, about = "Live Order Monitor benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print `count` free TCP ports on 127.0.0.1, one per line.
    FreePorts {
        #[arg(long, default_value_t = 1)]
        count: usize,
    },
    /// Open-model order intake at rising rates.
    Intake(IntakeArgs),
    /// Dashboards on the gateway while orders flow: latency and exactly-once per socket.
    E2e(E2eArgs),
    /// Fan-out of events published into Redis to a fleet on a hub.
    Fanout(FanoutArgs),
    /// Resident memory per idle socket of a hub.
    Memory(MemoryArgs),
    /// Resident memory of processes (`name=pid`).
    Rss(RssArgs),
    /// Write the report (markdown and charts) from a results folder.
    Report(report::ReportArgs),
    /// Load, dashboards and checker of a chaos run (faults come from scripts/chaos.sh).
    Chaos(chaos::ChaosArgs),
}

#[derive(Args)]
struct Login {
    /// Gateway base URL.
    #[arg(long)]
    gateway: String,
    /// Password of the demo accounts.
    #[arg(long, env = "LOM_DEMO_PASSWORD", hide_env_values = true)]
    password: String,
}

#[derive(Args)]
struct IntakeArgs {
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

#[derive(Args)]
struct E2eArgs {
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

#[derive(Args)]
struct FanoutArgs {
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

#[derive(Args)]
struct MemoryArgs {
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

#[derive(Args)]
struct RssArgs {
    /// What the readings are (e.g. `idle after start`).
    #[arg(long)]
    label: String,
    /// `name=pid`, repeated.
    #[arg(long = "pid", required = true)]
    pids: Vec<String>,
    #[arg(long)]
    out: PathBuf,
}

const VIEWER: &str = "viewer@example.com";
const STOREFRONT: &str = "storefront@example.com";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .with_writer(std::io::stderr)
        .compact()
        .init();
    let _ = clock::epoch();
    match Cli::parse().command {
        Command::FreePorts { count } => free_ports(count),
        Command::Intake(args) => run_intake(args).await,
        Command::E2e(args) => run_e2e(args).await,
        Command::Fanout(args) => run_fanout(args).await,
        Command::Memory(args) => run_memory(args).await,
        Command::Rss(args) => run_rss(&args),
        Command::Report(args) => report::write(&args),
        Command::Chaos(args) => chaos::run(args).await,
    }
}

fn free_ports(count: usize) -> anyhow::Result<()> {
    // Hold them all open at once so they are distinct.
    let listeners = (0..count)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = std::io::stdout().lock();
    for listener in listeners {
        writeln!(out, "{}", listener.local_addr()?.port())?;
    }
    Ok(())
}

fn save(path: &PathBuf, value: &impl Serialize) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(value)?;
    std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))
}

async fn token(login: &Login, email: &str) -> anyhow::Result<String> {
    let http = gateway::http_client()?;
    gateway::sign_in(
        &http,
        login.gateway.trim_end_matches('/'),
        email,
        &login.password,
    )
    .await
}

fn auth_json(token: &str) -> String {
    serde_json::json!({ "token": token }).to_string()
}

async fn run_intake(args: IntakeArgs) -> anyhow::Result<()> {
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

async fn run_e2e(args: E2eArgs) -> anyhow::Result<()> {
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
            s.delivery.lost + s.delivery.duplicated + s.delivery.sockets_lost + s.intake.errors > 0
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

async fn run_fanout(args: FanoutArgs) -> anyhow::Result<()> {
    let login = Login {
        gateway: args.gateway.clone(),
        password: args.password.clone(),
    };
    let viewer = token(&login, VIEWER).await?;
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
            s.publish_failures + s.delivery.lost + s.delivery.duplicated + s.delivery.sockets_lost
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

async fn run_memory(args: MemoryArgs) -> anyhow::Result<()> {
    let login = Login {
        gateway: args.gateway.clone(),
        password: args.password.clone(),
    };
    let viewer = token(&login, VIEWER).await?;
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

fn run_rss(args: &RssArgs) -> anyhow::Result<()> {
    let readings = args
        .pids
        .iter()
        .map(|entry| {
            let (name, pid) = entry.split_once('=').context("--pid takes name=pid")?;
            Ok(memory::ServiceRss {
                service: name.to_owned(),
                label: args.label.clone(),
                rss_kib: memory::rss_kib(pid.parse().context("pid")?)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    save(&args.out, &readings)
}
