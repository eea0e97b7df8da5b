import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { orderKeys } from "../keys";
import type { StaffMember } from "../types";

/** `GET /users/assignable` (`orders:assign`): active staff allowed to work orders, a plain array. */
export function getAssignableUsers(signal?: AbortSignal): Promise<StaffMember[]> {
  return api.request<StaffMember[]>("/users/assignable", { signal });
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
