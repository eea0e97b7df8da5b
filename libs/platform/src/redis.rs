//! The one way a service connects to Redis for commands: a lazy, shared connection whose every
//! call is bounded (connect 500 ms, response 1 s, one quick retry), so the service starts while
//! Redis is down and a Redis outage costs a caller about a second, never a hang.

use std::time::Duration;

use redis::{
    Client, IntoConnectionInfo, RedisResult,
    aio::{ConnectionManager, ConnectionManagerConfig},
};

/// A lazily connecting, bounded connection to the Redis server at `info` (a URL or a client's
/// connection info); cloning it shares the connection.
pub fn bounded(info: impl IntoConnectionInfo) -> RedisResult<ConnectionManager> {
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_millis(500)))
        .set_response_timeout(Some(Duration::from_secs(1)))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(200));
    ConnectionManager::new_lazy_with_config(Client::open(info)?, config)
}
