//! The staff roles a test signs users in with, and a signed-in test user.

use uuid::Uuid;

/// A role of the SPEC's role table, as users-service names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Dispatcher,
    Agent,
    Viewer,
    Storefront,
}

impl Role {
    /// The role's name in users-service and in tokens.
    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Dispatcher => "dispatcher",
            Role::Agent => "agent",
            Role::Viewer => "viewer",
            Role::Storefront => "storefront",
        }
    }
}

/// A signed-in test user: the account's id and its access token.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: Uuid,
    pub token: String,
}
