/** Query keys of the users feature. */
export const userKeys = {
  all: ["users"] as const,
  list: () => [...userKeys.all, "list"] as const,
  roles: () => [...userKeys.all, "roles"] as const,
  /** Every account's display name (`GET /users/names`): the dashboard's one source of names. */
  names: () => [...userKeys.all, "names"] as const,
  /** Who may be given an order (`GET /users/assignable`): the assign picker. */
  assignable: () => [...userKeys.all, "assignable"] as const,
};
