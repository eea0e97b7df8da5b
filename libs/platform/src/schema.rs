//! JSON Schema fragments for request fields whose rules go beyond their Rust type (no control
//! characters, not blank, bounded length), so every service's OpenAPI document states exactly
//! what its handlers accept and refuse. Patterns use the common subset of ECMA-262 and Python
//! regular expressions that OpenAPI tools generate data from.

use utoipa::openapi::{
    Object, ObjectBuilder, Type,
    schema::{Array, ArrayBuilder, SchemaType},
};

/// Characters `char::is_control` refuses (Unicode category Cc).
const CONTROL: &str = r"\x00-\x1f\x7f-\x9f";
/// The control characters that multi-line text may still contain: tab, line feed, return.
const CONTROL_BUT_LINE_BREAKS: &str = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f";

/// One line of text, not blank, without control characters, `1..=max` characters.
pub fn line(max: usize, nullable: bool) -> Object {
    text(
        format!("^[^{CONTROL}]*[^\\s{CONTROL}][^{CONTROL}]*$"),
        Some(1),
        max,
        nullable,
    )
}

/// Text that may span lines (tabs and line breaks allowed), not blank, `1..=max` characters.
pub fn multiline(max: usize, nullable: bool) -> Object {
    text(
        format!("^[^{CONTROL_BUT_LINE_BREAKS}]*[^\\s{CONTROL}][^{CONTROL_BUT_LINE_BREAKS}]*$"),
        Some(1),
        max,
        nullable,
    )
}

/// A search term: any text without control characters, up to `max` characters (blank means
/// no search).
pub fn search(max: usize) -> Object {
    text(format!("^[^{CONTROL}]*$"), None, max, false)
}

/// A string matching `pattern`, `min..=max` characters long.
pub fn text(pattern: String, min: Option<usize>, max: usize, nullable: bool) -> Object {
    ObjectBuilder::new()
        .schema_type(string_type(nullable))
        .pattern(Some(pattern))
        .min_length(min)
        .max_length(Some(max))
        .build()
}

/// A non-empty list of distinct values out of `names` (at most all of them).
pub fn distinct_names(names: &[&str], nullable: bool) -> Array {
    let item = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(names.iter().copied()))
        .build();
    let builder = ArrayBuilder::new()
        .items(item)
        .min_items(Some(1))
        .unique_items(true);
    let builder = if nullable {
        builder.schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
    } else {
        builder
    };
    builder.build()
}

fn string_type(nullable: bool) -> SchemaType {
    if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(object: &Object) -> regex::Regex {
        regex::Regex::new(object.pattern.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn a_line_is_not_blank_and_has_no_control_characters() {
        let line = pattern(&line(10, false));
        for ok in ["a", " ก ", "x\u{202e}y", "\u{feff}"] {
            assert!(line.is_match(ok), "{ok:?}");
        }
        for refused in ["", "   ", "a\nb", "a\0", "\u{85}x"] {
            assert!(!line.is_match(refused), "{refused:?}");
        }
    }

    #[test]
    fn multiline_text_keeps_line_breaks_but_not_other_controls() {
        let text = pattern(&multiline(10, true));
        assert!(text.is_match("a\r\n\tb"));
        assert!(!text.is_match(" \n "));
        assert!(!text.is_match("a\u{1b}b"));
    }
}
