import { describe, expect, it } from "vitest";
import { isOverdue } from "./overdue";
import { makeOrder } from "./test/fixtures";

describe("overdue rows", () => {
  const after = { high: 15, normal: 60 };
  const now = Date.parse("2026-11-26T12:00:00.000Z");
  const aged = (minutes: number, priority: "high" | "normal", status = "PENDING" as const) =>
    makeOrder({ priority, status, created_at: new Date(now - minutes * 60_000).toISOString() });

  it("uses the threshold of the order's priority", () => {
    expect(isOverdue(aged(20, "high"), after, now)).toBe(true);
    expect(isOverdue(aged(20, "normal"), after, now)).toBe(false);
    expect(isOverdue(aged(61, "normal"), after, now)).toBe(true);
  });

  it("only PENDING and CONFIRMED orders, and nothing before the thresholds are known", () => {
    expect(isOverdue({ ...aged(500, "high"), status: "CONFIRMED" }, after, now)).toBe(true);
    expect(isOverdue({ ...aged(500, "high"), status: "PROCESSING" }, after, now)).toBe(false);
    expect(isOverdue(aged(500, "high"), undefined, now)).toBe(false);
  });
});
