-- Sign-in attempts are reserved before their password is verified: `in_flight` counts the
-- attempts of a key being verified right now, so a burst of simultaneous guesses gets no more
-- of them verified than the failures the policy still allows. A reservation older than a
-- verification can take (a crashed process) no longer counts.
ALTER TABLE login_throttle RENAME COLUMN first_failure_at TO window_started_at;
ALTER TABLE login_throttle DROP CONSTRAINT login_throttle_failures_check;
ALTER TABLE login_throttle
    ADD CONSTRAINT login_throttle_failures_check CHECK (failures >= 0),
    ADD COLUMN in_flight integer NOT NULL DEFAULT 0 CHECK (in_flight >= 0),
    ADD COLUMN in_flight_since timestamptz;
