//! The limits of order request fields, shared by the handlers that check them and the JSON
//! Schemas that document them, so the public document says exactly what is accepted.

use lom_contracts::CancelReasonCode;
use lom_platform::schema::{line, multiline, search, text};
use utoipa::openapi::{
    Object, ObjectBuilder, OneOfBuilder, RefOr, Schema, Type, schema::AdditionalProperties,
};

pub const NAME_MAX: usize = 200;
pub const ADDRESS_LINE_MAX: usize = 200;
pub const CITY_MAX: usize = 100;
pub const POSTAL_CODE_MAX: usize = 20;
pub const PHONE_MAX: usize = 40;
pub const SKU_MAX: usize = 64;
pub const NOTE_MAX: usize = 2000;
pub const REASON_TEXT_MAX: usize = 500;
pub const SEARCH_MAX: usize = 200;

/// Printable characters, no whitespace or controls (what `Email::parse` allows in an address).
const ADDRESS_CHAR: &str = r"[^\s\x00-\x1f\x7f-\x9f]";
/// A domain character other than `@` and `.`.
const DOMAIN_CHAR: &str = r"[^\s\x00-\x1f\x7f-\x9f@.]";
/// A domain character other than `@`.
const DOMAIN_OR_DOT: &str = r"[^\s\x00-\x1f\x7f-\x9f@]";

pub fn name() -> Object {
    line(NAME_MAX, false)
}

pub fn email() -> Object {
    text(
        format!(
            "^{ADDRESS_CHAR}{{1,64}}@{DOMAIN_CHAR}{DOMAIN_OR_DOT}*\\.{DOMAIN_OR_DOT}*{DOMAIN_CHAR}$"
        ),
        Some(5),
        254,
        false,
    )
}

pub fn phone() -> Object {
    text(
        "^[0-9+() -]*[0-9][0-9+() -]*$".to_owned(),
        Some(1),
        PHONE_MAX,
        true,
    )
}

pub fn address_line() -> Object {
    line(ADDRESS_LINE_MAX, false)
}

pub fn second_address_line() -> Object {
    line(ADDRESS_LINE_MAX, true)
}

pub fn city() -> Object {
    line(CITY_MAX, false)
}

pub fn postal_code() -> Object {
    line(POSTAL_CODE_MAX, false)
}

pub fn country() -> Object {
    text("^[A-Z]{2}$".to_owned(), Some(2), 2, false)
}

pub fn sku() -> Object {
    line(SKU_MAX, false)
}

pub fn note() -> Object {
    multiline(NOTE_MAX, true)
}

pub fn order_search() -> Object {
    search(SEARCH_MAX)
}

/// `me`, `unassigned`, a hyphenated user id, or empty for anyone.
pub fn assignee_filter() -> Object {
    text(
        "^(|me|unassigned|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
            .to_owned(),
        None,
        36,
        false,
    )
}

/// `next_cursor` of the previous page: microseconds since 1970 (up to 17 digits, within
/// PostgreSQL's timestamps), the last order's id and, under `sort=priority` and `sort=due`, its
/// priority rank (`_0` high, `_1` normal), then under `sort=due` whether it was open (`_o`) or
/// not (`_c`).
pub fn cursor() -> Object {
    text(
        "^(|[0-9]{1,17}_[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(_[01](_[oc])?)?)$"
            .to_owned(),
        None,
        58,
        false,
    )
}

/// `next_cursor` of the previous order-audit page: `<microseconds since the epoch>_<table 1–5>_<id>`.
pub fn action_cursor() -> Object {
    text(
        "^(|[0-9]{1,17}_[1-5]_[1-9][0-9]{0,17})$".to_owned(),
        None,
        38,
        false,
    )
}

/// A cancellation reason: `{code, text?}`, where the code `other` requires `text`.
pub fn cancel_reason() -> RefOr<Schema> {
    let reason = |codes: Vec<&'static str>, text_required: bool| {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "code",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(codes)),
            )
            .required("code")
            .property("text", line(REASON_TEXT_MAX, !text_required))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        if text_required {
            object = object.required("text");
        }
        object.build()
    };
    let (other, listed): (Vec<_>, Vec<_>) = CancelReasonCode::ALL
        .into_iter()
        .map(CancelReasonCode::as_str)
        .partition(|code| *code == CancelReasonCode::Other.as_str());
    OneOfBuilder::new()
        .item(reason(listed, false))
        .item(reason(other, true))
        .into()
}
