//! The hub: delivers each event to the sockets whose rooms it concerns, serialised once;
//! replays history to one socket, handing it over to live delivery without a gap, a copy or a
//! reordering ([`super::handover`]); tells sockets to resync. A socket whose queue is full is
//! disconnected rather than waited for (it resumes with `last_seq` when it reconnects), so a
//! slow or dead client never delays the others — except by its own replay, which waits for
//! room in its queue (on its own task, holding no lock), so that a dashboard any number of
//! events behind catches up in one connection; one that makes no progress for
//! [`REPLAY_STALL_LIMIT`] is evicted.

use std::{
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use lom_auth::JwtVerifier;
use lom_contracts::{
    CancelReason, EventType, NoteAdded, OrderEvent, OrderRow, PriorState, UserRevoked,
};
use serde::Serialize;
use serde_json::value::RawValue;
use socketioxide::{SendError, SocketError, SocketIo, extract::SocketRef};
use uuid::Uuid;

use crate::revocations::RevokedSessions;

use super::{
    account_limit::AccountLimiter,
    expiry::Expiries,
    handover::Release,
    history::{History, Missed, PAGE},
    presence::Presence,
    shard::{Form, Shards},
    viewer::{Viewer, rooms_of},
};

pub const RESYNC_EVENT: &str = "orders.resync";
/// How long a replaying socket may leave its queue full before it is taken for dead.
pub const REPLAY_STALL_LIMIT: Duration = Duration::from_secs(10);
/// What a socket that only followed an order as its assignee's gets when the order is
/// reassigned away: where the stream stands and which order left, nothing more.
pub const LEFT_EVENT: &str = "order.left";

/// What a dashboard receives: the envelope without the actor (and without `previous`).
#[derive(Serialize)]
struct ClientEvent<'a> {
    seq: u64,
    event_id: Uuid,
    #[serde(rename = "type")]
    kind: EventType,
    occurred_at: DateTime<Utc>,
    order: &'a OrderRow,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a CancelReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a NoteAdded>,
}

/// `order.left`: the order's id and version, and who holds it now (an id, nothing of the order
/// itself), so the former assignee can be told to whom it went.
#[derive(Serialize)]
struct LeftEvent {
    seq: u64,
    event_id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    occurred_at: DateTime<Utc>,
    order: LeftOrder,
}

#[derive(Serialize)]
struct LeftOrder {
    id: Uuid,
    version: i64,
    /// The new assignee, `null` when the order was unassigned.
    assignee_id: Option<Uuid>,
}

/// An event ready to send: parsed once, serialised once (and its `order.left` form once,
/// when the order was reassigned away from someone).
pub struct Outgoing {
    pub seq: u64,
    pub name: &'static str,
    pub occurred_at: DateTime<Utc>,
    pub order: OrderRow,
    pub previous: Option<PriorState>,
    pub payload: Box<RawValue>,
    /// The previous assignee, who may no longer read the order, and what they get instead.
    pub left: Option<(Uuid, Box<RawValue>)>,
}

impl Outgoing {
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        let event: OrderEvent = serde_json::from_str(json)?;
        let payload = serde_json::value::to_raw_value(&ClientEvent {
            seq: event.seq,
            event_id: event.event_id,
            kind: event.kind,
            occurred_at: event.occurred_at,
            order: &event.order,
            reason: event.reason.as_ref(),
            note: event.note.as_ref(),
        })?;
        let left = event
            .previous
            .and_then(|previous| previous.assignee_id)
            .filter(|before| event.order.assignee_id != Some(*before))
            .map(|before| {
                let left = serde_json::value::to_raw_value(&LeftEvent {
                    seq: event.seq,
                    event_id: event.event_id,
                    kind: LEFT_EVENT,
                    occurred_at: event.occurred_at,
                    order: LeftOrder {
                        id: event.order.id,
                        version: event.order.version,
                        assignee_id: event.order.assignee_id,
                    },
                })?;
                Ok::<_, serde_json::Error>((before, left))
            })
            .transpose()?;
        Ok(Self {
            seq: event.seq,
            name: event.kind.as_str(),
            occurred_at: event.occurred_at,
            order: event.order,
            previous: event.previous,
            payload,
            left,
        })
    }

    /// Whether `viewer` gets the `order.left` form: it follows only its own orders and this
    /// change took the order away from it.
    fn leaves(&self, viewer: &Viewer) -> bool {
        viewer.mine
            && self
                .left
                .as_ref()
                .is_some_and(|(before, _)| *before == viewer.user_id)
    }
}

