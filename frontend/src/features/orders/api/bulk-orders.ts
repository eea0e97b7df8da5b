import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { BulkRequest, BulkResponse } from "../types";
import { writeServerOrder } from "./mutation-errors";

/** `POST /orders/bulk`: one action on many orders, each at the version the user saw; one result per item. */
export function bulkOrders(body: BulkRequest): Promise<BulkResponse> {
  return api.request<BulkResponse>("/orders/bulk", { method: "POST", body });
}

/**
 * Not optimistic (each order's outcome is the server's): every order the answer carries (changed,
 * or as someone else left it) is written into the caches through the ledger.
 */
export function useBulkOrders() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: bulkOrders,
    onSuccess: (response) => {
      for (const result of response.results) if (result.order) writeServerOrder(queryClient, result.order);
    },
  });
}
