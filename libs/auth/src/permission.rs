//! The permission catalogue. A grant in a token is `resource:action` for every record, or
//! `resource:action:assigned` when it covers only orders assigned to the holder (agents).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    OrdersRead,
    OrdersCreate,
    OrdersUpdate,
    OrdersAssign,
    OrdersDelete,
    OrdersExport,
    UsersRead,
    UsersManage,
    AuditRead,
}

/// How far a grant reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Only orders assigned to the holder.
    Assigned,
    /// Every record.
    All,
}

impl Permission {
    pub const ALL: [Permission; 9] = [
        Self::OrdersRead,
        Self::OrdersCreate,
        Self::OrdersUpdate,
        Self::OrdersAssign,
        Self::OrdersDelete,
        Self::OrdersExport,
        Self::UsersRead,
        Self::UsersManage,
        Self::AuditRead,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OrdersRead => "orders:read",
            Self::OrdersCreate => "orders:create",
            Self::OrdersUpdate => "orders:update",
            Self::OrdersAssign => "orders:assign",
            Self::OrdersDelete => "orders:delete",
            Self::OrdersExport => "orders:export",
            Self::UsersRead => "users:read",
            Self::UsersManage => "users:manage",
            Self::AuditRead => "audit:read",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses one grant string: `orders:update` → (OrdersUpdate, All),
/// `orders:update:assigned` → (OrdersUpdate, Assigned). Unknown names give `None`.
pub fn parse_grant(grant: &str) -> Option<(Permission, Scope)> {
    match grant.strip_suffix(":assigned") {
        Some(base) => Permission::parse(base).map(|p| (p, Scope::Assigned)),
        None => Permission::parse(grant).map(|p| (p, Scope::All)),
    }
}

/// The widest scope `grants` give for `permission`, if any.
pub fn scope_of<'a>(
    grants: impl IntoIterator<Item = &'a str>,
    permission: Permission,
) -> Option<Scope> {
    grants
        .into_iter()
        .filter_map(parse_grant)
        .filter(|(p, _)| *p == permission)
        .map(|(_, scope)| scope)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_round_trips_through_its_name() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
    }

    #[test]
    fn assigned_grants_are_narrower_than_plain_ones() {
        let grants = ["orders:read:assigned", "orders:update"];
        assert_eq!(
            scope_of(grants, Permission::OrdersRead),
            Some(Scope::Assigned)
        );
        assert_eq!(scope_of(grants, Permission::OrdersUpdate), Some(Scope::All));
        assert_eq!(scope_of(grants, Permission::OrdersDelete), None);
        assert_eq!(
            scope_of(
                ["orders:read:assigned", "orders:read"],
                Permission::OrdersRead
            ),
            Some(Scope::All)
        );
    }

    #[test]
    fn unknown_grants_grant_nothing() {
        assert_eq!(parse_grant("orders:*"), None);
        assert_eq!(parse_grant("orders:read:all"), None);
        assert_eq!(parse_grant(""), None);
    }
}
