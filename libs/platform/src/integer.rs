//! JSON integers as JSON Schema defines them: a number with no fractional part, so `7.0` is
//! the integer 7 (as JavaScript clients may send it) while `7.5` is still refused. Use with
//! `#[serde(deserialize_with = "lom_platform::integer::whole")]` on `i64` fields.

use std::fmt;

use serde::{
    Deserializer,
    de::{Error, Unexpected, Visitor},
};

/// The largest magnitude an `f64` holds exactly as an integer (2^53).
const EXACT_F64: f64 = 9_007_199_254_740_992.0;

pub fn whole<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(Whole)
}

struct Whole;

impl Visitor<'_> for Whole {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value).map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
    }

    #[allow(clippy::cast_possible_truncation)] // Checked: whole and within ±2^53.
    fn visit_f64<E: Error>(self, value: f64) -> Result<i64, E> {
        if value.fract() == 0.0 && value.abs() <= EXACT_F64 {
            Ok(value as i64)
        } else {
            Err(E::invalid_type(Unexpected::Float(value), &self))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::whole")]
        n: i64,
    }

    fn parse(json: &str) -> Result<i64, String> {
        serde_json::from_str::<Body>(json)
            .map(|b| b.n)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn integral_numbers_are_integers_whatever_their_spelling() {
        assert_eq!(parse(r#"{"n": 7}"#), Ok(7));
        assert_eq!(parse(r#"{"n": 7.0}"#), Ok(7));
        assert_eq!(parse(r#"{"n": -3e2}"#), Ok(-300));
        assert_eq!(parse(r#"{"n": 9223372036854775807}"#), Ok(i64::MAX));
    }

    #[test]
    fn fractions_strings_and_overflow_are_refused() {
        for json in [
            r#"{"n": 7.5}"#,
            r#"{"n": "7"}"#,
            r#"{"n": 1e300}"#,
            r#"{"n": 9223372036854775808}"#,
            r#"{"n": null}"#,
        ] {
            assert!(parse(json).is_err(), "{json}");
        }
    }
}
