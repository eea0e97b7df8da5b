//! Tokens this process has already verified. The Ed25519 check is the costliest step of an
//! authenticated request, and a client presents the same access token for minutes; a hit
//! skips it. Entries are keyed by the token's SHA-256 (the token itself is not kept), the
//! cache is bounded, and a hit counts only while the token is unexpired and its key is still
//! published (the caller checks the key).

use std::sync::Arc;

use aws_lc_rs::digest;
use quick_cache::sync::Cache;

use crate::claims::AccessClaims;

/// The SHA-256 of a token.
pub(super) type TokenDigest = [u8; 32];

/// What a successful verification established.
#[derive(Debug)]
pub(super) struct Verified {
    /// The key that signed the token.
    pub kid: String,
    pub claims: AccessClaims,
}

pub(super) struct VerifiedTokens {
    entries: Cache<TokenDigest, Arc<Verified>>,
}

impl VerifiedTokens {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Cache::new(capacity.max(1)),
        }
    }

    pub fn digest(token: &str) -> TokenDigest {
        let mut out = [0; 32];
        out.copy_from_slice(digest::digest(&digest::SHA256, token.as_bytes()).as_ref());
        out
    }

    /// The verification of this token, unless it has expired since (`leeway` seconds of skew
    /// allowed, as in the full check); an expired entry is dropped.
    pub fn get(&self, digest: &TokenDigest, now: u64, leeway: u64) -> Option<Arc<Verified>> {
        let hit = self.entries.get(digest)?;
        if hit.claims.exp.saturating_add(leeway) < now {
            self.entries.remove(digest);
            return None;
        }
        Some(hit)
    }

    pub fn insert(&self, digest: TokenDigest, verified: Verified) {
        self.entries.insert(digest, Arc::new(verified));
    }

    pub fn remove(&self, digest: &TokenDigest) {
        self.entries.remove(digest);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
