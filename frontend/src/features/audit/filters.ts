import { isAuditAction, isOrderAuditAction, type AuditAction, type OrderAuditAction } from "./types";

/** Whose records the page lists: account actions, order actions, or both merged by time. */
export type AuditSource = "all" | "accounts" | "orders";

/**
 * What the audit page filters by: the records, an account, an action (of either kind), and days
 * (`YYYY-MM-DD`, inclusive).
 */
export interface AuditFilters {
  source: AuditSource;
  actor: string;
  action: AuditAction | OrderAuditAction | "";
  fromDay: string;
  toDay: string;
}

export const NO_FILTERS: AuditFilters = { source: "all", actor: "", action: "", fromDay: "", toDay: "" };

/** Which services to read: the chosen records, narrowed to the one that records the chosen action. */
export function sourcesRead(filters: AuditFilters): { accounts: boolean; orders: boolean } {
  return {
    accounts: filters.source !== "orders" && !isOrderAuditAction(filters.action),
    orders: filters.source !== "accounts" && !isAuditAction(filters.action),
  };
}

/** Local midnight of `day` plus `addDays`, as an instant; null when `day` is not a date. */
function localMidnight(day: string, addDays = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * The query `GET /audit` and `GET /orders/audit` take (the action is sent only to the service
 * that records it, see `sourcesRead`): the days are the viewer's own (from its first instant up to the
 * first instant of the day after `toDay`), and empty filters are left out.
 */
export function auditQuery(filters: AuditFilters): Record<string, string | undefined> {
  return {
    actor: filters.actor || undefined,
    action: filters.action || undefined,
    from: localMidnight(filters.fromDay) ?? undefined,
    to: localMidnight(filters.toDay, 1) ?? undefined,
  };
}

/** True when both days are set and the range is empty (the service would refuse it). */
export function isBackwards(filters: AuditFilters): boolean {
  return filters.fromDay !== "" && filters.toDay !== "" && filters.fromDay > filters.toDay;
}
