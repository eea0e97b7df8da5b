import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { userKeys } from "../keys";
import type { UserName } from "../types";

/**
 * `GET /users/names` (`orders:read` in any scope: admins, dispatchers, agents, viewers): every
 * account's display name, deactivated ones included, ordered by name. A plain array, no emails.
 */
export function getUserNames(signal?: AbortSignal): Promise<UserName[]> {
  return api.request<UserName[]>("/users/names", { signal });
}

/** Names change rarely: kept 5 minutes, refreshed when the window regains focus and by the users page. */
export function userNamesQueryOptions() {
  return queryOptions({
    queryKey: userKeys.names(),
    queryFn: ({ signal }) => getUserNames(signal),
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: true,
  });
}

export function useUserNames(enabled: boolean) {
  return useQuery({ ...userNamesQueryOptions(), enabled });
}
