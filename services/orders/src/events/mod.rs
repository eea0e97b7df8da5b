//! Publishing order events: the atomic Redis step ([`publisher`]) and the outbox relay that
//! feeds it every committed change, in commit order, at least once ([`relay`]).

pub mod publisher;
pub mod relay;

pub use publisher::Publisher;
pub use relay::Relay;
