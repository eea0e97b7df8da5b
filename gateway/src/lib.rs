//! The gateway: the only public backend entry point. It authenticates and authorises every
//! request, forwards it to the service that owns the data, keeps the refresh token in an
//! HttpOnly cookie, publishes one OpenAPI document, and runs the Socket.IO hub that delivers
//! order events to every dashboard allowed to see them.

pub mod configuration;
pub mod login_limit;
pub mod openapi;
pub mod realtime;
pub mod revocations;
pub mod routes;
pub mod startup;
pub mod state;
pub mod upstream;
