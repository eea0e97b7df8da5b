import { act, renderHook } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

let currentSearch = "";
const replace = vi.fn((url: string) => {
  currentSearch = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
});

vi.mock("next/navigation", () => ({
  useSearchParams: () => new URLSearchParams(currentSearch),
  useRouter: () => ({ replace }),
  usePathname: () => "/orders",
}));

const { useOrderFilters } = await import("./use-order-filters");

beforeEach(() => {
  replace.mockClear();
});

describe("useOrderFilters", () => {
  it("reads filters and the open order from the URL", () => {
    currentSearch = "status=PENDING&assignee=me&q=abc&order=o1";
    const { result } = renderHook(() => useOrderFilters());
    expect(result.current.filters).toEqual({ statuses: ["PENDING"], assignee: "me", q: "abc" });
    expect(result.current.openOrderId).toBe("o1");
  });

  it("writes filter changes to the URL, keeping the open order", () => {
    currentSearch = "order=o1";
    const { result } = renderHook(() => useOrderFilters());
    act(() => result.current.setFilters({ statuses: ["SHIPPED"] }));
    expect(replace).toHaveBeenLastCalledWith("/orders?order=o1&status=SHIPPED", { scroll: false });
  });

  it("chains quick changes made before the URL re-renders", () => {
    currentSearch = "order=o1&q=x";
    const { result } = renderHook(() => useOrderFilters());
    act(() => {
      result.current.setOpenOrder(null);
      result.current.setFilters({ statuses: ["PENDING"] });
    });
    expect(replace).toHaveBeenLastCalledWith("/orders?status=PENDING&q=x", { scroll: false });
  });

  it("drops back to the bare path when everything is default", () => {
    currentSearch = "assignee=unassigned";
    const { result } = renderHook(() => useOrderFilters());
    act(() => result.current.setFilters({ assignee: "all" }));
    expect(replace).toHaveBeenLastCalledWith("/orders", { scroll: false });
  });
});
