/**
 * Per-QueryClient realtime state: the version ledger and the seq tracker, shared by the socket
 * hook and the mutations so every write goes through the same "newer wins" rule.
 */
import type { QueryClient } from "@tanstack/react-query";
import { ANONYMOUS_VIEWER, type OrderViewer } from "../filters";
import { attachLedger } from "./apply-to-cache";
import { OrderLedger } from "./ledger";
import { SeqTracker } from "./seq-tracker";

export interface OrderSync {
  ledger: OrderLedger;
  tracker: SeqTracker;
  /** The signed-in user (for `assignee=me` lists) and the reach of their read grant. */
  viewer: OrderViewer;
}

const registry = new WeakMap<QueryClient, OrderSync>();

export function orderSyncFor(queryClient: QueryClient): OrderSync {
  let sync = registry.get(queryClient);
  if (!sync) {
    const created: OrderSync = { ledger: new OrderLedger(), tracker: new SeqTracker(), viewer: ANONYMOUS_VIEWER };
    attachLedger(queryClient, created.ledger, () => created.viewer);
    registry.set(queryClient, created);
    sync = created;
  }
  return sync;
}
