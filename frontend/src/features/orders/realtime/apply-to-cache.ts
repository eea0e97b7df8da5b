/**
 * Writes order snapshots (socket events, mutation responses, conflict bodies) into every cached
 * list, stats and detail query, through the ledger so an older snapshot never replaces a newer one.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { OrderViewer } from "../filters";
import { filtersFromKey, orderKeys } from "../keys";
import type { OrderDetail, OrderListItem, OrderStats } from "../types";
import {
  applyBatchToList,
  applyToDetail,
  applyToList,
  applyToStats,
  detailToListItem,
  reconcileList,
  type OrderListData,
  type SnapshotChange,
} from "./cache-reducer";
import type { OrderLedger } from "./ledger";

/**
 * Applies a batch of changes everywhere, each through the ledger (stale ones are dropped), with
 * one write per cached list. Returns the changes that were accepted, in order.
 */
export function applySnapshots(
  queryClient: QueryClient,
  ledger: OrderLedger,
  changes: readonly SnapshotChange[],
  viewer: OrderViewer,
): SnapshotChange[] {
  const accepted: Array<{ change: SnapshotChange; previous: OrderListItem | undefined }> = [];
  for (const change of changes) {
    const previous = ledger.get(change.order.id);
    if (ledger.record(change.order, change.type === "order.deleted")) accepted.push({ change, previous });
  }
  if (accepted.length === 0) return [];
  const acceptedChanges = accepted.map((a) => a.change);

  for (const [key, data] of queryClient.getQueriesData<OrderListData>({ queryKey: orderKeys.lists() })) {
    const filters = filtersFromKey(key);
    if (!data || !filters) continue;
    const next = applyBatchToList(data, filters, acceptedChanges, viewer);
    if (next !== data) queryClient.setQueryData(key, next);
  }

  for (const [key, stats] of queryClient.getQueriesData<OrderStats>({ queryKey: orderKeys.stats() })) {
    const filters = filtersFromKey(key);
    if (!stats || !filters) continue;
    let next: OrderStats | "invalidate" = stats;
    for (const { change, previous } of accepted) {
      next = applyToStats(next, filters, previous, change, viewer);
      if (next === "invalidate") break;
    }
    if (next === "invalidate") {
      void queryClient.invalidateQueries({ queryKey: key, exact: true }, { cancelRefetch: false });
    } else if (next !== stats) {
      queryClient.setQueryData(key, next);
    }
  }

  const touched = new Map<string, SnapshotChange>();
  for (const change of acceptedChanges) touched.set(change.order.id, change);
  for (const [id, change] of touched) {
    const detailKey = orderKeys.detail(id);
    const detail = queryClient.getQueryData<OrderDetail>(detailKey);
    if (!detail) continue;
    // Deleted, or taken away from this viewer: nothing to merge, the refetch answers (404).
    if (change.type !== "order.deleted" && change.type !== "order.left") {
      const next = applyToDetail(detail, change);
      if (next !== detail) queryClient.setQueryData(detailKey, next);
    }
    // The history (timeline) is not in the snapshot: refresh it if the drawer shows this order.
    void queryClient.invalidateQueries({ queryKey: detailKey, exact: true }, { cancelRefetch: false });
  }
  return acceptedChanges;
}

/** Applies one change everywhere; returns false when it was stale (duplicate or reordered). */
export function applySnapshot(
  queryClient: QueryClient,
  ledger: OrderLedger,
  change: SnapshotChange,
  viewer: OrderViewer,
): boolean {
  return applySnapshots(queryClient, ledger, [change], viewer).length === 1;
}

/** Writes `transform(row)` into every cached copy of one order without touching its version. */
export function patchOrderOptimistically(
  queryClient: QueryClient,
  orderId: string,
  transform: <T extends Pick<OrderListItem, "assignee_id" | "status" | "priority">>(order: T) => T,
): void {
  queryClient.setQueriesData<OrderListData>({ queryKey: orderKeys.lists() }, (data) => {
    if (!data) return data;
    let changed = false;
    const pages = data.pages.map((page) => {
      const index = page.items.findIndex((row) => row.id === orderId);
      const row = index >= 0 ? page.items[index] : undefined;
      if (!row) return page;
      changed = true;
      const items = page.items.slice();
      items[index] = transform(row);
      return { ...page, items };
    });
    return changed ? { ...data, pages } : data;
  });
  queryClient.setQueryData<OrderDetail>(orderKeys.detail(orderId), (detail) =>
    detail ? transform(detail) : detail,
  );
}

/** Undoes optimistic patches: every cached copy goes back to the ledger's (server) snapshot. */
export function restoreFromLedger(
  queryClient: QueryClient,
  ledger: OrderLedger,
  orderId: string,
  viewer: OrderViewer,
): void {
  const known = ledger.get(orderId);
  if (!known) {
    void queryClient.invalidateQueries({ queryKey: orderKeys.all });
    return;
  }
  const change: SnapshotChange = { type: "order.updated", order: known };
  for (const [key, data] of queryClient.getQueriesData<OrderListData>({ queryKey: orderKeys.lists() })) {
    const filters = filtersFromKey(key);
    if (!data || !filters) continue;
    const next = applyToList(data, filters, change, viewer, { allowSameVersion: true });
    if (next !== data) queryClient.setQueryData(key, next);
  }
  const detailKey = orderKeys.detail(orderId);
  const detail = queryClient.getQueryData<OrderDetail>(detailKey);
  if (detail) queryClient.setQueryData(detailKey, applyToDetail(detail, change, { allowSameVersion: true }));
}

/**
 * Keeps the ledger fed from fetched data and repairs fetches that raced with newer events.
 * Returns the unsubscribe function.
 */
export function attachLedger(
  queryClient: QueryClient,
  ledger: OrderLedger,
  viewer: () => OrderViewer,
): () => void {
  return queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== "updated" || event.action.type !== "success" || event.action.manual) return;
    const { queryKey } = event.query;
    if (queryKey[0] !== "orders") return;

    if (queryKey[1] === "list") {
      const data = event.query.state.data as OrderListData | undefined;
      const filters = filtersFromKey(queryKey);
      if (!data || !filters) return;
      for (const page of data.pages) ledger.observe(page.items);
      const next = reconcileList(data, filters, ledger, viewer());
      if (next !== data) queryClient.setQueryData(queryKey, next);
    } else if (queryKey[1] === "detail") {
      const detail = event.query.state.data as OrderDetail | undefined;
      if (!detail) return;
      ledger.record(detailToListItem(detail));
      const known = ledger.get(detail.id);
      if (known && known.version > detail.version) {
        queryClient.setQueryData(queryKey, applyToDetail(detail, { type: "order.updated", order: known }));
      }
    }
  });
}
