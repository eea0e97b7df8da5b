-- An idempotency key references the order its request created and keeps a digest of the
-- request instead of the request and the whole 201 body: one row written once, in the
-- create's transaction (the order's id is chosen before the key is claimed), never updated.
-- A retry with the same key and body answers the order it created as it is now; another body
-- under the same key is told by the digest of the request's canonical JSONB text.
ALTER TABLE idempotency_keys ADD COLUMN request_sha256 BYTEA;
UPDATE idempotency_keys SET request_sha256 = sha256(convert_to(request::text, 'UTF8'));
-- A claim commits with its order; none is left without one, but make sure.
DELETE FROM idempotency_keys WHERE order_id IS NULL;
ALTER TABLE idempotency_keys
    ALTER COLUMN request_sha256 SET NOT NULL,
    ALTER COLUMN order_id SET NOT NULL,
    DROP COLUMN request,
    DROP COLUMN response_status,
    DROP COLUMN response_body,
    -- The key is claimed before its order row is inserted, in the same transaction.
    DROP CONSTRAINT idempotency_keys_order_id_fkey,
    ADD CONSTRAINT idempotency_keys_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id)
        DEFERRABLE INITIALLY DEFERRED;
COMMENT ON COLUMN idempotency_keys.request_sha256 IS
    'SHA-256 of the request body as canonical JSONB text (sha256(convert_to(body::jsonb::text, ''UTF8'')))';
