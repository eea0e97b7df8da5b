//! The read models the API answers with: a full order with its history, a page of list rows
//! and the per-status counts, each built from the repository's rows by `From`. Money is in
//! integer minor units of `currency`.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use lom_contracts::{CancelReason, OrderRow, OrderStatus, Priority};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    domain::OverdueAfter,
    repository::{
        ChangeRow, ItemRow, NoteRow, OpenOrders, StatusCount, StoredOrder,
        actions::ActionRow,
        metrics::{self, MetricsRows},
    },
};

/// An internal note on an order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoteView {
    pub id: i64,
    pub order_id: Uuid,
    pub author_id: Uuid,
    /// Plain text, exactly as written.
    pub text: String,
    pub created_at: DateTime<Utc>,
}

impl NoteView {
    pub fn new(order_id: Uuid, note: NoteRow) -> Self {
        Self {
            id: note.id,
            order_id,
            author_id: note.author_id,
            text: note.body,
            created_at: note.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CustomerView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AddressView {
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemView {
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    /// Minor units.
    pub unit_price: i64,
    /// `unit_price × quantity`, minor units.
    pub line_total: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    Status,
    Assignment,
    Priority,
    Note,
    /// An internal note written on the order (`note` is its text).
    InternalNote,
}

/// One change, who made it and when: a status change (`from_status` → `to_status`, with the
/// `reason` of a cancellation), an assignment (`previous_assignee_id` → `assignee_id`), a
/// priority change (`from_priority` → `to_priority`), a note change (`previous_note` →
/// `note`; absent `note` means it was cleared) or an internal note (`internal_note`, its text
/// in `note`, its author in `actor_id`). `undo` marks the reversal of the change before.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntry {
    pub kind: HistoryKind,
    pub at: DateTime<Utc>,
    pub actor_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_status: Option<OrderStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_status: Option<OrderStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_assignee_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<CancelReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_priority: Option<Priority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_priority: Option<Priority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Set on a status change or assignment that undid the one before it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undo: bool,
}

/// A full order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderDetail {
    pub id: Uuid,
    pub number: String,
    pub status: OrderStatus,
    pub priority: Priority,
    pub customer: CustomerView,
    pub shipping_address: AddressView,
    pub items: Vec<ItemView>,
    pub assignee_id: Option<Uuid>,
    pub note: Option<String>,
    /// Sum of line totals, minor units.
    pub total: i64,
    pub currency: String,
    pub item_count: i32,
    /// Units: the sum of the lines' quantities.
    pub unit_count: i32,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub history: Vec<HistoryEntry>,
}

impl From<StoredOrder> for OrderDetail {
    fn from(stored: StoredOrder) -> Self {
        let StoredOrder {
            order,
            note,
            customer_id,
            customer_phone,
            address,
            items,
            history,
        } = stored;
        Self {
            id: order.id,
            number: order.number,
            status: order.status,
            priority: order.priority,
            customer: CustomerView {
                id: customer_id,
                name: order.customer_name,
                email: order.customer_email,
                phone: customer_phone,
            },
            shipping_address: AddressView {
                line1: address.line1,
                line2: address.line2,
                city: address.city,
                postal_code: address.postal_code,
                country: address.country,
            },
            items: items.into_iter().map(ItemView::from).collect(),
            assignee_id: order.assignee_id,
            note,
            total: order.total,
            currency: order.currency,
            item_count: order.item_count,
            unit_count: order.unit_count,
            version: order.version,
            created_at: order.created_at,
            updated_at: order.updated_at,
            history: history.into_iter().map(HistoryEntry::from).collect(),
        }
    }
}

impl From<ItemRow> for ItemView {
    fn from(item: ItemRow) -> Self {
        Self {
            sku: item.sku,
            name: item.name,
            quantity: item.quantity,
            unit_price: item.unit_price,
            line_total: item.line_total,
        }
    }
}

impl From<ChangeRow> for HistoryEntry {
    fn from(change: ChangeRow) -> Self {
        Self {
            kind: match change.kind.as_str() {
                "status" => HistoryKind::Status,
                "assignment" => HistoryKind::Assignment,
                "priority" => HistoryKind::Priority,
                "internal_note" => HistoryKind::InternalNote,
                _ => HistoryKind::Note,
            },
            at: change.at,
            actor_id: change.actor_id,
            from_status: change.from_status,
            to_status: change.to_status,
            previous_assignee_id: change.previous_assignee_id,
            assignee_id: change.assignee_id,
            reason: change.reason_code.map(|code| CancelReason {
                code,
                text: change.reason_text,
            }),
            from_priority: change.from_priority,
            to_priority: change.to_priority,
            previous_note: change.previous_note,
            note: change.note,
            undo: change.undo,
        }
    }
}

/// One page of a list, newest first. Pass `next_cursor` back as `cursor` for the next page.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderPage {
    pub items: Vec<OrderRow>,
    pub next_cursor: Option<String>,
}

/// Orders per status under the given filters, how many were created in the last hour, and how
/// many are overdue (PENDING or CONFIRMED for longer than `overdue_after_minutes` of their
/// priority).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderStats {
    pub counts: BTreeMap<String, i64>,
    pub total: i64,
    pub created_last_hour: i64,
    pub overdue: i64,
    pub overdue_after_minutes: OverdueMinutes,
}

