//! The checker of a chaos run (Jepsen-style: the clients' record against the database):
//! every acknowledged write is in the database exactly once, no refused write is there
//! (writes with no answer are "unknown" and only counted), the orders rows agree with their
//! own event log, every dashboard's board equals the database for its scope, and no dashboard
//! received an event twice or out of version order. [`Verdict`] holds the counts, per fault
//! window, and the examples behind every failure.

use std::collections::{BTreeMap, HashMap};

use lom_contracts::OrderStatus;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    dashboards::{Dashboard, Scope},
    faults::Windows,
    load::{Attempt, OrderState, Outcome, Write},
};

#[derive(sqlx::FromRow)]
struct OrderRecord {
    id: Uuid,
    version: i64,
    status: String,
    assignee_id: Option<Uuid>,
    note: Option<String>,
}

/// The database's side: the orders, and the event each write left in the outbox (the same
/// transaction as the write itself).
pub struct Database {
    pub orders: HashMap<Uuid, OrderState>,
    /// Orders per note (the create's unique marker).
    pub by_note: HashMap<String, Vec<Uuid>>,
    /// (order, version) → the order as that write left it, once per outbox row.
    pub writes: HashMap<(Uuid, i64), Vec<OrderState>>,
    /// (order, status) reached more than once in the status history.
    pub repeated_statuses: Vec<(Uuid, String, i64)>,
}

impl Database {
    pub async fn read(pool: &PgPool) -> anyhow::Result<Self> {
        let rows: Vec<OrderRecord> = sqlx::query_as(
            "SELECT id, version, status, assignee_id, note FROM orders WHERE deleted_at IS NULL",
        )
        .fetch_all(pool)
        .await?;
        let mut orders = HashMap::with_capacity(rows.len());
        let mut by_note: HashMap<String, Vec<Uuid>> = HashMap::new();
        for row in rows {
            orders.insert(
                row.id,
                OrderState {
                    id: row.id,
                    version: row.version,
                    status: row.status.parse()?,
                    assignee_id: row.assignee_id,
                },
            );
            if let Some(note) = row.note {
                by_note.entry(note).or_default().push(row.id);
            }
        }
        let events: Vec<(Uuid, i64, String, Option<Uuid>)> = sqlx::query_as(
            "SELECT order_id, (payload->'order'->>'version')::bigint, payload->'order'->>'status', \
             (payload->'order'->>'assignee_id')::uuid FROM outbox",
        )
        .fetch_all(pool)
        .await?;
        let mut writes: HashMap<(Uuid, i64), Vec<OrderState>> = HashMap::new();
        for (id, version, status, assignee_id) in events {
            writes.entry((id, version)).or_default().push(OrderState {
                id,
                version,
                status: status.parse()?,
                assignee_id,
            });
        }
        let repeated_statuses = sqlx::query_as(
            "SELECT order_id, to_status, count(*) FROM order_status_history \
             GROUP BY order_id, to_status HAVING count(*) > 1",
        )
        .fetch_all(pool)
        .await?;
        Ok(Self {
            orders,
            by_note,
            writes,
            repeated_statuses,
        })
    }

    /// The orders `scope` may read.
    fn scope(&self, scope: Scope) -> HashMap<Uuid, OrderState> {
        self.orders
            .values()
            .filter(|o| match scope {
                Scope::All => true,
                Scope::AssignedTo(agent) => o.assignee_id == Some(agent),
            })
            .map(|o| (o.id, *o))
            .collect()
    }
}

/// The counts of one fault window (or of the whole run).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Counts {
    pub writes: u64,
    pub acked: u64,
    pub refused_503: u64,
    /// Refused with another status (e.g. 502, 504, 401).
    pub refused_other: u64,
    pub not_sent: u64,
    pub unknown: u64,
    /// Of the unknown ones, those the database holds.
    pub unknown_applied: u64,
    /// Acknowledged but absent.
    pub lost: u64,
    /// Present more than once (a create twice, one version twice, a status reached twice).
    pub duplicated: u64,
    /// Refused or never sent, yet present.
    pub refused_present: u64,
    /// Acknowledged, present, but not as acknowledged.
    pub wrong: u64,
    /// Events a dashboard received a second time.
    pub duplicate_events: u64,
    /// Events older than one already received for the order.
    pub out_of_order_events: u64,
    /// Dashboards that had to refetch (not counting their first load).
    pub dashboards_resynced: u64,
}

