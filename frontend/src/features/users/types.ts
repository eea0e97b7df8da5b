/** Accounts and roles as users-service sends them (`services/users/src/routes/views.rs`, `roles.rs`). */
/** An account as `GET /users` and `GET /users/assignable` (a plain array) return it. */
export interface UserAccount {
  id: string;
  email: string;
  display_name: string;
  roles: string[];
  permissions: string[];
  active: boolean;
  created_at: string;
  updated_at: string;
}

/**
 * `GET /users/names` (`orders:read`, any scope): every account's display name, deactivated ones
 * included (`UserName` in `services/users/src/routes/views.rs`). No emails.
 */
export interface UserName {
  id: string;
  display_name: string;
  active: boolean;
}

export interface Role {
  name: string;
  description: string;
  permissions: string[];
}

/** `POST /users`. */
export interface NewUser {
  email: string;
  display_name?: string;
  password: string;
  roles: string[];
}

/** `PATCH /users/{id}`: only the fields present change. */
export interface UserChanges {
  display_name?: string;
  roles?: string[];
  active?: boolean;
  password?: string;
}
