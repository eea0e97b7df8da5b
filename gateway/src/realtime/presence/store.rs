//! Presence in Redis, shared by every gateway. Under a prefix `P`:
//! `P:viewers:{order}` (hash: socket id → user id), `P:assignee:{order}` (the order's assignee as
//! last known, `""` for none), `P:expiry` (sorted set of `"{order} {socket}"` scored by when the
//! entry expires, in ms), `P:orders` (the orders anyone has open) and the channel `P:changes`.
//! Each change runs as one script that also publishes the order's whole presence (a
//! [`Snapshot`]) on the channel when it changed, so every gateway hears it once and in order.
//! A gateway refreshes its sockets' entries while they are open; any gateway's sweep removes
//! the entries of a gateway that died (not refreshed within the TTL) and publishes the change.
//! The scripts name their keys from `P` (one Redis server, as for the event stream).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::{Client, RedisError, Script, aio::ConnectionManager};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The whole presence of one order: who has it open (each user once, sorted) and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub order_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub viewers: Vec<Uuid>,
}

/// Builds an order's snapshot (and forgets the order when nobody has it open any more).
const SNAPSHOT: &str = r#"
local function snapshot(prefix, order)
  local seen, viewers = {}, {}
  for _, id in ipairs(redis.call('HVALS', prefix .. ':viewers:' .. order)) do
    if not seen[id] then
      seen[id] = true
      viewers[#viewers + 1] = '"' .. id .. '"'
    end
  end
  table.sort(viewers)
  local assignee = redis.call('GET', prefix .. ':assignee:' .. order)
  if #viewers == 0 then
    redis.call('SREM', prefix .. ':orders', order)
    redis.call('DEL', prefix .. ':assignee:' .. order)
  end
  local owner = 'null'
  if assignee and assignee ~= '' then owner = '"' .. assignee .. '"' end
  return '{"order_id":"' .. order .. '","assignee_id":' .. owner .. ',"viewers":[' .. table.concat(viewers, ',') .. ']}'
end
local function publish(prefix, order)
  redis.call('PUBLISH', prefix .. ':changes', snapshot(prefix, order))
end
"#;

/// ARGV: prefix, order, socket, user, expires (ms), assignee (`""` for none), key TTL (ms).
/// Adds or refreshes the entry; publishes when it is new. Returns 1 when new.
const OPEN: &str = r#"
local prefix, order, sid = ARGV[1], ARGV[2], ARGV[3]
local viewers = prefix .. ':viewers:' .. order
local new = redis.call('HSET', viewers, sid, ARGV[4])
redis.call('PEXPIRE', viewers, ARGV[7])
redis.call('SET', prefix .. ':assignee:' .. order, ARGV[6], 'PX', ARGV[7])
redis.call('ZADD', prefix .. ':expiry', ARGV[5], order .. ' ' .. sid)
redis.call('SADD', prefix .. ':orders', order)
if new == 1 then publish(prefix, order) end
return new
"#;

/// ARGV: prefix, order, socket. Removes the entry; publishes when there was one.
const CLOSE: &str = r#"
local prefix, order, sid = ARGV[1], ARGV[2], ARGV[3]
local gone = redis.call('HDEL', prefix .. ':viewers:' .. order, sid)
redis.call('ZREM', prefix .. ':expiry', order .. ' ' .. sid)
if gone == 1 then publish(prefix, order) end
return gone
"#;

/// ARGV: prefix, now (ms), limit. Removes up to `limit` expired entries and publishes each
/// order they were on once. Returns how many it removed.
const SWEEP: &str = r#"
local prefix = ARGV[1]
local due = redis.call('ZRANGEBYSCORE', prefix .. ':expiry', '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
local touched = {}
for _, member in ipairs(due) do
  redis.call('ZREM', prefix .. ':expiry', member)
  local cut = string.find(member, ' ', 1, true)
  local order = string.sub(member, 1, cut - 1)
  redis.call('HDEL', prefix .. ':viewers:' .. order, string.sub(member, cut + 1))
  touched[order] = true
end
for order in pairs(touched) do publish(prefix, order) end
return #due
"#;

/// ARGV: prefix. Every order's snapshot.
const ALL: &str = r#"
local prefix, out = ARGV[1], {}
for _, order in ipairs(redis.call('SMEMBERS', prefix .. ':orders')) do
  local json = snapshot(prefix, order)
  if not string.find(json, '"viewers":[]', 1, true) then out[#out + 1] = json end
end
return out
"#;

/// ARGV: prefix, order, assignee. The order was reassigned: later snapshots carry the new
/// assignee (only while someone has it open).
const REASSIGN: &str = r#"
redis.call('SET', ARGV[1] .. ':assignee:' .. ARGV[2], ARGV[3], 'XX', 'KEEPTTL')
return 1
"#;

/// Expired entries one sweep removes at most (the next sweep takes the rest).
const SWEEP_LIMIT: usize = 500;

#[derive(Clone)]
pub struct PresenceStore {
    connection: ConnectionManager,
    prefix: String,
    ttl: Duration,
    open: Script,
    close: Script,
    sweep: Script,
    all: Script,
    reassign: Script,
}

fn script(body: &str) -> Script {
    Script::new(&format!("{SNAPSHOT}{body}"))
}

fn millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn assignee_arg(assignee: Option<Uuid>) -> String {
    assignee.map(|id| id.to_string()).unwrap_or_default()
}

impl PresenceStore {
    /// Connects lazily; calls fail fast while Redis is down.
    pub fn new(client: &Client, prefix: String, ttl: Duration) -> Result<Self, RedisError> {
        Ok(Self {
            connection: lom_platform::redis::bounded(client.get_connection_info().clone())?,
            prefix,
            ttl,
            open: script(OPEN),
            close: script(CLOSE),
            sweep: script(SWEEP),
            all: script(ALL),
            reassign: script(REASSIGN),
        })
    }

    /// The channel every change is published on.
    pub fn channel(&self) -> String {
        format!("{}:changes", self.prefix)
    }

    /// How long an entry lives unless refreshed.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// `socket` of `user` has `order` open (again): its entry lives for another TTL.
    pub async fn open(
        &self,
        order: Uuid,
        socket: &str,
        user: Uuid,
        assignee: Option<Uuid>,
    ) -> Result<(), RedisError> {
        let expires = millis(SystemTime::now() + self.ttl);
        // The keys outlive the entries, so that a sweep still finds what it removes.
        let key_ttl = u64::try_from(self.ttl.as_millis() * 2).unwrap_or(u64::MAX);
        let _: i64 = self
            .open
            .arg(&self.prefix)
            .arg(order.to_string())
            .arg(socket)
            .arg(user.to_string())
            .arg(expires)
            .arg(assignee_arg(assignee))
            .arg(key_ttl)
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok(())
    }

    pub async fn close(&self, order: Uuid, socket: &str) -> Result<(), RedisError> {
        let _: i64 = self
            .close
            .arg(&self.prefix)
            .arg(order.to_string())
            .arg(socket)
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok(())
    }

    /// Removes the entries nobody refreshed in time; returns how many.
    pub async fn sweep(&self) -> Result<usize, RedisError> {
        self.sweep
            .arg(&self.prefix)
            .arg(millis(SystemTime::now()))
            .arg(SWEEP_LIMIT)
            .invoke_async(&mut self.connection.clone())
            .await
    }

    /// Every order someone has open.
    pub async fn all(&self) -> Result<Vec<Snapshot>, RedisError> {
        let json: Vec<String> = self
            .all
            .arg(&self.prefix)
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok(json
            .iter()
            .filter_map(|json| serde_json::from_str(json).ok())
            .collect())
    }

    pub async fn reassign(&self, order: Uuid, assignee: Option<Uuid>) -> Result<(), RedisError> {
        let _: i64 = self
            .reassign
            .arg(&self.prefix)
            .arg(order.to_string())
            .arg(assignee_arg(assignee))
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok(())
    }
}
