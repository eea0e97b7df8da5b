import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { filtersToApiQuery, statsFilters, type OrderFilters } from "../filters";
import { orderKeys } from "../keys";
import { rememberOverdueAfter } from "../overdue";
import type { OrderStats } from "../types";

/** `GET /orders/stats`: counts per status for the same assignee/search filters (not the status tab). */
export async function getOrderStats(filters: OrderFilters, signal?: AbortSignal): Promise<OrderStats> {
  const stats = await api.request<OrderStats>("/orders/stats", { query: filtersToApiQuery(statsFilters(filters)), signal });
  // The due sort places live orders by these.
  rememberOverdueAfter(stats.overdue_after_minutes);
  return stats;
}

export function orderStatsQueryOptions(filters: OrderFilters) {
  return queryOptions({
    queryKey: orderKeys.statsFor(filters),
    queryFn: ({ signal }) => getOrderStats(filters, signal),
    staleTime: 30_000,
    // "created in the last hour" decays with time: refresh it now and then.
    refetchInterval: 60_000,
  });
}

export function useOrderStats(filters: OrderFilters) {
  return useQuery(orderStatsQueryOptions(filters));
}
