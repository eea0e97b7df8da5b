//! Reading typed settings from the environment: every service uses plain upper-case names
//! (`DATABASE_URL`, `USERS_BIND`, …), fails at start with one clear line naming the variable,
//! and keeps secrets in `SecretString` so `Debug` never prints them.

use std::{env, fmt::Display, str::FromStr, time::Duration};

use secrecy::SecretString;

/// A setting that is missing or cannot be parsed; the message names the variable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is required but not set")]
    Missing { name: String },
    #[error("{name} has an invalid value: {reason}")]
    Invalid { name: String, reason: String },
}

impl ConfigError {
    pub fn invalid(name: &str, reason: impl Display) -> Self {
        Self::Invalid {
            name: name.to_owned(),
            reason: reason.to_string(),
        }
    }
}

/// The raw value of `name`, treating an empty string as unset.
pub fn raw(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// `name` parsed as `T`, or `default` when unset.
pub fn parse_or<T>(name: &str, default: T) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: Display,
{
    match raw(name) {
        None => Ok(default),
        Some(value) => parse_value(name, &value),
    }
}

/// `name` parsed as `T`; an error when unset.
pub fn required<T>(name: &str) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: Display,
{
    let value = raw(name).ok_or_else(|| ConfigError::Missing {
        name: name.to_owned(),
    })?;
    parse_value(name, &value)
}

/// `name` parsed as `T` when set.
pub fn optional<T>(name: &str) -> Result<Option<T>, ConfigError>
where
    T: FromStr,
    T::Err: Display,
{
    raw(name).map(|value| parse_value(name, &value)).transpose()
}

/// A secret value when set; it is never logged or printed by `Debug`.
pub fn secret(name: &str) -> Option<SecretString> {
    raw(name).map(SecretString::from)
}

/// A duration given in milliseconds, e.g. `UPSTREAM_TIMEOUT_MS=1500`.
pub fn millis_or(name: &str, default: Duration) -> Result<Duration, ConfigError> {
    let ms: u64 = parse_or(name, u64::try_from(default.as_millis()).unwrap_or(u64::MAX))?;
    Ok(Duration::from_millis(ms))
}

/// A duration given in seconds, e.g. `ACCESS_TOKEN_TTL_SECS=900`.
pub fn secs_or(name: &str, default: Duration) -> Result<Duration, ConfigError> {
    let secs: u64 = parse_or(name, default.as_secs())?;
    Ok(Duration::from_secs(secs))
}

/// A boolean flag: `true/false`, `1/0`, `yes/no`, `on/off`.
pub fn flag_or(name: &str, default: bool) -> Result<bool, ConfigError> {
    match raw(name).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) => match v.as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError::invalid(name, "expected true or false")),
        },
    }
}

fn parse_value<T>(name: &str, value: &str) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: Display,
{
    value
        .trim()
        .parse()
        .map_err(|e: T::Err| ConfigError::invalid(name, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_value_names_the_variable() {
        let err = parse_value::<u16>("SOME_PORT", "eighty").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("SOME_PORT has an invalid value")
        );
    }

    #[test]
    fn values_are_trimmed_before_parsing() {
        assert_eq!(parse_value::<u16>("P", " 8080 ").unwrap(), 8080);
    }
}
