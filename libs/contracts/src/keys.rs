//! Redis names shared between the services and the gateway: the order event stream and
//! the account revocations.
//!
//! Order event stream: `seq` is one gap-free counter (INCR); the history is
//! a sorted set of event JSON scored by `seq`, capped to the newest N entries, so a reader
//! replays with `ZRANGEBYSCORE history (last_seq +inf`.

/// The pub/sub channel every gateway subscribes to.
pub const EVENTS_CHANNEL: &str = "orders.events";
/// The counter that hands out `seq`.
pub const EVENTS_SEQ_KEY: &str = "orders:events:seq";
/// The bounded history (sorted set scored by `seq`).
pub const EVENTS_HISTORY_KEY: &str = "orders:events:history";
/// How many events the history keeps unless configured otherwise.
pub const DEFAULT_HISTORY_CAP: usize = 10_000;

/// The one atomic step per event (Lua): take the next `seq` (INCR `KEYS[1]`), add the event
/// to the history `KEYS[2]` trimmed to the newest `ARGV[2]`, PUBLISH it on `ARGV[3]`; returns
/// the `seq`. `ARGV[1]` is the serialized envelope without its leading [`UNSEQUENCED_PREFIX`]:
/// the script prepends `{"seq":N,`.
pub const PUBLISH_SCRIPT: &str = r#"
local seq = redis.call('INCR', KEYS[1])
local event = '{"seq":' .. string.format('%d', seq) .. ',' .. ARGV[1]
redis.call('ZADD', KEYS[2], seq, event)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[2]) + 1))
redis.call('PUBLISH', ARGV[3], event)
return seq
"#;
/// What every serialized envelope starts with before the script gives it its `seq`.
pub const UNSEQUENCED_PREFIX: &str = "{\"seq\":0,";

/// The pub/sub channel on which users-service announces revoked accounts (deactivated, or
/// password reset): a [`UserRevoked`](crate::UserRevoked) as JSON.
pub const USERS_EVENTS_CHANNEL: &str = "users.events";
/// A sorted set of the accounts revoked within the last access-token lifetime: member the user
/// id, score `revoked_at` (unix seconds). A gateway reads it whenever it (re)subscribes to
/// [`USERS_EVENTS_CHANNEL`], so it misses no revocation announced while it was not listening.
pub const REVOCATIONS_KEY: &str = "users:revocations";
