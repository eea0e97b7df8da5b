//! The orders-service binary: `serve` (default) runs the API and the outbox relay;
//! `migrate` applies pending migrations and exits.

use clap::{Parser, Subcommand};
use orders_service::{
    configuration::Settings,
    startup::{self, Application},
};

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
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    lom_platform::telemetry::init("orders-service")?;
    let settings = Settings::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await?;
        }
        Command::Migrate => {
            let pool = startup::pool(&settings)?;
            startup::migrate(&pool).await?;
            tracing::info!("migrations applied");
        }
    }
    Ok(())
}
