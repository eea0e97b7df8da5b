//! The dashboards of a chaos run: each a Socket.IO client with a board (order id → status,
//! assignee, version) kept the way the real dashboard keeps its cache: events applied by
//! `version` (an older or equal one changes nothing), `order.left`/`order.deleted` take the
//! order off, `orders.resync` (or a reconnect with no position) refetches its scope over REST.
//! Reconnects go to either gateway with `last_seq`. Each board also records what the checker
//! judges: an event received twice (the same write, hence the same `event_id`), an event older
//! than one already received for its order (out of order), and every resync.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use futures_util::{
    FutureExt,
    future::{BoxFuture, Shared},
};
use lom_contracts::OrderStatus;
use serde::{Deserialize, Serialize};
use tokio::{sync::watch, task::JoinHandle};
use uuid::Uuid;

use super::{faults::wall_ms, load::OrderState};
use crate::{
    clock,
    sio::{self, Closed},
};

/// What an account may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Every order (admin, dispatcher, viewer).
    All,
    /// Only the orders assigned to this agent.
    AssignedTo(Uuid),
}

/// A signed-in account a dashboard runs as.
#[derive(Debug, Clone)]
pub struct Account {
    pub email: String,
    pub scope: Scope,
    pub token: String,
}

/// Something a dashboard received that it should not have.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Anomaly {
    pub at_ms: u64,
    pub seq: u64,
    pub order_id: Uuid,
    pub version: i64,
    /// The newest version received for the order before it.
    pub newest_before: i64,
}

/// One resync: when, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Resync {
    pub at_ms: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    version: i64,
    status: OrderStatus,
    assignee_id: Option<Uuid>,
    present: bool,
    /// Versions 1..=64 received by event, one bit each.
    received: u64,
    newest_event_version: i64,
    /// When the entry last changed (`clock::now_ns`).
    touched_ns: u64,
}

impl Entry {
    fn unknown() -> Self {
        Self {
            version: 0,
            status: OrderStatus::Pending,
            assignee_id: None,
            present: false,
            received: 0,
            newest_event_version: 0,
            touched_ns: 0,
        }
    }
}

/// What a socket delivers: the envelope with the fields a board needs. `order.left` carries
/// only the order's id and version.
#[derive(Debug, Deserialize)]
struct Event {
    seq: u64,
    order: EventOrder,
}

#[derive(Debug, Deserialize)]
struct EventOrder {
    id: Uuid,
    version: i64,
    status: Option<OrderStatus>,
    #[serde(default)]
    assignee_id: Option<Uuid>,
}

#[derive(Default)]
pub struct Board {
    entries: HashMap<Uuid, Entry>,
    /// The newest `seq` received since the last resync (what a reconnect resumes from).
    last_seq: Option<u64>,
    pub events: u64,
    pub duplicates: Vec<Anomaly>,
    pub out_of_order: Vec<Anomaly>,
    pub resyncs: Vec<Resync>,
    pub reconnects: u64,
}

impl Board {
    fn apply_event(&mut self, name: &str, event: &Event, now_ns: u64) {
        self.events += 1;
        self.last_seq = Some(self.last_seq.map_or(event.seq, |last| last.max(event.seq)));
        let order = &event.order;
        let entry = self.entries.entry(order.id).or_insert_with(Entry::unknown);
        let anomaly = Anomaly {
            at_ms: wall_ms(),
            seq: event.seq,
            order_id: order.id,
            version: order.version,
            newest_before: entry.newest_event_version,
        };
        let bit = u32::try_from(order.version - 1)
            .ok()
            .and_then(|shift| 1u64.checked_shl(shift))
            .unwrap_or(0);
        if entry.received & bit != 0 {
            self.duplicates.push(anomaly);
            return;
        }
        entry.received |= bit;
        if order.version < entry.newest_event_version {
            self.out_of_order.push(anomaly);
        }
        entry.newest_event_version = entry.newest_event_version.max(order.version);
        if order.version <= entry.version {
            return;
        }
        entry.version = order.version;
        entry.touched_ns = now_ns;
        match (name, order.status) {
            ("order.left" | "order.deleted", _) | (_, None) => entry.present = false,
            (_, Some(status)) => {
                entry.present = true;
                entry.status = status;
                entry.assignee_id = order.assignee_id;
            }
        }
    }

