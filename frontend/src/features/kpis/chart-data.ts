/**
 * From metrics to what the charts draw: one `Bar` per minute, status, age band or person, with
 * its label, and a sentence that says what the chart shows for those who cannot see it.
 */
import { ORDER_STATUSES, type OrderStatus } from "@/features/orders/types";
import { formatAge, type AgeLevel } from "@/lib/format";
import type { AgeBand, OrderMetrics } from "./types";

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Drawn amber or red: the unassigned orders (amber), age bands holding overdue orders (red). */
  tone?: AgeLevel;
}

/** One bar per minute of the window, oldest first, labelled with its local time (`16:05`). */
export function perMinuteBars(metrics: OrderMetrics, locale: string): Bar[] {
  const from = Date.parse(metrics.orders_per_minute.from);
  const clock = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return metrics.orders_per_minute.counts.map((value, i) => {
    const at = new Date(from + i * 60_000);
    return { key: at.toISOString(), label: clock.format(at), value };
  });
}

/** One bar per status, in the order of the status machine, zeros included. */
export function statusBars(metrics: OrderMetrics, label: (status: OrderStatus) => string): Bar[] {
  return ORDER_STATUSES.map((status) => ({ key: status, label: label(status), value: metrics.by_status[status] ?? 0 }));
}

/** `15 min`, `4 h`, `3 d`: a band bound in the largest whole unit. */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0 && minutes > 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0 && minutes > 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

export function bandLabel(band: AgeBand): string {
  if (band.to_minutes == null) return `≥ ${formatMinutes(band.from_minutes)}`;
  if (band.from_minutes === 0) return `< ${formatMinutes(band.to_minutes)}`;
  return `${formatMinutes(band.from_minutes)} – ${formatMinutes(band.to_minutes)}`;
}

/**
 * One bar per age band, youngest first; a band holding overdue orders (PENDING or CONFIRMED
 * longer than their priority's threshold) is red and says how many in its label.
 */
export function ageBars(metrics: OrderMetrics, overdueLabel: (count: number) => string): Bar[] {
  return metrics.ageing.map((band) => ({
    key: String(band.from_minutes),
    label: band.overdue > 0 ? `${bandLabel(band)} · ${overdueLabel(band.overdue)}` : bandLabel(band),
    value: band.orders,
    tone: band.overdue > 0 ? "alert" : "normal",
  }));
}

/** Open orders per person: the unassigned first (amber when any), then the most loaded, then by name. */
export function assigneeBars(metrics: OrderMetrics, nameOf: (id: string) => string, unassigned: string): Bar[] {
  const bars = metrics.by_assignee.map((load) =>
    load.assignee_id == null
      ? { key: "unassigned", label: unassigned, value: load.open_orders, tone: load.open_orders > 0 ? ("warn" as const) : ("normal" as const) }
      : { key: load.assignee_id, label: nameOf(load.assignee_id), value: load.open_orders },
  );
  return bars.sort(
    (a, b) =>
      Number(b.key === "unassigned") - Number(a.key === "unassigned") || b.value - a.value || a.label.localeCompare(b.label),
  );
}

export function total(bars: readonly Bar[]): number {
  return bars.reduce((sum, bar) => sum + bar.value, 0);
}

/** The largest bar (the first of equals), or null when every bar is zero. */
export function peak(bars: readonly Bar[]): Bar | null {
  return bars.reduce<Bar | null>((best, bar) => (bar.value > (best?.value ?? 0) ? bar : best), null);
}

/** A duration as the board writes ages (`45s`, `12m`, `3h 05m`, `2d 4h`); an em dash when there is no figure. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return "—";
  return formatAge(seconds * 1000);
}