/// Everything the checker found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Verdict {
    pub windows: Vec<(String, Counts)>,
    pub total: Counts,
    pub boards_checked: u64,
    pub boards_equal: u64,
    /// Orders whose row disagrees with the newest event it wrote.
    pub inconsistent_orders: u64,
    /// Writes that were not acknowledged, by kind and outcome (e.g. `assign 503`).
    pub unacknowledged: BTreeMap<String, u64>,
    /// Up to a few examples of each failure, in words.
    pub examples: Vec<String>,
}

const EXAMPLES: usize = 20;

impl Verdict {
    fn example(&mut self, text: String) {
        if self.examples.len() < EXAMPLES {
            self.examples.push(text);
        }
    }

    pub fn passed(&self) -> bool {
        let t = &self.total;
        t.lost
            + t.duplicated
            + t.refused_present
            + t.wrong
            + t.duplicate_events
            + t.out_of_order_events
            == 0
            && self.inconsistent_orders == 0
            && self.boards_equal == self.boards_checked
    }
}

/// Judges the writes and the dashboards against the database.
pub fn check(
    attempts: &[Attempt],
    db: &Database,
    dashboards: &[std::sync::Arc<Dashboard>],
    windows: &Windows,
) -> Verdict {
    let mut verdict = Verdict::default();
    let mut counts = vec![Counts::default(); windows.len()];
    for attempt in attempts {
        let window = &mut counts[windows.of(attempt.sent_ms)];
        let (present, problem) = judge_write(attempt, db);
        window.writes += 1;
        if attempt.outcome != Outcome::Acked {
            let kind = match attempt.write {
                Write::Create { .. } => "create",
                Write::Status { .. } => "status",
                Write::Assign { .. } => "assign",
            };
            let outcome = match &attempt.outcome {
                Outcome::Refused(status) => status.to_string(),
                Outcome::NotSent => "not sent".to_owned(),
                _ => "unknown".to_owned(),
            };
            *verdict
                .unacknowledged
                .entry(format!("{kind} {outcome}"))
                .or_default() += 1;
        }
        match &attempt.outcome {
            Outcome::Acked => window.acked += 1,
            Outcome::Refused(503) => window.refused_503 += 1,
            Outcome::Refused(_) => window.refused_other += 1,
            Outcome::NotSent => window.not_sent += 1,
            Outcome::Unknown(_) => {
                window.unknown += 1;
                window.unknown_applied += u64::from(present > 0);
            }
        }
        if let Some(problem) = problem {
            match problem {
                Problem::Lost => window.lost += 1,
                Problem::Duplicated => window.duplicated += 1,
                Problem::RefusedPresent => window.refused_present += 1,
                Problem::Wrong => window.wrong += 1,
            }
            verdict.example(format!(
                "{problem:?}: {attempt:?} (present {present} times)"
            ));
        }
    }
    for (order, status, times) in &db.repeated_statuses {
        counts[0].duplicated += 1;
        verdict.example(format!(
            "order {order} reached {status} {times} times in its history"
        ));
    }
    for order in db.orders.values() {
        let newest = db
            .writes
            .get(&(order.id, order.version))
            .and_then(|w| w.first());
        let newer = db.writes.contains_key(&(order.id, order.version + 1));
        if newest != Some(order) || newer {
            verdict.inconsistent_orders += 1;
            verdict.example(format!(
                "order {} is {order:?} but its newest event says {newest:?}",
                order.id
            ));
        }
    }
    for dashboard in dashboards {
        let board = dashboard
            .board
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for anomaly in &board.duplicates {
            counts[windows.of(anomaly.at_ms)].duplicate_events += 1;
        }
        for anomaly in &board.out_of_order {
            counts[windows.of(anomaly.at_ms)].out_of_order_events += 1;
        }
        if let Some(first) = board.duplicates.first().or(board.out_of_order.first()) {
            verdict.example(format!(
                "dashboard {} ({}): event seq {} for order {} v{} after v{}",
                dashboard.index,
                dashboard.account.email,
                first.seq,
                first.order_id,
                first.version,
                first.newest_before
            ));
        }
        let mut resynced = vec![false; windows.len()];
        for resync in board.resyncs.iter().filter(|r| r.reason != "initial load") {
            resynced[windows.of(resync.at_ms)] = true;
        }
        for (window, hit) in counts.iter_mut().zip(resynced) {
            window.dashboards_resynced += u64::from(hit);
        }
        verdict.boards_checked += 1;
        let expected = db.scope(dashboard.account.scope);
        let shown = board.shown();
        if shown == expected {
            verdict.boards_equal += 1;
        } else {
            let missing = expected.keys().filter(|id| !shown.contains_key(id)).count();
            let extra = shown.keys().filter(|id| !expected.contains_key(id)).count();
            let differ = shown
                .iter()
                .filter(|(id, o)| expected.get(id).is_some_and(|e| e != *o))
                .count();
            verdict.example(format!(
                "dashboard {} ({}, {:?}): board differs from the database: {missing} missing, {extra} extra, {differ} different of {} orders",
                dashboard.index,
                dashboard.account.email,
                dashboard.account.scope,
                expected.len()
            ));
        }
    }
    let mut total = Counts::default();
    for c in &counts {
        total.add(c);
    }
    verdict.total = total;
    verdict.windows = windows.names.iter().cloned().zip(counts).collect();
    verdict
}

