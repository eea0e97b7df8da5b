/**
 * Board filters, sort included, and their URL form:
 * `?status=PENDING,CONFIRMED&assignee=me&q=somchai&sort=oldest&priority=high&created=today`
 * (or a custom range of days, `created_from=2026-12-01&created_to=2026-12-03`).
 */
import { currentOverdueAfter, dueKey } from "./overdue";
import { ORDER_STATUSES, type OrderStatus, type OrderListItem } from "./types";

/** `all` | `me` | `unassigned` | a user id. */
export type AssigneeFilter = "all" | "me" | "unassigned" | (string & {});

/**
 * The list's order: newest first, oldest first (FIFO), high priority first then the oldest, or
 * due first (the most overdue open orders first; see `dueKey`).
 */
export const ORDER_SORTS = ["newest", "oldest", "priority", "due"] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

/** Orders of one priority, or all. */
export const PRIORITY_FILTERS = ["all", "high", "normal"] as const;
export type PriorityFilter = (typeof PRIORITY_FILTERS)[number];

/** When the orders were created: any time, since midnight (local), the last 24 hours, or a range of days. */
export const CREATED_RANGES = ["any", "today", "24h", "custom"] as const;
export type CreatedRange = (typeof CREATED_RANGES)[number];

export interface OrderFilters {
  /** Empty means every status. Always in status-machine order, without duplicates. */
  statuses: OrderStatus[];
  assignee: AssigneeFilter;
  q: string;
  sort: OrderSort;
  /** Only overdue orders: PENDING or CONFIRMED for longer than their priority's threshold (the server decides). */
  overdue: boolean;
  priority: PriorityFilter;
  created: CreatedRange;
  /** Under `created: "custom"`: the first and last day (`YYYY-MM-DD`, local), either may be empty. */
  createdFrom: string;
  createdTo: string;
}

