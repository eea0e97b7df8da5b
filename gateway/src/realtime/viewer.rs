//! What one socket may see and has asked to see, expressed as Socket.IO rooms so that the
//! feed finds the sockets an event concerns without looking at each one.
//!
//! A socket sits in the rooms of exactly one filter shape: `s:<STATUS|*>` when it follows
//! every assignee, `u:<user>:s:<STATUS|*>` when it follows only its own orders (always so for
//! an agent, whose grant covers only orders assigned to it). An event for an order with
//! status S and assignee A goes to `s:*`, `s:S`, `u:A:s:*` and `u:A:s:S` — and to the same
//! rooms of the order's previous status and assignee, so a socket also learns that an order
//! left its view.

use lom_auth::Scope;
use lom_contracts::{OrderRow, OrderStatus};
use uuid::Uuid;

/// A connected socket's identity and filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: Uuid,
    /// Reach of the `orders:read` grant.
    pub scope: Scope,
    /// Statuses asked for; `None` is every status.
    pub statuses: Option<Vec<OrderStatus>>,
    /// Only orders assigned to this user (asked for, or forced by an assigned-only scope).
    pub mine: bool,
    /// When the access token expires (seconds since the epoch).
    pub expires_at: u64,
}

impl Viewer {
    pub fn new(user_id: Uuid, scope: Scope, expires_at: u64) -> Self {
        Self {
            user_id,
            scope,
            statuses: None,
            mine: scope == Scope::Assigned,
            expires_at,
        }
    }

    /// The same viewer with another filter; an assigned-only scope stays assigned-only.
    pub fn filtered(&self, statuses: Option<Vec<OrderStatus>>, mine: bool) -> Self {
        Self {
            statuses,
            mine: mine || self.scope == Scope::Assigned,
            ..self.clone()
        }
    }

    /// The rooms this socket sits in.
    pub fn rooms(&self) -> Vec<String> {
        let statuses: Vec<&str> = match &self.statuses {
            None => vec!["*"],
            Some(list) => list.iter().map(|s| s.as_str()).collect(),
        };
        statuses
            .into_iter()
            .map(|status| {
                if self.mine {
                    format!("u:{}:s:{status}", self.user_id)
                } else {
                    format!("s:{status}")
                }
            })
            .collect()
    }

    /// Whether this viewer gets an event about `order` (used when replaying history, where
    /// rooms do not apply).
    pub fn sees(&self, order: &OrderRow) -> bool {
        let status_ok = self
            .statuses
            .as_ref()
            .is_none_or(|list| list.contains(&order.status));
        let owner_ok = !self.mine || order.assignee_id == Some(self.user_id);
        status_ok && owner_ok
    }
}

/// The rooms an order's state concerns.
pub fn rooms_of(status: OrderStatus, assignee: Option<Uuid>) -> Vec<String> {
    let mut rooms = vec!["s:*".to_owned(), format!("s:{}", status.as_str())];
    if let Some(user) = assignee {
        rooms.push(format!("u:{user}:s:*"));
        rooms.push(format!("u:{user}:s:{}", status.as_str()));
    }
    rooms
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use lom_contracts::Priority;

    use super::*;

    fn order(status: OrderStatus, assignee: Option<Uuid>) -> OrderRow {
        let now = Utc::now();
        OrderRow {
            id: Uuid::nil(),
            number: "ORD-000001".into(),
            status,
            priority: Priority::Normal,
            customer_name: "Ann".into(),
            customer_email: "ann@example.com".into(),
            assignee_id: assignee,
            total: 100,
            currency: "THB".into(),
            item_count: 1,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// A socket gets an event exactly when one of its rooms is among the event's rooms, and
    /// that agrees with `sees` for every filter shape.
    #[test]
    fn rooms_and_sees_agree_for_every_filter() {
        let me = Uuid::now_v7();
        let other = Uuid::now_v7();
        let viewers = [
            Viewer::new(me, Scope::All, 0),
            Viewer::new(me, Scope::Assigned, 0),
            Viewer::new(me, Scope::All, 0).filtered(Some(vec![OrderStatus::Pending]), false),
            Viewer::new(me, Scope::All, 0)
                .filtered(Some(vec![OrderStatus::Pending, OrderStatus::Shipped]), true),
        ];
        for viewer in &viewers {
            for status in OrderStatus::ALL {
                for assignee in [None, Some(me), Some(other)] {
                    let order = order(status, assignee);
                    let targets = rooms_of(status, assignee);
                    let hits = viewer
                        .rooms()
                        .iter()
                        .filter(|r| targets.contains(r))
                        .count();
                    assert!(hits <= 1, "delivered twice to {viewer:?}");
                    assert_eq!(
                        hits == 1,
                        viewer.sees(&order),
                        "{viewer:?} {status:?} {assignee:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_agent_only_ever_sees_its_own_orders_whatever_it_asks() {
        let agent = Uuid::now_v7();
        let viewer = Viewer::new(agent, Scope::Assigned, 0).filtered(None, false);
        assert!(viewer.mine);
        assert!(!viewer.sees(&order(OrderStatus::Pending, None)));
        assert!(!viewer.sees(&order(OrderStatus::Pending, Some(Uuid::now_v7()))));
        assert!(viewer.sees(&order(OrderStatus::Pending, Some(agent))));
    }
}
