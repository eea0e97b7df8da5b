-- The queue's "due first" sort (issue #16): `GET /orders?sort=due` lists open orders (PENDING,
-- CONFIRMED) by created_at plus their priority's overdue threshold. The thresholds are settings,
-- so no index can hold the due time itself; within one priority it grows with created_at, so
-- repository/read.rs reads one run per priority from this index, in order, and merges them.
-- Partial on open orders: small, since most orders are past CONFIRMED.
CREATE INDEX orders_open_due_idx
    ON orders (priority, created_at, id)
    WHERE deleted_at IS NULL AND status IN ('PENDING', 'CONFIRMED');
