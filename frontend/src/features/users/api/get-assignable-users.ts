import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { userKeys } from "../keys";
import type { UserAccount } from "../types";

/** `GET /users/assignable` (`orders:assign`): active staff allowed to work orders, a plain array. */
export function getAssignableUsers(signal?: AbortSignal): Promise<UserAccount[]> {
  return api.request<UserAccount[]>("/users/assignable", { signal });
}

export function assignableUsersQueryOptions() {
  return queryOptions({
    queryKey: userKeys.assignable(),
    queryFn: ({ signal }) => getAssignableUsers(signal),
    staleTime: 5 * 60_000,
  });
}

export function useAssignableUsers(enabled: boolean) {
  return useQuery({ ...assignableUsersQueryOptions(), enabled });
}
