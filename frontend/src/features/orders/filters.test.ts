import { describe, expect, it } from "vitest";
import {
  DEFAULT_FILTERS,
  filtersFromSearchParams,
  filtersToApiQuery,
  filtersToSearchParams,
  normalizeFilters,
  orderMatchesFilters,
} from "./filters";
import { orderKeys, filtersFromKey } from "./keys";
import { makeOrder, viewerFor } from "./test/fixtures";

const UUID = "2b7e1516-28ae-4d2a-8f15-1a2b3c4d5e6f";

describe("filters ↔ URL", () => {
  it("reads status, assignee and q from the URL", () => {
    const filters = filtersFromSearchParams(new URLSearchParams("status=CONFIRMED,PENDING&assignee=me&q=%20somchai%20"));
    expect(filters).toEqual({ ...DEFAULT_FILTERS, statuses: ["PENDING", "CONFIRMED"], assignee: "me", q: "somchai" });
  });

  it("falls back to defaults for unknown or malformed values", () => {
    expect(
      filtersFromSearchParams(new URLSearchParams("status=LOST,,pending&assignee=<script>&sort=random&priority=urgent&created=week")),
    ).toEqual({ ...DEFAULT_FILTERS, statuses: ["PENDING"] });
    // Days that are not days: no range at all.
    expect(filtersFromSearchParams(new URLSearchParams("created_from=2026-02-30&created_to=yesterday"))).toEqual(DEFAULT_FILTERS);
    expect(filtersFromSearchParams(new URLSearchParams(""))).toEqual(DEFAULT_FILTERS);
  });

  it("accepts a user id as assignee", () => {
    expect(filtersFromSearchParams(new URLSearchParams(`assignee=${UUID.toUpperCase()}`)).assignee).toBe(UUID);
  });

  it("writes a canonical URL and omits defaults", () => {
    expect(filtersToSearchParams(DEFAULT_FILTERS).toString()).toBe("");
    const params = filtersToSearchParams({
      ...DEFAULT_FILTERS,
      statuses: ["SHIPPED", "PENDING", "SHIPPED"],
      assignee: "unassigned",
      q: "ORD-1",
      sort: "oldest",
      overdue: true,
      priority: "high",
      created: "today",
    });
    expect(params.toString()).toBe("status=PENDING%2CSHIPPED&assignee=unassigned&q=ORD-1&sort=oldest&overdue=true&priority=high&created=today");
    const days = filtersToSearchParams({ ...DEFAULT_FILTERS, created: "custom", createdFrom: "2026-12-01", createdTo: "2026-12-03" });
    expect(days.toString()).toBe("created_from=2026-12-01&created_to=2026-12-03");
    // Days belong to a custom range only.
    expect(filtersToSearchParams({ ...DEFAULT_FILTERS, created: "24h", createdFrom: "2026-12-01" }).toString()).toBe("created=24h");
  });

  it("keeps unrelated params such as the open order", () => {
    const params = filtersToSearchParams({ ...DEFAULT_FILTERS, q: "x" }, new URLSearchParams("order=abc&status=PENDING"));
    expect(params.get("order")).toBe("abc");
    expect(params.get("status")).toBeNull();
    expect(params.get("q")).toBe("x");
  });

  it("round-trips", () => {
    const filters = { ...DEFAULT_FILTERS, statuses: ["PROCESSING" as const], assignee: UUID, q: "น้ำ", sort: "priority" as const };
    expect(filtersFromSearchParams(filtersToSearchParams(filters))).toEqual(filters);
    for (const range of [
      { sort: "due" as const, priority: "normal" as const, created: "24h" as const },
      { created: "custom" as const, createdFrom: "", createdTo: "2026-12-03" },
    ]) {
      expect(filtersFromSearchParams(filtersToSearchParams({ ...DEFAULT_FILTERS, ...range }))).toEqual({ ...DEFAULT_FILTERS, ...range });
    }
  });

  it("limits the search length", () => {
    expect(normalizeFilters({ q: "x".repeat(500) }).q).toHaveLength(200);
  });
});

describe("filtersToApiQuery", () => {
  it("maps to the gateway's query parameters", () => {
    const now = new Date(2026, 11, 1, 15, 30).getTime();
    expect(
      filtersToApiQuery({ ...DEFAULT_FILTERS, statuses: ["PENDING", "CONFIRMED"], assignee: "me", q: "a", sort: "due", overdue: true, priority: "high" }, now),
    ).toEqual({
      status: "PENDING,CONFIRMED",
      assignee: "me",
      q: "a",
      sort: "due",
      overdue: "true",
      priority: "high",
      created_from: undefined,
      created_to: undefined,
    });
    expect(filtersToApiQuery(DEFAULT_FILTERS, now)).toEqual({
      status: undefined,
      assignee: undefined,
      q: undefined,
      sort: undefined,
      overdue: undefined,
      priority: undefined,
      created_from: undefined,
      created_to: undefined,
    });
  });

  it("resolves the created-at range: today from local midnight, the last 24 hours, whole local days", () => {
    const now = new Date(2026, 11, 1, 15, 30).getTime();
    const query = (created: Partial<typeof DEFAULT_FILTERS>) => filtersToApiQuery({ ...DEFAULT_FILTERS, ...created }, now);
    expect(query({ created: "today" })).toMatchObject({ created_from: new Date(2026, 11, 1).toISOString(), created_to: undefined });
    expect(query({ created: "24h" })).toMatchObject({ created_from: new Date(2026, 10, 30, 15, 30).toISOString(), created_to: undefined });
    expect(query({ created: "custom", createdFrom: "2026-11-28", createdTo: "2026-11-30" })).toMatchObject({
      created_from: new Date(2026, 10, 28).toISOString(),
      created_to: new Date(2026, 11, 1).toISOString(),
    });
    expect(query({ created: "custom", createdFrom: "", createdTo: "2026-11-30" })).toMatchObject({
      created_from: undefined,
      created_to: new Date(2026, 11, 1).toISOString(),
    });
  });
});

