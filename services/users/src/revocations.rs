//! Telling the gateways that an account was revoked (deactivated, or its password reset), so
//! that its open sockets are dropped at once and cannot reconnect with an access token that
//! has not expired yet: a `users:revoked:<id>` key that lives one access-token lifetime, and
//! a message on `users.events`. Best effort after the change commits: if Redis is down the
//! sockets still die when their token expires, and the refresh already fails.

use std::time::Duration;

use lom_contracts::keys::{REVOKED_USER_PREFIX, USERS_EVENTS_CHANNEL};
use redis::{
    Client, RedisError,
    aio::{ConnectionManager, ConnectionManagerConfig},
};
use serde_json::json;
use uuid::Uuid;

#[derive(Clone)]
pub struct Revocations {
    connection: ConnectionManager,
    ttl: Duration,
}

impl Revocations {
    /// Connects lazily; every call is bounded, so a Redis outage costs at most a second.
    pub fn new(redis_url: &str, access_ttl: Duration) -> Result<Self, RedisError> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(Duration::from_secs(1)))
            .set_number_of_retries(1);
        Ok(Self {
            connection: ConnectionManager::new_lazy_with_config(Client::open(redis_url)?, config)?,
            ttl: access_ttl,
        })
    }

    /// Announces that `user` was revoked; failures are logged, never returned.
    pub async fn announce(&self, user: Uuid) {
        let message = json!({ "type": "user.revoked", "user_id": user }).to_string();
        let mut connection = self.connection.clone();
        let result: Result<(), RedisError> = redis::pipe()
            .cmd("SET")
            .arg(format!("{REVOKED_USER_PREFIX}{user}"))
            .arg(1)
            .arg("EX")
            .arg(self.ttl.as_secs().max(1))
            .ignore()
            .cmd("PUBLISH")
            .arg(USERS_EVENTS_CHANNEL)
            .arg(message)
            .ignore()
            .query_async(&mut connection)
            .await;
        if let Err(err) = result {
            tracing::warn!(user_id = %user, error = %err, "could not announce a revoked account; its sockets live until their token expires");
        }
    }
}
