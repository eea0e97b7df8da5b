-- Undo (issue #19) is a real change of its own: recorded like any other status change or
-- assignment, marked as the reversal of the change before it (which is then no longer undoable).
ALTER TABLE order_status_history ADD COLUMN undo BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE order_assignments ADD COLUMN undo BOOLEAN NOT NULL DEFAULT false;
