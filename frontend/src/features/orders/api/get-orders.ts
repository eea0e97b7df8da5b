import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { filtersToApiQuery, type OrderFilters } from "../filters";
import { orderKeys } from "../keys";
import type { OrderPage } from "../types";

export const ORDERS_PAGE_SIZE = 100;

/** `GET /orders`: newest first, keyset-paginated by `cursor`. */
export function getOrders(filters: OrderFilters, cursor: string | null, signal?: AbortSignal): Promise<OrderPage> {
  return api.request<OrderPage>("/orders", {
    query: { ...filtersToApiQuery(filters), cursor, limit: ORDERS_PAGE_SIZE },
    signal,
  });
}

export function ordersQueryOptions(filters: OrderFilters) {
  return infiniteQueryOptions({
    queryKey: orderKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getOrders(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    // Live events keep lists fresh; refetch only on resync or when filters change.
    staleTime: Infinity,
    // The live writes already keep every unchanged row and page (cache-reducer.ts); comparing a
    // whole list deeply on each write costs time in proportion to the rows loaded.
    structuralSharing: false,
  });
}

export function useOrders(filters: OrderFilters) {
  return useInfiniteQuery(ordersQueryOptions(filters));
}
