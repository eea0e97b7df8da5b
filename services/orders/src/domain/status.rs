//! The status machine of SPEC §4: `PENDING → CONFIRMED → PROCESSING → SHIPPED → DELIVERED`,
//! and `PENDING | CONFIRMED | PROCESSING → CANCELLED`. Nothing else. A [`StatusChange`] exists
//! only for a legal move.

use lom_contracts::OrderStatus;

/// A legal move from one status to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    from: OrderStatus,
    to: OrderStatus,
}

/// A move the status machine does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an order cannot move from {from} to {to}")]
pub struct InvalidTransition {
    pub from: OrderStatus,
    pub to: OrderStatus,
}

impl StatusChange {
    pub fn new(from: OrderStatus, to: OrderStatus) -> Result<Self, InvalidTransition> {
        use OrderStatus::{Cancelled, Confirmed, Delivered, Pending, Processing, Shipped};
        let legal = matches!(
            (from, to),
            (Pending, Confirmed)
                | (Confirmed, Processing)
                | (Processing, Shipped)
                | (Shipped, Delivered)
                | (Pending | Confirmed | Processing, Cancelled)
        );
        if legal {
            Ok(Self { from, to })
        } else {
            Err(InvalidTransition { from, to })
        }
    }

    pub fn from(self) -> OrderStatus {
        self.from
    }

    pub fn to(self) -> OrderStatus {
        self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::{Cancelled, Confirmed, Delivered, Pending, Processing, Shipped};

    /// Every (from, to) pair and whether the machine allows it.
    const TABLE: [(OrderStatus, OrderStatus, bool); 36] = [
        (Pending, Pending, false),
        (Pending, Confirmed, true),
        (Pending, Processing, false),
        (Pending, Shipped, false),
        (Pending, Delivered, false),
        (Pending, Cancelled, true),
        (Confirmed, Pending, false),
        (Confirmed, Confirmed, false),
        (Confirmed, Processing, true),
        (Confirmed, Shipped, false),
        (Confirmed, Delivered, false),
        (Confirmed, Cancelled, true),
        (Processing, Pending, false),
        (Processing, Confirmed, false),
        (Processing, Processing, false),
        (Processing, Shipped, true),
        (Processing, Delivered, false),
        (Processing, Cancelled, true),
        (Shipped, Pending, false),
        (Shipped, Confirmed, false),
        (Shipped, Processing, false),
        (Shipped, Shipped, false),
        (Shipped, Delivered, true),
        (Shipped, Cancelled, false),
        (Delivered, Pending, false),
        (Delivered, Confirmed, false),
        (Delivered, Processing, false),
        (Delivered, Shipped, false),
        (Delivered, Delivered, false),
        (Delivered, Cancelled, false),
        (Cancelled, Pending, false),
        (Cancelled, Confirmed, false),
        (Cancelled, Processing, false),
        (Cancelled, Shipped, false),
        (Cancelled, Delivered, false),
        (Cancelled, Cancelled, false),
    ];

    #[test]
    fn every_pair_of_statuses_is_allowed_exactly_as_the_spec_says() {
        for (from, to, allowed) in TABLE {
            let result = StatusChange::new(from, to);
            assert_eq!(result.is_ok(), allowed, "{from} → {to}");
            match result {
                Ok(change) => assert_eq!((change.from(), change.to()), (from, to)),
                Err(err) => assert_eq!(err, InvalidTransition { from, to }),
            }
        }
    }

    #[test]
    fn the_table_covers_every_pair_once() {
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                let rows = TABLE.iter().filter(|(f, t, _)| (*f, *t) == (from, to));
                assert_eq!(rows.count(), 1, "{from} → {to}");
            }
        }
    }
}
