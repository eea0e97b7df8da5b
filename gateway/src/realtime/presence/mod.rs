//! Presence: which orders the dashboards have open, on every gateway, scoped like the orders
//! themselves. A socket opens one order at a time ([`socket`]'s `presence.open`); the entry
//! lives in Redis ([`store`]) while this gateway refreshes it, and goes when the socket closes
//! the order, disconnects, or its gateway dies (the TTL). Every gateway hears each change on
//! one channel and keeps a mirror of everyone's presence, from which it sends each change to
//! the sockets allowed to see the order (every socket that reads all orders, and the
//! assignee's) and a new socket its snapshot. A reassignment moves an order's presence to its
//! new assignee and closes it for sockets of the previous one that may no longer read it.

pub mod socket;
pub mod store;

use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use lom_auth::Scope;
use serde::Serialize;
use socketioxide::{SocketIo, socket::Sid};
use tokio::time::MissedTickBehavior;
use uuid::Uuid;

use self::store::{PresenceStore, Snapshot};
use super::{account_limit::AccountLimiter, hub::emit_or_evict, hub::user_room, viewer::Viewer};
use crate::upstream::Upstreams;

/// The room of every socket that reads all orders (and so all presence).
pub const PRESENCE_ROOM: &str = "presence";
/// One order's presence changed: `{order_id, viewers}`.
pub const CHANGED_EVENT: &str = "presence.changed";
/// Everyone's presence a socket may see: `{orders: [{order_id, viewers}]}`.
pub const SNAPSHOT_EVENT: &str = "presence.snapshot";

/// What a dashboard learns of one order's presence (not its assignee: it has the order).
#[derive(Debug, Serialize)]
struct ClientPresence<'a> {
    order_id: Uuid,
    viewers: &'a [Uuid],
}

impl<'a> From<&'a Snapshot> for ClientPresence<'a> {
    fn from(snapshot: &'a Snapshot) -> Self {
        Self {
            order_id: snapshot.order_id,
            viewers: &snapshot.viewers,
        }
    }
}

/// The order a socket of this gateway has open.
#[derive(Debug, Clone, Copy)]
struct Opened {
    order_id: Uuid,
    user_id: Uuid,
    scope: Scope,
    /// The order's assignee as last known (refreshes write it back).
    assignee: Option<Uuid>,
}

pub struct Presence {
    store: PresenceStore,
    upstreams: Upstreams,
    /// `presence.open` / `presence.close` per account.
    pub limiter: AccountLimiter,
    /// This gateway's sockets and the order each has open.
    opened: Mutex<HashMap<Sid, Opened>>,
    /// Everyone's presence, by order (only orders someone has open); also the lock under which
    /// changes and snapshots are sent, so a socket never gets an older state after a newer one.
    mirror: Mutex<HashMap<Uuid, Snapshot>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether `viewer` may see the presence of an order assigned to `assignee`.
fn may_see(viewer: &Viewer, assignee: Option<Uuid>) -> bool {
    viewer.scope == Scope::All || assignee == Some(viewer.user_id)
}

impl Presence {
    pub fn new(store: PresenceStore, upstreams: Upstreams) -> Self {
        Self {
            store,
            upstreams,
            limiter: AccountLimiter::presence(),
            opened: Mutex::default(),
            mirror: Mutex::default(),
        }
    }

    pub fn channel(&self) -> String {
        self.store.channel()
    }

    /// Records that `sid` has `order_id` (assigned to `assignee`) open, closing what it had
    /// open before.
    async fn open(&self, sid: Sid, viewer: &Viewer, order_id: Uuid, assignee: Option<Uuid>) {
        let opened = Opened {
            order_id,
            user_id: viewer.user_id,
            scope: viewer.scope,
            assignee,
        };
        let before = lock(&self.opened).insert(sid, opened);
        if let Some(before) = before.filter(|before| before.order_id != order_id) {
            self.forget(sid, before).await;
        }
        if let Err(err) = self
            .store
            .open(order_id, sid.as_str(), viewer.user_id, assignee)
            .await
        {
            tracing::warn!(error = %err, "could not record presence");
        }
    }

    /// `sid` closed its order (or disconnected).
    pub async fn close(&self, sid: Sid) {
        let opened = lock(&self.opened).remove(&sid);
        if let Some(opened) = opened {
            self.forget(sid, opened).await;
        }
    }

    async fn forget(&self, sid: Sid, opened: Opened) {
        if let Err(err) = self.store.close(opened.order_id, sid.as_str()).await {
            tracing::warn!(error = %err, "could not remove presence; it expires");
        }
    }

    /// A change heard on the channel: mirrored, and sent to every socket allowed to see it.
    pub fn changed(&self, io: &SocketIo, json: &str) {
        let snapshot: Snapshot = match serde_json::from_str(json) {
            Ok(snapshot) => snapshot,
            Err(err) => {
                tracing::warn!(error = %err, "unreadable presence change");
                return;
            }
        };
        let mut mirror = lock(&self.mirror);
        send_change(io, &snapshot);
        if snapshot.viewers.is_empty() {
            mirror.remove(&snapshot.order_id);
        } else {
            mirror.insert(snapshot.order_id, snapshot);
        }
    }

