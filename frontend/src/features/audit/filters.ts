import type { AuditAction } from "./types";

/** What the audit page filters by: an account, an action, and days (`YYYY-MM-DD`, inclusive). */
export interface AuditFilters {
  actor: string;
  action: AuditAction | "";
  fromDay: string;
  toDay: string;
}

export const NO_FILTERS: AuditFilters = { actor: "", action: "", fromDay: "", toDay: "" };

/** Local midnight of `day` plus `addDays`, as an instant; null when `day` is not a date. */
function localMidnight(day: string, addDays = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * The query `GET /audit` takes: the days are the viewer's own (from its first instant up to the
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
