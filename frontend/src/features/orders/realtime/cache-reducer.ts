/**
 * Pure functions that fold one order snapshot into one cached value: an infinite list, a detail,
 * a stats object. Each returns the same reference when nothing changed, so callers can skip writes.
 */
import type { InfiniteData } from "@tanstack/react-query";
import { compareForSort, orderMatchesFilters, type OrderFilters, type OrderSort, type OrderViewer } from "../filters";
import type { OrderDetail, OrderEventType, OrderListItem, OrderPage, OrderStats } from "../types";
import { isOpen } from "../overdue";
import type { OrderLedger } from "./ledger";

export type OrderListData = InfiniteData<OrderPage, string | null>;

/**
 * One order's new state. `order.left` (the order was taken away from this viewer, see
 * `OrderLeftEvent`) carries the last snapshot this viewer knew, at the new version, with
 * `assignee_id: null` ("not yours any more"): it then matches none of an agent's views, so every
 * list drops it and the stats count it out, and no newer-looking copy can come back from a fetch
 * that raced with it.
 */
export interface SnapshotChange {
  type: OrderEventType | "order.left";
  order: OrderListItem;
}

interface ApplyOptions {
  /** Replace a row even when its version equals the snapshot's (rolling back an optimistic patch). */
  allowSameVersion?: boolean;
}

/** Newest first: created_at descending, then id descending as the tie-breaker (matches the keyset). */
export function compareNewestFirst(a: OrderListItem, b: OrderListItem): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

function findRow(data: OrderListData, id: string): { page: number; index: number } | null {
  for (let page = 0; page < data.pages.length; page++) {
    const index = data.pages[page]?.items.findIndex((row) => row.id === id) ?? -1;
    if (index >= 0) return { page, index };
  }
  return null;
}

function withPage(data: OrderListData, pageIndex: number, items: OrderListItem[]): OrderListData {
  const pages = data.pages.slice();
  const page = pages[pageIndex];
  if (!page) return data;
  pages[pageIndex] = { ...page, items };
  return { ...data, pages };
}

/**
 * Puts `order` where the list's sort places it (a new order goes on top newest first, at the end
 * oldest first, after the other high ones by priority) among the loaded rows.
 */
function insertSorted(data: OrderListData, order: OrderListItem, sort: OrderSort): OrderListData {
  for (let p = 0; p < data.pages.length; p++) {
    const items = data.pages[p]?.items ?? [];
    const at = items.findIndex((row) => compareForSort(sort, order, row) < 0);
    if (at >= 0) {
      const next = items.slice();
      next.splice(at, 0, order);
      return withPage(data, p, next);
    }
  }
  // After every loaded row: it belongs to the list only if nothing more is left to load (else its
  // page brings it when the user scrolls there).
  const lastIndex = data.pages.length - 1;
  const last = data.pages[lastIndex];
  if (!last || last.next_cursor !== null) return data;
  return withPage(data, lastIndex, [...last.items, order]);
}

function removeAt(data: OrderListData, at: { page: number; index: number }): OrderListData {
  const items = data.pages[at.page]?.items.slice() ?? [];
  items.splice(at.index, 1);
  return withPage(data, at.page, items);
}

/** Folds one snapshot into one cached list with the given filters. */
export function applyToList(
  data: OrderListData,
  filters: OrderFilters,
  change: SnapshotChange,
  viewer: OrderViewer,
  options: ApplyOptions = {},
): OrderListData {
  const at = findRow(data, change.order.id);
  const existing = at ? data.pages[at.page]?.items[at.index] : undefined;

  if (change.type === "order.deleted") return at ? removeAt(data, at) : data;

  if (existing) {
    const newer = options.allowSameVersion
      ? change.order.version >= existing.version
      : change.order.version > existing.version;
    if (!newer || !at) return data;
    if (!orderMatchesFilters(change.order, filters, viewer)) return removeAt(data, at);
    // By priority (or due first), a priority (or open-ness) change moves the row.
    if (movesUnder(filters.sort, existing, change.order)) return insertSorted(removeAt(data, at), change.order, filters.sort);
    const items = data.pages[at.page]?.items.slice() ?? [];
    items[at.index] = change.order;
    return withPage(data, at.page, items);
  }

  // An order becomes overdue by time passing, never by an event: the overdue list learns of it from a fetch.
  if (filters.overdue || !orderMatchesFilters(change.order, filters, viewer)) return data;
  return insertSorted(data, change.order, filters.sort);
}

/**
 * Whether a change of `before` into `after` changes its place under `sort`: by priority a new
 * priority; due first a new priority or a move past CONFIRMED (to the end, among the rest).
 */
function movesUnder(sort: OrderSort, before: OrderListItem, after: OrderListItem): boolean {
  if (sort === "priority") return before.priority !== after.priority;
  if (sort === "due") return before.priority !== after.priority || isOpen(before) !== isOpen(after);
  return false;
}

/** Replaces rows the ledger knows a newer state of (fetch raced with events), drops deleted ones. */
export function reconcileList(
  data: OrderListData,
  filters: OrderFilters,
  ledger: OrderLedger,
  viewer: OrderViewer,
): OrderListData {
  let changed = false;
  const pages = data.pages.map((page) => {
    let pageChanged = false;
    const items: OrderListItem[] = [];
    for (const row of page.items) {
      if (ledger.isDeleted(row.id)) {
        pageChanged = true;
        continue;
      }
      const known = ledger.get(row.id);
      if (known && known.version > row.version) {
        pageChanged = true;
        if (orderMatchesFilters(known, filters, viewer)) items.push(known);
        continue;
      }
      items.push(row);
    }
    if (!pageChanged) return page;
    changed = true;
    return { ...page, items };
  });
  return changed ? { ...data, pages } : data;
}

