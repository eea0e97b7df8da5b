-- The audit-log page's order actions (issue #17, GET /v1/orders/audit): who did what to which
-- order, when, newest first, filtered by actor, action and time. They are read from the records
-- orders-service already keeps (each history table, and order_audit for what leaves no history
-- row), one keyset scan per table merged by time, so each table needs its rows by time and by
-- actor then time, with the id as the tie-breaker of one transaction's rows.
CREATE INDEX order_status_history_at_idx ON order_status_history (changed_at, id);
CREATE INDEX order_status_history_actor_idx ON order_status_history (actor_id, changed_at, id);
CREATE INDEX order_assignments_at_idx ON order_assignments (assigned_at, id);
CREATE INDEX order_assignments_actor_idx ON order_assignments (actor_id, assigned_at, id);
CREATE INDEX order_field_changes_at_idx ON order_field_changes (changed_at, id);
CREATE INDEX order_field_changes_actor_idx ON order_field_changes (actor_id, changed_at, id);
CREATE INDEX order_notes_at_idx ON order_notes (created_at, id);
CREATE INDEX order_notes_author_idx ON order_notes (author_id, created_at, id);

DROP INDEX order_audit_actor_idx;
DROP INDEX order_audit_at_idx;
CREATE INDEX order_audit_at_idx ON order_audit (at, id);
CREATE INDEX order_audit_actor_idx ON order_audit (actor_id, at, id);

-- A deletion leaves no history row (the order only gets deleted_at) and its event, which names
-- the actor, leaves the outbox after the retention: it is recorded in order_audit with its
-- order, in the deletion's transaction; deletions still in the outbox are copied in.
ALTER TABLE order_audit
    ADD COLUMN order_id UUID REFERENCES orders (id),
    DROP CONSTRAINT order_audit_action_check,
    ADD CONSTRAINT order_audit_action_check CHECK (action IN ('orders.exported', 'order.deleted')),
    ADD CONSTRAINT order_audit_deletion_names_its_order
        CHECK ((action = 'order.deleted') = (order_id IS NOT NULL));

INSERT INTO order_audit (at, actor_id, action, order_id)
SELECT (payload ->> 'occurred_at')::timestamptz, (payload -> 'actor' ->> 'id')::uuid,
       'order.deleted', order_id
FROM outbox
WHERE event_type = 'order.deleted'
ORDER BY id;

CREATE INDEX order_audit_order_idx ON order_audit (order_id) WHERE order_id IS NOT NULL;
