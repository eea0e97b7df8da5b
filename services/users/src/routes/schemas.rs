//! The limits of account request fields, shared by the handlers that check them and the JSON
//! Schemas that document them, so the public document says exactly what is accepted.

use lom_platform::schema::{distinct_names, search, text};
use utoipa::openapi::{Array, Object};

/// The roles SPEC §5 defines (seeded by the migrations; a test keeps the two in step).
pub const ROLE_NAMES: [&str; 5] = ["admin", "dispatcher", "agent", "viewer", "storefront"];
pub const SEARCH_MAX: usize = 100;
/// Longest password accepted at login (longer ones cannot match: the policy caps at 128).
pub const LOGIN_PASSWORD_MAX: usize = 1024;

/// Neither control characters nor bidirectional overrides (`domain::is_forbidden_char`).
const FORBIDDEN: &str = r"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069";

/// `local@domain`: no spaces, one `@`, up to 64 characters before it, dotted labels after.
pub fn email() -> Object {
    let local = format!(r"[^\s@{FORBIDDEN}]");
    let label = format!(r"[^\s@.{FORBIDDEN}]+");
    text(
        format!("^{local}{{1,64}}@{label}(\\.{label})+$"),
        Some(5),
        254,
        false,
    )
}

/// 1 to 100 characters, not blank (surrounding spaces are dropped when stored).
pub fn display_name() -> Object {
    display_name_schema(false)
}

/// A display name, or `null` for the part of the email before `@`.
pub fn display_name_or_null() -> Object {
    display_name_schema(true)
}

fn display_name_schema(nullable: bool) -> Object {
    text(
        format!("^[^{FORBIDDEN}]*[^\\s{FORBIDDEN}][^{FORBIDDEN}]*$"),
        Some(1),
        100,
        nullable,
    )
}

/// The policy for new passwords: 10 to 128 characters, not only spaces, no NUL.
pub fn new_password() -> Object {
    text(
        r"^[^\x00]*[^\s\x00][^\x00]*$".to_owned(),
        Some(10),
        128,
        false,
    )
}

pub fn role_names() -> Array {
    distinct_names(&ROLE_NAMES, false)
}

pub fn user_search() -> Object {
    search(SEARCH_MAX)
}

/// `next_cursor` of the previous audit page: the last entry's id (empty: the first page).
pub fn audit_cursor() -> Object {
    text("^(|[1-9][0-9]{0,17})$".to_owned(), None, 18, false)
}
