import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { isApiError } from "@/lib/problem";
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

/**
 * Why a read of one order found no order: `gone` (404: deleted, or not one the caller may see)
 * or `malformed` (400 `bad-request`: the id is not an order id, the only 400 this read gets);
 * null for any other outcome.
 */
export function missingOrder(error: unknown): "gone" | "malformed" | null {
  if (!isApiError(error)) return null;
  if (error.status === 404) return "gone";
  if (error.status === 400 && error.kind === "bad-request") return "malformed";
  return null;
}

export function useOrder(id: string | null) {
  return useQuery({ ...orderQueryOptions(id ?? ""), enabled: id !== null });
}
