//! gateway binary: reads settings and serves until SIGTERM/SIGINT; `gateway openapi` prints
//! the public OpenAPI document instead (committed as `docs/openapi/gateway.json`).

use clap::{Parser, Subcommand};
use gateway::{configuration::Settings, openapi, startup::Application};

/// jemalloc with background purging: memory freed after a burst (a backlog of events, Argon2's
/// 19 MiB per hash) goes back to the system within seconds, so an idle service stays small.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    version,
    about = "Live Order Monitor gateway: the public REST API and Socket.IO hub"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print the public OpenAPI document (JSON) and exit.
    Openapi,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if let Some(Command::Openapi) = Cli::parse().command {
        lom_platform::openapi::print(&openapi::document()?)?;
        return Ok(());
    }
    lom_platform::telemetry::init("gateway")?;
    let settings = Settings::from_env()?;
    Application::build(settings)
        .await?
        .run_until_stopped(lom_platform::server::shutdown_signal())
        .await?;
    Ok(())
}
