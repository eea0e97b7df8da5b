//! The claims of an access token (SPEC §6): `sub, iss, aud, exp, iat, jti, roles, perms`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The JOSE `typ` of our access tokens (RFC 9068); anything else is refused.
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub iss: String,
    pub aud: String,
    pub exp: u64,
    pub iat: u64,
    pub jti: Uuid,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub perms: Vec<String>,
}
