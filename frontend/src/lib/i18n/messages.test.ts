import { describe, expect, it } from "vitest";
import { MESSAGES, translate } from "./messages";

describe("messages", () => {
  it("Thai has every English key, none empty", () => {
    expect(Object.keys(MESSAGES.th).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    for (const value of Object.values(MESSAGES.th)) expect(value.trim()).not.toBe("");
  });

  it("keeps the same placeholders in both languages", () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(MESSAGES.en) as Array<keyof typeof MESSAGES.en>) {
      expect(placeholders(MESSAGES.th[key]), key).toEqual(placeholders(MESSAGES.en[key]));
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "signIn.rateLimited", { seconds: 12 })).toBe("Too many sign-in attempts. Try again in 12 s.");
    expect(translate("th", "drawer.title", { number: "ORD-1" })).toBe("คำสั่งซื้อ ORD-1");
    expect(translate("en", "drawer.title")).toBe("Order {number}");
  });
});
