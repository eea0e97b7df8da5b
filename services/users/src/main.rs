//! users-service binary: `serve` (default) runs the service, `migrate` applies migrations,
//! `openapi` prints the OpenAPI document.

use clap::{Parser, Subcommand};
use users_service::{configuration::Settings, openapi, startup::Application};

/// jemalloc with background purging: memory freed after a burst (a backlog of events, Argon2's
/// 19 MiB per hash) goes back to the system within seconds, so an idle service stays small.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(version, about = "Live Order Monitor users-service")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Apply database migrations and exit.
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
        Command::Migrate => users_service::startup::migrate(&settings()?).await?,
        Command::Openapi => lom_platform::openapi::print(&openapi::document())?,
    }
    Ok(())
}

/// Starts logging and reads the settings from the environment.
fn settings() -> anyhow::Result<Settings> {
    lom_platform::telemetry::init("users-service")?;
    Ok(Settings::from_env()?)
}
