-- Every field change is part of an order's history (issue #19): priority and note changes get
-- rows of their own, and a cancellation keeps why (a code from a short list, free text for
-- "other" or to add detail).

CREATE TABLE order_field_changes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    UUID NOT NULL REFERENCES orders (id),
    field       TEXT NOT NULL CHECK (field IN ('priority', 'note')),
    from_value  TEXT,
    to_value    TEXT,
    actor_id    UUID NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX order_field_changes_order_idx ON order_field_changes (order_id, id);

ALTER TABLE order_status_history
    ADD COLUMN reason_code TEXT CHECK (reason_code IN (
        'customer_request', 'out_of_stock', 'payment_failed', 'duplicate', 'suspected_fraud', 'other'
    )),
    ADD COLUMN reason_text TEXT,
    ADD CONSTRAINT order_status_history_reason_only_when_cancelled
        CHECK (reason_code IS NULL OR to_status = 'CANCELLED'),
    ADD CONSTRAINT order_status_history_reason_text_needs_code
        CHECK (reason_text IS NULL OR reason_code IS NOT NULL);
