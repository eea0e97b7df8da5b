//! Wire contracts between orders-service and its readers (the gateway): the order status
//! machine and list-row snapshot ([`order`]), the event envelope published on Redis
//! ([`event`]) and the Redis names of the event stream ([`keys`]).

pub mod event;
pub mod keys;
pub mod order;

pub use event::{Actor, EventType, OrderEvent, PriorState};
pub use order::{OrderRow, OrderStatus, Priority, UnknownValue};
