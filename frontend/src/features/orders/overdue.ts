/**
 * Whether a row is overdue, to highlight it: PENDING or CONFIRMED for longer than its priority's
 * threshold, as orders-service counts it (`/orders/stats` → `overdue_after_minutes`).
 */
import type { OrderListItem, OrderStats } from "./types";

export type OverdueAfter = OrderStats["overdue_after_minutes"];

/** orders-service's default thresholds, until `/orders/stats` says which ones it uses. */
const DEFAULT_OVERDUE_AFTER: OverdueAfter = { high: 15, normal: 60 };
let reported: OverdueAfter = DEFAULT_OVERDUE_AFTER;

/** Remembers the thresholds the server reported (every stats answer carries them). */
export function rememberOverdueAfter(after: OverdueAfter): void {
  reported = after;
}

/** The thresholds the server last reported: what the due sort places live orders by. */
export function currentOverdueAfter(): OverdueAfter {
  return reported;
}

/** Still waiting for staff: the statuses an order can be overdue in, listed first by the due sort. */
export function isOpen(order: Pick<OrderListItem, "status">): boolean {
  return order.status === "PENDING" || order.status === "CONFIRMED";
}

/**
 * Where `sort=due` puts an order: open ones first by when they become overdue (`created_at` plus
 * their priority's threshold), then the rest by `created_at`; the id breaks ties.
 */
export function dueKey(order: Pick<OrderListItem, "status" | "priority" | "created_at">, after: OverdueAfter): [number, number] {
  const created = Date.parse(order.created_at);
  return isOpen(order) ? [0, created + after[order.priority] * 60_000] : [1, created];
}

export function isOverdue(order: Pick<OrderListItem, "status" | "priority" | "created_at">, after: OverdueAfter | undefined, now: number): boolean {
  if (!after || !isOpen(order)) return false;
  return now - Date.parse(order.created_at) > after[order.priority] * 60_000;
}
