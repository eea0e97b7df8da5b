//! An email address as accounts use it: trimmed, lower-cased (unique case-insensitively),
//! at most 254 characters, one `@` with a non-empty local part and a dotted domain.

use std::fmt;

use super::is_forbidden_char;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("must not be empty");
        }
        if email.chars().count() > 254 {
            return Err("must be at most 254 characters");
        }
        if email
            .chars()
            .any(|c| c.is_whitespace() || is_forbidden_char(c))
        {
            return Err("must not contain spaces or control characters");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("must be an email address");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err("must be an email address");
        }
        Ok(Self(email))
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
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Somchai@Example.COM ").unwrap().as_str(),
            "somchai@example.com"
        );
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