/// When the token a socket was opened with was issued (its `iat`), kept in its extensions.
#[derive(Debug, Clone, Copy)]
pub struct TokenIssuedAt(pub u64);

/// The feed's position when a socket joined its rooms (kept in its extensions): it got every
/// event after that live.
#[derive(Debug, Clone, Copy)]
pub struct JoinedAt(pub u64);

/// The room every socket of `user` sits in (for revocation).
pub fn user_room(user: Uuid) -> String {
    format!("user:{user}")
}

/// Marks a socket that is being evicted.
#[derive(Clone)]
struct Evicted;

/// The rooms that get the event itself and, when it took the order away from its previous
/// assignee, that assignee's own rooms, which get the `order.left` form instead (only sockets
/// that follow their own orders sit in them).
fn split_rooms(event: &Outgoing) -> (Vec<String>, Option<Vec<String>>) {
    let mut rooms = rooms_of(&event.order, event.previous);
    let Some((before, _)) = &event.left else {
        return (rooms, None);
    };
    let prefix = format!("u:{before}:");
    let (left, full): (Vec<String>, Vec<String>) =
        rooms.drain(..).partition(|room| room.starts_with(&prefix));
    (full, Some(left))
}

/// Takes a socket that cannot keep up out of every room at once (no more work or memory for
/// it), then disconnects it as soon as its queue has room for the disconnect packet, so the
/// client learns it, reconnects and resumes. A client that never reads again is closed by
/// the heartbeat.
fn evict(socket: SocketRef, cause: &dyn std::fmt::Display) {
    socket.leave_all();
    if socket.extensions.get::<Evicted>().is_some() {
        return;
    }
    socket.extensions.insert(Evicted);
    tracing::warn!(sid = %socket.id, error = %cause, "socket cannot keep up; evicting it");
    metrics::counter!("gateway_slow_sockets_dropped_total").increment(1);
    tokio::spawn(async move {
        while socket.connected() {
            if socket.clone().disconnect().is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    });
}

/// Emits to one socket; a full queue evicts the socket (it resumes on reconnect). A socket
/// that closed after the feed found it (its delivery shard was behind) is simply skipped.
pub fn emit_or_evict(socket: &SocketRef, name: &'static str, payload: &RawValue) -> bool {
    match socket.emit(name, payload) {
        Ok(()) => true,
        Err(SendError::Socket(SocketError::Closed)) => false,
        Err(err) => {
            evict(socket.clone(), &err);
            false
        }
    }
}

/// Whether a replay delivered the events or told the socket to refetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplayOutcome {
    Replayed { count: usize },
    Resync,
}

pub struct Hub {
    pub verifier: Arc<JwtVerifier>,
    pub history: History,
    /// Accounts whose older tokens are refused.
    pub revoked: Arc<RevokedSessions>,
    pub allowed_origins: Vec<axum::http::HeaderValue>,
    /// When each socket's token expires.
    pub expiries: Arc<Expiries>,
    /// Replays each account may start.
    pub replays: AccountLimiter,
    /// The delivery shards, each with its sockets' hand-overs.
    shards: Shards,
    /// See [`Hub::feed_lock`].
    feed: Mutex<()>,
    /// The last `seq` this gateway delivered (0 before the first).
    last_seq: AtomicU64,
    /// Who has which order open.
    pub presence: Presence,
}

impl Hub {
    pub fn new(
        verifier: Arc<JwtVerifier>,
        history: History,
        revoked: Arc<RevokedSessions>,
        allowed_origins: Vec<axum::http::HeaderValue>,
        presence: Presence,
    ) -> Self {
        Self {
            verifier,
            history,
            revoked,
            allowed_origins,
            expiries: Arc::default(),
            replays: AccountLimiter::replays(),
            shards: Shards::start(std::thread::available_parallelism().map_or(1, usize::from)),
            feed: Mutex::default(),
            last_seq: AtomicU64::new(0),
            presence,
        }
    }

