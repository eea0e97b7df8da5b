//! Verifying access tokens. The algorithm is pinned to EdDSA, `typ` must be `at+jwt`, and
//! `iss`, `aud`, `exp` and `sub` are required and checked (with a small leeway). Keys come from
//! a JWKS that is fetched once, cached, and refetched on an unknown `kid` at most once per
//! interval, so forged `kid`s cannot make us hammer users-service. Headers that point at other
//! keys (`jku`, `jwk`, `x5u`, `x5c`) are refused outright: nothing is ever fetched from a token.
//! A token that passed is remembered (see `verified`) until it expires or its key is withdrawn.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use jsonwebtoken::{
    Algorithm, DecodingKey, Validation,
    jwk::{AlgorithmParameters, EllipticCurve, JwkSet},
};
use tokio::sync::Mutex;

use crate::claims::{ACCESS_TOKEN_TYPE, AccessClaims};

mod verified;

use verified::{Verified, VerifiedTokens};

const MAX_TOKEN_BYTES: usize = 8 * 1024;
const MAX_KID_LEN: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no bearer token")]
    Missing,
    #[error("the token is malformed")]
    Malformed,
    #[error("the token header is not acceptable: {0}")]
    Header(&'static str),
    #[error("the token was signed by an unknown key")]
    UnknownKey,
    #[error("the token is invalid: {0}")]
    Invalid(String),
    #[error("the signing keys cannot be fetched: {0}")]
    KeysUnavailable(String),
}

/// What a verifier accepts.
#[derive(Debug, Clone)]
pub struct VerifierConfig {
    pub issuer: String,
    pub audience: String,
    /// Clock skew allowed on `exp`/`nbf`, in seconds.
    pub leeway_secs: u64,
    /// The least time between two JWKS fetches caused by unknown `kid`s.
    pub refetch_interval: Duration,
    /// How many verified tokens are remembered (0: none; every request verifies its signature).
    pub remembered_tokens: usize,
}

impl VerifierConfig {
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Self {
            issuer: issuer.into(),
            audience: audience.into(),
            leeway_secs: 5,
            refetch_interval: Duration::from_secs(10),
            remembered_tokens: 4096,
        }
    }
}

enum KeySource {
    Static,
    Remote {
        url: String,
        client: reqwest::Client,
    },
}

/// Verifies access tokens; cheap to share behind an `Arc`.
pub struct JwtVerifier {
    validation: Validation,
    refetch_interval: Duration,
    source: KeySource,
    keys: RwLock<Arc<HashMap<String, DecodingKey>>>,
    last_fetch: Mutex<Option<Instant>>,
    verified: Option<VerifiedTokens>,
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("iss", &self.validation.iss)
            .field("aud", &self.validation.aud)
            .finish_non_exhaustive()
    }
}

impl JwtVerifier {
    /// A verifier with a fixed key set (users-service verifying its own tokens).
    pub fn with_keys(config: &VerifierConfig, jwks: &JwkSet) -> Self {
        let verifier = Self::new(config, KeySource::Static);
        verifier.store(jwks);
        verifier
    }

    /// A verifier that fetches keys from `jwks_url` (other services and the gateway).
    /// Keys are fetched lazily; call [`JwtVerifier::refresh`] at start to warm the cache.
    pub fn remote(config: &VerifierConfig, jwks_url: impl Into<String>) -> Self {
        let client = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(Duration::from_millis(500))
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap_or_default();
        Self::new(
            config,
            KeySource::Remote {
                url: jwks_url.into(),
                client,
            },
        )
    }

