import { describe, expect, it } from "vitest";
import { translate } from "@/lib/i18n/messages";
import { describeOrderDetails, ORDER_ACTION_LABELS } from "./describe-order";
import { ORDER_AUDIT_ACTIONS } from "./types";

const en = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate("en", key, vars);
const th = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate("th", key, vars);
const names: Record<string, string> = { "u-1": "Pim", "u-2": "Somchai" };
const nameOf = (id: string) => names[id] ?? id;

describe("describeOrderDetails", () => {
  it("says status moves in the board's words", () => {
    expect(describeOrderDetails("order.created", { to: "PENDING" }, en, nameOf)).toEqual(["Pending"]);
    expect(describeOrderDetails("order.status_changed", { from: "PENDING", to: "CONFIRMED" }, en, nameOf)).toEqual(["Pending → Confirmed"]);
    expect(describeOrderDetails("order.status_changed", { from: "PENDING", to: "CONFIRMED" }, th, nameOf)).toEqual(["รอดำเนินการ → ยืนยันแล้ว"]);
    expect(
      describeOrderDetails("order.cancelled", { from: "CONFIRMED", to: "CANCELLED", reason_code: "other", reason_text: "Storm" }, en, nameOf),
    ).toEqual(["Confirmed → Cancelled", "Reason: Other", "Storm"]);
  });

  it("names assignees, and says unassigned for none", () => {
    expect(describeOrderDetails("order.assigned", { from: null, to: "u-1" }, en, nameOf)).toEqual(["Unassigned → Pim"]);
    expect(describeOrderDetails("order.assigned", { from: "u-1", to: "u-2" }, en, nameOf)).toEqual(["Pim → Somchai"]);
    expect(describeOrderDetails("order.unassigned", { from: "u-2", to: null }, en, nameOf)).toEqual(["Somchai → Unassigned"]);
    expect(describeOrderDetails("order.undone", { field: "assignee", from: "u-1", to: null }, en, nameOf)).toEqual(["Pim → Unassigned"]);
    expect(describeOrderDetails("order.undone", { field: "status", from: "CONFIRMED", to: "PENDING" }, en, nameOf)).toEqual(["Confirmed → Pending"]);
  });

  it("says priorities, notes and exports", () => {
    expect(describeOrderDetails("order.priority_changed", { from: "normal", to: "high" }, en, nameOf)).toEqual(["Normal → High"]);
    expect(describeOrderDetails("order.note_changed", { from: null, to: "Fragile" }, en, nameOf)).toEqual(["“Fragile”"]);
    expect(describeOrderDetails("order.note_changed", { from: "Fragile", to: null }, en, nameOf)).toEqual(["Note cleared"]);
    expect(describeOrderDetails("order.note_added", { note_id: 7, text: "Called" }, en, nameOf)).toEqual(["“Called”"]);
    expect(describeOrderDetails("orders.exported", { query: "status=CANCELLED", rows: 3 }, en, nameOf)).toEqual(["3 rows", "View: status=CANCELLED"]);
    expect(describeOrderDetails("order.deleted", {}, en, nameOf)).toEqual([]);
  });

  it("has a label in both languages for every action the API documents", () => {
    for (const action of ORDER_AUDIT_ACTIONS) {
      expect(en(ORDER_ACTION_LABELS[action])).not.toBe(ORDER_ACTION_LABELS[action]);
      expect(th(ORDER_ACTION_LABELS[action])).not.toBe(en(ORDER_ACTION_LABELS[action]));
    }
  });
});
