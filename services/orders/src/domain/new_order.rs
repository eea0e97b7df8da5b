//! An order as a storefront places it, fully validated: customer, shipping address, 1–100
//! items with bounded quantities and exact prices, and a total that is computed, not sent.

use lom_contracts::Priority;

use super::{Currency, Email, Money, Text};

/// How many of one item: `1 ..= 10 000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity(u32);

impl Quantity {
    pub const MAX: u32 = 10_000;

    pub fn parse(value: i64) -> Result<Self, String> {
        u32::try_from(value)
            .ok()
            .filter(|q| (1..=Self::MAX).contains(q))
            .map(Self)
            .ok_or_else(|| format!("must be between 1 and {}", Self::MAX))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

#[derive(Debug, Clone)]
pub struct NewCustomer {
    pub name: Text,
    pub email: Email,
    pub phone: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct NewAddress {
    pub line1: Text,
    pub line2: Option<Text>,
    pub city: Text,
    pub postal_code: Text,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
}

#[derive(Debug, Clone)]
pub struct NewItem {
    pub sku: Text,
    pub name: Text,
    pub quantity: Quantity,
    pub unit_price: Money,
    pub line_total: Money,
}

impl NewItem {
    pub fn new(sku: Text, name: Text, quantity: Quantity, unit_price: Money) -> Option<Self> {
        let line_total = unit_price.times(quantity.get())?;
        Some(Self {
            sku,
            name,
            quantity,
            unit_price,
            line_total,
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub customer: NewCustomer,
    pub address: NewAddress,
    pub items: Vec<NewItem>,
    pub priority: Priority,
    pub note: Option<Text>,
    pub currency: Currency,
    pub total: Money,
}

impl NewOrder {
    pub const MAX_ITEMS: usize = 100;

    /// Fails when there are no items, too many, or the total does not fit.
    pub fn new(
        customer: NewCustomer,
        address: NewAddress,
        items: Vec<NewItem>,
        priority: Priority,
        note: Option<Text>,
        currency: Currency,
    ) -> Result<Self, String> {
        if items.is_empty() || items.len() > Self::MAX_ITEMS {
            return Err(format!("must hold 1 to {} items", Self::MAX_ITEMS));
        }
        let total = items
            .iter()
            .try_fold(Money::ZERO, |sum, item| sum.plus(item.line_total))
            .ok_or_else(|| "the order total is too large".to_owned())?;
        Ok(Self {
            customer,
            address,
            items,
            priority,
            note,
            currency,
            total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(quantity: i64, price: i64) -> NewItem {
        NewItem::new(
            Text::line("SKU-1", 64).unwrap(),
            Text::line("Mug", 200).unwrap(),
            Quantity::parse(quantity).unwrap(),
            Money::unit_price(price).unwrap(),
        )
        .unwrap()
    }

    fn order(items: Vec<NewItem>) -> Result<NewOrder, String> {
        NewOrder::new(
            NewCustomer {
                name: Text::line("Ann", 200).unwrap(),
                email: Email::parse("ann@example.com").unwrap(),
                phone: None,
            },
            NewAddress {
                line1: Text::line("1 Road", 200).unwrap(),
                line2: None,
                city: Text::line("Bangkok", 100).unwrap(),
                postal_code: Text::line("10110", 20).unwrap(),
                country: "TH".into(),
            },
            items,
            Priority::Normal,
            None,
            Currency::parse("THB").unwrap(),
        )
    }

    #[test]
    fn quantities_are_between_one_and_ten_thousand() {
        assert!(Quantity::parse(1).is_ok());
        assert!(Quantity::parse(10_000).is_ok());
        for bad in [0, -1, 10_001, i64::MAX] {
            assert!(Quantity::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_total_is_the_exact_sum_of_line_totals() {
        let order = order(vec![item(3, 1999), item(1, 1)]).unwrap();
        assert_eq!(order.total.minor(), 5998);
        assert_eq!(order.items[0].line_total.minor(), 5997);
    }

    #[test]
    fn an_order_needs_at_least_one_item_and_at_most_a_hundred() {
        assert!(order(vec![]).is_err());
        assert!(order((0..101).map(|_| item(1, 1)).collect()).is_err());
        assert!(order((0..100).map(|_| item(1, 1)).collect()).is_ok());
    }
}