#[derive(Debug)]
enum Problem {
    Lost,
    Duplicated,
    RefusedPresent,
    Wrong,
}

/// How many times the database holds `attempt`, and what is wrong with that.
fn judge_write(attempt: &Attempt, db: &Database) -> (usize, Option<Problem>) {
    let acked = attempt.outcome == Outcome::Acked;
    let refused = matches!(attempt.outcome, Outcome::Refused(_) | Outcome::NotSent);
    let (present, as_acked) = match &attempt.write {
        Write::Create { marker } => {
            let ids = db.by_note.get(marker).map_or(&[][..], Vec::as_slice);
            let as_acked = attempt.acked.is_none_or(|a| {
                ids.first()
                    .and_then(|id| db.writes.get(&(*id, 1)))
                    .and_then(|w| w.first())
                    == Some(&a)
            });
            (ids.len(), as_acked)
        }
        Write::Status { order_id, .. } | Write::Assign { order_id, .. } => {
            let version = attempt
                .acked
                .map_or(attempt.expected_version + 1, |a| a.version);
            let held = db
                .writes
                .get(&(*order_id, version))
                .map_or(&[][..], Vec::as_slice);
            let as_acked = attempt.acked.is_none_or(|a| {
                held.first() == Some(&a) && a.version == attempt.expected_version + 1
            }) && held
                .first()
                .is_none_or(|w| matches_write(&attempt.write, w));
            (held.len(), as_acked)
        }
    };
    let problem = match present {
        0 if acked => Some(Problem::Lost),
        0 => None,
        _ if refused => Some(Problem::RefusedPresent),
        1 if !as_acked => Some(Problem::Wrong),
        1 => None,
        _ => Some(Problem::Duplicated),
    };
    (present, problem)
}

