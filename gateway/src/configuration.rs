//! Settings of the gateway, read once from the environment and validated at start.

use std::{net::SocketAddr, num::NonZeroU32, time::Duration};

use axum::http::HeaderValue;
use lom_contracts::keys;
use lom_platform::{
    config::{self, ConfigError},
    http_stack::StackLimits,
};
use secrecy::SecretString;

use crate::login_limit::LoginRate;

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub users_url: String,
    pub orders_url: String,
    pub jwks_url: String,
    pub redis_url: SecretString,
    pub issuer: String,
    pub audience: String,
    /// Browser origins allowed to call the API with credentials (the dashboard).
    pub allowed_origins: Vec<HeaderValue>,
    /// Mark the refresh cookie `Secure` (turn off only for plain-http local development).
    pub cookie_secure: bool,
    /// Upper bound for one upstream call; connecting is bounded separately and shorter.
    pub upstream_timeout: Duration,
    pub upstream_connect_timeout: Duration,
    pub limits: StackLimits,
    /// When set, `/metrics` answers only requests carrying it as a bearer token.
    pub metrics_token: Option<SecretString>,
    /// Sign-in attempts per client address (`LOGIN_RATE_PER_MINUTE`, `LOGIN_RATE_BURST`).
    pub login_rate: LoginRate,
    pub realtime: RealtimeSettings,
}

/// The event stream and the Socket.IO hub.
#[derive(Debug, Clone)]
pub struct RealtimeSettings {
    pub channel: String,
    pub history_key: String,
    /// Where users-service announces revoked accounts.
    pub users_channel: String,
    /// Packets queued per socket before it counts as slow and is dropped.
    pub socket_buffer: usize,
    /// The prefix of the presence keys and channel in Redis.
    pub presence_prefix: String,
    /// How long a presence entry lives unless its gateway refreshes it (`PRESENCE_TTL_MS`):
    /// how long a dead gateway's sockets still show as having an order open.
    pub presence_ttl: Duration,
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let users_url = base_url("USERS_URL", "http://127.0.0.1:3002")?;
        let orders_url = base_url("ORDERS_URL", "http://127.0.0.1:3001")?;
        let jwks_url =
            config::raw("JWKS_URL").unwrap_or_else(|| format!("{users_url}/.well-known/jwks.json"));
        let allowed_origins = config::raw("CORS_ALLOWED_ORIGINS")
            .unwrap_or_else(|| "http://localhost:3000,http://127.0.0.1:3000".to_owned())
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|o| {
                HeaderValue::from_str(o.trim_end_matches('/'))
                    .map_err(|e| ConfigError::invalid("CORS_ALLOWED_ORIGINS", e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            bind: config::parse_or("GATEWAY_BIND", SocketAddr::from(([127, 0, 0, 1], 8080)))?,
            users_url,
            orders_url,
            jwks_url,
            redis_url: config::secret("REDIS_URL")
                .unwrap_or_else(|| SecretString::from("redis://127.0.0.1:6379")),
            issuer: config::parse_or("JWT_ISSUER", "lom-users".to_owned())?,
            audience: config::parse_or("JWT_AUDIENCE", "lom".to_owned())?,
            allowed_origins,
            cookie_secure: config::flag_or("COOKIE_SECURE", true)?,
            upstream_timeout: config::millis_or("UPSTREAM_TIMEOUT_MS", Duration::from_secs(5))?,
            upstream_connect_timeout: config::millis_or(
                "UPSTREAM_CONNECT_TIMEOUT_MS",
                Duration::from_millis(500),
            )?,
            limits: StackLimits {
                body_limit_bytes: config::parse_or("BODY_LIMIT_BYTES", 256 * 1024)?,
                ..StackLimits::default()
            },
            metrics_token: config::secret("METRICS_TOKEN"),
            login_rate: LoginRate {
                per_minute: config::parse_or(
                    "LOGIN_RATE_PER_MINUTE",
                    NonZeroU32::MIN.saturating_add(59),
                )?,
                burst: config::parse_or("LOGIN_RATE_BURST", NonZeroU32::MIN.saturating_add(19))?,
            },
            realtime: RealtimeSettings {
                channel: keys::EVENTS_CHANNEL.to_owned(),
                history_key: keys::EVENTS_HISTORY_KEY.to_owned(),
                users_channel: keys::USERS_EVENTS_CHANNEL.to_owned(),
                socket_buffer: config::parse_or("SOCKET_BUFFER", 1024)?,
                presence_prefix: keys::PRESENCE_PREFIX.to_owned(),
                presence_ttl: config::millis_or("PRESENCE_TTL_MS", Duration::from_secs(15))?,
            },
        })
    }
}

fn base_url(name: &str, default: &str) -> Result<String, ConfigError> {
    let url = config::raw(name).unwrap_or_else(|| default.to_owned());
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(ConfigError::invalid(
            name,
            "must start with http:// or https://",
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}
