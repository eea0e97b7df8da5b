import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useNow } from "./use-now";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("useNow", () => {
  it("is true again the moment a hidden tab becomes visible, without waiting for the next tick", () => {
    vi.useFakeTimers({ now: new Date("2026-11-26T10:00:00Z") });
    const { result } = renderHook(() => useNow(15_000));
    const start = result.current;
    // Hidden: the browser held the timer back while 22 s passed.
    vi.setSystemTime(new Date("2026-11-26T10:00:22Z"));
    expect(result.current).toBe(start);
    vi.spyOn(document, "visibilityState", "get").mockReturnValue("visible");
    act(() => document.dispatchEvent(new Event("visibilitychange")));
    expect(result.current - start).toBe(22_000);
  });
});
