-- Orders domain: customers, their shipping addresses, orders with items, the status lookup,
-- history of status changes and assignments, the transactional outbox and idempotency keys.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE order_statuses (
    code        TEXT PRIMARY KEY,
    position    SMALLINT NOT NULL UNIQUE,
    is_terminal BOOLEAN NOT NULL
);

INSERT INTO order_statuses (code, position, is_terminal) VALUES
    ('PENDING', 1, FALSE),
    ('CONFIRMED', 2, FALSE),
    ('PROCESSING', 3, FALSE),
    ('SHIPPED', 4, FALSE),
    ('DELIVERED', 5, TRUE),
    ('CANCELLED', 6, TRUE);

CREATE TABLE customers (
    id         UUID PRIMARY KEY,
    name       TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    email      TEXT NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    phone      TEXT CHECK (char_length(phone) BETWEEN 1 AND 40),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT customers_email_key UNIQUE (email)
);

CREATE INDEX customers_name_trgm ON customers USING gin (name gin_trgm_ops);
CREATE INDEX customers_email_trgm ON customers USING gin (email gin_trgm_ops);

-- A shipping address is kept as the order placed it: later orders add rows, never edit them.
CREATE TABLE addresses (
    id          UUID PRIMARY KEY,
    customer_id UUID NOT NULL REFERENCES customers (id),
    line1       TEXT NOT NULL CHECK (char_length(line1) BETWEEN 1 AND 200),
    line2       TEXT CHECK (char_length(line2) BETWEEN 1 AND 200),
    city        TEXT NOT NULL CHECK (char_length(city) BETWEEN 1 AND 100),
    postal_code TEXT NOT NULL CHECK (char_length(postal_code) BETWEEN 1 AND 20),
    country     TEXT NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX addresses_customer_idx ON addresses (customer_id);

CREATE TABLE orders (
    id                  UUID PRIMARY KEY,
    serial              BIGINT GENERATED ALWAYS AS IDENTITY,
    number              TEXT GENERATED ALWAYS AS (
                            'ORD-' || CASE WHEN serial < 1000000 THEN lpad(serial::text, 6, '0')
                                           ELSE serial::text END
                        ) STORED,
    customer_id         UUID NOT NULL REFERENCES customers (id),
    shipping_address_id UUID NOT NULL REFERENCES addresses (id),
    status              TEXT NOT NULL DEFAULT 'PENDING' REFERENCES order_statuses (code),
    priority            TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'high')),
    assignee_id         UUID,
    note                TEXT CHECK (char_length(note) BETWEEN 1 AND 2000),
    currency            TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    total_minor         BIGINT NOT NULL CHECK (total_minor >= 0),
    item_count          INTEGER NOT NULL CHECK (item_count >= 1),
    version             BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at          TIMESTAMPTZ,
    CONSTRAINT orders_serial_key UNIQUE (serial),
    CONSTRAINT orders_number_key UNIQUE (number)
);

-- Keyset pagination (newest first) and each list filter, over live orders only.
CREATE INDEX orders_live_created_idx ON orders (created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX orders_live_status_idx ON orders (status, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX orders_live_assignee_idx ON orders (assignee_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_address_idx ON orders (shipping_address_id);
CREATE INDEX orders_number_trgm ON orders USING gin (number gin_trgm_ops);

CREATE TABLE order_items (
    order_id         UUID NOT NULL REFERENCES orders (id),
    line_no          SMALLINT NOT NULL CHECK (line_no >= 1),
    sku              TEXT NOT NULL CHECK (char_length(sku) BETWEEN 1 AND 64),
    name             TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
    line_total_minor BIGINT NOT NULL CHECK (line_total_minor = unit_price_minor * quantity),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_status_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    UUID NOT NULL REFERENCES orders (id),
    from_status TEXT REFERENCES order_statuses (code),
    to_status   TEXT NOT NULL REFERENCES order_statuses (code),
    actor_id    UUID NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX order_status_history_order_idx ON order_status_history (order_id, id);

CREATE TABLE order_assignments (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id             UUID NOT NULL REFERENCES orders (id),
    previous_assignee_id UUID,
    assignee_id          UUID,
    actor_id             UUID NOT NULL,
    assigned_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX order_assignments_order_idx ON order_assignments (order_id, id);

-- Every change writes one row here in its own transaction; the relay publishes rows in id
-- order and stamps them. `payload` is the event envelope without `seq`.
CREATE TABLE outbox (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     UUID NOT NULL UNIQUE,
    event_type   TEXT NOT NULL CHECK (event_type IN ('order.created', 'order.updated', 'order.deleted')),
    order_id     UUID NOT NULL REFERENCES orders (id),
    payload      JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ,
    seq          BIGINT
);

CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_order_idx ON outbox (order_id);

-- One row per (caller, Idempotency-Key) of POST /orders: the request it came with and the
-- response it got, replayed for a retry with the same body.
CREATE TABLE idempotency_keys (
    principal_id    UUID NOT NULL,
    key             TEXT NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request         JSONB NOT NULL,
    order_id        UUID REFERENCES orders (id),
    response_status SMALLINT,
    response_body   JSONB,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (principal_id, key)
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_order_idx ON idempotency_keys (order_id);
