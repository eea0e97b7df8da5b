//! demo-storefront: a stand-in for a real shop. `run` (the default) signs in through the
//! gateway as the storefront service account and places realistic orders at a steady rate;
//! `seed-users` creates the demo account of each role through users-service as the admin.

mod generator;
mod seed;
mod storefront;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "demo-storefront",
    version,
    about = "Live Order Monitor demo storefront and load tool"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Place orders through the gateway at a steady rate (the default).
    Run(RunArgs),
    /// Create (or reset) the demo users of every role through users-service, as the admin.
    SeedUsers(SeedArgs),
}

#[derive(Args, Clone)]
struct RunArgs {
    /// Gateway base URL.
    #[arg(long, env = "LOM_GATEWAY_URL", default_value = "http://localhost:8080")]
    gateway: String,
    /// Orders per second (fractions allowed, e.g. 0.2).
    #[arg(long, env = "LOM_DEMO_RATE", default_value_t = 1.0)]
    rate: f64,
    /// Stop after this many orders (default: run until stopped).
    #[arg(long)]
    count: Option<u64>,
    /// Requests in flight at most.
    #[arg(long, default_value_t = 64)]
    max_in_flight: usize,
    /// The storefront service account.
    #[arg(
        long,
        env = "LOM_STOREFRONT_EMAIL",
        default_value = "storefront@example.com"
    )]
    email: String,
    /// The storefront account's password (`make dev`: the shared demo password).
    #[arg(long, env = "LOM_DEMO_PASSWORD", hide_env_values = true)]
    password: Option<String>,
}

#[derive(Args)]
struct SeedArgs {
    /// users-service base URL (internal API).
    #[arg(long, env = "USERS_URL", default_value = "http://127.0.0.1:3002")]
    users_url: String,
    /// The administrator to act as.
    #[arg(long, env = "LOM_ADMIN_EMAIL", default_value = "admin@example.com")]
    admin_email: String,
    /// The administrator's password.
    #[arg(long, env = "LOM_ADMIN_PASSWORD", hide_env_values = true)]
    admin_password: String,
    /// The password every demo account gets.
    #[arg(long, env = "LOM_DEMO_PASSWORD", hide_env_values = true)]
    password: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .compact()
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::SeedUsers(args)) => {
            seed::seed_users(&seed::SeedOptions {
                users_url: args.users_url,
                admin_email: args.admin_email,
                admin_password: args.admin_password,
                password: args.password,
            })
            .await
        }
        Some(Command::Run(args)) => run(args).await,
        None => run(cli.run).await,
    }
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    let password = args.password.ok_or_else(|| {
        anyhow::anyhow!("set --password or LOM_DEMO_PASSWORD (the storefront account's password)")
    })?;
    let options = storefront::StorefrontOptions {
        gateway: args.gateway.trim_end_matches('/').to_owned(),
        email: args.email,
        password,
        rate: args.rate,
        count: args.count,
        max_in_flight: args.max_in_flight,
    };
    storefront::run(options, shutdown_signal()).await?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
