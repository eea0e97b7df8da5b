//! The Ed25519 key users-service signs access tokens with: loaded from PEM (PKCS#8 v1),
//! generated and kept in a private file for local development, published as a JWK whose
//! `kid` is its RFC 7638 thumbprint.

use std::{fs, io::Write, path::Path};

use aws_lc_rs::{rand::SystemRandom, signature::Ed25519KeyPair};
use base64::{Engine, engine::general_purpose::STANDARD};
use jsonwebtoken::{
    Algorithm, EncodingKey, Header,
    jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse, ThumbprintHash},
};
use serde::Serialize;

use crate::claims::ACCESS_TOKEN_TYPE;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the signing key is not an Ed25519 PKCS#8 v1 PEM private key: {0}")]
    Invalid(String),
    #[error("could not read or write the signing key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("could not generate a signing key")]
    Generate,
}

/// The PEM label of a PKCS#8 private key (kept apart so no key-looking text is committed).
const PEM_LABEL: &str = "PRIVATE KEY";

/// A private signing key and its public JWK.
#[derive(Clone)]
pub struct SigningKey {
    encoding: EncodingKey,
    jwk: Jwk,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Parses a PEM `PRIVATE KEY` Ed25519 key (PKCS#8 v1).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let encoding = EncodingKey::from_ed_pem(pem.trim().as_bytes())
            .map_err(|e| KeyError::Invalid(e.to_string()))?;
        let mut jwk = Jwk::from_encoding_key(&encoding, Algorithm::EdDSA)
            .map_err(|e| KeyError::Invalid(e.to_string()))?;
        let kid = jwk
            .thumbprint(ThumbprintHash::SHA256)
            .map_err(|e| KeyError::Invalid(e.to_string()))?;
        jwk.common.key_id = Some(kid);
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        jwk.common.key_algorithm = Some(KeyAlgorithm::EdDSA);
        Ok(Self { encoding, jwk })
    }

    /// A fresh key and its PEM text.
    pub fn generate() -> Result<(Self, String), KeyError> {
        let document = Ed25519KeyPair::generate_pkcs8v1(&SystemRandom::new())
            .map_err(|_| KeyError::Generate)?;
        let pem = format!(
            "-----BEGIN {PEM_LABEL}-----\n{}\n-----END {PEM_LABEL}-----\n",
            STANDARD.encode(document.as_ref())
        );
        Ok((Self::from_pem(&pem)?, pem))
    }

    /// Loads the key at `path`, or generates one there (mode 0600) when the file is absent.
    /// Returns the key and whether it was generated.
    pub fn load_or_generate(path: &Path) -> Result<(Self, bool), KeyError> {
        let io_err = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match fs::read_to_string(path) {
            Ok(pem) => Ok((Self::from_pem(&pem)?, false)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let (key, pem) = Self::generate()?;
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir).map_err(io_err)?;
                }
                write_private(path, pem.as_bytes()).map_err(io_err)?;
                Ok((key, true))
            }
            Err(e) => Err(io_err(e)),
        }
    }

    pub fn kid(&self) -> &str {
        self.jwk.common.key_id.as_deref().unwrap_or_default()
    }

    /// The public half as a JWK (`kty: OKP, crv: Ed25519, use: sig, alg: EdDSA, kid`).
    pub fn public_jwk(&self) -> &Jwk {
        &self.jwk
    }

    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.jwk.clone()],
        }
    }

    /// Signs `claims` as a compact JWS with `alg: EdDSA`, `typ: at+jwt` and our `kid`.
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
        header.kid = Some(self.kid().to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding)
    }
}

fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_reloads_with_the_same_kid() {
        let (key, pem) = SigningKey::generate().expect("generate");
        let again = SigningKey::from_pem(&pem).expect("reload");
        assert_eq!(key.kid(), again.kid());
        assert_eq!(key.kid().len(), 43, "base64url SHA-256 thumbprint");
    }

    #[test]
    fn a_key_file_is_created_once_and_reused() {
        let dir = std::env::temp_dir().join(format!("lom-key-{}", uuid::Uuid::new_v4()));
        let path = dir.join("keys/jwt.pem");
        let (first, generated) = SigningKey::load_or_generate(&path).expect("generate");
        assert!(generated);
        let (second, generated) = SigningKey::load_or_generate(&path).expect("load");
        assert!(!generated);
        assert_eq!(first.kid(), second.kid());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn garbage_is_not_a_key() {
        assert!(
            SigningKey::from_pem(&format!(
                "-----BEGIN {PEM_LABEL}-----\nAAAA\n-----END {PEM_LABEL}-----"
            ))
            .is_err()
        );
    }
}
