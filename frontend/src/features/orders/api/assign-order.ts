import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { patchOrderOptimistically, restoreFromLedger } from "../realtime/apply-to-cache";
import { orderSyncFor } from "../realtime/order-sync";
import type { AssignOrderInput, OrderDetail } from "../types";
import { offerUndo } from "../undo";
import { writeServerOrder } from "./mutation-errors";

/** `POST /orders/{id}/assign` (`orders:assign`), guarded by `version`; null unassigns. */
export function assignOrder(id: string, input: AssignOrderInput): Promise<OrderDetail> {
  return api.request<OrderDetail>(`/orders/${encodeURIComponent(id)}/assign`, { method: "POST", body: input });
}

export interface AssignVariables {
  orderId: string;
  /** null unassigns. */
  assigneeId: string | null;
  version: number;
}

/**
 * Optimistic: the row shows the new assignee at once; on failure every copy goes back to the
 * server's latest snapshot (which may be newer than when we started), never to a stale copy.
 * On success, undo is offered.
 */
export function useAssignOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, assigneeId, version }: AssignVariables) =>
      assignOrder(orderId, { assignee_id: assigneeId, version }),
    onMutate: ({ orderId, assigneeId }) => {
      patchOrderOptimistically(queryClient, orderId, (order) => ({ ...order, assignee_id: assigneeId }));
    },
    onError: (_error, { orderId }) => {
      const sync = orderSyncFor(queryClient);
      restoreFromLedger(queryClient, sync.ledger, orderId, sync.viewer);
    },
    onSuccess: (order) => {
      writeServerOrder(queryClient, order);
      offerUndo(order, "assign");
    },
  });
}
