import { describe, expect, it } from "vitest";
import { isEmailAddress } from "./email";

describe("isEmailAddress (as users-service checks it)", () => {
  it("accepts ordinary addresses, Thai ones included", () => {
    expect(isEmailAddress("nok@example.com")).toBe(true);
    expect(isEmailAddress("first.last+tag@sub.example.co.th")).toBe(true);
    expect(isEmailAddress("สมชาย@ตัวอย่าง.ไทย")).toBe(true);
  });

  it("refuses what the service refuses", () => {
    for (const bad of ["", "nok", "nok@", "@example.com", "nok@example", "nok@.example.com", "nok@example.com.", "nok@example..com", "a@b@c.com", "nok @example.com", "nok@exa\u202Emple.com", `${"a".repeat(65)}@example.com`, `a@${"b".repeat(250)}.com`]) {
      expect(isEmailAddress(bad), bad).toBe(false);
    }
  });
});