    pub fn last_seq(&self) -> u64 {
        self.last_seq.load(Ordering::Acquire)
    }

    pub fn set_last_seq(&self, seq: u64) {
        self.last_seq.store(seq, Ordering::Release);
    }

    /// Hands `event` to the delivery shards ([`super::shard`]) with the sockets in the rooms it
    /// concerns (a replaying socket gets it after its replay); waits while a shard is a full
    /// inbox behind.
    pub async fn deliver(&self, io: &SocketIo, event: Outgoing) {
        let event = Arc::new(event);
        let (rooms, left_rooms) = split_rooms(&event);
        let shares = {
            let _feed = self.feed_lock();
            let mut shares = self.shards.shares(&event);
            let mut targets = vec![(io.to(rooms).sockets(), Form::Event)];
            if let Some(left_rooms) = left_rooms {
                targets.push((io.to(left_rooms).sockets(), Form::Left));
            }
            for (sockets, form) in targets {
                for socket in sockets {
                    shares[self.shards.index_of(socket.id)]
                        .sockets
                        .push((socket, form));
                }
            }
            self.set_last_seq(event.seq);
            shares
        };
        self.shards.deliver(shares).await;
        if event
            .previous
            .is_some_and(|before| before.assignee_id != event.order.assignee_id)
        {
            self.presence
                .reassigned(io, event.order.id, event.order.assignee_id);
        }
        metrics::counter!("gateway_events_total").increment(1);
    }