/** Merges a newer list snapshot into a cached detail (history is refreshed separately). */
export function applyToDetail(detail: OrderDetail, change: SnapshotChange, options: ApplyOptions = {}): OrderDetail {
  if (change.type === "order.deleted") return detail;
  const { order } = change;
  const newer = options.allowSameVersion ? order.version >= detail.version : order.version > detail.version;
  if (order.id !== detail.id || !newer) return detail;
  return {
    ...detail,
    number: order.number,
    status: order.status,
    priority: order.priority,
    assignee_id: order.assignee_id,
    item_count: order.item_count,
    unit_count: order.unit_count,
    total: order.total,
    currency: order.currency,
    version: order.version,
    created_at: order.created_at,
    updated_at: order.updated_at,
    customer: { ...detail.customer, name: order.customer_name, email: order.customer_email },
  };
}

function bump(stats: OrderStats, status: OrderListItem["status"], delta: number): OrderStats {
  const current = stats.counts[status] ?? 0;
  const next = Math.max(0, current + delta);
  return {
    ...stats,
    counts: { ...stats.counts, [status]: next },
    total: Math.max(0, stats.total + (next - current)),
  };
}

/**
 * Adjusts per-status counts for one change. `previous` is the last known snapshot of the order
 * (from the ledger, before this change). Returns `"invalidate"` when the change cannot be counted
 * exactly (an update of an order whose previous state is unknown): the caller refetches the stats.
 */
export function applyToStats(
  stats: OrderStats,
  filters: OrderFilters,
  previous: OrderListItem | undefined,
  change: SnapshotChange,
  viewer: OrderViewer,
): OrderStats | "invalidate" {
  const scope: OrderFilters = { ...filters, statuses: [] };
  const matches = (order: OrderListItem) => orderMatchesFilters(order, scope, viewer);
  const { order } = change;

  if (change.type === "order.created" && !previous) {
    if (!matches(order)) return stats;
    const next = bump(stats, order.status, +1);
    return { ...next, created_last_hour: stats.created_last_hour + 1 };
  }
  if (change.type === "order.deleted") {
    const gone = previous ?? order;
    return matches(gone) ? bump(stats, gone.status, -1) : stats;
  }
  if (!previous) return "invalidate";

  let next = stats;
  if (matches(previous)) next = bump(next, previous.status, -1);
  if (matches(order)) next = bump(next, order.status, +1);
  return next.counts[previous.status] === stats.counts[previous.status] &&
    next.counts[order.status] === stats.counts[order.status]
    ? stats
    : next;
}

/** Exactly the list-row fields of a row (an event snapshot may one day carry more). */
export function toListItem(order: OrderListItem): OrderListItem {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    priority: order.priority,
    customer_name: order.customer_name,
    customer_email: order.customer_email,
    assignee_id: order.assignee_id,
    total: order.total,
    currency: order.currency,
    item_count: order.item_count,
    unit_count: order.unit_count,
    version: order.version,
    created_at: order.created_at,
    updated_at: order.updated_at,
  };
}

/** The list row of a full order (mutation responses and 409 `current` are full orders). */
export function detailToListItem(detail: OrderDetail): OrderListItem {
  return {
    id: detail.id,
    number: detail.number,
    status: detail.status,
    priority: detail.priority,
    customer_name: detail.customer.name,
    customer_email: detail.customer.email,
    assignee_id: detail.assignee_id,
    total: detail.total,
    currency: detail.currency,
    item_count: detail.item_count,
    unit_count: detail.unit_count,
    version: detail.version,
    created_at: detail.created_at,
    updated_at: detail.updated_at,
  };
}

/**
 * Folds many accepted changes into one list in a single pass (O(rows + changes)), so a burst of
 * events costs one cache write and one render per list instead of one per event. The result is the
 * same as applying them one by one; per order, the last change wins (the ledger already ordered them).
 */
export function applyBatchToList(
  data: OrderListData,
  filters: OrderFilters,
  changes: readonly SnapshotChange[],
  viewer: OrderViewer,
): OrderListData {
  if (changes.length === 0) return data;
  if (changes.length === 1 && changes[0]) return applyToList(data, filters, changes[0], viewer);

  const latest = new Map<string, SnapshotChange>();
  for (const change of changes) latest.set(change.order.id, change);
  const moved: OrderListItem[] = [];

  let changed = false;
  const pages = data.pages.map((page) => {
    let pageChanged = false;
    const items: OrderListItem[] = [];
    for (const row of page.items) {
      const change = latest.get(row.id);
      if (!change) {
        items.push(row);
        continue;
      }
      latest.delete(row.id);
      if (change.type === "order.deleted" || !orderMatchesFilters(change.order, filters, viewer)) {
        pageChanged = true;
        continue;
      }
      if (change.order.version > row.version && movesUnder(filters.sort, row, change.order)) {
        // Taken out here, put back in its new place below.
        moved.push(change.order);
        pageChanged = true;
        continue;
      }
      if (change.order.version > row.version) {
        items.push(change.order);
        pageChanged = true;
      } else {
        items.push(row);
      }
    }
    if (!pageChanged) return page;
    changed = true;
    return { ...page, items };
  });

  let next: OrderListData = changed ? { ...data, pages } : data;
  // What is left was not in the list: insert the ones that belong to it (and the moved ones) in
  // the list's order.
  const inserts = [...latest.values()]
    .filter((c) => !filters.overdue && c.type !== "order.deleted" && orderMatchesFilters(c.order, filters, viewer))
    .map((c) => c.order)
    .concat(moved)
    .sort((a, b) => compareForSort(filters.sort, a, b));
  for (const order of inserts) next = insertSorted(next, order, filters.sort);
  return next;
}
