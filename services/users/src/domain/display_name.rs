//! A person's display name: 1 to 100 characters, not blank, no control characters or
//! bidirectional overrides; stored trimmed, anything else (Thai, combining marks) exactly.

use super::is_forbidden_char;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        if raw.chars().count() > 100 {
            return Err("must be at most 100 characters");
        }
        let name = raw.trim();
        if name.is_empty() {
            return Err("must not be empty");
        }
        if name.chars().any(is_forbidden_char) {
            return Err("must not contain control characters or direction overrides");
        }
        Ok(Self(name.to_owned()))
    }

    /// A name for an account that has none yet: the part of its email before `@`.
    pub fn from_email(email: &super::Email) -> Self {
        let local = email.as_str().split('@').next().unwrap_or_default();
        Self(local.chars().take(100).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_and_combining_marks_are_kept_exactly() {
        let name = "สมหญิง ใจดี e\u{0301}";
        assert_eq!(DisplayName::parse(name).unwrap().as_str(), name);
    }

    #[test]
    fn empty_long_and_control_names_are_rejected() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"ก".repeat(101)).is_err());
        assert!(DisplayName::parse("a\0b").is_err());
        assert!(DisplayName::parse("evil\u{202E}txt").is_err());
    }
}
