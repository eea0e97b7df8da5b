//! Settings of users-service, read once from the environment and validated at start.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use ipnet::IpNet;
use lom_platform::{
    config::{self, ConfigError},
    db::PoolSettings,
    http_stack::StackLimits,
};
use secrecy::SecretString;
use sqlx::postgres::PgConnectOptions;

use crate::throttle::ThrottlePolicy;

/// Where the access-token signing key comes from.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// PEM text from `USERS_JWT_PRIVATE_KEY` (production: a secret store fills it).
    Pem(SecretString),
    /// A file, generated on first start when absent (`USERS_JWT_PRIVATE_KEY_FILE`).
    File(PathBuf),
}

/// The first administrator, created on start when no active admin exists.
#[derive(Debug, Clone)]
pub struct AdminSeed {
    pub email: String,
    pub password: SecretString,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub database: PgConnectOptions,
    pub pool: PoolSettings,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// A refresh token presented again this soon after its rotation, while its successor is
    /// still unused, is a concurrent refresh (two tabs), not a replay: it gets a new access
    /// token and the family lives (RFC 9700 §4.14.2). Later, or once the successor was used,
    /// it is reuse and the family is revoked.
    pub refresh_reuse_grace: Duration,
    pub signing_key: KeySource,
    pub admin_seed: Option<AdminSeed>,
    /// Peers whose last `X-Forwarded-For` entry is taken as the client address (the
    /// gateways); from anyone else the header is ignored.
    pub trusted_proxies: Vec<IpNet>,
    pub throttle: ThrottlePolicy,
    pub limits: StackLimits,
    /// When set, `/metrics` answers only requests carrying it as a bearer token.
    pub metrics_token: Option<SecretString>,
    /// At most this many password hashes are computed at once (memory-hard: ~19 MiB each).
    pub hashing_concurrency: usize,
    /// Where revoked accounts are announced to the gateways.
    pub redis_url: SecretString,
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let database_url = config::raw("USERS_DATABASE_URL")
            .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/users".to_owned());
        let database: PgConnectOptions = database_url
            .parse()
            .map_err(|e| ConfigError::invalid("USERS_DATABASE_URL", e))?;
        let signing_key = match config::secret("USERS_JWT_PRIVATE_KEY") {
            Some(pem) => KeySource::Pem(pem),
            None => KeySource::File(config::parse_or(
                "USERS_JWT_PRIVATE_KEY_FILE",
                PathBuf::from(".data/keys/jwt-ed25519.pem"),
            )?),
        };
        let admin_seed = match (
            config::raw("LOM_ADMIN_EMAIL"),
            config::secret("LOM_ADMIN_PASSWORD"),
        ) {
            (Some(email), Some(password)) => Some(AdminSeed { email, password }),
            (None, None) => None,
            _ => {
                return Err(ConfigError::invalid(
                    "LOM_ADMIN_PASSWORD",
                    "set LOM_ADMIN_EMAIL and LOM_ADMIN_PASSWORD together",
                ));
            }
        };
        let settings = Self {
            bind: config::parse_or("USERS_BIND", SocketAddr::from(([127, 0, 0, 1], 3002)))?,
            database,
            pool: PoolSettings {
                max_connections: config::parse_or("USERS_DB_MAX_CONNECTIONS", 10)?,
                acquire_timeout: config::millis_or(
                    "DB_ACQUIRE_TIMEOUT_MS",
                    Duration::from_millis(1500),
                )?,
                ..PoolSettings::default()
            },
            issuer: config::parse_or("JWT_ISSUER", "lom-users".to_owned())?,
            audience: config::parse_or("JWT_AUDIENCE", "lom".to_owned())?,
            access_ttl: config::secs_or("ACCESS_TOKEN_TTL_SECS", Duration::from_secs(900))?,
            refresh_ttl: config::secs_or(
                "REFRESH_TOKEN_TTL_SECS",
                Duration::from_secs(14 * 24 * 3600),
            )?,
            refresh_reuse_grace: config::millis_or(
                "REFRESH_REUSE_GRACE_MS",
                Duration::from_secs(2),
            )?,
            signing_key,
            admin_seed,
            trusted_proxies: trusted_proxies("USERS_TRUSTED_PROXIES")?,
            throttle: ThrottlePolicy::default(),
            limits: StackLimits {
                body_limit_bytes: config::parse_or("BODY_LIMIT_BYTES", 64 * 1024)?,
                ..StackLimits::default()
            },
            metrics_token: config::secret("METRICS_TOKEN"),
            hashing_concurrency: config::parse_or("USERS_HASHING_CONCURRENCY", 4)?,
            redis_url: config::secret("REDIS_URL")
                .unwrap_or_else(|| SecretString::from("redis://127.0.0.1:6379")),
        };
        settings.validate()
    }

    fn validate(self) -> Result<Self, ConfigError> {
        if self.access_ttl < Duration::from_secs(30) || self.access_ttl > Duration::from_secs(3600)
        {
            return Err(ConfigError::invalid(
                "ACCESS_TOKEN_TTL_SECS",
                "must be between 30 and 3600 seconds",
            ));
        }
        if self.refresh_ttl <= self.access_ttl {
            return Err(ConfigError::invalid(
                "REFRESH_TOKEN_TTL_SECS",
                "must be longer than the access token lifetime",
            ));
        }
        if self.hashing_concurrency == 0 {
            return Err(ConfigError::invalid(
                "USERS_HASHING_CONCURRENCY",
                "must be at least 1",
            ));
        }
        Ok(self)
    }
}

/// A comma-separated list of addresses or networks (`127.0.0.1`, `10.0.0.0/8`, `::1`).
fn trusted_proxies(name: &str) -> Result<Vec<IpNet>, ConfigError> {
    let Some(raw) = config::raw(name) else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    ConfigError::invalid(name, format!("{entry:?} is not an address or network"))
                })
        })
        .collect()
}
