-- Accounts, roles and permissions (SPEC §5, §8). Permissions are data: roles bundle them,
-- users hold roles. A grant ending in ':assigned' covers only orders assigned to the holder.

CREATE TABLE users (
    id                  uuid PRIMARY KEY,
    email               text NOT NULL,
    display_name        text NOT NULL,
    password_hash       text NOT NULL,
    is_active           boolean NOT NULL DEFAULT true,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_format CHECK (email = lower(email) AND position('@' IN email) > 1
                                         AND char_length(email) <= 254),
    CONSTRAINT users_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 100)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_active_name_idx ON users (is_active, display_name);

CREATE TABLE permissions (
    id          smallint PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL
);

CREATE TABLE roles (
    id          smallint PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL
);

CREATE TABLE role_permissions (
    role_id       smallint NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission_id smallint NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, permission_id)
);

CREATE TABLE user_roles (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id    smallint NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by uuid REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role_idx ON user_roles (role_id);

INSERT INTO permissions (id, name, description) VALUES
    (1, 'orders:read',            'Read every order'),
    (2, 'orders:read:assigned',   'Read orders assigned to oneself'),
    (3, 'orders:create',          'Create orders (storefronts)'),
    (4, 'orders:update',          'Change status, priority and note of every order'),
    (5, 'orders:update:assigned', 'Change status, priority and note of orders assigned to oneself'),
    (6, 'orders:assign',          'Assign orders to staff'),
    (7, 'orders:delete',          'Delete orders'),
    (8, 'users:read',             'List staff accounts'),
    (9, 'users:manage',           'Create and change staff accounts, roles and passwords');

INSERT INTO roles (id, name, description) VALUES
    (1, 'admin',      'Everything'),
    (2, 'dispatcher', 'Works and assigns every order'),
    (3, 'agent',      'Works the orders assigned to them'),
    (4, 'viewer',     'Reads every order'),
    (5, 'storefront', 'Service account that creates orders');

INSERT INTO role_permissions (role_id, permission_id) VALUES
    (1, 1), (1, 3), (1, 4), (1, 6), (1, 7), (1, 8), (1, 9),
    (2, 1), (2, 4), (2, 6), (2, 7), (2, 8),
    (3, 2), (3, 5),
    (4, 1),
    (5, 3);
