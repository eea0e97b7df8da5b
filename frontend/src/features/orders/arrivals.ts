/**
 * A list that holds still: while the user is away from the top of the board (scrolled down, or a
 * row selected), orders newer than the row that was on top then ("the anchor") wait behind a
 * "N new orders — show" pill instead of pushing every row down.
 */
import type { OrderListItem } from "./types";
import { compareNewestFirst } from "./realtime/cache-reducer";

/** Where the list held still: the sort key of the row that was on top. */
export type Anchor = Pick<OrderListItem, "id" | "created_at">;

export interface Arrivals {
  /** What the list shows: the anchor and everything older, in order. */
  shown: OrderListItem[];
  /** Newer than the anchor: behind the pill. */
  held: OrderListItem[];
}

/** Splits rows (newest first) at the anchor; no anchor shows everything. */
export function splitArrivals(rows: OrderListItem[], anchor: Anchor | null): Arrivals {
  if (anchor === null) return { shown: rows, held: [] };
  const key = anchor as OrderListItem;
  const firstShown = rows.findIndex((row) => compareNewestFirst(row, key) >= 0);
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
  return top ? { id: top.id, created_at: top.created_at } : null;
}

/** How many orders the user has not seen: those behind the pill, and those that came while the tab was hidden, once each. */
export function unseenCount(held: readonly OrderListItem[], arrivedUnseen: ReadonlySet<string>, listed: ReadonlySet<string>): number {
  let count = held.length;
  const heldIds = new Set(held.map((row) => row.id));
  for (const id of arrivedUnseen) if (listed.has(id) && !heldIds.has(id)) count += 1;
  return count;
}

/** The tab title with the unseen count in front: `(3) Live Order Monitor`. */
export function titleWithCount(title: string, count: number): string {
  const base = title.replace(/^\(\d+\)\s*/, "");
  return count > 0 ? `(${count}) ${base}` : base;
}
