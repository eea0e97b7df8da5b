import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { orderKeys } from "../keys";
import type { UserRef } from "../types";

/** `GET /users/assignable` (`orders:assign`): active users allowed to work orders. */
export async function getAssignableUsers(signal?: AbortSignal): Promise<UserRef[]> {
  const body = await api.request<UserRef[] | { items: UserRef[] }>("/users/assignable", { signal });
  return Array.isArray(body) ? body : body.items;
}

export function assignableUsersQueryOptions() {
  return queryOptions({
    queryKey: orderKeys.assignable(),
    queryFn: ({ signal }) => getAssignableUsers(signal),
    staleTime: 5 * 60_000,
  });
}

export function useAssignableUsers(enabled: boolean) {
  return useQuery({ ...assignableUsersQueryOptions(), enabled });
}
