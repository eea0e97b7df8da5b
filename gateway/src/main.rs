//! gateway binary: reads settings and serves until SIGTERM/SIGINT.

use gateway::{configuration::Settings, startup::Application};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    lom_platform::telemetry::init("gateway")?;
    let settings = Settings::from_env()?;
    Application::build(settings)
        .await?
        .run_until_stopped(lom_platform::server::shutdown_signal())
        .await?;
    Ok(())
}
