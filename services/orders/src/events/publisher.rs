//! Publishes each event by the one atomic Redis step of `lom_contracts::keys::PUBLISH_SCRIPT`:
//! unless its `event_id` was published already, take the next `seq` (INCR), add the event to the
//! bounded history (sorted set scored by `seq`, trimmed to the newest N) and PUBLISH it. The
//! event JSON is built in Rust; the script only prepends `{"seq":N,` to it.

use lom_contracts::{
    OrderEvent,
    keys::{PUBLISH_SCRIPT, UNSEQUENCED_PREFIX},
};
use redis::{RedisError, Script, aio::ConnectionManager};

use crate::configuration::EventSettings;

/// Publishes events; cheap to clone (one multiplexed, self-reconnecting connection).
#[derive(Clone)]
pub struct Publisher {
    connection: ConnectionManager,
    script: Script,
    settings: EventSettings,
}

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Publisher")
            .field("channel", &self.settings.channel)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("redis: {0}")]
    Redis(#[from] RedisError),
    #[error("the event could not be serialized: {0}")]
    Serialize(#[from] serde_json::Error),
}

impl Publisher {
    /// Connects lazily: the service starts while Redis is down, and every call fails fast
    /// (bounded connect and response time) until it is back.
    pub fn new(redis_url: &str, settings: EventSettings) -> Result<Self, RedisError> {
        Ok(Self {
            connection: lom_platform::redis::bounded(redis_url)?,
            script: Script::new(PUBLISH_SCRIPT),
            settings,
        })
    }

    /// Publishes `events` in order, one atomic step each, in one round trip; returns the
    /// `seq` each got. On error some may have been published: the caller retries them all, and
    /// the script gives an event published before its first `seq` back without publishing it
    /// again.
    pub async fn publish(&self, events: &[&OrderEvent]) -> Result<Vec<i64>, PublishError> {
        let mut pipe = redis::pipe();
        pipe.load_script(&self.script).ignore();
        let cap = self.settings.history_cap;
        for event in events {
            let tail = unsequenced_tail(event)?;
            pipe.invoke_script(
                self.script
                    .key(&self.settings.seq_key)
                    .key(&self.settings.history_key)
                    .key(&self.settings.ids_key)
                    .arg(tail)
                    .arg(cap)
                    .arg(&self.settings.channel)
                    .arg(event.event_id.to_string()),
            );
        }
        let mut connection = self.connection.clone();
        Ok(pipe.query_async(&mut connection).await?)
    }

    /// Redis answers a PING.
    pub async fn ping(&self) -> Result<(), RedisError> {
        let mut connection = self.connection.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut connection)
            .await
            .map(drop)
    }
}

/// The envelope JSON after `{"seq":0,`, so the script can put the real `seq` first.
fn unsequenced_tail(event: &OrderEvent) -> Result<String, serde_json::Error> {
    let unsequenced = OrderEvent {
        seq: 0,
        ..event.clone()
    };
    let json = serde_json::to_string(&unsequenced)?;
    Ok(json
        .strip_prefix(UNSEQUENCED_PREFIX)
        .map(str::to_owned)
        .unwrap_or(json))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use lom_contracts::{Actor, EventType, OrderRow, OrderStatus, Priority};
    use uuid::Uuid;

    use super::*;

    #[test]
    fn the_tail_plus_a_seq_prefix_is_the_whole_envelope() {
        let now = Utc::now();
        let event = OrderEvent {
            seq: 42,
            event_id: Uuid::now_v7(),
            kind: EventType::OrderCreated,
            occurred_at: now,
            order: OrderRow {
                id: Uuid::now_v7(),
                number: "ORD-000001".into(),
                status: OrderStatus::Pending,
                priority: Priority::Normal,
                customer_name: "Ann \"A\" Lee".into(),
                customer_email: "ann@example.com".into(),
                assignee_id: None,
                total: 1999,
                currency: "THB".into(),
                item_count: 1,
                unit_count: 1,
                version: 1,
                created_at: now,
                updated_at: now,
            },
            actor: Actor { id: Uuid::now_v7() },
            previous: Some(lom_contracts::PriorState {
                status: OrderStatus::Pending,
                assignee_id: None,
            }),
            reason: Some(lom_contracts::CancelReason {
                code: lom_contracts::CancelReasonCode::Other,
                text: Some("the \"right\" one".into()),
            }),
            note: None,
        };
        let tail = unsequenced_tail(&event).unwrap();
        let whole: OrderEvent = serde_json::from_str(&format!("{{\"seq\":42,{tail}")).unwrap();
        assert_eq!(whole, event);
    }
}
