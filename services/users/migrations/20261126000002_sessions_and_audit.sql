-- Refresh tokens (stored only as hashes, rotated on every use, grouped in families so a
-- replayed token revokes its whole family), login throttling and the audit log.

CREATE TABLE refresh_tokens (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id      uuid NOT NULL,
    parent_id      uuid REFERENCES refresh_tokens (id) ON DELETE SET NULL,
    token_hash     bytea NOT NULL UNIQUE,
    issued_at      timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    rotated_at     timestamptz,
    revoked_at     timestamptz,
    revoked_reason text,
    CONSTRAINT refresh_tokens_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT refresh_tokens_expiry CHECK (expires_at > issued_at),
    CONSTRAINT refresh_tokens_revocation CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_live_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

-- One row per throttled key ('account:<email>' or 'ip:<address>').
CREATE TABLE login_throttle (
    key              text PRIMARY KEY,
    failures         integer NOT NULL CHECK (failures > 0),
    first_failure_at timestamptz NOT NULL,
    locked_until     timestamptz
);

CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    action     text NOT NULL,
    target_id  uuid,
    details    jsonb NOT NULL DEFAULT '{}'::jsonb,
    request_id text
);
CREATE INDEX audit_log_target_idx ON audit_log (target_id, at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);
