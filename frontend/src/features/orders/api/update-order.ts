import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import type { OrderDetail, OrderPriority, OrderStatus, UpdateOrderInput } from "../types";
import { offerUndo } from "../undo";
import { writeServerOrder } from "./mutation-errors";

/** `PATCH /orders/{id}` (`orders:update`), guarded by `version`. */
export function updateOrder(id: string, input: UpdateOrderInput): Promise<OrderDetail> {
  return api.request<OrderDetail>(`/orders/${encodeURIComponent(id)}`, { method: "PATCH", body: input });
}

export interface ChangeStatusVariables {
  orderId: string;
  status: OrderStatus;
  version: number;
}

/** Status change: not optimistic (the server decides), the response is applied through the ledger; undo is offered. */
export function useChangeOrderStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, status, version }: ChangeStatusVariables) => updateOrder(orderId, { status, version }),
    onSuccess: (order) => {
      writeServerOrder(queryClient, order);
      offerUndo(order, "status");
    },
  });
}

export interface ChangePriorityVariables {
  orderId: string;
  priority: OrderPriority;
  version: number;
}

/** Priority change: like a status change, the server's answer (or its 409 `current`) is what shows. */
export function useChangeOrderPriority() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, priority, version }: ChangePriorityVariables) => updateOrder(orderId, { priority, version }),
    onSuccess: (order) => writeServerOrder(queryClient, order),
  });
}
