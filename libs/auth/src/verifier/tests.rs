//! TESTING.md token attacks 1–6 against the verifier itself; the services repeat them over HTTP.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};
use uuid::Uuid;

use super::*;
use crate::signing::SigningKey;

const ISS: &str = "lom-users";
const AUD: &str = "lom";

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

fn claims() -> Value {
    json!({
        "sub": Uuid::new_v4(), "iss": ISS, "aud": AUD,
        "exp": now() + 600, "iat": now(), "jti": Uuid::new_v4(),
        "roles": ["viewer"], "perms": ["orders:read"],
    })
}

fn setup() -> (SigningKey, JwtVerifier) {
    let (key, _) = SigningKey::generate().expect("key");
    let verifier = JwtVerifier::with_keys(&VerifierConfig::new(ISS, AUD), &key.jwks());
    (key, verifier)
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("json"))
}

/// Re-signs nothing: swaps a token's header or payload, keeping the original signature.
fn splice(token: &str, header: Option<&Value>, payload: Option<&Value>) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let h = header.map_or_else(|| parts[0].to_owned(), b64);
    let p = payload.map_or_else(|| parts[1].to_owned(), b64);
    format!("{h}.{p}.{}", parts[2])
}

fn header_of(key: &SigningKey) -> Value {
    json!({"alg": "EdDSA", "typ": "at+jwt", "kid": key.kid()})
}

#[tokio::test]
async fn a_well_signed_token_is_accepted() {
    let (key, verifier) = setup();
    let token = key.sign(&claims()).expect("sign");
    let verified = verifier.verify(&token).await.expect("valid");
    assert_eq!(verified.perms, vec!["orders:read"]);
}

#[tokio::test]
async fn alg_none_with_an_empty_signature_is_refused() {
    let (key, verifier) = setup();
    let token = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "at+jwt", "kid": key.kid()})),
        b64(&claims())
    );
    assert!(verifier.verify(&token).await.is_err());
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_is_refused() {
    let (key, verifier) = setup();
    let public = serde_json::to_vec(key.public_jwk()).expect("jwk");
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("at+jwt".into());
    header.kid = Some(key.kid().into());
    let token = jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_secret(&public))
        .expect("hs256");
    assert!(matches!(
        verifier.verify(&token).await,
        Err(AuthError::Header("algorithm"))
    ));
}

#[tokio::test]
async fn raised_permissions_with_the_old_signature_are_refused() {
    let (key, verifier) = setup();
    let token = key.sign(&claims()).expect("sign");
    let mut raised = claims();
    raised["perms"] = json!(["users:manage"]);
    raised["roles"] = json!(["admin"]);
    let forged = splice(&token, None, Some(&raised));
    assert!(matches!(
        verifier.verify(&forged).await,
        Err(AuthError::Invalid(_))
    ));
}

#[tokio::test]
async fn key_references_in_the_header_are_refused() {
    let (key, verifier) = setup();
    let token = key.sign(&claims()).expect("sign");
    for (name, value) in [
        ("jku", json!("http://127.0.0.1:9/jwks.json")),
        ("x5u", json!("http://127.0.0.1:9/cert.pem")),
        ("jwk", serde_json::to_value(key.public_jwk()).expect("jwk")),
        ("x5c", json!(["MIIB"])),
    ] {
        let mut header = header_of(&key);
        header[name] = value;
        let forged = splice(&token, Some(&header), None);
        assert!(verifier.verify(&forged).await.is_err(), "{name} accepted");
    }
}

#[tokio::test]
async fn hostile_kids_are_refused_without_a_lookup() {
    let (key, verifier) = setup();
    let token = key.sign(&claims()).expect("sign");
    for kid in ["../../x", "' OR 1=1 --", "", &"a".repeat(500)] {
        let mut header = header_of(&key);
        header["kid"] = json!(kid);
        let forged = splice(&token, Some(&header), None);
        assert!(
            matches!(
                verifier.verify(&forged).await,
                Err(AuthError::Header("kid"))
            ),
            "kid {kid:?}"
        );
    }
}

