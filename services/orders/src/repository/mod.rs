//! Every SQL statement of orders-service. Reads take any executor; writes take the open
//! transaction of their change, so an order, its history and its outbox row commit together.
//! Answers are rows (`rows.rs`), never the API's views.

pub mod actions;
mod audit;
pub mod export;
mod idempotency;
mod intake;
pub mod metrics;
mod notes;
mod outbox;
mod read;
mod rows;
mod undo;
mod write;

pub use audit::{AuditAction, AuditEntry, record_audit};
pub use idempotency::find_key;
pub use intake::{KeyClaim, OrderToWrite, claim_keys, insert_orders, write_created};
pub use notes::{NoteRow, insert_note};
pub use outbox::{
    DIRECT_PUBLISH_GRACE_MS, OUTBOX_CHANNEL, Pending, RELAY_LOCK_KEY, mark_published, new_event,
    stamp_published, try_lead_relay, unpublished, write_event, write_note_event,
};
pub use read::{Assignee, Cursor, OrderFilter, Sort, detail, list, open_by_assignee, stats};
pub use rows::{
    AddressRow, ChangeRow, ItemRow, KeyRecord, OpenOrders, StatusCount, StoredOrder, lock_current,
};
pub use undo::{LastChange, last_change, revert};
pub use write::{FieldChanges, assign, soft_delete, update_fields};
