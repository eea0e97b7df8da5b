/**
 * A list that holds still: while the user is away from the top of the board (scrolled down, or a
 * row selected), orders the list's sort places above the row that was on top then ("the anchor")
 * wait behind a "N new orders — show" pill instead of pushing every row down. Newest first that
 * is every new order; by priority or due first, those that outrank the top row; oldest first
 * none (a new order joins the end and moves nothing).
 */
import { compareForSort, type OrderSort } from "./filters";
import type { OrderListItem } from "./types";

/** Where the list held still: the sort keys of the row that was on top. */
export type Anchor = Pick<OrderListItem, "id" | "created_at" | "priority" | "status">;

export interface Arrivals {
  /** What the list shows: the anchor and everything older, in order. */
  shown: OrderListItem[];
  /** Newer than the anchor: behind the pill. */
  held: OrderListItem[];
}

/** Splits rows (in `sort`'s order) at the anchor; no anchor shows everything. */
export function splitArrivals(rows: OrderListItem[], anchor: Anchor | null, sort: OrderSort): Arrivals {
  if (anchor === null) return { shown: rows, held: [] };
  const key = anchor as OrderListItem;
  const firstShown = rows.findIndex((row) => compareForSort(sort, row, key) >= 0);
  if (firstShown === 0) return { shown: rows, held: [] };
  if (firstShown < 0) return { shown: [], held: rows };
  return { shown: rows.slice(firstShown), held: rows.slice(0, firstShown) };
}

/**
 * The anchor after this render: none while not holding (everything shows, newest on top); when
 * holding starts, the row on top now; then unchanged until released ("show", back at the top).
 */
export function nextAnchor(current: Anchor | null, holding: boolean, rows: readonly OrderListItem[]): Anchor | null {
  if (!holding) return null;
  if (current !== null) return current;
  const top = rows[0];
  return top ? { id: top.id, created_at: top.created_at, priority: top.priority, status: top.status } : null;
}

/**
 * How many orders the user has not seen and would be alerted about (`alerts`: the Alerts menu's
 * choice): those behind the pill, and those that came while the tab was hidden, once each.
 */
export function unseenCount(
  held: readonly OrderListItem[],
  arrivedUnseen: ReadonlySet<string>,
  listed: ReadonlyMap<string, OrderListItem>,
  alerts: (order: OrderListItem) => boolean,
): number {
  let count = held.filter(alerts).length;
  const heldIds = new Set(held.map((row) => row.id));
  for (const id of arrivedUnseen) {
    const order = listed.get(id);
    if (order && !heldIds.has(id) && alerts(order)) count += 1;
  }
  return count;
}

/** The tab title with the unseen count in front: `(3) Live Order Monitor`. */
export function titleWithCount(title: string, count: number): string {
  const base = title.replace(/^\(\d+\)\s*/, "");
  return count > 0 ? `(${count}) ${base}` : base;
}
