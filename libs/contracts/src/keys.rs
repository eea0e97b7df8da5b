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
/// The `event_id`s of the events in the history (sorted set scored by `seq`, trimmed alike), so
/// an event published twice (the outbox relay is at least once) gets its first `seq` back
/// instead of a second one.
pub const EVENTS_IDS_KEY: &str = "orders:events:ids";
/// How many events the history keeps unless configured otherwise.
pub const DEFAULT_HISTORY_CAP: usize = 10_000;

/// The one atomic step per event (Lua), idempotent by `event_id`: if `ARGV[4]` (the event's
/// `event_id`) is already in `KEYS[3]`, return the `seq` it got then and publish nothing.
/// Otherwise take the next `seq` (INCR `KEYS[1]`), add the event to the history `KEYS[2]` and its
/// id to `KEYS[3]`, both trimmed to the newest `ARGV[2]`, PUBLISH it on `ARGV[3]`, and return the
/// `seq`. `ARGV[1]` is the serialized envelope without its leading [`UNSEQUENCED_PREFIX`]: the
/// script prepends `{"seq":N,`. An event republished after more than `ARGV[2]` newer events
/// would get a new `seq`; readers still drop it by `event_id` and `version`.
pub const PUBLISH_SCRIPT: &str = r#"
local known = redis.call('ZSCORE', KEYS[3], ARGV[4])
if known then
  return tonumber(known)
end
local seq = redis.call('INCR', KEYS[1])
local event = '{"seq":' .. string.format('%d', seq) .. ',' .. ARGV[1]
local keep = -(tonumber(ARGV[2]) + 1)
redis.call('ZADD', KEYS[2], seq, event)
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, keep)
redis.call('ZADD', KEYS[3], seq, ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, keep)
redis.call('PUBLISH', ARGV[3], event)
return seq
"#;
/// What every serialized envelope starts with before the script gives it its `seq`.
pub const UNSEQUENCED_PREFIX: &str = "{\"seq\":0,";

/// The prefix of the gateways' shared presence (who has which order open) in Redis.
pub const PRESENCE_PREFIX: &str = "presence";

/// The pub/sub channel on which users-service announces revoked accounts (deactivated, or
/// password reset): a [`UserRevoked`](crate::UserRevoked) as JSON.
pub const USERS_EVENTS_CHANNEL: &str = "users.events";
/// A sorted set of the accounts revoked within the last access-token lifetime: member the user
/// id, score `revoked_at` (unix seconds). A gateway reads it whenever it (re)subscribes to
/// [`USERS_EVENTS_CHANNEL`], so it misses no revocation announced while it was not listening.
pub const REVOCATIONS_KEY: &str = "users:revocations";
