//! An email address as accounts use it: at most 254 characters without spaces, one `@` after
//! 1 to 64 characters, a dotted domain; stored lower-cased (unique case-insensitively).
//! Clients trim what people type; the API refuses surrounding spaces rather than guess.

use std::fmt;

use super::is_forbidden_char;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if raw.is_empty() {
            return Err("must not be empty");
        }
        if raw.chars().count() > 254 {
            return Err("must be at most 254 characters");
        }
        if raw
            .chars()
            .any(|c| c.is_whitespace() || is_forbidden_char(c))
        {
            return Err("must not contain spaces or control characters");
        }
        let Some((local, domain)) = raw.split_once('@') else {
            return Err("must be an email address");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.chars().count() > 64 || !domain_ok {
            return Err("must be an email address");
        }
        Ok(Self(raw.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_lower_cased_and_surrounding_spaces_refused() {
        assert_eq!(
            Email::parse("Somchai@Example.COM").unwrap().as_str(),
            "somchai@example.com"
        );
        assert!(Email::parse(" somchai@example.com").is_err());
        assert!(Email::parse("somchai@example.com\n").is_err());
    }

    #[test]
    fn the_local_part_is_counted_in_characters() {
        assert!(Email::parse(&format!("{}@example.com", "ก".repeat(64))).is_ok());
        assert!(Email::parse(&format!("{}@example.com", "ก".repeat(65))).is_err());
    }

    #[test]
    fn malformed_addresses_are_rejected() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@b",
            "a@.example.com",
            "a@example..com",
            "a b@example.com",
            "a@b@example.com",
            "nul\0@example.com",
            "rtl\u{202E}@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(300))).is_err());
    }

    #[test]
    fn unicode_addresses_are_kept_exactly() {
        assert_eq!(
            Email::parse("สมชาย@ตัวอย่าง.ไทย").unwrap().as_str(),
            "สมชาย@ตัวอย่าง.ไทย"
        );
    }
}
