-- Internal notes (issue #16): staff write them on an order; they are part of its history and
-- of the event stream. Plain text, kept exactly as written.

CREATE TABLE order_notes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   UUID NOT NULL REFERENCES orders (id),
    author_id  UUID NOT NULL,
    body       TEXT NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX order_notes_order_idx ON order_notes (order_id, id);

ALTER TABLE outbox
    DROP CONSTRAINT outbox_event_type_check,
    ADD CONSTRAINT outbox_event_type_check
        CHECK (event_type IN ('order.created', 'order.updated', 'order.deleted', 'order.noted'));