describe("orderMatchesFilters", () => {
  const me = "11111111-1111-4111-8111-111111111111";
  const order = makeOrder({
    number: "ORD-7788",
    customer_name: "Somchai Jaidee",
    customer_email: "somchai@example.co.th",
    assignee_id: me,
  });
  const asMe = viewerFor(me);

  it("matches statuses, assignee and search", () => {
    expect(orderMatchesFilters(order, DEFAULT_FILTERS, asMe)).toBe(true);
    expect(orderMatchesFilters(order, { ...DEFAULT_FILTERS, statuses: ["CONFIRMED"] }, asMe)).toBe(false);
    expect(orderMatchesFilters(order, { ...DEFAULT_FILTERS, assignee: "me" }, asMe)).toBe(true);
    expect(orderMatchesFilters(order, { ...DEFAULT_FILTERS, assignee: "me" }, viewerFor(null))).toBe(false);
    expect(orderMatchesFilters(order, { ...DEFAULT_FILTERS, assignee: "unassigned" }, asMe)).toBe(false);
    expect(orderMatchesFilters(order, { ...DEFAULT_FILTERS, assignee: UUID }, asMe)).toBe(false);
    expect(orderMatchesFilters(order, { ...DEFAULT_FILTERS, q: "jaidee" }, asMe)).toBe(true);
    expect(orderMatchesFilters(order, { ...DEFAULT_FILTERS, q: "ord-77" }, asMe)).toBe(true);
    expect(orderMatchesFilters(order, { ...DEFAULT_FILTERS, q: "co.th" }, asMe)).toBe(true);
    expect(orderMatchesFilters(order, { ...DEFAULT_FILTERS, q: "nobody" }, asMe)).toBe(false);
  });

  it("matches the priority and the created-at range (a live order placed by both)", () => {
    const now = new Date(2026, 11, 1, 15, 30).getTime();
    const morning = makeOrder({ priority: "high", created_at: new Date(2026, 11, 1, 9).toISOString() });
    const yesterday = makeOrder({ created_at: new Date(2026, 10, 30, 20).toISOString() });
    const matches = (order: typeof morning, set: Partial<typeof DEFAULT_FILTERS>) => orderMatchesFilters(order, { ...DEFAULT_FILTERS, ...set }, asMe, now);
    expect(matches(morning, { priority: "high" })).toBe(true);
    expect(matches(yesterday, { priority: "high" })).toBe(false);
    expect(matches(yesterday, { priority: "normal" })).toBe(true);
    expect(matches(morning, { created: "today" })).toBe(true);
    expect(matches(yesterday, { created: "today" })).toBe(false);
    expect(matches(yesterday, { created: "24h" })).toBe(true);
    expect(matches(yesterday, { created: "custom", createdFrom: "2026-11-30", createdTo: "2026-11-30" })).toBe(true);
    expect(matches(morning, { created: "custom", createdFrom: "2026-11-30", createdTo: "2026-11-30" })).toBe(false);
    expect(matches(yesterday, { created: "custom", createdFrom: "2026-12-01", createdTo: "" })).toBe(false);
  });

  it("keeps an agent's lists to the orders assigned to them, whatever the filters", () => {
    const agent = viewerFor(me, true);
    expect(orderMatchesFilters(order, DEFAULT_FILTERS, agent)).toBe(true);
    const reassigned = { ...order, assignee_id: UUID };
    expect(orderMatchesFilters(reassigned, DEFAULT_FILTERS, agent)).toBe(false);
    expect(orderMatchesFilters({ ...order, assignee_id: null }, DEFAULT_FILTERS, agent)).toBe(false);
    expect(orderMatchesFilters(reassigned, DEFAULT_FILTERS, asMe)).toBe(true);
  });
});

describe("orderKeys", () => {
  it("builds hierarchical keys with normalized filters", () => {
    expect(orderKeys.all).toEqual(["orders"]);
    expect(orderKeys.list({ statuses: ["CONFIRMED", "PENDING"] })).toEqual([
      "orders",
      "list",
      { ...DEFAULT_FILTERS, statuses: ["PENDING", "CONFIRMED"] },
    ]);
    expect(orderKeys.detail("o1")).toEqual(["orders", "detail", "o1"]);
  });

  it("gives stats one key whatever the status tab", () => {
    expect(orderKeys.statsFor({ statuses: ["PENDING"], q: "a" })).toEqual(orderKeys.statsFor({ q: "a" }));
  });

  it("reads the filters back from a list or stats key", () => {
    expect(filtersFromKey(orderKeys.list({ assignee: "me" }))?.assignee).toBe("me");
    expect(filtersFromKey(orderKeys.detail("x"))).toBeNull();
  });
});
