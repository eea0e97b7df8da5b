import { describe, expect, it } from "vitest";
import { ageLevel, formatAge, formatMoney } from "./format";

describe("formatMoney", () => {
  it("formats integer minor units exactly", () => {
    expect(formatMoney(129900, "THB", "en")).toBe("THB\u00a01,299.00");
    expect(formatMoney(5, "USD", "en-US")).toBe("$0.05");
    expect(formatMoney(1500, "JPY", "en-US")).toBe("¥1,500");
  });
});

describe("age", () => {
  it("turns amber then red past the thresholds", () => {
    expect(ageLevel(14 * 60_000, 15, 60)).toBe("normal");
    expect(ageLevel(15 * 60_000, 15, 60)).toBe("warn");
    expect(ageLevel(61 * 60_000, 15, 60)).toBe("alert");
  });

  it("formats compactly", () => {
    expect(formatAge(42_000)).toBe("42s");
    expect(formatAge(12 * 60_000)).toBe("12m");
    expect(formatAge(185 * 60_000)).toBe("3h 05m");
    expect(formatAge(52 * 3_600_000)).toBe("2d 4h");
    expect(formatAge(-5)).toBe("0s");
  });
});
