//! A customer email address: `local@domain`, at most 254 characters, stored lower-case so
//! one customer has one row however a storefront spells the address.

/// A plausible, normalised email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Self, String> {
        let invalid = || "must be an email address like name@example.com".to_owned();
        if value.chars().count() > 254 {
            return Err("must be at most 254 characters".to_owned());
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = value.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@');
        if local.is_empty() || local.chars().count() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(value.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalised_to_lower_case() {
        assert_eq!(
            Email::parse("Ann.Lee@Example.COM").unwrap().as_str(),
            "ann.lee@example.com"
        );
    }

    #[test]
    fn things_that_are_not_addresses_are_refused() {
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a nn@example.com",
            "ann@example.com\0",
            "ann@.example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }
}
