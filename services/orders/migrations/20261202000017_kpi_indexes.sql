-- KPIs (issue #17, GET /v1/orders/metrics): every figure reads only the rows it counts, however
-- many finished orders pile up.
-- Open orders (neither DELIVERED nor CANCELLED) by age, with what the panel groups them by:
-- ageing bands, open orders per status and per assignee (unassigned included) are index-only
-- scans of the open orders alone.
CREATE INDEX orders_open_created_idx ON orders (created_at) INCLUDE (status, priority, assignee_id)
    WHERE deleted_at IS NULL AND status NOT IN ('DELIVERED', 'CANCELLED');
-- "Reached status X since midnight": lead times to CONFIRMED and SHIPPED, and the orders
-- finished today, read today's changes to one status only.
CREATE INDEX order_status_history_reached_idx ON order_status_history (to_status, changed_at)
    INCLUDE (order_id);
