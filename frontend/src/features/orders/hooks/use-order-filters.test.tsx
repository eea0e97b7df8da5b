import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

let currentSearch = "";
// The History API, which Next's router follows; the router itself is never asked (no server round trip).
const replace = vi.fn((_state: unknown, _unused: string, url?: string | URL | null) => {
  const href = String(url ?? "");
  currentSearch = href.includes("?") ? href.slice(href.indexOf("?") + 1) : "";
});
const routerReplace = vi.fn();

vi.mock("next/navigation", () => ({
  useSearchParams: () => new URLSearchParams(currentSearch),
  useRouter: () => ({ replace: routerReplace, push: routerReplace }),
  usePathname: () => "/orders",
}));

const { useOrderFilters } = await import("./use-order-filters");

beforeEach(() => {
  replace.mockClear();
  vi.spyOn(window.history, "replaceState").mockImplementation(replace);
});

afterEach(() => {
  vi.restoreAllMocks();
  expect(routerReplace).not.toHaveBeenCalled();
});

describe("useOrderFilters", () => {
  it("reads filters and the open order from the URL", () => {
    currentSearch = "status=PENDING&assignee=me&q=abc&sort=due&overdue=true&priority=high&created_from=2026-12-01&order=o1";
    const { result } = renderHook(() => useOrderFilters());
    expect(result.current.filters).toEqual({
      statuses: ["PENDING"],
      assignee: "me",
      q: "abc",
      sort: "due",
      overdue: true,
      priority: "high",
      created: "custom",
      createdFrom: "2026-12-01",
      createdTo: "",
    });
    expect(result.current.openOrderId).toBe("o1");
  });

  it("writes filter changes to the URL, keeping the open order", () => {
    currentSearch = "order=o1";
    const { result } = renderHook(() => useOrderFilters());
    act(() => result.current.setFilters({ statuses: ["SHIPPED"] }));
    expect(replace.mock.lastCall?.[2]).toBe("/orders?order=o1&status=SHIPPED");
    act(() => result.current.setFilters({ priority: "normal", created: "24h" }));
    expect(replace.mock.lastCall?.[2]).toBe("/orders?order=o1&status=SHIPPED&priority=normal&created=24h");
  });

  it("chains quick changes made before the URL re-renders", () => {
    currentSearch = "order=o1&q=x";
    const { result } = renderHook(() => useOrderFilters());
    act(() => {
      result.current.setOpenOrder(null);
      result.current.setFilters({ statuses: ["PENDING"] });
    });
    expect(replace.mock.lastCall?.[2]).toBe("/orders?status=PENDING&q=x");
  });

  it("drops back to the bare path when everything is default", () => {
    currentSearch = "assignee=unassigned";
    const { result } = renderHook(() => useOrderFilters());
    act(() => result.current.setFilters({ assignee: "all" }));
    expect(replace.mock.lastCall?.[2]).toBe("/orders");
  });
});
