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

/// The pub/sub channel on which users-service announces revoked accounts (deactivated, or
/// password reset): `{"type": "user.revoked", "user_id": "<uuid>"}`.
pub const USERS_EVENTS_CHANNEL: &str = "users.events";
/// `users:revoked:<uuid>` exists (with a TTL of one access-token lifetime) while access
/// tokens issued before a revocation may still be unexpired: sockets must not reconnect.
pub const REVOKED_USER_PREFIX: &str = "users:revoked:";
