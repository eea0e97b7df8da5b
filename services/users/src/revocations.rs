//! Telling the gateways that an account's sessions were ended (deactivated, or its password
//! reset), so that access tokens issued until then are refused at once — REST and sockets —
//! while tokens issued afterwards work: the account in the `users:revocations` sorted set
//! (score: the revocation's second; entries older than one access-token lifetime are pruned),
//! and a [`UserRevoked`] on `users.events`. Best effort after the change commits: if Redis is
//! down, old tokens live until they expire, and the refresh already fails.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lom_contracts::{
    UserRevoked,
    keys::{REVOCATIONS_KEY, USERS_EVENTS_CHANNEL},
};
use redis::{RedisError, aio::ConnectionManager};
use uuid::Uuid;

#[derive(Clone)]
pub struct Revocations {
    connection: ConnectionManager,
    ttl: Duration,
}

impl Revocations {
    /// Connects lazily; every call is bounded, so a Redis outage costs at most a second.
    pub fn new(redis_url: &str, access_ttl: Duration) -> Result<Self, RedisError> {
        Ok(Self {
            connection: lom_platform::redis::bounded(redis_url)?,
            ttl: access_ttl,
        })
    }

    /// Announces that the sessions of `user` ended at `at`; failures are logged, never
    /// returned.
    pub async fn announce(&self, user: Uuid, at: DateTime<Utc>) {
        let revoked_at = u64::try_from(at.timestamp()).unwrap_or_default();
        let message = UserRevoked {
            user_id: user,
            revoked_at,
        };
        let Ok(message) = serde_json::to_string(&message) else {
            return;
        };
        let forgotten_before = revoked_at.saturating_sub(self.ttl.as_secs());
        let mut connection = self.connection.clone();
        let result: Result<(), RedisError> = redis::pipe()
            .cmd("ZADD")
            .arg(REVOCATIONS_KEY)
            .arg(revoked_at)
            .arg(user.to_string())
            .ignore()
            .cmd("ZREMRANGEBYSCORE")
            .arg(REVOCATIONS_KEY)
            .arg("-inf")
            .arg(format!("({forgotten_before}"))
            .ignore()
            .cmd("PUBLISH")
            .arg(USERS_EVENTS_CHANNEL)
            .arg(message)
            .ignore()
            .query_async(&mut connection)
            .await;
        if let Err(err) = result {
            tracing::warn!(user_id = %user, error = %err, "could not announce a revoked account; its access tokens live until they expire");
        }
    }
}
