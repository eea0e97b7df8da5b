//! Structured logging: JSON lines by default (containers), a compact human format for local
//! development (`LOG_FORMAT=pretty`), filtered by `RUST_LOG` (default `info`). Every request
//! span carries its `request_id`, so one id follows a request across services.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::{self, ConfigError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Self::Json),
            "pretty" | "text" => Ok(Self::Pretty),
            other => Err(format!("expected json or pretty, got {other:?}")),
        }
    }
}

/// Installs the global subscriber once; later calls (tests) are no-ops.
pub fn init(service: &'static str) -> Result<(), ConfigError> {
    let format: LogFormat = config::parse_or("LOG_FORMAT", LogFormat::Json)?;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let installed = match format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(fmt::layer().compact().with_target(false))
            .try_init(),
    };
    if installed.is_ok() {
        tracing::debug!(service, "logging initialised");
    }
    Ok(())
}
