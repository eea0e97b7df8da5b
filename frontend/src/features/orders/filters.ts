/** Board filters, sort included, and their URL form: `?status=PENDING,CONFIRMED&assignee=me&q=somchai&sort=oldest`. */
import { ORDER_STATUSES, type OrderStatus, type OrderListItem } from "./types";

/** `all` | `me` | `unassigned` | a user id. */
export type AssigneeFilter = "all" | "me" | "unassigned" | (string & {});

/** The list's order: newest first, oldest first (FIFO), or high priority first then the oldest. */
export const ORDER_SORTS = ["newest", "oldest", "priority"] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

export interface OrderFilters {
  /** Empty means every status. Always in status-machine order, without duplicates. */
  statuses: OrderStatus[];
  assignee: AssigneeFilter;
  q: string;
  sort: OrderSort;
  /** Only overdue orders: PENDING or CONFIRMED for longer than their priority's threshold (the server decides). */
  overdue: boolean;
}

export const DEFAULT_FILTERS: OrderFilters = { statuses: [], assignee: "all", q: "", sort: "newest", overdue: false };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_QUERY_LENGTH = 200;

function isStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

export function normalizeStatuses(statuses: readonly string[]): OrderStatus[] {
  const wanted = new Set(statuses.map((s) => s.trim().toUpperCase()).filter(isStatus));
  return ORDER_STATUSES.filter((s) => wanted.has(s));
}

/** Filters as they may come from outside (URL, cache key): statuses not yet checked. */
export type LooseFilters = Partial<Omit<OrderFilters, "statuses" | "sort">> & { statuses?: readonly string[]; sort?: string };

export function normalizeFilters(filters: LooseFilters): OrderFilters {
  const assignee = (filters.assignee ?? "all").trim();
  return {
    statuses: normalizeStatuses(filters.statuses ?? []),
    assignee:
      assignee === "me" || assignee === "unassigned" || UUID.test(assignee) ? assignee.toLowerCase() : "all",
    q: (filters.q ?? "").trim().slice(0, MAX_QUERY_LENGTH),
    sort: ORDER_SORTS.find((sort) => sort === filters.sort) ?? "newest",
    overdue: filters.overdue === true,
  };
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
  params.delete("overdue");
  if (normalized.statuses.length > 0) params.set("status", normalized.statuses.join(","));
  if (normalized.assignee !== "all") params.set("assignee", normalized.assignee);
  if (normalized.q) params.set("q", normalized.q);
  if (normalized.sort !== "newest") params.set("sort", normalized.sort);
  if (normalized.overdue) params.set("overdue", "true");
  return params;
}

/** Query parameters for `GET /orders` and `GET /orders/stats`. */
export function filtersToApiQuery(filters: OrderFilters): Record<string, string | undefined> {
  return {
    status: filters.statuses.length > 0 ? filters.statuses.join(",") : undefined,
    assignee: filters.assignee === "all" ? undefined : filters.assignee,
    q: filters.q || undefined,
    sort: filters.sort === "newest" ? undefined : filters.sort,
    overdue: filters.overdue ? "true" : undefined,
  };
}

/** Stats counts per status ignore the status and overdue filters (the tabs show every count) and the sort. */
export function statsFilters(filters: OrderFilters): OrderFilters {
  return { ...filters, statuses: [], sort: "newest", overdue: false };
}

const PRIORITY_RANK: Record<OrderListItem["priority"], number> = { high: 0, normal: 1 };

/**
 * The server's order for `sort` (its keyset: `created_at`, then `id` breaking ties; by priority,
 * high first then the oldest): negative when `a` comes before `b`.
 */
export function compareForSort(sort: OrderSort, a: OrderListItem, b: OrderListItem): number {
  if (sort === "priority" && a.priority !== b.priority) return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
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
 * `q` matches order number, customer name or email, case-insensitively.
 */
export function orderMatchesFilters(order: OrderListItem, filters: OrderFilters, viewer: OrderViewer): boolean {
  if (viewer.assignedOnly && (viewer.userId === null || order.assignee_id !== viewer.userId)) return false;
  if (filters.statuses.length > 0 && !filters.statuses.includes(order.status)) return false;
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
