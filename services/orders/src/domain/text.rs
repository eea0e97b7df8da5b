//! Free text from clients: bounded in characters, never blank, and free of control
//! characters (NUL included) other than line breaks and tabs where multi-line text is allowed.
//! Everything else (RTL marks, combining characters, emoji) is stored exactly as sent.

/// Text that passed its field's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    /// One line of at most `max` characters.
    pub fn line(value: &str, max: usize) -> Result<Self, String> {
        Self::parse(value, max, false)
    }

    /// Multi-line text of at most `max` characters.
    pub fn multiline(value: &str, max: usize) -> Result<Self, String> {
        Self::parse(value, max, true)
    }

    fn parse(value: &str, max: usize, multiline: bool) -> Result<Self, String> {
        if value.trim().is_empty() {
            return Err("must not be blank".to_owned());
        }
        let chars = value.chars().count();
        if chars > max {
            return Err(format!("must be at most {max} characters (got {chars})"));
        }
        let allowed_control = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
        if value.chars().any(|c| c.is_control() && !allowed_control(c)) {
            return Err("must not contain control characters".to_owned());
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_and_control_characters_are_refused() {
        assert!(Text::line("a\0b", 10).is_err());
        assert!(Text::line("a\nb", 10).is_err());
        assert!(Text::multiline("a\nb", 10).is_ok());
        assert!(Text::multiline("a\u{7}b", 10).is_err());
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(Text::line("ก".repeat(10).as_str(), 10).is_ok());
        assert!(Text::line("x".repeat(11).as_str(), 10).is_err());
    }

    #[test]
    fn blank_text_is_refused_but_unusual_unicode_is_kept_exactly() {
        assert!(Text::line("   ", 10).is_err());
        let odd = "\u{202E}abc e\u{301}";
        assert_eq!(Text::line(odd, 20).unwrap().as_str(), odd);
    }
}
