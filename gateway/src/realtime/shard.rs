//! The delivery shards: one task per core, each owning the sockets whose id hashes to it, so
//! every core sends. The feed finds an event's sockets once and hands each shard its share;
//! a shard routes them through its own hand-overs ([`super::handover`]) and emits, one event
//! after another, so each socket gets its events in `seq` order. When several events are
//! waiting in a shard's inbox, a socket that asked for batches gets all of its share of them
//! as one `orders.batch` frame; the others get them one by one as always.

use std::{
    collections::{HashMap, HashSet},
    hash::{BuildHasher, BuildHasherDefault, DefaultHasher},
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
};

use chrono::Utc;
use serde_json::value::RawValue;
use socketioxide::{extract::SocketRef, socket::Sid};
use tokio::sync::mpsc;

use super::{
    handover::{Handovers, Held, Route, Routing},
    hub::{LEFT_EVENT, Outgoing, emit_or_evict},
};

/// The event that carries several events to a socket that asked for batches.
pub const BATCH_EVENT: &str = "orders.batch";
/// At most this many events are taken from a shard's inbox, and so put in one batch.
pub const MAX_BATCH: usize = 256;
/// Events the feed may hand a shard ahead of what it has sent (then the feed waits).
const INBOX: usize = 1024;

/// Which form of an event a socket gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The event itself.
    Event,
    /// `order.left`: the order was reassigned away from this socket's user.
    Left,
}

/// One event and the sockets of one shard it goes to.
pub struct Share {
    pub event: Arc<Outgoing>,
    pub sockets: Vec<(SocketRef, Form)>,
}

enum Work {
    Deliver(Share),
    /// The stream restarted: forget skip positions (after the events already handed over).
    Restart,
}

/// One shard's state, shared by its task and the hub.
pub struct Shard {
    /// Its sockets between replay and live delivery; also the lock each delivery runs under.
    handovers: Handovers,
    /// The last `seq` this shard routed (written under the hand-over lock).
    through: AtomicU64,
    /// Its sockets that asked for batches.
    batching: Mutex<HashSet<Sid>>,
}

impl Shard {
    /// The hand-over lock: while it is held, the shard routes and emits nothing.
    pub fn lock(&self) -> Routing<'_> {
        self.handovers.lock()
    }

    /// The last `seq` this shard routed; read it under [`Shard::lock`] for a stable answer.
    pub fn through(&self) -> u64 {
        self.through.load(Ordering::Acquire)
    }

    pub fn set_batching(&self, sid: Sid, batching: bool) {
        let mut set = lock(&self.batching);
        if batching {
            set.insert(sid);
        } else {
            set.remove(&sid);
        }
    }

    /// Routes and emits what was taken from the inbox, in order; a batching socket's share of
    /// several events goes out as one batch after the routing.
    fn process(&self, work: &mut Vec<Work>) {
        let mut routing = self.lock();
        let batching = lock(&self.batching);
        let mut batches = Batches::default();
        let mut reached = Vec::new();
        for item in work.drain(..) {
            let share = match item {
                Work::Deliver(share) => share,
                Work::Restart => {
                    routing.restart();
                    continue;
                }
            };
            let seq = share.event.seq;
            let index = batches.events.len();
            let mut delivered = 0u64;
            if !share.sockets.is_empty() {
                reached.push(share.event.occurred_at);
            }
            for (socket, form) in share.sockets {
                match routing.route(socket.id, seq) {
                    Route::Emit if batching.contains(&socket.id) => {
                        batches.add(socket, index, form)
                    }
                    Route::Emit => {
                        let (name, payload) = form_of(&share.event, form);
                        delivered += u64::from(emit_or_evict(&socket, name, payload));
                    }
                    Route::Hold => {
                        let (name, payload) = form_of(&share.event, form);
                        routing.push(
                            socket.id,
                            Held {
                                seq,
                                name,
                                payload: payload.to_owned(),
                            },
                        );
                    }
                    Route::Skip => {}
                }
            }
            self.through.store(seq, Ordering::Release);
            routing.passed(seq);
            metrics::counter!("gateway_deliveries_total").increment(delivered);
            batches.events.push(share.event);
        }
        batches.send();
        drop(batching);
        drop(routing);
        // Timed from the change (stamped by orders-service: clocks of two hosts) to this
        // shard's last socket's queue.
        for occurred_at in reached {
            let delay = (Utc::now() - occurred_at).to_std().unwrap_or_default();
            metrics::histogram!("gateway_event_delivery_duration_seconds").record(delay);
        }
    }
}

/// The events taken from one inbox, and what each batching socket gets of them.
#[derive(Default)]
struct Batches {
    events: Vec<Arc<Outgoing>>,
    /// Per socket, its picks: `index * 2 + 1` for the `order.left` form, `index * 2` otherwise.
    picks: HashMap<Sid, (SocketRef, Vec<u32>)>,
}

impl Batches {
    fn add(&mut self, socket: SocketRef, index: usize, form: Form) {
        // `index` < MAX_BATCH.
        let pick = index as u32 * 2 + u32::from(form == Form::Left);
        self.picks
            .entry(socket.id)
            .or_insert_with(|| (socket, Vec::new()))
            .1
            .push(pick);
    }

