import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_FILTERS } from "../filters";
import { orderKeys } from "../keys";
import { ids, listData, makeDetail, makeOrder, viewerFor } from "../test/fixtures";
import type { OrderDetail, OrderStats } from "../types";
import { applySnapshot, attachLedger, patchOrderOptimistically, restoreFromLedger } from "./apply-to-cache";
import type { OrderListData } from "./cache-reducer";
import { OrderLedger } from "./ledger";

const ME = "11111111-1111-4111-8111-111111111111";
const asMe = viewerFor(ME);
let client: QueryClient;

function setup() {
  client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const ledger = new OrderLedger();
  return { client, ledger };
}

afterEach(() => client?.clear());

describe("applySnapshot", () => {
  it("writes one event into every matching list and the stats, and ignores its duplicate", () => {
    const { client, ledger } = setup();
    const existing = makeOrder({ number: "E", created_at: "2026-11-26T09:00:00.000Z" });
    client.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [existing] }));
    client.setQueryData(orderKeys.list({ statuses: ["CONFIRMED"] }), listData({ items: [] }));
    client.setQueryData<OrderStats>(orderKeys.statsFor(DEFAULT_FILTERS), { counts: { PENDING: 1 }, total: 1, created_last_hour: 1, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 } });

    const created = makeOrder({ number: "N", created_at: "2026-11-26T11:00:00.000Z" });
    expect(applySnapshot(client, ledger, { type: "order.created", order: created }, asMe)).toBe(true);
    expect(applySnapshot(client, ledger, { type: "order.created", order: created }, asMe)).toBe(false);

    expect(ids(client.getQueryData(orderKeys.list(DEFAULT_FILTERS)))).toEqual(["N", "E"]);
    expect(ids(client.getQueryData(orderKeys.list({ statuses: ["CONFIRMED"] })))).toEqual([]);
    expect(client.getQueryData(orderKeys.statsFor(DEFAULT_FILTERS))).toEqual({ counts: { PENDING: 2 }, total: 2, created_last_hour: 2, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 } });
  });

  it("never applies an older version over a newer one, whatever the arrival order", () => {
    const { client, ledger } = setup();
    const v1 = makeOrder({ version: 1 });
    client.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [v1] }));
    const v3 = { ...v1, version: 3, status: "PROCESSING" as const };
    const v2 = { ...v1, version: 2, status: "CONFIRMED" as const };
    applySnapshot(client, ledger, { type: "order.updated", order: v3 }, asMe);
    expect(applySnapshot(client, ledger, { type: "order.updated", order: v2 }, asMe)).toBe(false);
    const row = client.getQueryData<OrderListData>(orderKeys.list(DEFAULT_FILTERS))?.pages[0]?.items[0];
    expect(row?.status).toBe("PROCESSING");
  });

  it("an order taken away from an agent (order.left) leaves its lists and its open detail is read again, not rewritten", () => {
    const { client, ledger } = setup();
    const asAgent = viewerFor(ME, true);
    const order = makeOrder({ version: 2, assignee_id: ME });
    client.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [order] }));
    const detail = makeDetail(order);
    client.setQueryData(orderKeys.detail(order.id), detail);
    ledger.observe([order]);
    const left = { ...order, assignee_id: null, version: 3 };
    expect(applySnapshot(client, ledger, { type: "order.left", order: left }, asAgent)).toBe(true);
    expect(ids(client.getQueryData(orderKeys.list(DEFAULT_FILTERS)))).toEqual([]);
    // Not "Unassigned": the agent does not know who has it now; the refetch answers (404).
    expect(client.getQueryData(orderKeys.detail(order.id))).toBe(detail);
    expect(client.getQueryState(orderKeys.detail(order.id))?.isInvalidated).toBe(true);
  });

  it("does not resurrect a deleted order from a late update", () => {
    const { client, ledger } = setup();
    const order = makeOrder({ version: 2 });
    client.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [order] }));
    applySnapshot(client, ledger, { type: "order.deleted", order }, asMe);
    applySnapshot(client, ledger, { type: "order.updated", order: { ...order, version: 3 } }, asMe);
    expect(ids(client.getQueryData(orderKeys.list(DEFAULT_FILTERS)))).toEqual([]);
  });

  it("marks stats stale when an unknown order's update cannot be counted", async () => {
    const { client, ledger } = setup();
    client.setQueryData<OrderStats>(orderKeys.statsFor(DEFAULT_FILTERS), { counts: {}, total: 0, created_last_hour: 0, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 } });
    applySnapshot(client, ledger, { type: "order.updated", order: makeOrder({ version: 5 }) }, asMe);
    expect(client.getQueryState(orderKeys.statsFor(DEFAULT_FILTERS))?.isInvalidated).toBe(true);
  });

  it("merges into a cached detail and marks it for a history refresh", () => {
    const { client, ledger } = setup();
    const order = makeOrder({ version: 1 });
    const detail: OrderDetail = makeDetail(order);
    client.setQueryData(orderKeys.detail(order.id), detail);
    applySnapshot(client, ledger, { type: "order.updated", order: { ...order, version: 2, status: "CONFIRMED" } }, asMe);
    expect(client.getQueryData<OrderDetail>(orderKeys.detail(order.id))?.status).toBe("CONFIRMED");
    expect(client.getQueryState(orderKeys.detail(order.id))?.isInvalidated).toBe(true);
  });
});

