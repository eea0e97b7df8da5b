//! The envelope of every order event (SPEC §7): `{seq, event_id, type, occurred_at, order,
//! actor}`, published as JSON on [`crate::keys::EVENTS_CHANNEL`] and kept in the history.
//! `seq` is assigned at publication; everything else is fixed when the change commits.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::order::OrderRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum EventType {
    #[serde(rename = "order.created")]
    OrderCreated,
    #[serde(rename = "order.updated")]
    OrderUpdated,
    #[serde(rename = "order.deleted")]
    OrderDeleted,
    /// An internal note was written on the order (the order itself did not change).
    #[serde(rename = "order.noted")]
    OrderNoted,
}

impl EventType {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OrderCreated => "order.created",
            Self::OrderUpdated => "order.updated",
            Self::OrderDeleted => "order.deleted",
            Self::OrderNoted => "order.noted",
        }
    }
}

/// Who made the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Actor {
    pub id: Uuid,
}

/// An internal note, as `order.noted` carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NoteAdded {
    pub id: i64,
    pub author_id: Uuid,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// Where an order stood before a change: readers whose view the order leaves (another
/// status, another assignee) learn of it from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PriorState {
    pub status: crate::order::OrderStatus,
    pub assignee_id: Option<Uuid>,
}

impl OrderRow {
    /// This snapshot's status and assignee, as the `previous` of the next change's event.
    pub fn prior_state(&self) -> PriorState {
        PriorState {
            status: self.status,
            assignee_id: self.assignee_id,
        }
    }
}

/// One event on the stream. `order` is the list-row snapshot after the change (for
/// `order.deleted`, the last snapshot, whose `version` counts the deletion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OrderEvent {
    /// Gap-free position in the stream: 1, 2, 3, …
    pub seq: u64,
    /// Unique per change; a republished event keeps its id.
    pub event_id: Uuid,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub occurred_at: DateTime<Utc>,
    pub order: OrderRow,
    pub actor: Actor,
    /// The order's status and assignee before the change (absent for `order.created`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<PriorState>,
    /// Why the order was cancelled (only on the `order.updated` event of a cancellation that
    /// gave a reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<crate::CancelReason>,
    /// The note written (only on `order.noted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<NoteAdded>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::{OrderStatus, Priority};

    fn sample() -> OrderEvent {
        let now = Utc::now();
        OrderEvent {
            seq: 7,
            event_id: Uuid::nil(),
            kind: EventType::OrderUpdated,
            occurred_at: now,
            order: OrderRow {
                id: Uuid::nil(),
                number: "ORD-000001".into(),
                status: OrderStatus::Confirmed,
                priority: Priority::High,
                customer_name: "Ann".into(),
                customer_email: "ann@example.com".into(),
                assignee_id: None,
                total: 123_456_789_012_345,
                currency: "THB".into(),
                item_count: 2,
                unit_count: 2,
                version: 3,
                created_at: now,
                updated_at: now,
            },
            actor: Actor { id: Uuid::nil() },
            previous: None,
            reason: None,
            note: None,
        }
    }

    #[test]
    fn the_envelope_has_exactly_the_documented_members_with_seq_first() {
        let json = serde_json::to_string(&sample()).unwrap();
        assert!(json.starts_with("{\"seq\":7,"), "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let mut keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["actor", "event_id", "occurred_at", "order", "seq", "type"]
        );
        assert_eq!(value["type"], "order.updated");
        assert_eq!(value["order"]["total"], 123_456_789_012_345_i64);
    }

    #[test]
    fn an_event_round_trips_through_json() {
        let event = sample();
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(serde_json::from_str::<OrderEvent>(&json).unwrap(), event);
    }
}
