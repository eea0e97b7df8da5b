//! The orders-service binary: `serve` (default) runs the API and the outbox relay;
//! `migrate` applies pending migrations and exits; `openapi` prints the OpenAPI document.

use clap::{Parser, Subcommand};
use orders_service::{
    configuration::Settings,
    openapi,
    startup::{self, Application},
};

/// jemalloc with background purging: memory freed after a burst (a backlog of events, Argon2's
/// 19 MiB per hash) goes back to the system within seconds, so an idle service stays small.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(name = "orders-service", about = "Live Order Monitor orders-service")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the internal API and relay events (default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (JSON) and exit; needs no settings.
    Openapi,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => {
            Application::build(settings()?)
                .await?
                .run_until_stopped(lom_platform::server::shutdown_signal())
                .await?;
        }
        Command::Migrate => {
            let pool = startup::pool(&settings()?)?;
            startup::migrate(&pool).await?;
            tracing::info!("migrations applied");
        }
        Command::Openapi => lom_platform::openapi::print(&openapi::document())?,
    }
    Ok(())
}

/// Starts logging and reads the settings from the environment.
fn settings() -> anyhow::Result<Settings> {
    lom_platform::telemetry::init("orders-service")?;
    Ok(Settings::from_env()?)
}
