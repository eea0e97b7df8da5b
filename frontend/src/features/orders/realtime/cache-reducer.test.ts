import { describe, expect, it } from "vitest";
import { DEFAULT_FILTERS, type OrderFilters } from "../filters";
import { rememberOverdueAfter } from "../overdue";
import { ids, listData, makeDetail, makeOrder, viewerFor } from "../test/fixtures";
import type { OrderDetail, OrderStats } from "../types";
import { applyBatchToList, applyToDetail, applyToList, applyToStats, compareNewestFirst, reconcileList } from "./cache-reducer";
import { OrderLedger } from "./ledger";

const ME = "11111111-1111-4111-8111-111111111111";
const asMe = viewerFor(ME);
const all: OrderFilters = DEFAULT_FILTERS;
const pendingOnly: OrderFilters = { ...DEFAULT_FILTERS, statuses: ["PENDING"] };

const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, "0")}:00.000Z`;

describe("compareNewestFirst", () => {
  it("orders by created_at descending, then id descending", () => {
    const a = makeOrder({ created_at: at(5), id: "a" });
    const b = makeOrder({ created_at: at(6), id: "b" });
    const c = makeOrder({ created_at: at(6), id: "c" });
    expect([a, b, c].sort(compareNewestFirst).map((o) => o.id)).toEqual(["c", "b", "a"]);
  });
});

describe("applyToList", () => {
  const older = makeOrder({ number: "OLD", created_at: at(1) });
  const middle = makeOrder({ number: "MID", created_at: at(2) });

  it("inserts a created order at the top (newest first)", () => {
    const data = listData({ items: [middle, older] });
    const created = makeOrder({ number: "NEW", created_at: at(3) });
    const next = applyToList(data, all, { type: "order.created", order: created }, asMe);
    expect(ids(next)).toEqual(["NEW", "MID", "OLD"]);
    expect(ids(data)).toEqual(["MID", "OLD"]); // immutably
  });

  it("inserts in sorted position across pages", () => {
    const data = listData({ items: [middle], next_cursor: "c1" }, { items: [older] });
    const between = makeOrder({ number: "BETWEEN", created_at: at(1), id: "zzzz" });
    const next = applyToList(data, all, { type: "order.updated", order: between }, asMe);
    expect(next.pages[1]?.items.map((o) => o.number)).toEqual(["BETWEEN", "OLD"]);
  });

  it("does not append an order older than the loaded window while more pages remain", () => {
    const data = listData({ items: [middle], next_cursor: "c1" });
    const ancient = makeOrder({ number: "ANCIENT", created_at: at(0) });
    expect(applyToList(data, all, { type: "order.updated", order: ancient }, asMe)).toBe(data);
    const complete = listData({ items: [middle] });
    expect(ids(applyToList(complete, all, { type: "order.updated", order: ancient }, asMe))).toEqual(["MID", "ANCIENT"]);
  });

  it("inserts into an empty list", () => {
    const data = listData({ items: [] });
    const created = makeOrder({ number: "FIRST" });
    expect(ids(applyToList(data, all, { type: "order.created", order: created }, asMe))).toEqual(["FIRST"]);
  });

  it("skips created orders that do not match the list's filters", () => {
    const data = listData({ items: [middle] });
    const confirmed = makeOrder({ status: "CONFIRMED", created_at: at(9) });
    expect(applyToList(data, pendingOnly, { type: "order.created", order: confirmed }, asMe)).toBe(data);
  });

  it("replaces a row in place only with a newer version", () => {
    const row = makeOrder({ number: "R", version: 3, created_at: at(4) });
    const data = listData({ items: [row, middle] });
    const newer = { ...row, version: 4, priority: "high" as const };
    const next = applyToList(data, all, { type: "order.updated", order: newer }, asMe);
    expect(next.pages[0]?.items[0]?.priority).toBe("high");
    const stale = { ...row, version: 2, priority: "high" as const };
    expect(applyToList(data, all, { type: "order.updated", order: stale }, asMe)).toBe(data);
    const same = { ...row, version: 3, priority: "high" as const };
    expect(applyToList(data, all, { type: "order.updated", order: same }, asMe)).toBe(data);
  });

  it("removes a row whose update moves it out of the filter", () => {
    const row = makeOrder({ number: "R", version: 1, created_at: at(4) });
    const data = listData({ items: [row, middle] });
    const confirmed = { ...row, version: 2, status: "CONFIRMED" as const };
    expect(ids(applyToList(data, pendingOnly, { type: "order.updated", order: confirmed }, asMe))).toEqual(["MID"]);
  });

  it("adds a row whose update moves it into the filter", () => {
    const data = listData({ items: [middle] });
    const nowMine = makeOrder({ number: "MINE", created_at: at(5), assignee_id: ME, version: 2 });
    const mine: OrderFilters = { ...DEFAULT_FILTERS, assignee: "me" };
    expect(ids(applyToList(listData({ items: [] }), mine, { type: "order.updated", order: nowMine }, asMe))).toEqual(["MINE"]);
    expect(applyToList(data, mine, { type: "order.updated", order: nowMine }, viewerFor(null)).pages[0]?.items).toHaveLength(1);
  });

  it("removes deleted orders and ignores deletions of unknown ones", () => {
    const data = listData({ items: [middle, older] });
    expect(ids(applyToList(data, all, { type: "order.deleted", order: middle }, asMe))).toEqual(["OLD"]);
    expect(applyToList(data, all, { type: "order.deleted", order: makeOrder() }, asMe)).toBe(data);
  });

  it("allows the same version when rolling back an optimistic patch", () => {
    const row = makeOrder({ version: 5 });
    const patched = { ...row, assignee_id: ME };
    const data = listData({ items: [patched] });
    const next = applyToList(data, all, { type: "order.updated", order: row }, asMe, { allowSameVersion: true });
    expect(next.pages[0]?.items[0]?.assignee_id).toBeNull();
  });
});

describe("reconcileList", () => {
  it("replaces rows the ledger knows newer versions of and drops deleted and out-of-filter ones", () => {
    const a = makeOrder({ number: "A", version: 1 });
    const b = makeOrder({ number: "B", version: 1 });
    const c = makeOrder({ number: "C", version: 1 });
    const d = makeOrder({ number: "D", version: 4 });
    const ledger = new OrderLedger();
    ledger.record({ ...a, version: 2, priority: "high" });
    ledger.record({ ...b, version: 2, status: "CONFIRMED" });
    ledger.record(c);
    ledger.record(c, true);
    ledger.record({ ...d, version: 3 });
    const fetched = listData({ items: [a, b, c, d] });
    const next = reconcileList(fetched, pendingOnly, ledger, asMe);
    expect(ids(next)).toEqual(["A", "D"]);
    expect(next.pages[0]?.items[0]?.priority).toBe("high");
    expect(next.pages[0]?.items[1]?.version).toBe(4);
  });

  it("returns the same reference when nothing is stale", () => {
    const a = makeOrder();
    const ledger = new OrderLedger();
    ledger.record(a);
    const data = listData({ items: [a] });
    expect(reconcileList(data, all, ledger, asMe)).toBe(data);
  });
});

describe("applyToDetail", () => {
  const base = makeOrder({ version: 2 });
  const detail: OrderDetail = makeDetail(base, {
    customer: { id: "c1", name: base.customer_name, email: base.customer_email, phone: "+66 2 000 0000" },
  });

  it("merges a newer snapshot and keeps detail-only fields", () => {
    const next = applyToDetail(detail, { type: "order.updated", order: { ...base, version: 3, status: "CONFIRMED" } });
    expect(next.status).toBe("CONFIRMED");
    expect(next.version).toBe(3);
    expect(next.customer.phone).toBe("+66 2 000 0000");
    expect(next.customer.name).toBe(base.customer_name);
    expect(next.history).toHaveLength(1);
    expect(next.shipping_address.city).toBe("Bangkok");
  });

  it("ignores older and equal versions", () => {
    expect(applyToDetail(detail, { type: "order.updated", order: { ...base, version: 1, status: "CANCELLED" } })).toBe(detail);
    expect(applyToDetail(detail, { type: "order.updated", order: { ...base, status: "CANCELLED" } })).toBe(detail);
  });
});

describe("applyToStats", () => {
  const stats: OrderStats = { counts: { PENDING: 5, CONFIRMED: 2 }, total: 7, created_last_hour: 7, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 } };

  it("counts a created order", () => {
    const next = applyToStats(stats, all, undefined, { type: "order.created", order: makeOrder() }, asMe);
    expect(next).toEqual({ counts: { PENDING: 6, CONFIRMED: 2 }, total: 8, created_last_hour: 8, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 } });
  });

  it("moves a count between statuses on a status change", () => {
    const prev = makeOrder({ version: 1 });
    const next = applyToStats(stats, all, prev, { type: "order.updated", order: { ...prev, version: 2, status: "CONFIRMED" } }, asMe);
    expect(next).toEqual({ counts: { PENDING: 4, CONFIRMED: 3 }, total: 7, created_last_hour: 7, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 } });
  });

  it("ignores the status filter (tabs show every status) but respects the assignee filter", () => {
    const prev = makeOrder({ version: 1 });
    const mine: OrderFilters = { ...DEFAULT_FILTERS, statuses: ["PENDING"], assignee: "me" };
    const assigned = { ...prev, version: 2, assignee_id: ME };
    expect(applyToStats(stats, mine, prev, { type: "order.updated", order: assigned }, asMe)).toEqual({
      counts: { PENDING: 6, CONFIRMED: 2 },
      total: 8,
      created_last_hour: 7, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 },
    });
    expect(applyToStats(stats, mine, undefined, { type: "order.created", order: makeOrder() }, asMe)).toBe(stats);
  });

  it("decrements on delete, using the event snapshot when the order was never seen", () => {
    const gone = makeOrder({ status: "CONFIRMED" });
    expect(applyToStats(stats, all, undefined, { type: "order.deleted", order: gone }, asMe)).toEqual({
      counts: { PENDING: 5, CONFIRMED: 1 },
      total: 6,
      created_last_hour: 7, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 },
    });
  });

  it("asks for a refetch when an update's previous state is unknown", () => {
    const order = makeOrder({ version: 4, status: "SHIPPED" });
    expect(applyToStats(stats, all, undefined, { type: "order.updated", order }, asMe)).toBe("invalidate");
  });

  it("never goes below zero and returns the same object when nothing changed", () => {
    const prev = makeOrder({ status: "SHIPPED", version: 1 });
    const next = applyToStats(stats, all, prev, { type: "order.updated", order: { ...prev, version: 2, status: "DELIVERED" } }, asMe);
    expect(next).toEqual({ counts: { PENDING: 5, CONFIRMED: 2, SHIPPED: 0, DELIVERED: 1 }, total: 8, created_last_hour: 7, overdue: 0, overdue_after_minutes: { high: 15, normal: 60 } });
    const same = applyToStats(stats, all, makeOrder({ version: 1 }), { type: "order.updated", order: makeOrder({ version: 2 }) }, asMe);
    expect(same).toBe(stats);
  });
});

describe("applyBatchToList", () => {
  /** Small deterministic PRNG so the scenario is random-looking but reproducible. */
  function lcg(seed: number) {
    let state = seed;
    return () => {
      state = (state * 1664525 + 1013904223) % 2 ** 32;
      return state / 2 ** 32;
    };
  }

  it("gives the same list as applying the changes one by one", () => {
    const statuses = ["PENDING", "CONFIRMED", "PROCESSING", "SHIPPED"] as const;
    for (let seed = 1; seed <= 40; seed++) {
      const random = lcg(seed);
      const pickStatus = () => statuses[Math.floor(random() * statuses.length)] ?? "PENDING";
      const base = Array.from({ length: 30 }, (_, i) =>
        makeOrder({ id: `id-${seed}-${String(i).padStart(3, "0")}`, created_at: at(i), version: 1 }),
      ).sort(compareNewestFirst);
      const known = new Map(base.map((o) => [o.id, o]));
      const complete = random() < 0.5;
      const data = complete ? listData({ items: base }) : listData({ items: base.slice(0, 20), next_cursor: "c1" });
      const changes: Array<{ type: "order.created" | "order.updated" | "order.deleted"; order: (typeof base)[number] }> = [];
      for (let n = 0; n < 25; n++) {
        const roll = random();
        if (roll < 0.2) {
          const order = makeOrder({ id: `new-${seed}-${n}`, created_at: at(Math.floor(random() * 59)), status: pickStatus() });
          known.set(order.id, order);
          changes.push({ type: "order.created", order });
        } else {
          const ids = [...known.keys()];
          const id = ids[Math.floor(random() * ids.length)] as string;
          const current = known.get(id);
          if (!current) continue;
          const next = { ...current, version: current.version + 1, status: pickStatus() };
          known.set(id, next);
          changes.push({ type: roll < 0.3 ? "order.deleted" : "order.updated", order: next });
          if (roll < 0.3) known.delete(id);
        }
      }
      const filters: OrderFilters = random() < 0.5 ? all : { ...DEFAULT_FILTERS, statuses: ["PENDING", "CONFIRMED"] };
      const sequential = changes.reduce((acc, change) => applyToList(acc, filters, change, asMe), data);
      const batched = applyBatchToList(data, filters, changes, asMe);
      expect(ids(batched), `seed ${seed}`).toEqual(ids(sequential));
      expect(batched.pages.flatMap((p) => p.items.map((o) => o.version))).toEqual(
        sequential.pages.flatMap((p) => p.items.map((o) => o.version)),
      );
    }
  });

  it("returns the same reference for an empty batch", () => {
    const data = listData({ items: [makeOrder()] });
    expect(applyBatchToList(data, all, [], asMe)).toBe(data);
  });
});

describe("the overdue list", () => {
  const overdue: OrderFilters = { ...DEFAULT_FILTERS, overdue: true };
  it("takes no new order from events (they become overdue by time) and drops one that moved on", () => {
    const late = makeOrder({ number: "LATE" });
    const data = listData({ items: [late] });
    expect(applyToList(data, overdue, { type: "order.created", order: makeOrder() }, asMe)).toBe(data);
    const shipped = { type: "order.updated" as const, order: { ...late, status: "PROCESSING" as const, version: 2 } };
    expect(ids(applyToList(data, overdue, shipped, asMe))).toEqual([]);
    const confirmed = { type: "order.updated" as const, order: { ...late, status: "CONFIRMED" as const, version: 2 } };
    expect(ids(applyToList(data, overdue, confirmed, asMe))).toEqual(["LATE"]);
  });
});

describe("live orders under every sort", () => {
  const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, "0")}:00.000Z`;
  const older = makeOrder({ number: "OLD", created_at: at(1) });
  const middle = makeOrder({ number: "MID", created_at: at(2), priority: "high" });
  const newer = makeOrder({ number: "NEW", created_at: at(3) });
  const arrived = makeOrder({ number: "ARRIVED", created_at: at(9) });
  const filters = (sort: OrderFilters["sort"]): OrderFilters => ({ ...DEFAULT_FILTERS, sort });
  const created = (order: typeof arrived) => ({ type: "order.created" as const, order });

  it("newest first: a new order goes on top", () => {
    const data = listData({ items: [newer, middle, older] });
    expect(ids(applyToList(data, filters("newest"), created(arrived), asMe))).toEqual(["ARRIVED", "NEW", "MID", "OLD"]);
  });

  it("oldest first: a new order goes at the end of the last page, and not at all while pages are left", () => {
    const all = listData({ items: [older, middle] }, { items: [newer] });
    expect(ids(applyToList(all, filters("oldest"), created(arrived), asMe))).toEqual(["OLD", "MID", "NEW", "ARRIVED"]);
    const more = listData({ items: [older, middle], next_cursor: "c" });
    expect(applyToList(more, filters("oldest"), created(arrived), asMe)).toBe(more);
    expect(ids(applyBatchToList(all, filters("oldest"), [created(arrived)], asMe))).toEqual(["OLD", "MID", "NEW", "ARRIVED"]);
  });

  it("by priority: a new high order goes after the other high ones, and a priority change moves its row", () => {
    const data = listData({ items: [middle, older, newer] });
    const urgent = { ...arrived, priority: "high" as const };
    expect(ids(applyToList(data, filters("priority"), created(urgent), asMe))).toEqual(["MID", "ARRIVED", "OLD", "NEW"]);
    const raised = { type: "order.updated" as const, order: { ...newer, priority: "high" as const, version: 2 } };
    expect(ids(applyToList(data, filters("priority"), raised, asMe))).toEqual(["MID", "NEW", "OLD"]);
    expect(ids(applyBatchToList(data, filters("priority"), [raised, created(urgent)], asMe))).toEqual(["MID", "NEW", "ARRIVED", "OLD"]);
  });

  it("due first: open orders by created_at plus their priority's threshold, the server's thresholds, the rest after them", () => {
    // Due at 10:17 (high, 15 min), 11:01 and 11:03 (normal, 60 min); shipped at 10:00 is not open.
    const shipped = makeOrder({ number: "SHIPPED", created_at: at(0), status: "SHIPPED" });
    const data = listData({ items: [middle, older, newer, shipped] });
    const urgent = makeOrder({ number: "URGENT", created_at: at(40), priority: "high" }); // due 10:55
    expect(ids(applyToList(data, filters("due"), created(urgent), asMe))).toEqual(["MID", "URGENT", "OLD", "NEW", "SHIPPED"]);
    // Past CONFIRMED: among the rest, by created_at.
    const moved = { type: "order.updated" as const, order: { ...newer, status: "PROCESSING" as const, version: 2 } };
    expect(ids(applyToList(data, filters("due"), moved, asMe))).toEqual(["MID", "OLD", "SHIPPED", "NEW"]);
    expect(ids(applyBatchToList(data, filters("due"), [moved, created(urgent)], asMe))).toEqual(["MID", "URGENT", "OLD", "SHIPPED", "NEW"]);
    // A priority change moves the row: OLD as high is due 10:16.
    const raised = { type: "order.updated" as const, order: { ...older, priority: "high" as const, version: 2 } };
    expect(ids(applyToList(data, filters("due"), raised, asMe))).toEqual(["OLD", "MID", "NEW", "SHIPPED"]);
    // With the thresholds the server reports (high 60 min), URGENT is due 11:40: after NEW (11:03).
    rememberOverdueAfter({ high: 60, normal: 60 });
    try {
      expect(ids(applyToList(data, filters("due"), created(urgent), asMe))).toEqual(["MID", "OLD", "NEW", "URGENT", "SHIPPED"]);
    } finally {
      rememberOverdueAfter({ high: 15, normal: 60 });
    }
  });
});
