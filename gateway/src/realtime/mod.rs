//! The realtime hub (SPEC §7): Socket.IO at `/socket.io`. Sockets authenticate in the
//! handshake ([`session`]); each holds a [`viewer::Viewer`] that decides which rooms it sits
//! in and which events it may see; one Redis subscription per gateway feeds every event to
//! the rooms it concerns ([`feed`]), whose sockets are served by one delivery task per core
//! ([`shard`]); missed events are replayed from the bounded history in
//! Redis ([`history`]), within bounds ([`account_limit`]), and handed over to live delivery
//! without a copy or a gap ([`handover`]); sockets are dropped when their token expires
//! ([`expiry`]). Who has which order open is shared by every gateway through Redis
//! ([`presence`]).

pub mod account_limit;
pub mod expiry;
pub mod feed;
pub mod handover;
pub mod history;
pub mod hub;
pub mod owned_head;
pub mod presence;
pub mod session;
pub mod shard;
pub mod viewer;

pub use hub::Hub;