describe("optimistic patches", () => {
  it("roll back to the server snapshot, not to a stale copy", () => {
    const { client, ledger } = setup();
    const order = makeOrder({ version: 1 });
    ledger.record(order);
    client.setQueryData(orderKeys.list(DEFAULT_FILTERS), listData({ items: [order] }));
    patchOrderOptimistically(client, order.id, (o) => ({ ...o, assignee_id: ME }));
    const patched = client.getQueryData<OrderListData>(orderKeys.list(DEFAULT_FILTERS))?.pages[0]?.items[0];
    expect(patched?.assignee_id).toBe(ME);

    // Meanwhile someone else changed the order (event v2); then our request fails.
    applySnapshot(client, ledger, { type: "order.updated", order: { ...order, version: 2, priority: "high" } }, asMe);
    restoreFromLedger(client, ledger, order.id, asMe);
    const row = client.getQueryData<OrderListData>(orderKeys.list(DEFAULT_FILTERS))?.pages[0]?.items[0];
    expect(row?.assignee_id).toBeNull();
    expect(row?.priority).toBe("high");
    expect(row?.version).toBe(2);
  });
});

describe("attachLedger", () => {
  it("repairs a fetched page that raced with a newer event", async () => {
    const { client, ledger } = setup();
    const stop = attachLedger(client, ledger, () => asMe);
    const order = makeOrder({ version: 1 });
    // The event (v2) arrives while the list request is in flight with the v1 row.
    applySnapshot(client, ledger, { type: "order.updated", order: { ...order, version: 2, status: "CONFIRMED" } }, asMe);
    await client.fetchInfiniteQuery({
      queryKey: orderKeys.list(DEFAULT_FILTERS),
      queryFn: async () => ({ items: [order], next_cursor: null }),
      initialPageParam: null as string | null,
    });
    const row = client.getQueryData<OrderListData>(orderKeys.list(DEFAULT_FILTERS))?.pages[0]?.items[0];
    expect(row?.version).toBe(2);
    expect(row?.status).toBe("CONFIRMED");
    stop();
  });

  it("feeds fetched rows into the ledger so later stale events are dropped", async () => {
    const { client, ledger } = setup();
    const stop = attachLedger(client, ledger, () => asMe);
    const order = makeOrder({ version: 7 });
    await client.fetchInfiniteQuery({
      queryKey: orderKeys.list(DEFAULT_FILTERS),
      queryFn: async () => ({ items: [order], next_cursor: null }),
      initialPageParam: null as string | null,
    });
    expect(ledger.get(order.id)?.version).toBe(7);
    expect(applySnapshot(client, ledger, { type: "order.updated", order: { ...order, version: 6 } }, asMe)).toBe(false);
    stop();
  });
});
