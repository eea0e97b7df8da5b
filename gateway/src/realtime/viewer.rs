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
use lom_contracts::{OrderRow, OrderStatus, PriorState};
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

    /// Whether this viewer's view holds an order in `state` (used when replaying history,
    /// where rooms do not apply).
    pub fn sees(&self, state: PriorState) -> bool {
        let status_ok = self
            .statuses
            .as_ref()
            .is_none_or(|list| list.contains(&state.status));
        let owner_ok = !self.mine || state.assignee_id == Some(self.user_id);
        status_ok && owner_ok
    }

    /// Whether this viewer gets an event: the order is in its view after the change, or was
    /// before it (so the viewer learns that it left).
    pub fn sees_change(&self, order: &OrderRow, previous: Option<PriorState>) -> bool {
        self.sees(order.prior_state()) || previous.is_some_and(|p| self.sees(p))
    }
}

/// The rooms an event concerns: those of the order's state after the change and before it.
pub fn rooms_of(order: &OrderRow, previous: Option<PriorState>) -> Vec<String> {
    let mut rooms = Vec::with_capacity(8);
    for state in std::iter::once(order.prior_state()).chain(previous) {
        let status = state.status.as_str();
        rooms.push(format!("s:{status}"));
        if let Some(user) = state.assignee_id {
            rooms.push(format!("u:{user}:s:*"));
            rooms.push(format!("u:{user}:s:{status}"));
        }
    }
    rooms.push("s:*".to_owned());
    rooms.sort_unstable();
    rooms.dedup();
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
            unit_count: 1,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// A socket gets an event exactly when one of its rooms is among the event's rooms, and
    /// that agrees with `sees_change` for every filter shape and every move of the order.
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
        let assignees = [None, Some(me), Some(other)];
        let mut previous_states = vec![None];
        for status in OrderStatus::ALL {
            for assignee_id in assignees {
                previous_states.push(Some(PriorState {
                    status,
                    assignee_id,
                }));
            }
        }
        for viewer in &viewers {
            for status in OrderStatus::ALL {
                for assignee in assignees {
                    for previous in &previous_states {
                        let order = order(status, assignee);
                        let targets = rooms_of(&order, *previous);
                        let hit = viewer.rooms().iter().any(|r| targets.contains(r));
                        assert_eq!(
                            hit,
                            viewer.sees_change(&order, *previous),
                            "{viewer:?} {status:?} {assignee:?} from {previous:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn an_agent_only_ever_sees_its_own_orders_whatever_it_asks() {
        let agent = Uuid::now_v7();
        let viewer = Viewer::new(agent, Scope::Assigned, 0).filtered(None, false);
        assert!(viewer.mine);
        let pending = |assignee| order(OrderStatus::Pending, assignee);
        assert!(!viewer.sees_change(&pending(None), None));
        assert!(!viewer.sees_change(&pending(Some(Uuid::now_v7())), None));
        assert!(viewer.sees_change(&pending(Some(agent)), None));
        // Reassigned away: the agent gets that update, so its board drops the order.
        let away = PriorState {
            status: OrderStatus::Pending,
            assignee_id: Some(agent),
        };
        assert!(viewer.sees_change(&pending(Some(Uuid::now_v7())), Some(away)));
    }
}
