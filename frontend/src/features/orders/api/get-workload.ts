import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { orderKeys } from "../keys";
import type { AssigneeWorkload } from "../types";

/** `GET /orders/workload` (`orders:read` for every order): open orders per person holding any. */
export function getWorkload(signal?: AbortSignal): Promise<AssigneeWorkload[]> {
  return api.request<AssigneeWorkload[]>("/orders/workload", { signal });
}

/** Counts move with every assignment: kept briefly, read again when a list showing them opens. */
export function workloadQueryOptions() {
  return queryOptions({
    queryKey: orderKeys.workload(),
    queryFn: ({ signal }) => getWorkload(signal),
    staleTime: 10_000,
    select: (loads: AssigneeWorkload[]) => new Map(loads.map((load) => [load.assignee_id, load.open_orders] as const)),
  });
}

/** Open orders by person id (absent: none). */
export function useWorkload(enabled: boolean) {
  return useQuery({ ...workloadQueryOptions(), enabled });
}
