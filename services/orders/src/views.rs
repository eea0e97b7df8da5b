//! The read models the API answers with: a full order with its history, a page of list rows
//! and the per-status counts, each built from the repository's rows by `From`. Money is in
//! integer minor units of `currency`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lom_contracts::{CancelReason, OrderRow, OrderStatus, Priority};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::repository::{ChangeRow, ItemRow, NoteRow, OpenOrders, StatusCount, StoredOrder};

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

/// Orders per status under the given filters, and how many were created in the last hour.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderStats {
    pub counts: BTreeMap<String, i64>,
    pub total: i64,
    pub created_last_hour: i64,
}

impl From<Vec<StatusCount>> for OrderStats {
    /// Every status is present, zeros included.
    fn from(counts: Vec<StatusCount>) -> Self {
        let mut stats = Self {
            counts: OrderStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), 0))
                .collect(),
            total: 0,
            created_last_hour: 0,
        };
        for count in counts {
            stats.total += count.orders;
            stats.created_last_hour += count.created_last_hour;
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
