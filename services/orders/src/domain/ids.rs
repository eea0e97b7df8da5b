//! Ids in query strings and cursors: only the canonical hyphenated form
//! (`8-4-4-4-12` hex digits), the one the API itself writes and documents.

use uuid::Uuid;

pub fn parse_hyphenated(text: &str) -> Option<Uuid> {
    if text.len() == 36 {
        Uuid::try_parse(text).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hyphenated_form_is_an_id() {
        let id = "0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b";
        assert_eq!(parse_hyphenated(id).unwrap().to_string(), id);
        assert!(parse_hyphenated(&id.to_uppercase()).is_some());
        for other in [
            "0195b6a41c2d7e3f8a9b0c1d2e3f4a5b",
            "{0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b}",
            "urn:uuid:0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b",
            "0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5g",
        ] {
            assert_eq!(parse_hyphenated(other), None, "{other}");
        }
    }
}