    fn new(config: &VerifierConfig, source: KeySource) -> Self {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&config.issuer]);
        validation.set_audience(&[&config.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = config.leeway_secs;
        validation.validate_nbf = true;
        Self {
            validation,
            refetch_interval: config.refetch_interval,
            source,
            keys: RwLock::new(Arc::new(HashMap::new())),
            last_fetch: Mutex::new(None),
            verified: (config.remembered_tokens > 0)
                .then(|| VerifiedTokens::new(config.remembered_tokens)),
        }
    }

    /// Verifies `token` and returns its claims.
    pub async fn verify(&self, token: &str) -> Result<AccessClaims, AuthError> {
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return Err(AuthError::Malformed);
        }
        let Some(verified) = &self.verified else {
            return self.verify_signed(token).await.map(|(_, claims)| claims);
        };
        let digest = VerifiedTokens::digest(token);
        if let Some(hit) = verified.get(&digest, now(), self.validation.leeway) {
            if self.has_key(&hit.kid) {
                return Ok(hit.claims.clone());
            }
            verified.remove(&digest);
        }
        let (kid, claims) = self.verify_signed(token).await?;
        verified.insert(
            digest,
            Verified {
                kid,
                claims: claims.clone(),
            },
        );
        Ok(claims)
    }

    /// The full check of a token: header, key, signature and claims; returns the key id too.
    async fn verify_signed(&self, token: &str) -> Result<(String, AccessClaims), AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::Malformed)?;
        if header.alg != Algorithm::EdDSA {
            return Err(AuthError::Header("algorithm"));
        }
        if header.jku.is_some()
            || header.jwk.is_some()
            || header.x5u.is_some()
            || header.x5c.is_some()
        {
            return Err(AuthError::Header("embedded key reference"));
        }
        if header.typ.as_deref() != Some(ACCESS_TOKEN_TYPE) {
            return Err(AuthError::Header("typ"));
        }
        let kid = header.kid.ok_or(AuthError::Header("kid"))?;
        if !is_plausible_kid(&kid) {
            return Err(AuthError::Header("kid"));
        }

        let key = match self.key(&kid) {
            Some(key) => key,
            None => {
                self.refetch_if_due().await?;
                self.key(&kid).ok_or(AuthError::UnknownKey)?
            }
        };
        jsonwebtoken::decode::<AccessClaims>(token, &key, &self.validation)
            .map(|data| (kid, data.claims))
            .map_err(|e| AuthError::Invalid(e.to_string()))
    }

    /// Fetches the key set now (remote sources only).
    pub async fn refresh(&self) -> Result<(), AuthError> {
        let mut last_fetch = self.last_fetch.lock().await;
        self.fetch().await?;
        *last_fetch = Some(Instant::now());
        Ok(())
    }

    /// How many keys are cached (for readiness and tests).
    pub fn cached_keys(&self) -> usize {
        self.keys.read().map(|k| k.len()).unwrap_or_default()
    }

    /// How many verified tokens are remembered.
    pub fn remembered_tokens(&self) -> usize {
        self.verified.as_ref().map_or(0, VerifiedTokens::len)
    }

    async fn refetch_if_due(&self) -> Result<(), AuthError> {
        if matches!(self.source, KeySource::Static) {
            return Ok(());
        }
        let mut last_fetch = self.last_fetch.lock().await;
        let interval = if self.cached_keys() == 0 {
            Duration::from_millis(500)
        } else {
            self.refetch_interval
        };
        if last_fetch.is_some_and(|at| at.elapsed() < interval) {
            return if self.cached_keys() == 0 {
                Err(AuthError::KeysUnavailable("recently failed".into()))
            } else {
                Ok(())
            };
        }
        *last_fetch = Some(Instant::now());
        self.fetch().await
    }

    async fn fetch(&self) -> Result<(), AuthError> {
        let KeySource::Remote { url, client } = &self.source else {
            return Ok(());
        };
        let unavailable = |e: reqwest::Error| AuthError::KeysUnavailable(e.to_string());
        let jwks: JwkSet = client
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unavailable)?
            .json()
            .await
            .map_err(unavailable)?;
        self.store(&jwks);
        tracing::info!(keys = self.cached_keys(), "signing keys refreshed");
        Ok(())
    }

    fn store(&self, jwks: &JwkSet) {
        let keys: HashMap<_, _> = jwks
            .keys
            .iter()
            .filter(|jwk| {
                matches!(&jwk.algorithm, AlgorithmParameters::OctetKeyPair(p) if p.curve == EllipticCurve::Ed25519)
            })
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                let key = DecodingKey::from_jwk(jwk).ok()?;
                Some((kid, key))
            })
            .collect();
        if let Ok(mut slot) = self.keys.write() {
            *slot = Arc::new(keys);
        }
    }

    fn key(&self, kid: &str) -> Option<DecodingKey> {
        self.keys.read().ok()?.get(kid).cloned()
    }

    fn has_key(&self, kid: &str) -> bool {
        self.keys.read().is_ok_and(|keys| keys.contains_key(kid))
    }
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

fn is_plausible_kid(kid: &str) -> bool {
    !kid.is_empty()
        && kid.len() <= MAX_KID_LEN
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests;
