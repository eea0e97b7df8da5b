-- When an account's sessions were last ended (deactivation, password reset): access tokens
-- issued at or before that second are refused by the gateways, and sign-ins never get a
-- token dated in that second.
ALTER TABLE users ADD COLUMN sessions_revoked_at timestamptz;
