//! Domain types of users-service, each built only by parsing (never trusted raw input).

pub mod display_name;
pub mod email;
pub mod password;

pub use display_name::DisplayName;
pub use email::Email;
pub use password::{NewPassword, PasswordHasher};

/// True for characters a stored name or address must never hold: control characters
/// (NUL included) and bidirectional overrides/isolates, which can disguise text.
pub(crate) fn is_forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
