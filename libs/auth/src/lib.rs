//! Access tokens: what they claim ([`claims`]), which permissions exist ([`permission`]),
//! the EdDSA key users-service signs with ([`signing`]), how every service verifies them
//! against a cached JWKS ([`verifier`]) and the request extractor built on that ([`principal`]).

pub mod claims;
pub mod permission;
pub mod principal;
pub mod signing;
pub mod verifier;

pub use claims::AccessClaims;
pub use permission::{Permission, Scope};
pub use principal::Principal;
pub use signing::SigningKey;
pub use verifier::{AuthError, JwtVerifier, VerifierConfig};