/// After how many minutes a PENDING or CONFIRMED order of each priority is overdue
/// (orders-service's `ORDERS_OVERDUE_HIGH_MINUTES`, `ORDERS_OVERDUE_NORMAL_MINUTES`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct OverdueMinutes {
    pub high: u64,
    pub normal: u64,
}

impl From<OverdueAfter> for OverdueMinutes {
    fn from(after: OverdueAfter) -> Self {
        Self {
            high: after.high.as_secs() / 60,
            normal: after.normal.as_secs() / 60,
        }
    }
}

impl OrderStats {
    /// Every status is present, zeros included.
    pub fn new(counts: Vec<StatusCount>, overdue_after: OverdueAfter) -> Self {
        let mut stats = Self {
            counts: OrderStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), 0))
                .collect(),
            total: 0,
            created_last_hour: 0,
            overdue: 0,
            overdue_after_minutes: OverdueMinutes::from(overdue_after),
        };
        for count in counts {
            stats.total += count.orders;
            stats.created_last_hour += count.created_last_hour;
            stats.overdue += count.overdue;
            stats
                .counts
                .insert(count.status.as_str().to_owned(), count.orders);
        }
        stats
    }
}

/// One person's open orders (any status but DELIVERED and CANCELLED).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssigneeWorkload {
    pub assignee_id: Uuid,
    #[schema(minimum = 1)]
    pub open_orders: i64,
}

impl From<OpenOrders> for AssigneeWorkload {
    fn from(row: OpenOrders) -> Self {
        Self {
            assignee_id: row.assignee_id,
            open_orders: row.orders,
        }
    }
}

/// The floor's KPIs (`GET /orders/metrics`), for the caller's scope (an agent: its own orders).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderMetrics {
    /// The instant the figures were read at (one database snapshot).
    pub generated_at: DateTime<Utc>,
    /// The offset from UTC "today" is at, in minutes east (the `utc_offset` asked for).
    pub utc_offset: i32,
    /// Midnight of today at `utc_offset`.
    pub today_start: DateTime<Utc>,
    pub orders_per_minute: OrdersPerMinute,
    /// Every status, zeros included: open statuses count the open orders now; `DELIVERED` and
    /// `CANCELLED` count the orders finished today (the all-time totals are `/orders/stats`').
    pub by_status: BTreeMap<String, i64>,
    pub lead_times: LeadTimes,
    /// Open orders (neither delivered nor cancelled) by age since creation, youngest band first.
    pub ageing: Vec<AgeBand>,
    /// The thresholds `ageing`'s overdue counts use (as `/orders/stats` says them).
    pub overdue_after_minutes: OverdueMinutes,
    /// Open orders per assignee: the unassigned first (`assignee_id` null, present even when
    /// zero for those who read every order), then the most loaded. Agents get only their own.
    pub by_assignee: Vec<AssigneeLoad>,
}

/// Orders created per minute over the last 60 minutes (live, not deleted).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrdersPerMinute {
    /// The start of the first minute; `counts[i]` covers `[from + i min, from + (i+1) min)`,
    /// the last one being the current, unfinished minute.
    pub from: DateTime<Utc>,
    #[schema(min_items = 60, max_items = 60)]
    pub counts: Vec<i64>,
}

/// Time from PENDING (the order's creation) to a later status, for the orders that first reached
/// that status today.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeadTime {
    /// How many orders the figures cover (none: both are null).
    pub orders: i64,
    pub median_seconds: Option<f64>,
    pub p90_seconds: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeadTimes {
    pub to_confirmed: LeadTime,
    pub to_shipped: LeadTime,
}