    /// Applies a refetch of the scope that began at `started_ns`: newer rows replace older
    /// entries, and an entry the refetch does not hold is gone unless an event changed it
    /// after the refetch began.
    fn apply_snapshot(&mut self, rows: &[OrderState], started_ns: u64) {
        let mut held = HashSet::with_capacity(rows.len());
        for row in rows {
            held.insert(row.id);
            let entry = self.entries.entry(row.id).or_insert_with(Entry::unknown);
            if row.version > entry.version {
                *entry = Entry {
                    version: row.version,
                    status: row.status,
                    assignee_id: row.assignee_id,
                    present: true,
                    touched_ns: started_ns,
                    ..*entry
                };
            }
        }
        for (id, entry) in &mut self.entries {
            if entry.present && !held.contains(id) && entry.touched_ns < started_ns {
                entry.present = false;
            }
        }
    }

    /// The orders shown, as the checker compares them.
    pub fn shown(&self) -> HashMap<Uuid, OrderState> {
        self.entries
            .iter()
            .filter(|(_, e)| e.present)
            .map(|(id, e)| {
                (
                    *id,
                    OrderState {
                        id: *id,
                        version: e.version,
                        status: e.status,
                        assignee_id: e.assignee_id,
                    },
                )
            })
            .collect()
    }
}

/// Refetches of one scope, shared by the dashboards that need one at the same time: a
/// dashboard told to resync at time T uses a refetch that began at T or later, which is what
/// it would have got by refetching alone.
pub struct Snapshots {
    gateways: super::load::Gateways,
    running: Mutex<HashMap<Scope, (u64, SharedFetch)>>,
    pub fetches: AtomicU64,
}

type SharedFetch = Shared<BoxFuture<'static, Arc<Vec<OrderState>>>>;

#[derive(Deserialize)]
struct Page {
    items: Vec<OrderState>,
    next_cursor: Option<String>,
}

impl Snapshots {
    pub fn new(gateways: super::load::Gateways) -> Self {
        Self {
            gateways,
            running: Mutex::default(),
            fetches: AtomicU64::new(0),
        }
    }

    /// The scope's orders as read by a refetch that began at `not_before_ns` or later, and
    /// when it began.
    async fn get(
        &self,
        scope: Scope,
        token: &str,
        not_before_ns: u64,
    ) -> (u64, Arc<Vec<OrderState>>) {
        let (started, fetch) = {
            let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
            match running.get(&scope) {
                Some((started, fetch)) if *started >= not_before_ns => (*started, fetch.clone()),
                _ => {
                    let started = clock::now_ns();
                    self.fetches.fetch_add(1, Ordering::Relaxed);
                    let fetch = fetch_all(self.gateways.clone(), token.to_owned())
                        .boxed()
                        .shared();
                    running.insert(scope, (started, fetch.clone()));
                    (started, fetch)
                }
            }
        };
        (started, fetch.await)
    }
}

/// Every order `token` may read, page by page; a failing page is retried until it succeeds.
async fn fetch_all(gateways: super::load::Gateways, token: String) -> Arc<Vec<OrderState>> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let result = gateways
            .send(|http, base| {
                let mut params = vec![("limit", "200")];
                if let Some(cursor) = &cursor {
                    params.push(("cursor", cursor));
                }
                match reqwest::Url::parse_with_params(&format!("{base}/api/v1/orders"), &params) {
                    Ok(url) => http.get(url),
                    Err(_) => http.get(format!("{base}/api/v1/orders")),
                }
                .bearer_auth(&token)
            })
            .await;
        let page = match result {
            Ok(response) if response.status().is_success() => response.json::<Page>().await.ok(),
            _ => None,
        };
        let Some(page) = page else {
            tokio::time::sleep(Duration::from_millis(300)).await;
            continue;
        };
        rows.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Arc::new(rows),
        }
    }
}