/// Whether the event a write left says what the write asked for.
fn matches_write(write: &Write, held: &OrderState) -> bool {
    match write {
        Write::Create { .. } => held.status == OrderStatus::Pending,
        Write::Status { to, .. } => held.status == *to,
        Write::Assign { to, .. } => held.assignee_id == *to,
    }
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.writes += other.writes;
        self.acked += other.acked;
        self.refused_503 += other.refused_503;
        self.refused_other += other.refused_other;
        self.not_sent += other.not_sent;
        self.unknown += other.unknown;
        self.unknown_applied += other.unknown_applied;
        self.lost += other.lost;
        self.duplicated += other.duplicated;
        self.refused_present += other.refused_present;
        self.wrong += other.wrong;
        self.duplicate_events += other.duplicate_events;
        self.out_of_order_events += other.out_of_order_events;
        self.dashboards_resynced += other.dashboards_resynced;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(id: Uuid, version: i64, status: OrderStatus) -> OrderState {
        OrderState {
            id,
            version,
            status,
            assignee_id: None,
        }
    }

    fn db_with(orders: &[OrderState], events: &[OrderState], notes: &[(&str, Uuid)]) -> Database {
        let mut writes: HashMap<(Uuid, i64), Vec<OrderState>> = HashMap::new();
        for e in events {
            writes.entry((e.id, e.version)).or_default().push(*e);
        }
        let mut by_note: HashMap<String, Vec<Uuid>> = HashMap::new();
        for (note, id) in notes {
            by_note.entry((*note).to_owned()).or_default().push(*id);
        }
        Database {
            orders: orders.iter().map(|o| (o.id, *o)).collect(),
            by_note,
            writes,
            repeated_statuses: Vec::new(),
        }
    }

    fn attempt(
        write: Write,
        expected_version: i64,
        outcome: Outcome,
        acked: Option<OrderState>,
    ) -> Attempt {
        Attempt {
            write,
            expected_version,
            sent_ms: 10,
            outcome,
            acked,
        }
    }

    #[test]
    fn acknowledged_writes_must_be_there_once_and_refused_ones_absent() {
        let id = Uuid::now_v7();
        let v1 = state(id, 1, OrderStatus::Pending);
        let v2 = state(id, 2, OrderStatus::Confirmed);
        let create = |outcome, acked| {
            attempt(
                Write::Create {
                    marker: "m1".into(),
                },
                0,
                outcome,
                acked,
            )
        };
        let confirm = |outcome, acked| {
            attempt(
                Write::Status {
                    order_id: id,
                    to: OrderStatus::Confirmed,
                },
                1,
                outcome,
                acked,
            )
        };
        let db = db_with(&[v2], &[v1, v2], &[("m1", id)]);
        assert!(
            judge_write(&create(Outcome::Acked, Some(v1)), &db)
                .1
                .is_none()
        );
        assert!(
            judge_write(&confirm(Outcome::Acked, Some(v2)), &db)
                .1
                .is_none()
        );
        assert!(matches!(
            judge_write(&confirm(Outcome::Refused(503), None), &db).1,
            Some(Problem::RefusedPresent)
        ));
        assert!(
            judge_write(&confirm(Outcome::Unknown("timeout".into()), None), &db)
                .1
                .is_none()
        );

        let only_created = db_with(&[v1], &[v1], &[("m1", id)]);
        assert!(matches!(
            judge_write(&confirm(Outcome::Acked, Some(v2)), &only_created).1,
            Some(Problem::Lost)
        ));
        assert!(
            judge_write(&confirm(Outcome::Refused(503), None), &only_created)
                .1
                .is_none()
        );

        let twice = db_with(&[v1], &[v1], &[("m1", id), ("m1", Uuid::now_v7())]);
        assert!(matches!(
            judge_write(&create(Outcome::Acked, Some(v1)), &twice).1,
            Some(Problem::Duplicated)
        ));
    }

    #[test]
    fn a_write_held_with_other_content_than_acknowledged_is_wrong() {
        let id = Uuid::now_v7();
        let held = state(id, 2, OrderStatus::Cancelled);
        let db = db_with(&[held], &[state(id, 1, OrderStatus::Pending), held], &[]);
        let confirm = attempt(
            Write::Status {
                order_id: id,
                to: OrderStatus::Confirmed,
            },
            1,
            Outcome::Acked,
            Some(state(id, 2, OrderStatus::Confirmed)),
        );
        assert!(matches!(judge_write(&confirm, &db).1, Some(Problem::Wrong)));
    }
}
