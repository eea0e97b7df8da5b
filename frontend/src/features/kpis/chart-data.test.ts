import { describe, expect, it } from "vitest";
import { makeOrder } from "@/features/orders/test/fixtures";
import { ageBars, assigneeBars, bandLabel, formatDuration, peak, perMinuteBars, statusBars, total } from "./chart-data";
import { rollWindow, withCreatedOrder } from "./live";
import type { OrderMetrics } from "./types";

const ANN = "0195b6a4-0000-7000-8000-00000000a001";
const BOB = "0195b6a4-0000-7000-8000-00000000b002";

/** Read at 10:59:30 UTC: the window is 10:00–10:59. */
function metrics(overrides: Partial<OrderMetrics> = {}): OrderMetrics {
  const counts = Array<number>(60).fill(0);
  counts[5] = 2;
  counts[59] = 1;
  return {
    generated_at: "2026-12-01T10:59:30Z",
    utc_offset: 420,
    today_start: "2026-11-30T17:00:00Z",
    orders_per_minute: { from: "2026-12-01T10:00:00Z", counts },
    by_status: { PENDING: 3, CONFIRMED: 1, PROCESSING: 0, SHIPPED: 2, DELIVERED: 5, CANCELLED: 1 },
    lead_times: {
      to_confirmed: { orders: 3, median_seconds: 1200, p90_seconds: 3120 },
      to_shipped: { orders: 0, median_seconds: null, p90_seconds: null },
    },
    ageing: [
      { from_minutes: 0, to_minutes: 15, orders: 2, overdue: 0 },
      { from_minutes: 15, to_minutes: 60, orders: 1, overdue: 1 },
      { from_minutes: 60, to_minutes: 240, orders: 0, overdue: 0 },
      { from_minutes: 240, to_minutes: 1440, orders: 0, overdue: 0 },
      { from_minutes: 1440, to_minutes: 4320, orders: 3, overdue: 2 },
      { from_minutes: 4320, to_minutes: null, orders: 0, overdue: 0 },
    ],
    overdue_after_minutes: { high: 15, normal: 60 },
    by_assignee: [
      { assignee_id: null, open_orders: 2 },
      { assignee_id: BOB, open_orders: 1 },
      { assignee_id: ANN, open_orders: 3 },
    ],
    ...overrides,
  };
}

const at = (iso: string) => Date.parse(iso);

describe("chart data", () => {
  it("one column per minute, oldest first, labelled with the local time", () => {
    const bars = perMinuteBars(metrics(), "en-GB");
    expect(bars).toHaveLength(60);
    expect(bars[0]).toEqual({ key: "2026-12-01T10:00:00.000Z", label: expect.stringMatching(/^\d\d:00$/), value: 0 });
    expect(bars[5]?.value).toBe(2);
    expect(bars[59]?.key).toBe("2026-12-01T10:59:00.000Z");
    expect(total(bars)).toBe(3);
    expect(peak(bars)?.key).toBe("2026-12-01T10:05:00.000Z");
    expect(peak(perMinuteBars(metrics({ orders_per_minute: { from: "2026-12-01T10:00:00Z", counts: Array(60).fill(0) } }), "en-GB"))).toBeNull();
  });

  it("statuses in the order of the status machine, zeros included", () => {
    const bars = statusBars(metrics({ by_status: { PENDING: 4 } as OrderMetrics["by_status"] }), (s) => s.toLowerCase());
    expect(bars.map((b) => [b.key, b.label, b.value])).toEqual([
      ["PENDING", "pending", 4],
      ["CONFIRMED", "confirmed", 0],
      ["PROCESSING", "processing", 0],
      ["SHIPPED", "shipped", 0],
      ["DELIVERED", "delivered", 0],
      ["CANCELLED", "cancelled", 0],
    ]);
  });

  it("age bands labelled by their bounds, red with the count where orders are overdue", () => {
    expect(ageBars(metrics(), (n) => `${n} overdue`).map((b) => [b.label, b.value, b.tone])).toEqual([
      ["< 15 min", 2, "normal"],
      ["15 min – 1 h · 1 overdue", 1, "alert"],
      ["1 h – 4 h", 0, "normal"],
      ["4 h – 1 d", 0, "normal"],
      ["1 d – 3 d · 2 overdue", 3, "alert"],
      ["≥ 3 d", 0, "normal"],
    ]);
    expect(bandLabel({ from_minutes: 90, to_minutes: 150, orders: 0, overdue: 0 })).toBe("90 min – 150 min");
  });

  it("the unassigned first, then the most loaded, names from the directory", () => {
    const names: Record<string, string> = { [ANN]: "Ann", [BOB]: "Bob" };
    const bars = assigneeBars(metrics(), (id) => names[id] ?? id, "Unassigned");
    expect(bars.map((b) => [b.label, b.value, b.tone ?? "normal"])).toEqual([
      ["Unassigned", 2, "warn"],
      ["Ann", 3, "normal"],
      ["Bob", 1, "normal"],
    ]);
    const agent = assigneeBars(metrics({ by_assignee: [{ assignee_id: ANN, open_orders: 2 }] }), (id) => names[id] ?? id, "Unassigned");
    expect(agent.map((b) => b.label)).toEqual(["Ann"]);
  });

  it("durations written as the board writes ages, a dash without a figure", () => {
    expect([45, 1200, 3120, 11_100, 106_200].map(formatDuration)).toEqual(["45s", "20m", "52m", "3h 05m", "1d 5h"]);
    expect(formatDuration(null)).toBe("—");
  });
});