/// One dashboard: its account, board and connection state.
pub struct Dashboard {
    pub index: usize,
    pub account: Account,
    pub board: Mutex<Board>,
    connected: AtomicBool,
    /// A refetch is running (`.0`), and another was asked for meanwhile (`.1`).
    resync: Mutex<(bool, bool)>,
    /// Gateway the socket is (or was last) on.
    gateway: AtomicU64,
}

impl Dashboard {
    fn board(&self) -> std::sync::MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether it is connected and not refetching.
    fn settled(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
            && !self.resync.lock().unwrap_or_else(PoisonError::into_inner).0
    }
}

pub struct Fleet {
    pub dashboards: Vec<Arc<Dashboard>>,
    pub snapshots: Arc<Snapshots>,
    tasks: Vec<JoinHandle<()>>,
    stop: watch::Sender<bool>,
}

/// How long a disconnected dashboard waits before trying again (plus up to as much jitter).
const RECONNECT_PAUSE: Duration = Duration::from_millis(200);

impl Fleet {
    /// Connects `accounts` (one dashboard each) spread over `gateways` (ws URLs), each loading
    /// its board first.
    pub async fn connect(
        accounts: Vec<Account>,
        gateways: super::load::Gateways,
    ) -> anyhow::Result<Self> {
        let (stop, stop_rx) = watch::channel(false);
        let snapshots = Arc::new(Snapshots::new(gateways.clone()));
        let ws_urls: Arc<Vec<String>> =
            Arc::new(gateways.urls.iter().map(|u| sio::ws_url(u)).collect());
        let mut dashboards = Vec::with_capacity(accounts.len());
        let mut tasks = Vec::with_capacity(accounts.len());
        for (index, account) in accounts.into_iter().enumerate() {
            let dashboard = Arc::new(Dashboard {
                index,
                account,
                board: Mutex::default(),
                connected: AtomicBool::new(false),
                resync: Mutex::new((false, false)),
                gateway: AtomicU64::new(index as u64 % ws_urls.len() as u64),
            });
            dashboards.push(dashboard.clone());
            tasks.push(tokio::spawn(run(
                dashboard,
                ws_urls.clone(),
                snapshots.clone(),
                stop_rx.clone(),
            )));
        }
        let fleet = Self {
            dashboards,
            snapshots,
            tasks,
            stop,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !fleet.dashboards.iter().all(|d| d.settled()) {
            anyhow::ensure!(
                Instant::now() < deadline,
                "the dashboards did not all connect and load within 60 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(fleet)
    }

    /// Events received by all dashboards together.
    fn events(&self) -> u64 {
        self.dashboards.iter().map(|d| d.board().events).sum()
    }

    /// Waits until every dashboard is connected and not refetching and no event has arrived
    /// for `quiet`; false if that did not happen by `deadline`.
    pub async fn wait_quiet(&self, quiet: Duration, deadline: Instant) -> bool {
        let mut last = (self.events(), Instant::now());
        loop {
            let events = self.events();
            if events != last.0 || !self.dashboards.iter().all(|d| d.settled()) {
                last = (events, Instant::now());
            } else if last.1.elapsed() >= quiet {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn close(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
    }
}

/// A dashboard's life: connect (to its gateway, else the other), read, and after a disconnect
/// come back with `last_seq`; a connection with no position to resume from refetches.
async fn run(
    dashboard: Arc<Dashboard>,
    ws_urls: Arc<Vec<String>>,
    snapshots: Arc<Snapshots>,
    stop: watch::Receiver<bool>,
) {
    let mut first = true;
    while !*stop.borrow() {
        let which = dashboard.gateway.load(Ordering::Relaxed) as usize % ws_urls.len();
        let last_seq = dashboard.board().last_seq;
        // As the dashboard does: events that wait together come as one `orders.batch`.
        let mut auth = serde_json::json!({ "token": dashboard.account.token, "batch": true });
        if let Some(seq) = last_seq {
            auth["last_seq"] = seq.into();
        }
        let ws = match sio::connect(&ws_urls[which], &auth.to_string()).await {
            Ok(ws) => ws,
            Err(_) => {
                dashboard
                    .gateway
                    .store((which as u64 + 1) % ws_urls.len() as u64, Ordering::Relaxed);
                pause().await;
                continue;
            }
        };
        dashboard.connected.store(true, Ordering::Relaxed);
        if first {
            resync(&dashboard, &snapshots, "initial load");
            first = false;
        } else {
            dashboard.board().reconnects += 1;
            if last_seq.is_none() {
                resync(&dashboard, &snapshots, "reconnected with no position");
            }
        }
        let closed = sio::read_events(ws, stop.clone(), |name, text| {
            on_packet(&dashboard, &snapshots, name, text);
        })
        .await;
        dashboard.connected.store(false, Ordering::Relaxed);
        if matches!(closed, Closed::Stopped) {
            return;
        }
        // Its gateway went away (or dropped it): the next try goes to the other one.
        dashboard
            .gateway
            .store((which as u64 + 1) % ws_urls.len() as u64, Ordering::Relaxed);
        pause().await;
    }
}

async fn pause() {
    let jitter = fastrand::u64(..RECONNECT_PAUSE.as_millis() as u64);
    tokio::time::sleep(RECONNECT_PAUSE + Duration::from_millis(jitter)).await;
}

fn on_packet(dashboard: &Arc<Dashboard>, snapshots: &Arc<Snapshots>, name: &str, text: &str) {
    if name == "orders.resync" {
        let reason = sio::string_after(text, "\"reason\":\"").unwrap_or("unknown");
        let reason = format!("told: {reason}");
        // The server cannot replay: the refetch is the new baseline.
        dashboard.board().last_seq = None;
        resync(dashboard, snapshots, &reason);
        return;
    }
    if !name.starts_with("order.") {
        return;
    }
    let Some(event) = parse_event(text) else {
        tracing::warn!(name, "unreadable order event");
        return;
    };
    dashboard.board().apply_event(name, &event, clock::now_ns());
}

/// The event in `text`: a whole packet `42["name",{...}]`, or one event of an `orders.batch`
/// as [`sio::batched_events`] cuts it (its object, then what separates it from the next).
fn parse_event(text: &str) -> Option<Event> {
    if text.starts_with('{') {
        return serde_json::Deserializer::from_str(text)
            .into_iter::<Event>()
            .next()?
            .ok();
    }
    let (_, event) = serde_json::from_str::<(&str, Event)>(text.get(2..)?).ok()?;
    Some(event)
}

/// Starts a refetch of the dashboard's scope (or asks the running one to run once more).
fn resync(dashboard: &Arc<Dashboard>, snapshots: &Arc<Snapshots>, reason: &str) {
    dashboard.board().resyncs.push(Resync {
        at_ms: wall_ms(),
        reason: reason.to_owned(),
    });
    {
        let mut state = dashboard
            .resync
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if state.0 {
            state.1 = true;
            return;
        }
        *state = (true, false);
    }
    let (dashboard, snapshots) = (dashboard.clone(), snapshots.clone());
    tokio::spawn(async move {
        loop {
            let asked_ns = clock::now_ns();
            let (started, rows) = snapshots
                .get(dashboard.account.scope, &dashboard.account.token, asked_ns)
                .await;
            dashboard.board().apply_snapshot(&rows, started);
            let mut state = dashboard
                .resync
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !state.1 {
                state.0 = false;
                return;
            }
            state.1 = false;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_of_a_batch_is_read_like_a_single_one() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let single = format!(
            r#"42["order.updated",{{"seq":7,"type":"order.updated","order":{{"id":"{a}","version":2,"status":"CONFIRMED"}}}}]"#
        );
        let batch = format!(
            r#"42["orders.batch",{{"events":[{{"seq":8,"type":"order.updated","order":{{"id":"{a}","version":3,"status":"PROCESSING"}}}},{{"seq":9,"type":"order.created","order":{{"id":"{b}","version":1,"status":"PENDING"}}}}]}}]"#
        );
        let read: Vec<(u64, Uuid, i64)> = std::iter::once(single.as_str())
            .chain(sio::batched_events(&batch))
            .map(|text| parse_event(text).expect("an event"))
            .map(|event| (event.seq, event.order.id, event.order.version))
            .collect();
        assert_eq!(read, vec![(7, a, 2), (8, a, 3), (9, b, 1)]);
    }

    fn event(seq: u64, id: Uuid, version: i64, status: Option<OrderStatus>) -> Event {
        Event {
            seq,
            order: EventOrder {
                id,
                version,
                status,
                assignee_id: None,
            },
        }
    }

    #[test]
    fn a_board_applies_by_version_and_flags_duplicates_and_older_events() {
        let mut board = Board::default();
        let id = Uuid::now_v7();
        board.apply_event(
            "order.created",
            &event(1, id, 1, Some(OrderStatus::Pending)),
            1,
        );
        board.apply_event(
            "order.updated",
            &event(3, id, 3, Some(OrderStatus::Processing)),
            2,
        );
        board.apply_event(
            "order.updated",
            &event(2, id, 2, Some(OrderStatus::Confirmed)),
            3,
        );
        board.apply_event(
            "order.updated",
            &event(3, id, 3, Some(OrderStatus::Processing)),
            4,
        );
        assert_eq!(board.shown()[&id].status, OrderStatus::Processing);
        assert_eq!(board.shown()[&id].version, 3);
        assert_eq!(board.out_of_order.len(), 1);
        assert_eq!(board.out_of_order[0].version, 2);
        assert_eq!(board.duplicates.len(), 1);
        assert_eq!(board.last_seq, Some(3));
    }

    #[test]
    fn an_order_that_left_is_off_the_board_until_it_comes_back() {
        let mut board = Board::default();
        let id = Uuid::now_v7();
        board.apply_event(
            "order.updated",
            &event(5, id, 2, Some(OrderStatus::Pending)),
            1,
        );
        board.apply_event("order.left", &event(6, id, 3, None), 2);
        assert!(board.shown().is_empty());
        board.apply_event(
            "order.updated",
            &event(9, id, 4, Some(OrderStatus::Pending)),
            3,
        );
        assert_eq!(board.shown().len(), 1);
    }

    #[test]
    fn a_refetch_replaces_what_it_covers_and_keeps_what_changed_after_it_began() {
        let mut board = Board::default();
        let (old, gone, newer, fresh) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        board.apply_event(
            "order.created",
            &event(1, old, 1, Some(OrderStatus::Pending)),
            10,
        );
        board.apply_event(
            "order.created",
            &event(2, gone, 1, Some(OrderStatus::Pending)),
            10,
        );
        board.apply_event(
            "order.updated",
            &event(9, newer, 5, Some(OrderStatus::Shipped)),
            30,
        );
        let row = |id, version, status| OrderState {
            id,
            version,
            status,
            assignee_id: None,
        };
        board.apply_snapshot(
            &[
                row(old, 2, OrderStatus::Confirmed),
                row(newer, 4, OrderStatus::Processing),
                row(fresh, 1, OrderStatus::Pending),
            ],
            20,
        );
        let shown = board.shown();
        assert_eq!(shown[&old].status, OrderStatus::Confirmed);
        assert_eq!(
            shown[&newer].version, 5,
            "an event newer than the refetch stays"
        );
        assert!(shown.contains_key(&fresh));
        assert!(
            !shown.contains_key(&gone),
            "an order the refetch lacks is gone"
        );
    }
}
