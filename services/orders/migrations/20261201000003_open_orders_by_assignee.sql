-- Open orders per assignee (issue #19: the assign list shows each person's open-order count):
-- a grouped count over this partial index, however many finished orders pile up.
CREATE INDEX orders_open_assignee_idx ON orders (assignee_id)
    WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status NOT IN ('DELIVERED', 'CANCELLED');
