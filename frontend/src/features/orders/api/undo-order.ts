import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { orderSyncFor } from "../realtime/order-sync";
import type { OrderDetail } from "../types";
import { writeServerOrder } from "./mutation-errors";

/** `POST /orders/{id}/undo`: reverses the caller's own last status change or assignment, at `version`. */
export function undoOrder(id: string, version: number): Promise<OrderDetail> {
  return api.request<OrderDetail>(`/orders/${encodeURIComponent(id)}/undo`, { method: "POST", body: { version } });
}

export interface UndoVariables {
  orderId: string;
  /** The version the change produced: used when the dashboard knows no newer one. */
  version: number;
}

/**
 * Sent at the order's current version as the dashboard knows it (so a change by someone else
 * since is a 409, never undone over); the restored order is applied through the ledger.
 */
export function useUndoOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, version }: UndoVariables) => {
      const known = orderSyncFor(queryClient).ledger.get(orderId)?.version ?? 0;
      return undoOrder(orderId, Math.max(known, version));
    },
    onSuccess: (order) => writeServerOrder(queryClient, order),
  });
}
