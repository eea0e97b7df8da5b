//! Exact money: integer minor units of one ISO 4217 currency. Never floating point; every
//! operation is checked and fails instead of overflowing.

use std::fmt;

/// A three-letter upper-case ISO 4217 code, e.g. `THB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency(String);

impl Currency {
    pub fn parse(code: &str) -> Result<Self, String> {
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(code.to_owned()))
        } else {
            Err(format!(
                "{code:?} is not a three-letter upper-case currency code"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Currency {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A non-negative amount in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(i64);

impl Money {
    /// The largest unit price accepted: 100 billion minor units.
    pub const MAX_UNIT: i64 = 100_000_000_000;

    pub const ZERO: Money = Money(0);

    /// A unit price: `0 ..= MAX_UNIT` minor units.
    pub fn unit_price(minor: i64) -> Result<Self, String> {
        if (0..=Self::MAX_UNIT).contains(&minor) {
            Ok(Self(minor))
        } else {
            Err(format!(
                "must be between 0 and {} minor units",
                Self::MAX_UNIT
            ))
        }
    }

    pub fn minor(self) -> i64 {
        self.0
    }

    pub fn times(self, quantity: u32) -> Option<Self> {
        self.0.checked_mul(i64::from(quantity)).map(Self)
    }

    pub fn plus(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_codes_are_three_upper_case_letters() {
        assert!(Currency::parse("THB").is_ok());
        for bad in ["thb", "TH", "THBB", "T1B", ""] {
            assert!(Currency::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unit_prices_are_bounded_and_never_negative() {
        assert_eq!(Money::unit_price(0).unwrap().minor(), 0);
        assert!(Money::unit_price(Money::MAX_UNIT).is_ok());
        assert!(Money::unit_price(-1).is_err());
        assert!(Money::unit_price(Money::MAX_UNIT + 1).is_err());
    }

    #[test]
    fn arithmetic_is_exact_and_overflow_is_refused() {
        let price = Money::unit_price(1999).unwrap();
        assert_eq!(price.times(3).unwrap().minor(), 5997);
        assert_eq!(price.plus(price).unwrap().minor(), 3998);
        assert!(Money(i64::MAX).plus(Money(1)).is_none());
        assert!(Money(i64::MAX / 2).times(3).is_none());
    }
}
