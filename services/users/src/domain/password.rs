//! Passwords: the policy for new ones, and Argon2id hashing and verification run on the
//! blocking pool under a concurrency bound (each hash takes ~19 MiB). Verifying against an
//! unknown account still runs a full verification against a fixed dummy hash, so a login's
//! timing does not reveal whether the email exists.

use std::sync::Arc;

use argon2::{
    Argon2,
    password_hash::{PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash},
};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

/// A password that satisfies the policy: 10 to 128 characters, not only spaces.
#[derive(Debug, Clone)]
pub struct NewPassword(SecretString);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let length = raw.chars().count();
        if length < 10 {
            return Err("must be at least 10 characters");
        }
        if length > 128 {
            return Err("must be at most 128 characters");
        }
        if raw.trim().is_empty() {
            return Err("must not be only spaces");
        }
        if raw.contains('\0') {
            return Err("must not contain NUL characters");
        }
        Ok(Self(SecretString::from(raw)))
    }

    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the hashing worker stopped")]
    Worker,
}

/// Hashes and verifies passwords off the async worker threads.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    dummy_hash: Arc<str>,
}

impl PasswordHasher {
    /// Builds the hasher; computes the dummy hash once (blocking, call at start-up).
    pub fn new(concurrency: usize) -> Result<Self, HashError> {
        let dummy = hash_blocking("not a real password; only here to spend time")?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            dummy_hash: dummy.into(),
        })
    }

    pub async fn hash(&self, password: &NewPassword) -> Result<String, HashError> {
        let password = password.secret().clone();
        self.run(move || hash_blocking(password.expose_secret()))
            .await?
    }

    /// Whether `password` matches `stored`; with no stored hash (unknown account) it
    /// verifies against the dummy hash and answers false.
    pub async fn verify(&self, password: &SecretString, stored: Option<&str>) -> bool {
        let exists = stored.is_some();
        let hash = stored.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let password = password.clone();
        let matched = self
            .run(move || verify_blocking(password.expose_secret(), &hash))
            .await
            .unwrap_or(false);
        exists && matched
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Worker)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| HashError::Worker)
    }
}

fn hash_blocking(password: &str) -> Result<String, HashError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_bounds_length() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
        assert!(NewPassword::parse("          ").is_err());
        assert!(NewPassword::parse("ten chars!").is_ok());
        assert!(NewPassword::parse("รหัสผ่านยาวพอ").is_ok());
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let hasher = PasswordHasher::new(2).unwrap();
        let password = NewPassword::parse("correct horse battery").unwrap();
        let hash = hasher.hash(&password).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(hasher.verify(password.secret(), Some(&hash)).await);
        let wrong = SecretString::from("correct horse battery!");
        assert!(!hasher.verify(&wrong, Some(&hash)).await);
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let hasher = PasswordHasher::new(1).unwrap();
        let guess = SecretString::from("not a real password; only here to spend time");
        assert!(!hasher.verify(&guess, None).await);
    }
}
