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
    expect(filters).toEqual({ statuses: ["PENDING", "CONFIRMED"], assignee: "me", q: "somchai", sort: "newest", overdue: false });
  });

  it("falls back to defaults for unknown or malformed values", () => {
    expect(filtersFromSearchParams(new URLSearchParams("status=LOST,,pending&assignee=<script>&sort=random"))).toEqual({
      statuses: ["PENDING"],
      assignee: "all",
      q: "",
      sort: "newest",
      overdue: false,
    });
    expect(filtersFromSearchParams(new URLSearchParams(""))).toEqual(DEFAULT_FILTERS);
  });

  it("accepts a user id as assignee", () => {
    expect(filtersFromSearchParams(new URLSearchParams(`assignee=${UUID.toUpperCase()}`)).assignee).toBe(UUID);
  });

  it("writes a canonical URL and omits defaults", () => {
    expect(filtersToSearchParams(DEFAULT_FILTERS).toString()).toBe("");
    const params = filtersToSearchParams({ statuses: ["SHIPPED", "PENDING", "SHIPPED"], assignee: "unassigned", q: "ORD-1", sort: "oldest", overdue: true });
    expect(params.toString()).toBe("status=PENDING%2CSHIPPED&assignee=unassigned&q=ORD-1&sort=oldest&overdue=true");
  });

  it("keeps unrelated params such as the open order", () => {
    const params = filtersToSearchParams({ ...DEFAULT_FILTERS, q: "x" }, new URLSearchParams("order=abc&status=PENDING"));
    expect(params.get("order")).toBe("abc");
    expect(params.get("status")).toBeNull();
    expect(params.get("q")).toBe("x");
  });

  it("round-trips", () => {
    const filters = { statuses: ["PROCESSING" as const], assignee: UUID, q: "น้ำ", sort: "priority" as const, overdue: false };
    expect(filtersFromSearchParams(filtersToSearchParams(filters))).toEqual(filters);
  });

  it("limits the search length", () => {
    expect(normalizeFilters({ q: "x".repeat(500) }).q).toHaveLength(200);
  });
});

describe("filtersToApiQuery", () => {
  it("maps to the gateway's query parameters", () => {
    expect(filtersToApiQuery({ statuses: ["PENDING", "CONFIRMED"], assignee: "me", q: "a", sort: "priority", overdue: true })).toEqual({
      status: "PENDING,CONFIRMED",
      assignee: "me",
      q: "a",
      sort: "priority",
      overdue: "true",
    });
    expect(filtersToApiQuery(DEFAULT_FILTERS)).toEqual({ status: undefined, assignee: undefined, q: undefined, sort: undefined, overdue: undefined });
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
      { statuses: ["PENDING", "CONFIRMED"], assignee: "all", q: "", sort: "newest", overdue: false },
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