    /// Everyone's presence `viewer` may see, as sent to a socket.
    pub fn snapshot_for(&self, viewer: &Viewer, send: impl FnOnce(&serde_json::Value)) {
        let mirror = lock(&self.mirror);
        let orders: Vec<ClientPresence<'_>> = mirror
            .values()
            .filter(|snapshot| may_see(viewer, snapshot.assignee_id))
            .map(ClientPresence::from)
            .collect();
        send(&serde_json::json!({ "orders": orders }));
    }

    /// Reads everyone's presence again (after this gateway (re)subscribed: it may have missed
    /// changes) and sends every socket its snapshot.
    pub async fn reload(&self, io: &SocketIo) {
        let snapshots = match self.store.all().await {
            Ok(snapshots) => snapshots,
            Err(err) => {
                tracing::warn!(error = %err, "could not read presence");
                return;
            }
        };
        *lock(&self.mirror) = snapshots
            .into_iter()
            .map(|snapshot| (snapshot.order_id, snapshot))
            .collect();
        for socket in io.sockets() {
            if let Some(viewer) = socket.extensions.get::<Viewer>() {
                self.snapshot_for(&viewer, |payload| {
                    if let Ok(payload) = serde_json::value::to_raw_value(payload) {
                        emit_or_evict(&socket, SNAPSHOT_EVENT, &payload);
                    }
                });
            }
        }
    }

    /// An order's assignee changed (an event on the feed): its presence now goes to the new
    /// assignee, who gets it at once; this gateway's sockets of other agents stop having it open.
    pub fn reassigned(&self, io: &SocketIo, order_id: Uuid, assignee: Option<Uuid>) {
        {
            let mut mirror = lock(&self.mirror);
            let Some(snapshot) = mirror.get_mut(&order_id) else {
                return;
            };
            snapshot.assignee_id = assignee;
            if let Some(assignee) = assignee {
                send_to(io, vec![user_room(assignee)], snapshot);
            }
        }
        let store = self.store.clone();
        let mut lost = Vec::new();
        lock(&self.opened).retain(|sid, o| {
            if o.order_id != order_id {
                return true;
            }
            o.assignee = assignee;
            let keeps = o.scope == Scope::All || Some(o.user_id) == assignee;
            if !keeps {
                lost.push((*sid, *o));
            }
            keeps
        });
        tokio::spawn(async move {
            if let Err(err) = store.reassign(order_id, assignee).await {
                tracing::warn!(error = %err, "could not record a reassigned order's presence");
            }
            for (sid, opened) in lost {
                let _ = store.close(opened.order_id, sid.as_str()).await;
            }
        });
    }

    /// Forever: refresh this gateway's entries and sweep everyone's expired ones.
    pub async fn maintain(&self) {
        let ttl = self.store.ttl();
        let refresh_every = (ttl / 3).max(Duration::from_millis(200));
        let sweep_every = (ttl / 4).clamp(Duration::from_millis(100), Duration::from_secs(1));
        let mut refresh = tokio::time::interval(refresh_every);
        let mut sweep = tokio::time::interval(sweep_every);
        refresh.set_missed_tick_behavior(MissedTickBehavior::Delay);
        sweep.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = refresh.tick() => self.refresh().await,
                _ = sweep.tick() => {
                    if let Err(err) = self.store.sweep().await {
                        tracing::debug!(error = %err, "presence sweep failed");
                    }
                }
            }
        }
    }

    async fn refresh(&self) {
        let opened: Vec<(Sid, Opened)> = lock(&self.opened).iter().map(|(s, o)| (*s, *o)).collect();
        for (sid, opened) in opened {
            if let Err(err) = self
                .store
                .open(
                    opened.order_id,
                    sid.as_str(),
                    opened.user_id,
                    opened.assignee,
                )
                .await
            {
                tracing::debug!(error = %err, "presence refresh failed");
                return;
            }
        }
    }

    pub fn upstreams(&self) -> &Upstreams {
        &self.upstreams
    }
}

/// Sends one order's presence to everyone allowed to see it.
fn send_change(io: &SocketIo, snapshot: &Snapshot) {
    let mut rooms = vec![PRESENCE_ROOM.to_owned()];
    rooms.extend(snapshot.assignee_id.map(user_room));
    send_to(io, rooms, snapshot);
}

fn send_to(io: &SocketIo, rooms: Vec<String>, snapshot: &Snapshot) {
    let Ok(payload) = serde_json::value::to_raw_value(&ClientPresence::from(snapshot)) else {
        return;
    };
    for socket in io.to(rooms).sockets() {
        emit_or_evict(&socket, CHANGED_EVENT, &payload);
    }
}