describe("live metrics", () => {
  it("the window follows the clock: older minutes drop off, new ones start at zero", () => {
    const rolled = rollWindow(metrics(), at("2026-12-01T11:02:10Z"));
    expect(rolled.orders_per_minute.from).toBe("2026-12-01T10:03:00.000Z");
    expect(rolled.orders_per_minute.counts[2]).toBe(2);
    expect(rolled.orders_per_minute.counts[56]).toBe(1);
    expect(rolled.orders_per_minute.counts.slice(57)).toEqual([0, 0, 0]);
    expect(total(perMinuteBars(rollWindow(metrics(), at("2026-12-01T13:00:00Z")), "en-GB"))).toBe(0);
    const unchanged = metrics();
    expect(rollWindow(unchanged, at("2026-12-01T10:59:59Z"))).toBe(unchanged);
  });

  it("a new order counts in its minute, its status, the youngest band and its assignee", () => {
    const order = makeOrder({ created_at: "2026-12-01T11:00:20Z", status: "PENDING", assignee_id: null });
    const next = withCreatedOrder(metrics(), order, at("2026-12-01T11:00:21Z"));
    expect(next.orders_per_minute.from).toBe("2026-12-01T10:01:00.000Z");
    expect(next.orders_per_minute.counts[59]).toBe(1);
    expect(next.orders_per_minute.counts[58]).toBe(1);
    expect(next.by_status.PENDING).toBe(4);
    expect(next.ageing[0]?.orders).toBe(3);
    expect(next.by_assignee[0]).toEqual({ assignee_id: null, open_orders: 3 });

    const annNew = withCreatedOrder(metrics(), makeOrder({ created_at: "2026-12-01T10:59:40Z", assignee_id: ANN }), at("2026-12-01T10:59:41Z"));
    expect(annNew.orders_per_minute.counts[59]).toBe(2);
    expect(annNew.by_assignee.find((l) => l.assignee_id === ANN)?.open_orders).toBe(4);
    const someoneNew = withCreatedOrder(metrics({ by_assignee: [] }), makeOrder({ created_at: "2026-12-01T10:59:40Z", assignee_id: BOB }), at("2026-12-01T10:59:41Z"));
    expect(someoneNew.by_assignee).toEqual([{ assignee_id: BOB, open_orders: 1 }]);
  });

  it("an order the read already counted is not counted twice", () => {
    const seen = makeOrder({ created_at: "2026-12-01T10:59:29Z" });
    expect(withCreatedOrder(metrics(), seen, at("2026-12-01T10:59:35Z"))).toEqual(metrics());
  });
});
