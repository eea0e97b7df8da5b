//! A JSON body extractor whose every failure is a precise problem: wrong content type → 415,
//! body over the limit → 413, malformed JSON → 400, a field of the wrong type or missing → 422
//! naming the field's path. Unknown fields are rejected by the DTOs themselves
//! (`deny_unknown_fields`), so mass assignment fails loudly instead of silently. [`given`] and
//! [`present`] tell an absent field from an explicit `null` in partial updates.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Deserializer, Serialize, de::DeserializeOwned};

use crate::problem::{FieldError, Problem};

/// `Json<T>` in and out; as a response it is plain `application/json`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !has_json_content_type(&req) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                "Send the body as application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::from_status(StatusCode::PAYLOAD_TOO_LARGE)
            } else {
                Problem::bad_request("The request body could not be read.")
            }
        })?;
        parse(&bytes).map(Json)
    }
}

/// Parses a JSON document into `T`, with the problem the extractor would answer.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => match missing_field(&inner) {
                Some(name) => Problem::validation(vec![FieldError::new(
                    child_field(path, name),
                    "is required",
                )]),
                None => Problem::validation(vec![FieldError::new(
                    field_name(path),
                    data_message(&inner),
                )]),
            },
            // serde_json reports a value of the wrong kind where an enum is expected (a number
            // or `null` for a status) as a syntax error: when the document itself is valid
            // JSON, it was the field.
            serde_json::error::Category::Syntax if is_valid_json(bytes) => {
                Problem::validation(vec![FieldError::new(
                    field_name(path),
                    "has the wrong type: see the schema for the values it takes",
                )])
            }
            _ => Problem::bad_request(format!("The body is not valid JSON: {inner}")),
        }
    })
}

fn field_name(path: String) -> String {
    if path == "." { "body".to_owned() } else { path }
}

/// The field serde found missing: its message is "missing field `name`".
fn missing_field(err: &serde_json::Error) -> Option<String> {
    let text = err.to_string();
    let rest = text.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(name, _)| name.to_owned())
}

/// `name` inside the object at `path` (`.` is the body itself).
fn child_field(path: String, name: String) -> String {
    if path == "." {
        name
    } else {
        format!("{path}.{name}")
    }
}

fn is_valid_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
}

/// serde's message without its " at line 1 column 17" suffix.
fn data_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

fn has_json_content_type(req: &Request) -> bool {
    let Some(value) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// For `#[serde(default, deserialize_with = "lom_platform::json::given")]`: a field that may
/// be absent (`None`) but, when present, is not `null`.
pub fn given<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// For `#[serde(default, deserialize_with = "lom_platform::json::present")]`: tells an
/// explicit `null` (`Some(None)`) from an absent field (`None`).
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        quantity: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Order {
        items: Vec<Item>,
    }

    #[test]
    fn a_wrong_type_names_the_field_path() {
        let err = parse::<Order>(br#"{"items":[{"quantity":"x"}]}"#).unwrap_err();
        assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.errors()[0].field, "items[0].quantity");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    #[allow(dead_code)]
    enum Status {
        Pending,
        Confirmed,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Change {
        status: Status,
    }

    #[test]
    fn a_number_or_null_where_an_enum_belongs_names_the_field() {
        for body in [br#"{"status": 3}"#.as_slice(), br#"{"status": null}"#] {
            let err = parse::<Change>(body).unwrap_err();
            assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err.errors()[0].field, "status");
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Cancel {
        reason: Reason,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Reason {
        code: Status,
    }

    #[test]
    fn a_missing_field_is_named_where_it_belongs() {
        for (body, field) in [
            (br#"{}"#.as_slice(), "reason"),
            (br#"{"reason": {}}"#, "reason.code"),
        ] {
            let err = parse::<Cancel>(body).unwrap_err();
            assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(err.errors()[0].field, field);
            assert_eq!(err.errors()[0].message, "is required");
        }
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        let err = parse::<Order>(br#"{"items": ["#).unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = parse::<Order>(br#"{"items":[],"assignee":"x"}"#).unwrap_err();
        assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err.errors()[0].message.contains("unknown field"));
    }

    #[derive(Debug, serde::Deserialize)]
    struct Patch {
        #[serde(default, deserialize_with = "given")]
        name: Option<String>,
        #[serde(default, deserialize_with = "present")]
        note: Option<Option<String>>,
    }

    #[test]
    fn given_refuses_null_and_present_tells_null_from_absent() {
        let absent = parse::<Patch>(b"{}").unwrap();
        assert_eq!((absent.name, absent.note), (None, None));
        let set = parse::<Patch>(br#"{"name": "a", "note": "b"}"#).unwrap();
        assert_eq!(set.name.as_deref(), Some("a"));
        assert_eq!(set.note, Some(Some("b".to_owned())));
        let cleared = parse::<Patch>(br#"{"note": null}"#).unwrap();
        assert_eq!(cleared.note, Some(None));
        let err = parse::<Patch>(br#"{"name": null}"#).unwrap_err();
        assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.errors()[0].field, "name");
    }
}
