//! A fleet of dashboard sockets on one server: connected a few at a time, each recording for
//! every order event it receives the `seq` and how long the event took (from the moment the
//! generator meant to send it, stamped in the order's customer name, and optionally from the
//! event's `occurred_at`). With `resume`, a socket the server disconnects reconnects the way a
//! dashboard does: with the newest `seq` it received as `last_seq`, so the server replays what it
//! missed. [`Fleet::collect`] turns the records of a window of `seq` into losses, duplicates and
//! latency percentiles.

use std::{
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use futures_util::{StreamExt, stream};
use serde::{Deserialize, Serialize};
use tokio::{sync::watch, task::JoinHandle};

use crate::{
    clock,
    sio::{self, Closed},
    stats::{self, Latency},
};

/// How long a step waits, after its last event was published, for every socket to receive
/// everything; what has not arrived by then counts as lost.
pub const DRAIN_DEADLINE: Duration = Duration::from_secs(30);

/// The prefix of the customer name that carries the intended send time (ns since the epoch).
pub const STAMP_PREFIX: &str = "bench ";
const STAMP_KEY: &str = "\"customer_name\":\"bench ";

#[derive(Default)]
struct Recorder {
    seqs: Vec<u64>,
    /// The highest `seq` received so far (kept across [`Fleet::collect`]).
    highest: u64,
    out_of_order: u64,
    send_latency_us: Vec<u64>,
    commit_latency_us: Vec<u64>,
    resyncs: u64,
    reconnects: u64,
}

/// What to connect.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    /// HTTP base of the Socket.IO server.
    pub base_url: String,
    /// The handshake `auth` object as JSON.
    pub auth: String,
    pub sockets: usize,
    /// Also measure from the event's `occurred_at` (wall clock, set just before the commit).
    pub from_occurred_at: bool,
    pub connect_concurrency: usize,
    /// Reconnect a socket the server disconnects, with `last_seq` (as the dashboard does).
    pub resume: bool,
}

/// How often a disconnected socket tries to come back before it counts as lost.
const RECONNECT_ATTEMPTS: u32 = 20;
const RECONNECT_PAUSE: Duration = Duration::from_millis(250);

pub struct Fleet {
    recorders: Vec<Arc<Mutex<Recorder>>>,
    tasks: Vec<JoinHandle<Closed>>,
    delivered: Arc<AtomicU64>,
    stop: watch::Sender<bool>,
}

/// How one window of events reached the fleet.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Delivery {
    pub sockets: usize,
    pub events: u64,
    pub expected_deliveries: u64,
    pub delivered: u64,
    /// Not received within [`DRAIN_DEADLINE`] after the last publication.
    pub lost: u64,
    pub duplicated: u64,
    /// Received after an event with a higher `seq` (or again).
    #[serde(default)]
    pub out_of_order: u64,
    pub resyncs: u64,
    /// Disconnected by the server (e.g. evicted as too slow) and back with `last_seq`.
    #[serde(default)]
    pub reconnects: u64,
    pub sockets_lost: u64,
    /// From the intended send time (stamp) to receipt.
    pub latency: Latency,
    /// From `occurred_at` (just before the commit) to receipt, when measured.
    pub from_occurred_at: Option<Latency>,
}

impl Fleet {
    pub async fn connect(options: &FleetOptions) -> anyhow::Result<Self> {
        let url = sio::ws_url(&options.base_url);
        let started = Instant::now();
        let sockets: Vec<sio::Ws> = stream::iter(0..options.sockets)
            .map(|_| sio::connect(&url, &options.auth))
            .buffer_unordered(options.connect_concurrency.max(1))
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<anyhow::Result<_>>()
            .with_context(|| format!("connecting {} sockets to {url}", options.sockets))?;
        tracing::info!(
            sockets = options.sockets,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "fleet connected"
        );
        let (stop, stop_rx) = watch::channel(false);
        let delivered = Arc::new(AtomicU64::new(0));
        let mut recorders = Vec::with_capacity(sockets.len());
        let mut tasks = Vec::with_capacity(sockets.len());
        for ws in sockets {
            let recorder = Arc::new(Mutex::new(Recorder::default()));
            recorders.push(recorder.clone());
            let reader = Reader {
                recorder,
                delivered: delivered.clone(),
                newest_seq: Arc::default(),
                from_occurred_at: options.from_occurred_at,
            };
            let resume = options.resume.then(|| (url.clone(), options.auth.clone()));
            tasks.push(tokio::spawn(reader.run(ws, stop_rx.clone(), resume)));
        }
        Ok(Self {
            recorders,
            tasks,
            delivered,
            stop,
        })
    }

    pub fn len(&self) -> usize {
        self.recorders.len()
    }

    /// Order events received so far by all sockets together.
    pub fn delivered(&self) -> u64 {
        self.delivered.load(Ordering::Relaxed)
    }

    /// Sockets whose connection ended while they were meant to be reading.
    pub fn sockets_lost(&self) -> u64 {
        self.tasks.iter().filter(|t| t.is_finished()).count() as u64
    }

