/**
 * Keeps the last metrics read moving until the next read makes them exact again: the per-minute
 * window follows the clock, and a new order from the event stream is counted at once (its minute,
 * its status, the youngest age band, its assignee). Other changes need the order's previous state,
 * which the stream does not carry: for those the page reads the metrics again (`use-live-metrics`).
 */
import type { OrderListItem, OrderStatus } from "@/features/orders/types";
import type { OrderMetrics } from "./types";

const MINUTE_MS = 60_000;
const FINISHED: readonly OrderStatus[] = ["DELIVERED", "CANCELLED"];

const startOfMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/** The metrics with the per-minute window ending at the minute of `now` (older minutes dropped, new ones zero). */
export function rollWindow(metrics: OrderMetrics, now: number): OrderMetrics {
  const { from, counts } = metrics.orders_per_minute;
  const fromMs = Date.parse(from);
  const nextFrom = startOfMinute(now) - (counts.length - 1) * MINUTE_MS;
  const shift = Math.round((nextFrom - fromMs) / MINUTE_MS);
  if (shift <= 0) return metrics;
  const rolled = [...counts.slice(Math.min(shift, counts.length)), ...Array<number>(Math.min(shift, counts.length)).fill(0)];
  return { ...metrics, orders_per_minute: { from: new Date(nextFrom).toISOString(), counts: rolled } };
}

/**
 * The metrics with a newly created order counted. An order the read already saw (created before
 * it was made) is not counted twice; the window first rolls to `now` so a new minute has its slot.
 */
export function withCreatedOrder(metrics: OrderMetrics, order: OrderListItem, now: number): OrderMetrics {
  const created = Date.parse(order.created_at);
  if (!(created > Date.parse(metrics.generated_at))) return metrics;
  const rolled = rollWindow(metrics, Math.max(now, created));
  const { from, counts } = rolled.orders_per_minute;
  const slot = Math.floor((created - Date.parse(from)) / MINUTE_MS);
  const perMinute = slot >= 0 && slot < counts.length ? counts.map((n, i) => (i === slot ? n + 1 : n)) : counts;
  const open = !FINISHED.includes(order.status);
  const ageMinutes = Math.max(0, (now - created) / MINUTE_MS);
  const bandOf = rolled.ageing.findIndex((band) => ageMinutes >= band.from_minutes && (band.to_minutes == null || ageMinutes < band.to_minutes));
  const holder = order.assignee_id ?? null;
  const held = rolled.by_assignee.some((load) => (load.assignee_id ?? null) === holder);
  return {
    ...rolled,
    orders_per_minute: { from, counts: perMinute },
    by_status: { ...rolled.by_status, [order.status]: (rolled.by_status[order.status] ?? 0) + 1 },
    ageing: open ? rolled.ageing.map((band, i) => (i === bandOf ? { ...band, orders: band.orders + 1 } : band)) : rolled.ageing,
    by_assignee: !open
      ? rolled.by_assignee
      : held
        ? rolled.by_assignee.map((load) => ((load.assignee_id ?? null) === holder ? { ...load, open_orders: load.open_orders + 1 } : load))
        : [...rolled.by_assignee, { assignee_id: holder, open_orders: 1 }],
  };
}
