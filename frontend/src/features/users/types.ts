/**
 * Accounts and roles, generated from the gateway's OpenAPI document (`src/lib/api-schema.ts`;
 * users-service's `UserView`, `UserName`, `RoleView` and request bodies are the source).
 */
import { createUserRequestRolesValues, type components } from "@/lib/api-schema";

type Schemas = components["schemas"];

/** An account as `GET /users`, `GET /users/assignable` and `GET /auth/me` return it. */
export type UserAccount = Schemas["UserView"];

/**
 * `GET /users/names` (`orders:read`, any scope): every account's display name, deactivated ones
 * included. No emails.
 */
export type UserName = Schemas["UserName"];

export type Role = Schemas["RoleView"];

/** `POST /users`. */
export type NewUser = Schemas["CreateUserRequest"];

/** `PATCH /users/{id}`: only the fields present change. */
export type UserChanges = Schemas["UpdateUserRequest"];

/** A role a request may name: the document lists the seeded roles. */
export type RoleName = NewUser["roles"][number];

export function isRoleName(name: string): name is RoleName {
  return (createUserRequestRolesValues as readonly string[]).includes(name);
}
