//! Forged and misused access tokens (TESTING.md attacks 1–6), made from a real viewer token
//! and the real signing key, for the REST and Socket.IO tests.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use lom_auth::SigningKey;
use serde_json::{Value, json};

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

/// `(what, token)` pairs, every one of which must be refused.
pub fn forged_tokens(
    signing_pem: &str,
    viewer_token: &str,
    refresh_token: &str,
) -> Vec<(String, String)> {
    let key = SigningKey::from_pem(signing_pem).unwrap();
    let kid = key.kid().to_owned();
    let parts: Vec<&str> = viewer_token.split('.').collect();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let now = jsonwebtoken::get_current_timestamp();
    let signed = |c: &Value| key.sign(c).unwrap();
    let with = |field: &str, value: Value| {
        let mut c = claims.clone();
        c[field] = value;
        c
    };
    let without = |field: &str| {
        let mut c = claims.clone();
        c.as_object_mut().unwrap().remove(field);
        c
    };
    let signature = parts[2];
    let header = |extra: Value| {
        let mut h = json!({"alg": "EdDSA", "typ": "at+jwt", "kid": kid});
        for (k, v) in extra.as_object().unwrap() {
            h[k] = v.clone();
        }
        h
    };

    let mut hs256 = Header::new(Algorithm::HS256);
    hs256.typ = Some("at+jwt".into());
    hs256.kid = Some(kid.clone());
    let public = serde_json::to_vec(key.public_jwk()).unwrap();
    let (stranger, _) = SigningKey::generate().unwrap();

    vec![
        (
            "alg none".into(),
            format!(
                "{}.{}.",
                b64(&json!({"alg": "none", "typ": "at+jwt", "kid": kid})),
                parts[1]
            ),
        ),
        (
            "HS256 with the public key".into(),
            jsonwebtoken::encode(&hs256, &claims, &EncodingKey::from_secret(&public)).unwrap(),
        ),
        (
            "raised permissions".into(),
            format!(
                "{}.{}.{signature}",
                parts[0],
                b64(&with("perms", json!(["orders:read", "users:manage"])))
            ),
        ),
        (
            "jku".into(),
            format!(
                "{}.{}.{signature}",
                b64(&header(json!({"jku": "http://127.0.0.1:9/k"}))),
                parts[1]
            ),
        ),
        (
            "x5u".into(),
            format!(
                "{}.{}.{signature}",
                b64(&header(json!({"x5u": "http://127.0.0.1:9/c"}))),
                parts[1]
            ),
        ),
        (
            "kid traversal".into(),
            format!(
                "{}.{}.{signature}",
                b64(&header(json!({"kid": "../../x"}))),
                parts[1]
            ),
        ),
        (
            "kid injection".into(),
            format!(
                "{}.{}.{signature}",
                b64(&header(json!({"kid": "' OR 1=1 --"}))),
                parts[1]
            ),
        ),
        ("expired".into(), signed(&with("exp", json!(now - 60)))),
        (
            "not yet valid".into(),
            signed(&with("nbf", json!(now + 3600))),
        ),
        ("no exp".into(), signed(&without("exp"))),
        (
            "wrong audience".into(),
            signed(&with("aud", json!("another-system"))),
        ),
        (
            "wrong issuer".into(),
            signed(&with("iss", json!("https://evil.example"))),
        ),
        ("foreign key".into(), stranger.sign(&claims).unwrap()),
        ("refresh token".into(), refresh_token.to_owned()),
    ]
}
