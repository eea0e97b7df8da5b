//! lom-loadgen: the load generator of `make bench`. Each subcommand runs one benchmark
//! against an already running stack (started by `bench/run.sh`) and writes its results as
//! JSON; `report` turns a results folder into `docs/benchmarks.md` and charts. `chaos` is the
//! load, dashboards and checker of `make chaos` (stack and faults: `scripts/chaos.sh`).

mod chaos;
mod chart;
mod check;
mod clock;
mod cpu;
mod e2e;
mod fanout;
mod fleet;
mod gateway;
mod intake;
mod memory;
mod mixed;
mod phases;
mod publish;
mod report;
mod sio;
mod stats;

use std::io::Write;

use clap::{Parser, Subcommand};

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
    /// Open-model order intake at rising rates, each step's 201s checked.
    Intake(phases::intake::IntakeArgs),
    /// Open-model mixed traffic (creates, status changes, assignments) at rising rates.
    Mixed(phases::mixed::MixedArgs),
    /// Dashboards on the gateway while orders flow: latency and exactly-once per socket.
    E2e(phases::e2e::E2eArgs),
    /// Fan-out of events published into Redis to a fleet on a hub.
    Fanout(phases::fanout::FanoutArgs),
    /// Resident memory per idle socket of a hub.
    Memory(phases::memory::MemoryArgs),
    /// Resident memory of processes (`name=pid`).
    Rss(phases::rss::RssArgs),
    /// Write the report (markdown and charts) from a results folder.
    Report(report::ReportArgs),
    /// Load, dashboards and checker of a chaos run (faults come from scripts/chaos.sh).
    Chaos(chaos::ChaosArgs),
}

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
        Command::Intake(args) => phases::intake::run(args).await,
        Command::Mixed(args) => phases::mixed::run(args).await,
        Command::E2e(args) => phases::e2e::run(args).await,
        Command::Fanout(args) => phases::fanout::run(args).await,
        Command::Memory(args) => phases::memory::run(args).await,
        Command::Rss(args) => phases::rss::run(&args),
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