    /// Waits until `total` events were received in all, or `deadline` passes.
    pub async fn wait_for(&self, total: u64, deadline: Instant) {
        while self.delivered() < total && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Takes every socket's records and judges the window `first..=last` of `seq`.
    pub fn collect(&self, first: u64, last: u64) -> Delivery {
        let events = (last + 1).saturating_sub(first);
        let mut delivery = Delivery {
            sockets: self.len(),
            events,
            expected_deliveries: events * self.len() as u64,
            sockets_lost: self.sockets_lost(),
            ..Delivery::default()
        };
        let mut latency = Vec::new();
        let mut occurred = Vec::new();
        for recorder in &self.recorders {
            let mut taken = {
                let mut recorder = recorder.lock().unwrap_or_else(PoisonError::into_inner);
                let highest = recorder.highest;
                std::mem::replace(
                    &mut *recorder,
                    Recorder {
                        highest,
                        ..Recorder::default()
                    },
                )
            };
            let mut seqs: Vec<u64> = taken
                .seqs
                .into_iter()
                .filter(|seq| (first..=last).contains(seq))
                .collect();
            let received = seqs.len() as u64;
            seqs.sort_unstable();
            seqs.dedup();
            let distinct = seqs.len() as u64;
            delivery.delivered += received;
            delivery.duplicated += received - distinct;
            delivery.out_of_order += taken.out_of_order;
            delivery.lost += events.saturating_sub(distinct);
            delivery.resyncs += taken.resyncs;
            delivery.reconnects += taken.reconnects;
            latency.append(&mut taken.send_latency_us);
            occurred.append(&mut taken.commit_latency_us);
        }
        delivery.latency = stats::summarize(&mut latency);
        if !occurred.is_empty() {
            delivery.from_occurred_at = Some(stats::summarize(&mut occurred));
        }
        delivery
    }

    /// Closes every socket.
    pub async fn close(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
    }
}

/// One socket's reading task.
struct Reader {
    recorder: Arc<Mutex<Recorder>>,
    delivered: Arc<AtomicU64>,
    /// The newest `seq` received (kept across [`Fleet::collect`], which takes the records).
    newest_seq: Arc<AtomicU64>,
    from_occurred_at: bool,
}

impl Reader {
    /// Reads until stopped; with `resume` (`(url, auth)`), comes back after a disconnect.
    async fn run(
        self,
        mut ws: sio::Ws,
        stop: watch::Receiver<bool>,
        resume: Option<(String, String)>,
    ) -> Closed {
        loop {
            let closed =
                sio::read_events(ws, stop.clone(), |name, text| self.record(name, text)).await;
            let Closed::Lost(why) = &closed else {
                return closed;
            };
            let Some((url, auth)) = &resume else {
                tracing::warn!(%why, "a dashboard socket was disconnected");
                return closed;
            };
            match self.reconnect(url, auth, &stop).await {
                Some(again) => ws = again,
                None => {
                    tracing::warn!(%why, "a dashboard socket was disconnected and could not come back");
                    return closed;
                }
            }
        }
    }

    async fn reconnect(
        &self,
        url: &str,
        auth: &str,
        stop: &watch::Receiver<bool>,
    ) -> Option<sio::Ws> {
        let auth = with_last_seq(auth, self.newest_seq.load(Ordering::Relaxed))?;
        for _ in 0..RECONNECT_ATTEMPTS {
            if *stop.borrow() {
                return None;
            }
            if let Ok(ws) = sio::connect(url, &auth).await {
                self.recorder
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .reconnects += 1;
                return Some(ws);
            }
            tokio::time::sleep(RECONNECT_PAUSE).await;
        }
        None
    }

    fn record(&self, name: &str, text: &str) {
        let seq = record(
            &self.recorder,
            &self.delivered,
            self.from_occurred_at,
            name,
            text,
        );
        if let Some(seq) = seq {
            self.newest_seq.fetch_max(seq, Ordering::Relaxed);
        }
    }
}

/// The handshake `auth` object with `last_seq` added (none before the first event).
fn with_last_seq(auth: &str, last_seq: u64) -> Option<String> {
    let mut auth: serde_json::Value = serde_json::from_str(auth).ok()?;
    if last_seq > 0 {
        auth["last_seq"] = last_seq.into();
    }
    Some(auth.to_string())
}

/// Records one event packet; returns its `seq` when it was an order event.
fn record(
    recorder: &Mutex<Recorder>,
    delivered: &AtomicU64,
    from_occurred_at: bool,
    name: &str,
    text: &str,
) -> Option<u64> {
    let now = clock::now_ns();
    if name == "orders.resync" {
        recorder
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .resyncs += 1;
        return None;
    }
    if !name.starts_with("order.") {
        return None;
    }
    let seq = sio::number_after(text, "\"seq\":")?;
    let stamp = sio::number_after(text, STAMP_KEY);
    let occurred_us = if from_occurred_at {
        sio::string_after(text, "\"occurred_at\":\"")
            .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
            .and_then(|at| (chrono::Utc::now() - at.to_utc()).num_microseconds())
            .and_then(|us| u64::try_from(us).ok())
    } else {
        None
    };
    let mut recorder = recorder.lock().unwrap_or_else(PoisonError::into_inner);
    recorder.seqs.push(seq);
    if seq <= recorder.highest {
        recorder.out_of_order += 1;
    }
    recorder.highest = recorder.highest.max(seq);
    if let Some(stamp) = stamp {
        recorder
            .send_latency_us
            .push(clock::micros_between(stamp, now));
    }
    if let Some(us) = occurred_us {
        recorder.commit_latency_us.push(us);
    }
    drop(recorder);
    delivered.fetch_add(1, Ordering::Relaxed);
    Some(seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reconnect_sends_the_newest_seq_as_last_seq_once_there_is_one() {
        let auth = r#"{"token":"t"}"#;
        let resumed: serde_json::Value =
            serde_json::from_str(&with_last_seq(auth, 42).unwrap()).unwrap();
        assert_eq!(resumed, serde_json::json!({"token": "t", "last_seq": 42}));
        assert_eq!(with_last_seq(auth, 0).unwrap(), auth);
        assert!(with_last_seq("not json", 1).is_none());
    }
}
