import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { userKeys } from "../keys";
import type { NewUser, Role, UserAccount, UserChanges } from "../types";

/** `GET /users?include_inactive=true` (`users:read`): every account, a plain array. */
export function listUsers(signal?: AbortSignal): Promise<UserAccount[]> {
  return api.request<UserAccount[]>("/users", { query: { include_inactive: "true" }, signal });
}

/** `GET /roles` (any signed-in user). */
export function listRoles(signal?: AbortSignal): Promise<Role[]> {
  return api.request<Role[]>("/roles", { signal });
}

export const usersQueryOptions = () =>
  queryOptions({ queryKey: userKeys.list(), queryFn: ({ signal }) => listUsers(signal), staleTime: 30_000 });

export const rolesQueryOptions = () =>
  queryOptions({ queryKey: userKeys.roles(), queryFn: ({ signal }) => listRoles(signal), staleTime: 10 * 60_000 });

export const useUsers = () => useQuery(usersQueryOptions());
export const useRoles = () => useQuery(rolesQueryOptions());

/** After a change, the account list, the names (board, drawer, filter) and the assign picker are stale. */
function useInvalidatePeople() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: userKeys.list() }),
      queryClient.invalidateQueries({ queryKey: userKeys.names() }),
      queryClient.invalidateQueries({ queryKey: userKeys.assignable() }),
    ]);
}

/** `POST /users` (`users:manage`). */
export function useCreateUser() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: (user: NewUser) => api.request<UserAccount>("/users", { method: "POST", body: user }),
    onSuccess: () => invalidate(),
  });
}

/** `PATCH /users/{id}` (`users:manage`). */
export function useUpdateUser() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UserChanges }) =>
      api.request<UserAccount>(`/users/${encodeURIComponent(id)}`, { method: "PATCH", body: changes }),
    onSuccess: () => invalidate(),
  });
}
