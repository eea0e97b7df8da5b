import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeRedirectPath("/orders?status=PENDING&order=abc")).toBe("/orders?status=PENDING&order=abc");
  });

  it("refuses anything that could leave the site", () => {
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "/\torders", "", null, undefined]) {
      expect(safeRedirectPath(bad)).toBe("/orders");
    }
  });
});
