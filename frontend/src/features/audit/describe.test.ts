import { describe, expect, it } from "vitest";
import { translate } from "@/lib/i18n/messages";
import { describeDetails } from "./describe";
import { auditQuery, isBackwards, NO_FILTERS, sourcesRead } from "./filters";

const en = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate("en", key, vars);

describe("describeDetails", () => {
  it("says each change of an account in words, never the password", () => {
    expect(describeDetails({ display_name: "Pim", roles: ["agent", "viewer"], active: false, password: "reset" }, en)).toEqual([
      "Name: Pim",
      "Roles: agent, viewer",
      "Deactivated",
      "Password reset",
    ]);
    expect(describeDetails({ active: true }, en)).toEqual(["Reactivated"]);
    expect(describeDetails({ email: "a@example.com", roles: ["viewer"] }, en)).toEqual(["Email: a@example.com", "Roles: viewer"]);
    expect(describeDetails({ family_id: "f-1", revoked: 3 }, en)).toEqual(["Sessions ended: 3"]);
  });

  it("shows an unknown detail as it is", () => {
    expect(describeDetails({ reason: "other" }, en)).toEqual(['reason: "other"']);
  });
});

describe("auditQuery", () => {
  it("leaves out empty filters", () => {
    expect(auditQuery(NO_FILTERS)).toEqual({ actor: undefined, action: undefined, from: undefined, to: undefined });
  });

  it("turns days into the viewer's local day bounds, the last day included", () => {
    const query = auditQuery({ ...NO_FILTERS, actor: "u-1", action: "user.updated", fromDay: "2026-12-01", toDay: "2026-12-01" });
    expect(query.actor).toBe("u-1");
    expect(query.action).toBe("user.updated");
    expect(query.from).toBe(new Date(2026, 11, 1).toISOString());
    expect(query.to).toBe(new Date(2026, 11, 2).toISOString());
    expect(auditQuery({ ...NO_FILTERS, toDay: "2026-12-31" }).to).toBe(new Date(2027, 0, 1).toISOString());
    expect(auditQuery({ ...NO_FILTERS, fromDay: "yesterday" }).from).toBeUndefined();
  });

  it("knows a backwards range", () => {
    expect(isBackwards({ ...NO_FILTERS, fromDay: "2026-12-02", toDay: "2026-12-01" })).toBe(true);
    expect(isBackwards({ ...NO_FILTERS, fromDay: "2026-12-01", toDay: "2026-12-01" })).toBe(false);
  });
});

describe("sourcesRead", () => {
  it("reads both services for all records, one for accounts or orders", () => {
    expect(sourcesRead(NO_FILTERS)).toEqual({ accounts: true, orders: true });
    expect(sourcesRead({ ...NO_FILTERS, source: "accounts" })).toEqual({ accounts: true, orders: false });
    expect(sourcesRead({ ...NO_FILTERS, source: "orders" })).toEqual({ accounts: false, orders: true });
  });

  it("reads only the service that records the chosen action", () => {
    expect(sourcesRead({ ...NO_FILTERS, action: "order.status_changed" })).toEqual({ accounts: false, orders: true });
    expect(sourcesRead({ ...NO_FILTERS, action: "user.updated" })).toEqual({ accounts: true, orders: false });
    expect(sourcesRead({ ...NO_FILTERS, source: "accounts", action: "orders.exported" })).toEqual({ accounts: false, orders: false });
  });
});
