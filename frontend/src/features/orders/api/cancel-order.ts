import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { CancelReason, OrderDetail } from "../types";
import { offerUndo } from "../undo";
import { writeServerOrder } from "./mutation-errors";

/** `POST /orders/{id}/cancel` body: why, and the version the user saw. */
export interface CancelOrderInput {
  reason: CancelReason;
  version: number;
}

/** `POST /orders/{id}/cancel` (`orders:update`): cancels at `version`, the reason goes into the history. */
export function cancelOrder(id: string, input: CancelOrderInput): Promise<OrderDetail> {
  return api.request<OrderDetail>(`/orders/${encodeURIComponent(id)}/cancel`, { method: "POST", body: input });
}

export interface CancelVariables extends CancelOrderInput {
  orderId: string;
}

/** Not optimistic (the server decides); the cancelled order is applied through the ledger; undo is offered. */
export function useCancelOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, ...input }: CancelVariables) => cancelOrder(orderId, input),
    onSuccess: (order) => {
      writeServerOrder(queryClient, order);
      offerUndo(order, "status");
    },
  });
}
