/** Permission strings as carried in `user.permissions` (SPEC §5). */
export const PERMISSIONS = {
  ordersRead: "orders:read",
  ordersReadAssigned: "orders:read:assigned",
  ordersUpdate: "orders:update",
  ordersUpdateAssigned: "orders:update:assigned",
  ordersCreate: "orders:create",
  ordersAssign: "orders:assign",
  ordersDelete: "orders:delete",
  ordersExport: "orders:export",
  usersRead: "users:read",
  usersManage: "users:manage",
  auditRead: "audit:read",
} as const;

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

/** The least the permission helpers need to know about the signed-in user. */
export interface Actor {
  id: string;
  permissions: readonly string[];
}

export function hasPermission(actor: Actor | null | undefined, permission: Permission): boolean {
  return !!actor && actor.permissions.includes(permission);
}

export function hasAnyPermission(actor: Actor | null | undefined, permissions: readonly Permission[]): boolean {
  return permissions.some((p) => hasPermission(actor, p));
}
