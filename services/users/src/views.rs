//! What the API shows of an account and of the audit log.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::repository::{
    audit::EntryRow,
    users::{NameRow, UserRow},
};

/// An account: who it is, its roles and the grants those roles give.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    #[schema(example = json!(["dispatcher"]))]
    pub roles: Vec<String>,
    /// Grants: `resource:action`, or `resource:action:assigned` for orders assigned to oneself.
    #[schema(example = json!(["orders:read", "orders:update", "orders:assign"]))]
    pub permissions: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who an id is, for anyone who reads orders: no email, no roles.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserName {
    pub id: Uuid,
    #[schema(example = "สมชาย ใจดี")]
    pub display_name: String,
    pub active: bool,
    /// Holds a role that may work orders (orders can be assigned to it, were it active).
    pub works_orders: bool,
}

impl From<NameRow> for UserName {
    fn from(row: NameRow) -> Self {
        Self {
            id: row.id,
            display_name: row.display_name,
            active: row.is_active,
            works_orders: row.works_orders,
        }
    }
}

impl From<UserRow> for UserView {
    fn from(row: UserRow) -> Self {
        Self {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            roles: row.roles,
            permissions: row.permissions,
            active: row.is_active,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// One audit entry: when, who (null for the system), what, to which account, with which request.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    #[schema(example = "user.updated")]
    pub action: String,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub target_id: Option<Uuid>,
    pub target_name: Option<String>,
    pub target_email: Option<String>,
    /// What changed, e.g. `{"roles": ["agent"]}` or `{"password": "reset"}` (never a secret).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub request_id: Option<String>,
}

impl From<EntryRow> for AuditEntryView {
    fn from(row: EntryRow) -> Self {
        Self {
            id: row.id,
            at: row.at,
            action: row.action,
            actor_id: row.actor_id,
            actor_name: row.actor_name,
            target_id: row.target_id,
            target_name: row.target_name,
            target_email: row.target_email,
            details: row.details,
            request_id: row.request_id,
        }
    }
}
