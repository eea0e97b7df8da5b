/** Query keys of the users feature. */
export const userKeys = {
  all: ["users"] as const,
  list: () => [...userKeys.all, "list"] as const,
  roles: () => [...userKeys.all, "roles"] as const,
};
