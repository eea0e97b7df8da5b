/**
 * Whether a row is overdue, to highlight it: PENDING or CONFIRMED for longer than its priority's
 * threshold, as orders-service counts it (`/orders/stats` → `overdue_after_minutes`).
 */
import type { OrderListItem, OrderStats } from "./types";

export type OverdueAfter = OrderStats["overdue_after_minutes"];

export function isOverdue(order: Pick<OrderListItem, "status" | "priority" | "created_at">, after: OverdueAfter | undefined, now: number): boolean {
  if (!after || (order.status !== "PENDING" && order.status !== "CONFIRMED")) return false;
  return now - Date.parse(order.created_at) > after[order.priority] * 60_000;
}