    /// Emits each batching socket's picks: one event alone as itself, several as one batch
    /// (serialised once for all sockets that got the same picks).
    fn send(&mut self) {
        let mut serialised: HashMap<Vec<u32>, Box<RawValue>> = HashMap::new();
        let mut delivered = 0u64;
        let events = &self.events;
        for (_, (socket, picks)) in self.picks.drain() {
            let sent = if let [pick] = picks[..] {
                let (name, payload) = pick_of(events, pick);
                emit_or_evict(&socket, name, payload).then_some(1)
            } else {
                let count = picks.len() as u64;
                let batch = serialised
                    .entry(picks)
                    .or_insert_with_key(|picks| batch_of(events, picks));
                emit_or_evict(&socket, BATCH_EVENT, batch).then_some(count)
            };
            delivered += sent.unwrap_or(0);
        }
        metrics::counter!("gateway_deliveries_total").increment(delivered);
    }
}

fn pick_of(events: &[Arc<Outgoing>], pick: u32) -> (&'static str, &RawValue) {
    let form = if pick % 2 == 1 {
        Form::Left
    } else {
        Form::Event
    };
    form_of(&events[(pick / 2) as usize], form)
}

/// `{"events":[…]}`: each event as a socket would get it alone (its `type` names it).
fn batch_of(events: &[Arc<Outgoing>], picks: &[u32]) -> Box<RawValue> {
    let mut json = String::from(r#"{"events":["#);
    for (n, pick) in picks.iter().enumerate() {
        if n > 0 {
            json.push(',');
        }
        json.push_str(pick_of(events, *pick).1.get());
    }
    json.push_str("]}");
    RawValue::from_string(json).expect("events are JSON")
}

/// What a socket gets of `event` in `form`: the event's name and payload.
fn form_of(event: &Outgoing, form: Form) -> (&'static str, &RawValue) {
    match (form, &event.left) {
        (Form::Left, Some((_, left))) => (LEFT_EVENT, left),
        _ => (event.name, &event.payload),
    }
}

/// The shards and their inboxes.
pub struct Shards {
    shards: Vec<Arc<Shard>>,
    inboxes: Vec<mpsc::Sender<Work>>,
}

impl Shards {
    /// Starts `count` shard tasks (at least one).
    pub fn start(count: usize) -> Self {
        let (shards, inboxes) = (0..count.max(1))
            .map(|_| {
                let shard = Arc::new(Shard {
                    handovers: Handovers::default(),
                    through: AtomicU64::new(0),
                    batching: Mutex::default(),
                });
                let (tx, rx) = mpsc::channel(INBOX);
                tokio::spawn(run(shard.clone(), rx));
                (shard, tx)
            })
            .unzip();
        Self { shards, inboxes }
    }

    /// Which shard serves `sid`.
    pub fn index_of(&self, sid: Sid) -> usize {
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(sid);
        (hash % self.shards.len() as u64) as usize
    }

    /// The shard that serves `sid`.
    pub fn of(&self, sid: Sid) -> &Shard {
        &self.shards[self.index_of(sid)]
    }

    /// An empty share of `event` for every shard.
    pub fn shares(&self, event: &Arc<Outgoing>) -> Vec<Share> {
        (0..self.shards.len())
            .map(|_| Share {
                event: event.clone(),
                sockets: Vec::new(),
            })
            .collect()
    }

    /// Hands each shard its share (every shard gets every event, so each knows how far the
    /// feed has gone); waits while a shard's inbox is full.
    pub async fn deliver(&self, shares: Vec<Share>) {
        for (inbox, share) in self.inboxes.iter().zip(shares) {
            let _ = inbox.send(Work::Deliver(share)).await;
        }
    }

    /// Every shard forgets its skip positions once it has sent what it was handed before.
    pub async fn restart(&self) {
        for inbox in &self.inboxes {
            let _ = inbox.send(Work::Restart).await;
        }
    }

    /// Forgets a disconnected socket.
    pub fn forget(&self, sid: Sid) {
        let shard = self.of(sid);
        shard.lock().forget(sid);
        shard.set_batching(sid, false);
    }
}

async fn run(shard: Arc<Shard>, mut inbox: mpsc::Receiver<Work>) {
    let mut work = Vec::with_capacity(MAX_BATCH);
    while inbox.recv_many(&mut work, MAX_BATCH).await > 0 {
        shard.process(&mut work);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing(seq: u64, left: bool) -> Arc<Outgoing> {
        let now = Utc::now();
        let mut event = serde_json::json!({
            "seq": seq,
            "event_id": uuid::Uuid::now_v7(),
            "type": "order.updated",
            "occurred_at": now,
            "actor": {"id": uuid::Uuid::now_v7()},
            "order": {
                "id": uuid::Uuid::now_v7(), "number": "ORD-000001", "status": "CONFIRMED",
                "priority": "normal", "customer_name": "A", "customer_email": "a@example.com",
                "assignee_id": null, "total": 100, "currency": "THB", "item_count": 1,
                "unit_count": 1, "version": 2, "created_at": now, "updated_at": now,
            },
        });
        if left {
            event["previous"] = serde_json::json!({
                "status": "CONFIRMED",
                "assignee_id": uuid::Uuid::now_v7(),
            });
        }
        Arc::new(Outgoing::parse(&event.to_string()).expect("a valid event"))
    }

    #[test]
    fn a_batch_carries_each_picked_event_in_its_form_in_order() {
        let events = [outgoing(7, false), outgoing(8, true)];
        let batch = batch_of(&events, &[0, 3]);
        let batch: serde_json::Value = serde_json::from_str(batch.get()).unwrap();
        let carried: Vec<_> = batch["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["seq"].as_u64().unwrap(), e["type"].as_str().unwrap()))
            .collect();
        assert_eq!(carried, [(7, "order.updated"), (8, LEFT_EVENT)]);
    }
}