    /// Taken while the feed finds an event's sockets and while a socket joins or changes its
    /// rooms: which events a socket gets live is exactly "those after its join position".
    fn feed_lock(&self) -> MutexGuard<'_, ()> {
        self.feed.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts `socket` in `rooms`; with `hold`, its live events wait for a replay (which must
    /// follow, or [`Hub::release`]); with `batch`, events waiting together reach it as one
    /// `orders.batch`. Returns the feed's position at the join.
    pub fn join(&self, socket: &SocketRef, rooms: Vec<String>, hold: bool, batch: bool) -> u64 {
        let _feed = self.feed_lock();
        let shard = self.shards.of(socket.id);
        if hold {
            shard.lock().hold(socket.id);
        }
        shard.set_batching(socket.id, batch);
        socket.join(rooms);
        self.last_seq()
    }

    /// Moves `socket` to `rooms` (its filter changed) under the feed's lock: no event is
    /// routed between its leaving the old rooms and joining the new ones, so an event both
    /// filters match reaches it exactly once.
    pub fn rejoin(&self, socket: &SocketRef, rooms: Vec<String>) {
        let _feed = self.feed_lock();
        socket.leave_all();
        socket.join(rooms);
    }

    /// Holds `socket`'s live events for a replay; returns how far its shard had sent when the
    /// hold began.
    pub fn hold(&self, socket: &SocketRef) -> u64 {
        let shard = self.shards.of(socket.id);
        let mut routing = shard.lock();
        routing.hold(socket.id);
        shard.through()
    }

    /// Ends the hold of `socket` once the history through `sent_through` was sent to it, and
    /// sends it the held events after that first, waiting for room in its queue.
    pub async fn release(&self, socket: &SocketRef, sent_through: u64) {
        let shard = self.shards.of(socket.id);
        loop {
            let batch = {
                let mut routing = shard.lock();
                match routing.release(socket.id, sent_through, shard.through()) {
                    Release::Send(batch) => batch,
                    Release::Done => return,
                }
            };
            for held in batch {
                if !self.emit_waiting(socket, held.name, &held.payload).await {
                    self.forget(socket.id);
                    return;
                }
            }
        }
    }

    /// Forgets a disconnected socket's hand-over.
    pub fn forget(&self, socket: socketioxide::socket::Sid) {
        self.shards.forget(socket);
    }

    /// Emits to a socket that is catching up: while its queue is full, waits for room (polling:
    /// socketioxide offers no way to await it), and evicts it only after
    /// [`REPLAY_STALL_LIMIT`] without room, or when it is gone.
    async fn emit_waiting(
        &self,
        socket: &SocketRef,
        name: &'static str,
        payload: &RawValue,
    ) -> bool {
        let mut pause = Duration::from_millis(1);
        let mut waited = Duration::ZERO;
        loop {
            match socket.emit(name, payload) {
                Ok(()) => return true,
                Err(SendError::Socket(SocketError::InternalChannelFull))
                    if waited < REPLAY_STALL_LIMIT =>
                {
                    tokio::time::sleep(pause).await;
                    waited += pause;
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                Err(err) => {
                    evict(socket.clone(), &err);
                    return false;
                }
            }
        }
    }

    /// Replays to `socket` the events after `last_seq` that `viewer` may see, in order, then
    /// the live events held meanwhile; or tells it to refetch when the history no longer
    /// covers them. The socket's live events must be held ([`Hub::join`], [`Hub::hold`]) from
    /// `held_at`; those after `joined_at` up to `held_at` reached it live and are not sent again.
    pub async fn replay(
        &self,
        socket: &SocketRef,
        viewer: &Viewer,
        last_seq: u64,
        joined_at: u64,
        held_at: u64,
    ) -> ReplayOutcome {
        let live = (joined_at > 0).then_some(joined_at + 1..=held_at);
        let mut count = 0;
        let mut sent_through = held_at;
        let mut after = last_seq;
        loop {
            let events = match self.history.since(after, PAGE).await {
                Ok(Missed::Events(events)) => events,
                outcome => {
                    if let Err(err) = outcome {
                        tracing::warn!(error = %err, "history unavailable for a replay");
                    }
                    self.resync(socket, "history-unavailable");
                    self.release(socket, sent_through).await;
                    return ReplayOutcome::Resync;
                }
            };
            let last_page = events.len() < PAGE;
            for (seq, json) in events {
                after = seq;
                sent_through = sent_through.max(seq);
                if live.as_ref().is_some_and(|live| live.contains(&seq)) {
                    continue;
                }
                let Ok(event) = Outgoing::parse(&json) else {
                    continue;
                };
                if viewer.sees_change(&event.order, event.previous) {
                    let sent = match &event.left {
                        Some((_, left)) if event.leaves(viewer) => {
                            self.emit_waiting(socket, LEFT_EVENT, left).await
                        }
                        _ => self.emit_waiting(socket, event.name, &event.payload).await,
                    };
                    if !sent {
                        self.forget(socket.id);
                        return ReplayOutcome::Replayed { count };
                    }
                    count += 1;
                }
            }
            if last_page {
                break;
            }
        }
        self.release(socket, sent_through).await;
        metrics::counter!("gateway_replayed_events_total").increment(count as u64);
        ReplayOutcome::Replayed { count }
    }

    /// Disconnects the sockets of a revoked account whose token the revocation covers, on
    /// this instance (a socket opened with a newer token stays).
    pub async fn revoke(&self, io: &SocketIo, revoked: UserRevoked) {
        self.revoked.record(revoked);
        let sockets: Vec<_> = io
            .to(user_room(revoked.user_id))
            .sockets()
            .into_iter()
            .filter(|socket| {
                socket
                    .extensions
                    .get::<TokenIssuedAt>()
                    .is_none_or(|TokenIssuedAt(at)| revoked.revokes(revoked.user_id, at))
            })
            .collect();
        if !sockets.is_empty() {
            tracing::info!(user_id = %revoked.user_id, sockets = sockets.len(), "session ended; disconnecting its sockets");
        }
        for socket in sockets {
            let _ = socket.disconnect();
        }
    }

    /// Tells one socket to refetch.
    pub fn resync(&self, socket: &SocketRef, reason: &str) {
        let _ = socket.emit(RESYNC_EVENT, &serde_json::json!({ "reason": reason }));
    }

    /// Tells every socket to refetch (this gateway lost events it cannot replay).
    pub async fn resync_all(&self, io: &SocketIo, reason: &str) {
        tracing::warn!(reason, "asking every dashboard to resync");
        self.shards.restart().await;
        metrics::counter!("gateway_resync_all_total").increment(1);
        let _ = io
            .emit(RESYNC_EVENT, &serde_json::json!({ "reason": reason }))
            .await;
    }
}
