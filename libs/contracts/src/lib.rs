//! Wire contracts between the services and their readers (the gateway): the order status
//! machine and list-row snapshot ([`order`]), the event envelope published on Redis
//! ([`event`]) with why a cancelled order was cancelled ([`reason`]), the account revocations users-service announces ([`account`]) and the Redis
//! names of both streams ([`keys`]). With the `sqlx` feature, `OrderRow` maps from a row and
//! the vocabularies decode from their text columns.

pub mod account;
pub mod event;
pub mod keys;
pub mod order;
pub mod reason;
#[cfg(feature = "sqlx")]
mod sql;

pub use account::UserRevoked;
pub use event::{Actor, EventType, NoteAdded, OrderEvent, PriorState};
pub use order::{OrderRow, OrderStatus, Priority, UnknownValue};
pub use reason::{CancelReason, CancelReasonCode};
