import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { orderKeys } from "../keys";
import type { OrderDetail } from "../types";

/** `GET /orders/{id}`: the full order with its history. */
export function getOrder(id: string, signal?: AbortSignal): Promise<OrderDetail> {
  return api.request<OrderDetail>(`/orders/${encodeURIComponent(id)}`, { signal });
}

export function orderQueryOptions(id: string) {
  return queryOptions({
    queryKey: orderKeys.detail(id),
    queryFn: ({ signal }) => getOrder(id, signal),
    staleTime: Infinity,
  });
}

export function useOrder(id: string | null) {
  return useQuery({ ...orderQueryOptions(id ?? ""), enabled: id !== null });
}
