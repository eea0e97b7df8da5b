/** Query key factory for the orders feature (TkDodo's "Effective React Query Keys"). */
import { normalizeFilters, statsFilters, type LooseFilters, type OrderFilters } from "./filters";

export const orderKeys = {
  all: ["orders"] as const,
  lists: () => [...orderKeys.all, "list"] as const,
  list: (filters: LooseFilters) => [...orderKeys.lists(), normalizeFilters(filters)] as const,
  stats: () => [...orderKeys.all, "stats"] as const,
  statsFor: (filters: LooseFilters) =>
    [...orderKeys.stats(), statsFilters(normalizeFilters(filters))] as const,
  /** Open orders per assignee (`GET /orders/workload`): the counts beside each person. */
  workload: () => [...orderKeys.all, "workload"] as const,
  details: () => [...orderKeys.all, "detail"] as const,
  detail: (id: string) => [...orderKeys.details(), id] as const,
};

export type OrderListKey = ReturnType<typeof orderKeys.list>;

/** The filters inside a list or stats key, or null when the key is something else. */
export function filtersFromKey(key: readonly unknown[]): OrderFilters | null {
  if (key.length !== 3 || key[0] !== "orders" || (key[1] !== "list" && key[1] !== "stats")) return null;
  const filters = key[2];
  if (typeof filters !== "object" || filters === null) return null;
  return normalizeFilters(filters as LooseFilters);
}
