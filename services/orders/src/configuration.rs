//! Settings of orders-service, read once from the environment (plain upper-case names, as in
//! every service) and validated before anything starts.

use std::{net::SocketAddr, time::Duration};

use lom_contracts::keys;
use lom_platform::{
    config::{self, ConfigError},
    db::PoolSettings,
    http_stack::StackLimits,
};
use secrecy::SecretString;

use crate::{
    domain::{Currency, OverdueAfter},
    retention::Retention,
};

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub database_url: SecretString,
    pub pool: PoolSettings,
    pub redis_url: SecretString,
    pub users_url: String,
    pub jwks_url: String,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub upstream_timeout: Duration,
    pub default_currency: Currency,
    pub events: EventSettings,
    pub retention: Retention,
    pub limits: StackLimits,
    /// The most orders one CSV export may hold (`ORDERS_EXPORT_MAX_ROWS`).
    pub export_max_rows: i64,
    /// How long a create may wait in the intake's queue for a writer before it is refused
    /// with 503 (the load is beyond what the database writes; nothing of it is written).
    pub intake_max_wait: Duration,
    /// When set, `/metrics` answers only requests carrying it as a bearer token.
    pub metrics_token: Option<SecretString>,
    /// When a waiting order is overdue, per priority.
    pub overdue_after: OverdueAfter,
}

/// Where and how events are published. Tests give each app its own names.
#[derive(Debug, Clone)]
pub struct EventSettings {
    pub channel: String,
    pub seq_key: String,
    pub history_key: String,
    pub ids_key: String,
    pub history_cap: usize,
}

impl Default for EventSettings {
    fn default() -> Self {
        Self {
            channel: keys::EVENTS_CHANNEL.to_owned(),
            seq_key: keys::EVENTS_SEQ_KEY.to_owned(),
            history_key: keys::EVENTS_HISTORY_KEY.to_owned(),
            ids_key: keys::EVENTS_IDS_KEY.to_owned(),
            history_cap: keys::DEFAULT_HISTORY_CAP,
        }
    }
}

/// The default of [`Settings::intake_max_wait`]: well inside the gateway's request timeout.
pub const INTAKE_MAX_WAIT: Duration = Duration::from_secs(5);

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let users_url: String = config::parse_or("USERS_URL", "http://127.0.0.1:3002".to_owned())?;
        let users_url = users_url.trim_end_matches('/').to_owned();
        let jwks_url = config::parse_or("JWKS_URL", format!("{users_url}/.well-known/jwks.json"))?;
        let history_cap: usize =
            config::parse_or("ORDERS_EVENT_HISTORY", keys::DEFAULT_HISTORY_CAP)?;
        if history_cap == 0 {
            return Err(ConfigError::invalid(
                "ORDERS_EVENT_HISTORY",
                "must be at least 1",
            ));
        }
        let currency: String = config::parse_or("ORDERS_CURRENCY", "THB".to_owned())?;
        let default_currency =
            Currency::parse(&currency).map_err(|e| ConfigError::invalid("ORDERS_CURRENCY", e))?;
        let defaults = PoolSettings::default();
        Ok(Self {
            bind: config::parse_or("ORDERS_BIND", SocketAddr::from(([127, 0, 0, 1], 3001)))?,
            database_url: config::secret("ORDERS_DATABASE_URL")
                .unwrap_or_else(|| SecretString::from("postgres://postgres@127.0.0.1:5432/orders")),
            pool: PoolSettings {
                max_connections: config::parse_or(
                    "ORDERS_DB_MAX_CONNECTIONS",
                    defaults.max_connections,
                )?,
                ..defaults
            },
            redis_url: config::secret("REDIS_URL")
                .unwrap_or_else(|| SecretString::from("redis://127.0.0.1:6379")),
            users_url,
            jwks_url,
            jwt_issuer: config::parse_or("JWT_ISSUER", "lom-users".to_owned())?,
            jwt_audience: config::parse_or("JWT_AUDIENCE", "lom".to_owned())?,
            upstream_timeout: config::millis_or(
                "UPSTREAM_TIMEOUT_MS",
                Duration::from_millis(1000),
            )?,
            default_currency,
            events: EventSettings {
                history_cap,
                ..EventSettings::default()
            },
            retention: Retention {
                idempotency_keys: hours_or("ORDERS_IDEMPOTENCY_RETENTION_HOURS", 24)?,
                published_events: hours_or("ORDERS_OUTBOX_RETENTION_HOURS", 7 * 24)?,
                ..Retention::default()
            },
            limits: StackLimits::default(),
            export_max_rows: positive_or("ORDERS_EXPORT_MAX_ROWS", 100_000)?,
            intake_max_wait: config::millis_or("ORDERS_INTAKE_MAX_WAIT_MS", INTAKE_MAX_WAIT)?,
            metrics_token: config::secret("METRICS_TOKEN"),
            overdue_after: OverdueAfter {
                high: minutes_or("ORDERS_OVERDUE_HIGH_MINUTES", 15)?,
                normal: minutes_or("ORDERS_OVERDUE_NORMAL_MINUTES", 60)?,
            },
        })
    }
}

/// A whole number of minutes, at least one.
fn minutes_or(name: &str, default: u64) -> Result<Duration, ConfigError> {
    let minutes: u64 = config::parse_or(name, default)?;
    if minutes == 0 {
        return Err(ConfigError::invalid(name, "must be at least 1 minute"));
    }
    Ok(Duration::from_secs(minutes * 60))
}

/// A whole number, at least one.
fn positive_or(name: &str, default: i64) -> Result<i64, ConfigError> {
    let value: i64 = config::parse_or(name, default)?;
    if value < 1 {
        return Err(ConfigError::invalid(name, "must be at least 1"));
    }
    Ok(value)
}

/// A whole number of hours, at least one.
fn hours_or(name: &str, default: u64) -> Result<Duration, ConfigError> {
    let hours: u64 = config::parse_or(name, default)?;
    if hours == 0 {
        return Err(ConfigError::invalid(name, "must be at least 1 hour"));
    }
    Ok(Duration::from_secs(hours * 3600))
}
