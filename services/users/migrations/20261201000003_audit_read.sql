-- The audit-log page (issue #17): reading the audit records is a permission of its own (SPEC
-- §12's `audit:read`), granted to the admin role; the page pages newest first by id and filters
-- by actor (audit_log_actor_idx), action and time.

INSERT INTO permissions (id, name, description)
SELECT COALESCE(max(id), 0) + 1, 'audit:read', 'Read the audit log of account actions'
FROM permissions;

INSERT INTO role_permissions (role_id, permission_id)
SELECT r.id, p.id FROM roles r, permissions p WHERE r.name = 'admin' AND p.name = 'audit:read';

CREATE INDEX audit_log_action_idx ON audit_log (action, id);
CREATE INDEX audit_log_at_idx ON audit_log (at);
