-- CSV export of orders (issue #17): exporting customer data in bulk is a permission of its own
-- (SPEC §12's `orders:export`), granted to the roles that see every order and manage them
-- (admin, dispatcher); agents and viewers read orders on screen but do not take them away.

INSERT INTO permissions (id, name, description)
SELECT COALESCE(max(id), 0) + 1, 'orders:export', 'Download the orders of a view as CSV'
FROM permissions;

INSERT INTO role_permissions (role_id, permission_id)
SELECT r.id, p.id FROM roles r, permissions p
WHERE r.name IN ('admin', 'dispatcher') AND p.name = 'orders:export';