export const DEFAULT_FILTERS: OrderFilters = {
  statuses: [],
  assignee: "all",
  q: "",
  sort: "newest",
  overdue: false,
  priority: "all",
  created: "any",
  createdFrom: "",
  createdTo: "",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_QUERY_LENGTH = 200;

function isStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

export function normalizeStatuses(statuses: readonly string[]): OrderStatus[] {
  const wanted = new Set(statuses.map((s) => s.trim().toUpperCase()).filter(isStatus));
  return ORDER_STATUSES.filter((s) => wanted.has(s));
}

/** Filters as they may come from outside (URL, cache key): nothing checked yet. */
export type LooseFilters = Partial<Omit<OrderFilters, "statuses" | "sort" | "priority" | "created">> & {
  statuses?: readonly string[];
  sort?: string;
  priority?: string;
  created?: string;
};

/** A real calendar day as `YYYY-MM-DD`, or "". */
function day(text: string | undefined): string {
  const value = (text ?? "").trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return "";
  const [year, month, date] = value.split("-").map(Number) as [number, number, number];
  const parsed = new Date(year, month - 1, date);
  return parsed.getFullYear() === year && parsed.getMonth() === month - 1 && parsed.getDate() === date ? value : "";
}

export function normalizeFilters(filters: LooseFilters): OrderFilters {
  const assignee = (filters.assignee ?? "all").trim();
  const created = CREATED_RANGES.find((range) => range === filters.created) ?? "any";
  const createdFrom = created === "custom" ? day(filters.createdFrom) : "";
  const createdTo = created === "custom" ? day(filters.createdTo) : "";
  return {
    statuses: normalizeStatuses(filters.statuses ?? []),
    assignee:
      assignee === "me" || assignee === "unassigned" || UUID.test(assignee) ? assignee.toLowerCase() : "all",
    q: (filters.q ?? "").trim().slice(0, MAX_QUERY_LENGTH),
    sort: ORDER_SORTS.find((sort) => sort === filters.sort) ?? "newest",
    overdue: filters.overdue === true,
    priority: PRIORITY_FILTERS.find((priority) => priority === filters.priority) ?? "all",
    // A custom range without a day is no range.
    created: created === "custom" && !createdFrom && !createdTo ? "any" : created,
    createdFrom,
    createdTo,
  };
}

/** The start of a local day (`YYYY-MM-DD`), plus `days`. */
function startOfDay(date: string, days = 0): Date {
  const [year, month, dayOfMonth] = date.split("-").map(Number) as [number, number, number];
  return new Date(year, month - 1, dayOfMonth + days);
}

/**
 * The created-at range the filters select at `now`: from (inclusive) and to (exclusive), each
 * absent when open. Today starts at local midnight; a custom range ends after its last day.
 */
export function createdBounds(filters: OrderFilters, now: number): { from?: Date; to?: Date } {
  switch (filters.created) {
    case "any":
      return {};
    case "today": {
      const today = new Date(now);
      return { from: new Date(today.getFullYear(), today.getMonth(), today.getDate()) };
    }
    case "24h":
      return { from: new Date(now - 24 * 60 * 60 * 1000) };
    case "custom":
      return {
        from: filters.createdFrom ? startOfDay(filters.createdFrom) : undefined,
        to: filters.createdTo ? startOfDay(filters.createdTo, 1) : undefined,
      };
  }
}

interface ReadableParams {
  get(name: string): string | null;
}

/** Reads filters from URL search params; anything unknown or malformed falls back to the default. */
export function filtersFromSearchParams(params: ReadableParams): OrderFilters {
  const status = params.get("status");
  return normalizeFilters({
    statuses: status ? status.split(",") : [],
    assignee: params.get("assignee") ?? "all",
    q: params.get("q") ?? "",
    sort: params.get("sort") ?? "newest",
    overdue: params.get("overdue") === "true",
    priority: params.get("priority") ?? "all",
    created: params.get("created_from") || params.get("created_to") ? "custom" : (params.get("created") ?? "any"),
    createdFrom: params.get("created_from") ?? "",
    createdTo: params.get("created_to") ?? "",
  });
}

/**
 * Writes filters into search params, keeping unrelated params (e.g. `order` for the drawer)
 * and omitting defaults so the plain board URL stays `/orders`.
 */
export function filtersToSearchParams(filters: OrderFilters, base?: ReadableParams & { toString(): string }): URLSearchParams {
  const params = new URLSearchParams(base?.toString() ?? "");
  const normalized = normalizeFilters(filters);
  params.delete("status");
  params.delete("assignee");
  params.delete("q");
  params.delete("sort");
  for (const name of ["overdue", "priority", "created", "created_from", "created_to"]) params.delete(name);
  if (normalized.statuses.length > 0) params.set("status", normalized.statuses.join(","));
  if (normalized.assignee !== "all") params.set("assignee", normalized.assignee);
  if (normalized.q) params.set("q", normalized.q);
  if (normalized.sort !== "newest") params.set("sort", normalized.sort);
  if (normalized.overdue) params.set("overdue", "true");
  if (normalized.priority !== "all") params.set("priority", normalized.priority);
  if (normalized.created === "today" || normalized.created === "24h") params.set("created", normalized.created);
  if (normalized.createdFrom) params.set("created_from", normalized.createdFrom);
  if (normalized.createdTo) params.set("created_to", normalized.createdTo);
  return params;
}

/** Query parameters for `GET /orders` and `GET /orders/stats`; a range relative to now is resolved at `now`. */
export function filtersToApiQuery(filters: OrderFilters, now: number = Date.now()): Record<string, string | undefined> {
  const { from, to } = createdBounds(filters, now);
  return {
    status: filters.statuses.length > 0 ? filters.statuses.join(",") : undefined,
    assignee: filters.assignee === "all" ? undefined : filters.assignee,
    q: filters.q || undefined,
    sort: filters.sort === "newest" ? undefined : filters.sort,
    overdue: filters.overdue ? "true" : undefined,
    priority: filters.priority === "all" ? undefined : filters.priority,
    created_from: from?.toISOString(),
    created_to: to?.toISOString(),
  };
}

/** Stats counts per status ignore the status and overdue filters (the tabs show every count) and the sort. */
export function statsFilters(filters: OrderFilters): OrderFilters {
  return { ...filters, statuses: [], sort: "newest", overdue: false };
}

const PRIORITY_RANK: Record<OrderListItem["priority"], number> = { high: 0, normal: 1 };

/**
 * The server's order for `sort` (its keyset: `created_at`, then `id` breaking ties; by priority,
 * high first then the oldest; due first by `dueKey` under the server's thresholds): negative when
 * `a` comes before `b`.
 */
export function compareForSort(sort: OrderSort, a: OrderListItem, b: OrderListItem): number {
  if (sort === "priority" && a.priority !== b.priority) return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
  if (sort === "due") {
    const after = currentOverdueAfter();
    const [aRun, aDue] = dueKey(a, after);
    const [bRun, bDue] = dueKey(b, after);
    if (aRun !== bRun) return aRun - bRun;
    if (aDue !== bDue) return aDue - bDue;
    return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
  }
  const age = Date.parse(a.created_at) - Date.parse(b.created_at);
  const byAge = age !== 0 ? age : a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
  return sort === "newest" ? -byAge : byAge;
}

/**
 * Who is looking at the lists: `userId` resolves `assignee=me`; `assignedOnly` is true when the
 * user's read grant is `orders:read:assigned` (an agent), so any order not assigned to them is
 * outside every list they have, whatever the filters say.
 */
export interface OrderViewer {
  userId: string | null;
  assignedOnly: boolean;
}

export const ANONYMOUS_VIEWER: OrderViewer = { userId: null, assignedOnly: false };

/**
 * Client-side approximation of the server's filter, used to place live events into cached lists
 * (and to drop an order that left a list: another status, another assignee, out of an agent's scope).
 * `q` matches order number, customer name or email, case-insensitively; a created-at range
 * relative to now is taken at `now`.
 */
export function orderMatchesFilters(order: OrderListItem, filters: OrderFilters, viewer: OrderViewer, now: number = Date.now()): boolean {
  if (viewer.assignedOnly && (viewer.userId === null || order.assignee_id !== viewer.userId)) return false;
  if (filters.statuses.length > 0 && !filters.statuses.includes(order.status)) return false;
  if (filters.priority !== "all" && order.priority !== filters.priority) return false;
  if (filters.created !== "any") {
    const { from, to } = createdBounds(filters, now);
    const created = Date.parse(order.created_at);
    if ((from && created < from.getTime()) || (to && created >= to.getTime())) return false;
  }
  // Whether it is old enough is the server's call; a status past CONFIRMED is never overdue.
  if (filters.overdue && order.status !== "PENDING" && order.status !== "CONFIRMED") return false;
  switch (filters.assignee) {
    case "all":
      break;
    case "unassigned":
      if (order.assignee_id !== null) return false;
      break;
    case "me":
      if (!viewer.userId || order.assignee_id !== viewer.userId) return false;
      break;
    default:
      if (order.assignee_id !== filters.assignee) return false;
  }
  if (filters.q) {
    const needle = filters.q.toLocaleLowerCase();
    const haystack = [order.number, order.customer_name, order.customer_email];
    if (!haystack.some((field) => field.toLocaleLowerCase().includes(needle))) return false;
  }
  return true;
}
