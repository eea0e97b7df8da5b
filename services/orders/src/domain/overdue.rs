//! When an order still waiting for staff (PENDING or CONFIRMED) is overdue: older than a
//! threshold that depends on its priority (orders-service settings, minutes).

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverdueAfter {
    pub high: Duration,
    pub normal: Duration,
}
