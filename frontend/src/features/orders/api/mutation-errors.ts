/**
 * Shared handling of a failed order mutation: a version conflict carries the current order,
 * which is written into the caches (through the ledger) so the user sees what changed.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { MessageKey } from "@/lib/i18n/messages";
import { isApiError } from "@/lib/problem";
import { applySnapshot } from "../realtime/apply-to-cache";
import { toListItem } from "../realtime/cache-reducer";
import { orderSyncFor } from "../realtime/order-sync";
import { orderKeys } from "../keys";
import type { OrderListItem } from "../types";

function looksLikeOrder(value: unknown): value is OrderListItem {
  return typeof value === "object" && value !== null && typeof (value as OrderListItem).id === "string" && typeof (value as OrderListItem).version === "number";
}

/** Writes a server's order (mutation response or conflict body) into every cache. */
export function writeServerOrder(queryClient: QueryClient, order: OrderListItem): void {
  const sync = orderSyncFor(queryClient);
  applySnapshot(queryClient, sync.ledger, { type: "order.updated", order: toListItem(order) }, sync.userId);
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