/// Open orders whose age is in `[from_minutes, to_minutes)`; the last band has no end.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgeBand {
    pub from_minutes: i64,
    pub to_minutes: Option<i64>,
    pub orders: i64,
    /// How many of them are overdue (PENDING or CONFIRMED longer than `overdue_after_minutes`).
    pub overdue: i64,
}

/// One person's open orders; `assignee_id` null is the unassigned ones.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssigneeLoad {
    pub assignee_id: Option<Uuid>,
    pub open_orders: i64,
}

impl OrderMetrics {
    /// The view of `rows`; `unassigned` says whether the unassigned orders are in scope.
    pub fn new(
        rows: MetricsRows,
        utc_offset: FixedOffset,
        unassigned: bool,
        overdue_after: OverdueAfter,
    ) -> Self {
        let from = metrics::window_start(&rows.clock);
        let mut counts = vec![0; metrics::WINDOW_MINUTES as usize];
        for minute in rows.per_minute {
            let index = (minute.minute - from).num_minutes();
            if let Some(slot) = usize::try_from(index).ok().and_then(|i| counts.get_mut(i)) {
                *slot += minute.orders;
            }
        }
        let mut by_status: BTreeMap<String, i64> = OrderStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), 0))
            .collect();
        for tally in rows.by_status {
            by_status.insert(tally.status.as_str().to_owned(), tally.orders);
        }
        let lead_time = |status: OrderStatus| {
            rows.lead_times
                .iter()
                .find(|row| row.status == status)
                .map_or(
                    LeadTime {
                        orders: 0,
                        median_seconds: None,
                        p90_seconds: None,
                    },
                    |row| LeadTime {
                        orders: row.orders,
                        median_seconds: row.median_seconds,
                        p90_seconds: row.p90_seconds,
                    },
                )
        };
        let bounds: Vec<i64> = std::iter::once(0)
            .chain(metrics::AGE_BAND_STARTS.iter().map(|s| *s as i64 / 60))
            .collect();
        let ageing = bounds
            .iter()
            .enumerate()
            .map(|(band, from)| {
                let counted = rows
                    .ageing
                    .iter()
                    .find(|row| usize::try_from(row.band).ok() == Some(band));
                AgeBand {
                    from_minutes: *from,
                    to_minutes: bounds.get(band + 1).copied(),
                    orders: counted.map_or(0, |row| row.orders),
                    overdue: counted.map_or(0, |row| row.overdue),
                }
            })
            .collect();
        let mut by_assignee: Vec<AssigneeLoad> = rows
            .by_assignee
            .into_iter()
            .map(|row| AssigneeLoad {
                assignee_id: row.assignee_id,
                open_orders: row.orders,
            })
            .collect();
        if unassigned && by_assignee.first().is_none_or(|l| l.assignee_id.is_some()) {
            by_assignee.insert(
                0,
                AssigneeLoad {
                    assignee_id: None,
                    open_orders: 0,
                },
            );
        }
        Self {
            generated_at: rows.clock.now,
            utc_offset: utc_offset.local_minus_utc() / 60,
            today_start: rows.clock.day_start,
            orders_per_minute: OrdersPerMinute { from, counts },
            by_status,
            lead_times: LeadTimes {
                to_confirmed: lead_time(OrderStatus::Confirmed),
                to_shipped: lead_time(OrderStatus::Shipped),
            },
            ageing,
            overdue_after_minutes: OverdueMinutes::from(overdue_after),
            by_assignee,
        }
    }
}

/// One order action of the audit log: when, who, what, to which order (null for an export).
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderActionView {
    /// Unique among order actions: the table it was read from and the row's id there.
    #[schema(example = "3_42")]
    pub id: String,
    pub at: DateTime<Utc>,
    #[schema(example = "order.status_changed")]
    pub action: String,
    pub actor_id: Uuid,
    pub order_id: Option<Uuid>,
    #[schema(example = "ORD-000042")]
    pub order_number: Option<String>,
    /// What changed, by action: `from`/`to` (statuses, assignee ids, priorities, notes), a
    /// cancellation's `reason_code`/`reason_text`, an undo's `field`, a note's `note_id`/`text`,
    /// an export's `query`/`rows`.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<ActionRow> for OrderActionView {
    fn from(row: ActionRow) -> Self {
        Self {
            id: format!("{}_{}", row.source, row.id),
            at: row.at,
            action: row.action,
            actor_id: row.actor_id,
            order_id: row.order_id,
            order_number: row.order_number,
            details: row.details,
        }
    }
}
