//! The read models the API answers with: a full order with its history, a page of list rows
//! and the per-status counts. Money is in integer minor units of `currency`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lom_contracts::{CancelReason, OrderRow, OrderStatus, Priority};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

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
#[serde(rename_all = "lowercase")]
pub enum HistoryKind {
    Status,
    Assignment,
    Priority,
    Note,
}

/// One change, who made it and when: a status change (`from_status` → `to_status`, with the
/// `reason` of a cancellation), an assignment (`previous_assignee_id` → `assignee_id`), a
/// priority change (`from_priority` → `to_priority`) or a note change (`previous_note` →
/// `note`; absent `note` means it was cleared). `undo` marks the reversal of the change before.
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
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub history: Vec<HistoryEntry>,
}

impl OrderDetail {
    /// The order as a list row (and event snapshot).
    pub fn list_row(&self) -> OrderRow {
        OrderRow {
            id: self.id,
            number: self.number.clone(),
            status: self.status,
            priority: self.priority,
            customer_name: self.customer.name.clone(),
            customer_email: self.customer.email.clone(),
            assignee_id: self.assignee_id,
            total: self.total,
            currency: self.currency.clone(),
            item_count: self.item_count,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
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