#[tokio::test]
async fn unknown_kid_against_an_unreachable_jwks_fails_without_hanging() {
    let (key, _) = setup();
    let verifier = JwtVerifier::remote(
        &VerifierConfig::new(ISS, AUD),
        "http://127.0.0.1:9/.well-known/jwks.json",
    );
    let token = key.sign(&claims()).expect("sign");
    let started = Instant::now();
    assert!(matches!(
        verifier.verify(&token).await,
        Err(AuthError::KeysUnavailable(_))
    ));
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn expired_future_and_exp_less_tokens_are_refused() {
    let (key, verifier) = setup();
    let mut expired = claims();
    expired["exp"] = json!(now() - 30);
    let mut not_yet = claims();
    not_yet["nbf"] = json!(now() + 600);
    let mut no_exp = claims();
    no_exp.as_object_mut().expect("object").remove("exp");
    for (name, c) in [("expired", expired), ("nbf", not_yet), ("no exp", no_exp)] {
        let token = key.sign(&c).expect("sign");
        assert!(verifier.verify(&token).await.is_err(), "{name} accepted");
    }
}

#[tokio::test]
async fn a_token_within_the_leeway_is_still_accepted() {
    let (key, verifier) = setup();
    let mut c = claims();
    c["exp"] = json!(now() - 2);
    let token = key.sign(&c).expect("sign");
    assert!(verifier.verify(&token).await.is_ok());
}

#[tokio::test]
async fn wrong_audience_issuer_or_type_is_refused() {
    let (key, verifier) = setup();
    let mut wrong_aud = claims();
    wrong_aud["aud"] = json!("someone-else");
    let mut wrong_iss = claims();
    wrong_iss["iss"] = json!("evil");
    let mut no_iss = claims();
    no_iss.as_object_mut().expect("object").remove("iss");
    for (name, c) in [("aud", wrong_aud), ("iss", wrong_iss), ("no iss", no_iss)] {
        let token = key.sign(&c).expect("sign");
        assert!(verifier.verify(&token).await.is_err(), "{name} accepted");
    }
    let token = key.sign(&claims()).expect("sign");
    let mut header = header_of(&key);
    header["typ"] = json!("JWT");
    assert!(
        verifier
            .verify(&splice(&token, Some(&header), None))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_opaque_refresh_token_is_not_an_access_token() {
    let (_, verifier) = setup();
    let refresh = URL_SAFE_NO_PAD.encode([7u8; 32]);
    assert!(matches!(
        verifier.verify(&refresh).await,
        Err(AuthError::Malformed)
    ));
}

#[tokio::test]
async fn a_token_from_another_key_is_refused() {
    let (_, verifier) = setup();
    let (other, _) = SigningKey::generate().expect("key");
    let token = other.sign(&claims()).expect("sign");
    assert!(matches!(
        verifier.verify(&token).await,
        Err(AuthError::UnknownKey)
    ));
}

#[tokio::test]
async fn a_verified_token_is_remembered_and_a_refused_one_is_not() {
    let (key, verifier) = setup();
    let token = key.sign(&claims()).expect("sign");
    assert_eq!(verifier.remembered_tokens(), 0);
    let first = verifier.verify(&token).await.expect("valid");
    assert_eq!(verifier.remembered_tokens(), 1);
    assert_eq!(verifier.verify(&token).await.expect("remembered"), first);
    assert_eq!(verifier.remembered_tokens(), 1);

    let mut raised = claims();
    raised["perms"] = json!(["orders:read", "users:write"]);
    let forged = splice(&token, None, Some(&raised));
    assert!(verifier.verify(&forged).await.is_err());
    assert_eq!(verifier.remembered_tokens(), 1);
}

#[tokio::test]
async fn a_remembered_token_still_expires() {
    let (key, _) = SigningKey::generate().expect("key");
    let config = VerifierConfig {
        leeway_secs: 0,
        ..VerifierConfig::new(ISS, AUD)
    };
    let verifier = JwtVerifier::with_keys(&config, &key.jwks());
    let mut short = claims();
    short["exp"] = json!(now() + 1);
    let token = key.sign(&short).expect("sign");
    verifier.verify(&token).await.expect("valid for a second");
    assert_eq!(verifier.remembered_tokens(), 1);
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert!(matches!(
        verifier.verify(&token).await,
        Err(AuthError::Invalid(_))
    ));
}

#[tokio::test]
async fn a_remembered_token_is_refused_once_its_key_is_withdrawn() {
    let (key, verifier) = setup();
    let token = key.sign(&claims()).expect("sign");
    verifier.verify(&token).await.expect("valid");
    let (successor, _) = SigningKey::generate().expect("key");
    verifier.store(&successor.jwks());
    assert!(matches!(
        verifier.verify(&token).await,
        Err(AuthError::UnknownKey)
    ));
}

#[tokio::test]
async fn remembering_can_be_turned_off() {
    let (key, _) = SigningKey::generate().expect("key");
    let config = VerifierConfig {
        remembered_tokens: 0,
        ..VerifierConfig::new(ISS, AUD)
    };
    let verifier = JwtVerifier::with_keys(&config, &key.jwks());
    let token = key.sign(&claims()).expect("sign");
    verifier.verify(&token).await.expect("valid");
    assert_eq!(verifier.remembered_tokens(), 0);
}
