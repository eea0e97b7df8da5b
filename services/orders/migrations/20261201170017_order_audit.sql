-- The audit of order actions that leave no row in an order's history (issue #17): an export
-- of many orders (its filters and row count) is recorded here before its first byte is sent.
-- Order changes themselves are audited by their history rows (order_status_history,
-- order_assignments, order_field_changes, order_notes).

CREATE TABLE order_audit (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_id   UUID NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('orders.exported')),
    details    JSONB NOT NULL DEFAULT '{}'::jsonb,
    request_id TEXT
);

CREATE INDEX order_audit_actor_idx ON order_audit (actor_id, at);
CREATE INDEX order_audit_at_idx ON order_audit (at);
