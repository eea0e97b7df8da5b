/**
 * Shared handling of a failed order mutation: a version conflict carries the current order,
 * which is written into the caches (through the ledger) so the user sees what changed.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { MessageKey } from "@/lib/i18n/messages";
import { isApiError } from "@/lib/problem";
import { applySnapshot } from "../realtime/apply-to-cache";
import { detailToListItem } from "../realtime/cache-reducer";
import { orderSyncFor } from "../realtime/order-sync";
import { orderKeys } from "../keys";
import type { OrderDetail } from "../types";

/** A full order as the server sends it (mutation response, 409 `current`). */
function looksLikeOrder(value: unknown): value is OrderDetail {
  const order = value as OrderDetail | null;
  return (
    typeof order === "object" &&
    order !== null &&
    typeof order.id === "string" &&
    typeof order.version === "number" &&
    typeof order.customer === "object" &&
    order.customer !== null
  );
}

/**
 * Writes a server's order (mutation response or conflict body) into every cache: its list row
 * through the ledger, and the full order into the detail query (history included) when newer;
 * the open-order counts are read again.
 */
export function writeServerOrder(queryClient: QueryClient, order: OrderDetail): void {
  const sync = orderSyncFor(queryClient);
  applySnapshot(queryClient, sync.ledger, { type: "order.updated", order: detailToListItem(order) }, sync.viewer);
  queryClient.setQueryData<OrderDetail>(orderKeys.detail(order.id), (cached) =>
    !cached || order.version >= cached.version ? order : cached,
  );
  // Who holds how many open orders may have changed.
  void queryClient.invalidateQueries({ queryKey: orderKeys.workload() });
}

/** Applies what the error teaches and returns the message to show. */
export function handleOrderMutationError(queryClient: QueryClient, orderId: string, error: unknown): MessageKey | null {
  if (!isApiError(error)) return "common.unexpectedError";
  switch (error.kind) {
    case "version-conflict": {
      const current = error.problem.current;
      if (looksLikeOrder(current)) writeServerOrder(queryClient, current);
      else void queryClient.invalidateQueries({ queryKey: orderKeys.all });
      return "action.conflict";
    }
    case "invalid-transition":
      void queryClient.invalidateQueries({ queryKey: orderKeys.detail(orderId) });
      return "action.invalidTransition";
    case "order-final":
      // Finished meanwhile: the order is read again, the words say which way it finished.
      void queryClient.invalidateQueries({ queryKey: orderKeys.detail(orderId) });
      return error.problem.order_status === "CANCELLED" ? "action.final.CANCELLED" : "action.final.DELIVERED";
    case "network":
      return "common.networkError";
    default:
      break;
  }
  if (error.status === 422) return "action.assigneeInvalid";
  if (error.status === 403) return "action.forbidden";
  if (error.status === 404) return "action.notFound";
  return null;
}
